/**
 * Uppy 6 (`@uppy/core` + `@uppy/aws-s3`), multipart, signing in the browser with the
 * temporary credentials from the token endpoint, against the store's S3 dialect. Uppy's
 * S3 plugin sends a file's parts one after another (its `limit` is files in parallel), so
 * only the part size can match the engine's settings. Cancel is `uppy.pauseResume` /
 * `cancelAll`; resume after a cancel is `pauseResume` again; across reloads it needs
 * @uppy/golden-retriever, not used here.
 */
import Uppy from '@uppy/core';
import AwsS3 from '@uppy/aws-s3';
import type { ContestantModule, Session, StartOptions } from '../page/contract.js';

export function start(file: File, opts: StartOptions): Session {
  const t = opts.token;
  const uppy = new Uppy({ autoProceed: false });
  uppy.use(AwsS3, {
    s3Endpoint: `${t.endpoint}/${t.bucket}`,
    region: t.region,
    shouldUseMultipart: true,
    ...(opts.partSize ? { getChunkSize: () => opts.partSize! } : {}),
    generateObjectKey: () => opts.key,
    getCredentials: async () => ({
      credentials: { accessKeyId: t.AccessKeyId, secretAccessKey: t.AccessKeySecret, sessionToken: t.SecurityToken, expiration: t.Expiration },
      region: t.region,
    }),
  });
  const id = uppy.addFile({ name: file.name, type: file.type || 'application/octet-stream', data: file });
  const finished = () => new Promise<Record<string, unknown>>((resolve, reject) => {
    uppy.once('complete', (r) => {
      if (r.failed?.length) reject(new Error(String(r.failed[0]?.error ?? 'upload failed')));
      else resolve({ successful: r.successful?.length ?? 0 });
    });
  });
  const done = finished();
  void uppy.upload();
  return {
    done,
    cancel: () => { uppy.pauseResume(id); },
    resume: () => {
      const again = finished();
      uppy.pauseResume(id);
      return again;
    },
  };
}

export const resumesAcrossReloads = false;
const _check: ContestantModule = { start, resumesAcrossReloads };
void _check;
