/**
 * ali-oss 6.23, its prebuilt browser build, with STS credentials from the token endpoint:
 * `multipartUpload` at the run's part size and parallelism, or at its own defaults
 * (`variant.defaults`: 1 MiB parts, 5 in parallel) when the run sets none.
 * Cancel is `client.cancel()`; resume passes back the checkpoint it reported (kept in
 * localStorage, as its docs suggest, so it survives a reload).
 */
// @ts-expect-error the UMD bundle has no types
import OSSModule from 'ali-oss/dist/aliyun-oss-sdk.min.js';
import type { ContestantModule, Session, StartOptions } from '../page/contract.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const OSS = OSSModule as any;
const STORE = 'bench-ali-oss-checkpoint';

export function start(file: File, opts: StartOptions): Session {
  const t = opts.token;
  const client = new OSS({
    region: `oss-${t.region}`, endpoint: t.endpoint, bucket: t.bucket,
    accessKeyId: t.AccessKeyId, accessKeySecret: t.AccessKeySecret, stsToken: t.SecurityToken,
    sldEnable: true, // path-style: the endpoint is an IP address
    timeout: 120_000,
  });
  let checkpoint: Record<string, unknown> | undefined;
  if (opts.afterReload) {
    const saved = localStorage.getItem(STORE);
    if (saved) checkpoint = { ...JSON.parse(saved), file };
  }
  const run = () => client.multipartUpload(opts.key, file, {
    ...(opts.partSize ? { partSize: opts.partSize } : {}),
    ...(opts.concurrency ? { parallel: opts.concurrency } : {}),
    ...(checkpoint ? { checkpoint } : {}),
    progress: (_p: number, cpt: Record<string, unknown> | undefined) => {
      if (!cpt) return;
      checkpoint = cpt;
      const { file: _f, ...rest } = cpt;
      localStorage.setItem(STORE, JSON.stringify(rest));
    },
  }).then((r: { res: { status: number } }) => {
    localStorage.removeItem(STORE);
    return { status: r.res.status };
  });
  return {
    done: run(),
    cancel: () => client.cancel(),
    resume: () => { client.resetCancelFlag?.(); return run(); },
  };
}

export const resumesAcrossReloads = true;
const _check: ContestantModule = { start, resumesAcrossReloads };
void _check;
