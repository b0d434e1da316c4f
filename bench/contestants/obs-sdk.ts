/**
 * Huawei's esdk-obs-browserjs: `uploadFile` (resumable multipart) at the run's part size
 * and task count, with temporary credentials from the token endpoint, against the store's
 * OBS dialect. Cancel through the handle `ResumeCallback` gives; resume with the checkpoint.
 *
 * The bucket goes in the host name (`uploads.localhost:<port>`, which Chromium resolves to
 * loopback): with `path_style`, or a server given as an IP address, the SDK signs AWS V2
 * (`Authorization: AWS …`) instead of OBS, which is neither the OBS dialect nor what the
 * store speaks. Signature negotiation is off: it would first send a HEAD `?apiversion`.
 */
// @ts-expect-error the SDK has no types
import ObsClient from 'esdk-obs-browserjs';
import type { ContestantModule, Session, StartOptions } from '../page/contract.js';

const MiB = 1024 * 1024;
const STORE = 'bench-obs-checkpoint';

export function start(file: File, opts: StartOptions): Session {
  const t = opts.token;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const client: any = new (ObsClient as any)({
    access_key_id: t.AccessKeyId, secret_access_key: t.AccessKeySecret, security_token: t.SecurityToken,
    server: `http://localhost:${new URL(t.endpoint).port}`, is_signature_negotiation: false, timeout: 120,
  });
  let handle: { cancel(): void } | undefined;
  let checkpoint: Record<string, unknown> | undefined;
  if (opts.afterReload) {
    const saved = localStorage.getItem(STORE);
    if (saved) checkpoint = { ...JSON.parse(saved), sourceFile: file };
  }
  const save = () => {
    if (!checkpoint) return;
    const { sourceFile: _f, ...rest } = checkpoint;
    localStorage.setItem(STORE, JSON.stringify(rest));
  };
  const run = () => new Promise<Record<string, unknown>>((resolve, reject) => {
    client.uploadFile({
      Bucket: t.bucket, Key: opts.key, SourceFile: file,
      PartSize: opts.partSize ?? 9 * MiB, TaskNum: opts.concurrency ?? 1,
      ...(checkpoint ? { UploadCheckpoint: checkpoint } : {}),
      ResumeCallback: (h: { cancel(): void }, cpt: Record<string, unknown>) => {
        handle = h;
        checkpoint = cpt;
        save();
      },
      // The checkpoint ResumeCallback hands over is live (the SDK marks parts done in it):
      // saved again after each part, as an app that resumes across reloads must.
      EventCallback: (type: string) => { if (type === 'uploadPartSucceed') save(); },
    }, (err: unknown, result: { CommonMsg: { Status: number; Message?: string } }) => {
      if (err) return reject(new Error(String(err)));
      if (result.CommonMsg.Status >= 300) return reject(new Error(`OBS ${result.CommonMsg.Status} ${result.CommonMsg.Message ?? ''}`));
      localStorage.removeItem(STORE);
      resolve({ status: result.CommonMsg.Status });
    });
  });
  return { done: run(), cancel: () => handle?.cancel(), resume: run };
}

export const resumesAcrossReloads = true;
const _check: ContestantModule = { start, resumesAcrossReloads };
void _check;
