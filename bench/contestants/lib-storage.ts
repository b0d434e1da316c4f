/**
 * AWS SDK v3 `@aws-sdk/lib-storage` `Upload` over `S3Client`, path-style, with the temporary
 * credentials from the token endpoint, against the store's S3 dialect: `partSize` and
 * `queueSize` from the run (its defaults: 5 MiB × 4). Cancel is `upload.abort()`, which also
 * deletes the multipart upload: it cannot resume.
 */
import { S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import type { ContestantModule, Session, StartOptions } from '../page/contract.js';

export function start(file: File, opts: StartOptions): Session {
  const t = opts.token;
  const client = new S3Client({
    endpoint: t.endpoint, region: t.region, forcePathStyle: true,
    credentials: { accessKeyId: t.AccessKeyId, secretAccessKey: t.AccessKeySecret, sessionToken: t.SecurityToken },
    requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED',
  });
  const upload = new Upload({
    client,
    params: { Bucket: t.bucket, Key: opts.key, Body: file, ContentType: file.type || 'application/octet-stream' },
    ...(opts.partSize ? { partSize: opts.partSize } : {}),
    ...(opts.concurrency ? { queueSize: opts.concurrency } : {}),
  });
  const done = upload.done().then((r) => ({ etag: (r as { ETag?: string }).ETag }));
  return { done, cancel: () => upload.abort() };
}

export const resumesAcrossReloads = false;
const _check: ContestantModule = { start, resumesAcrossReloads };
void _check;
