/**
 * The real backend the browser tests run against: the local OSS-compatible store on its own
 * origin (so CORS is exercised), and token endpoints mounted on the test page's origin, as
 * an application would serve them. The same code as `npm start`, on a temporary data dir.
 *
 * Buckets: `uploads` with the default CORS rules, and `noetag`, whose CORS rules forget to
 * expose ETag (the most common real-world misconfiguration).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTokenHandler } from '../../server/token/index.js';
import { LOCAL_REGION, LOCAL_ROOT_KEY, NOETAG_BUCKET, startLocalBackend } from '../../server/local-backend.js';

export const ROOT = LOCAL_ROOT_KEY;
export const REGION = LOCAL_REGION;

export interface Backend {
  storeUrl: string;
  dataDir: string;
  /** Token handlers by path (`/api/sts-token`, `/api/sts-token-noetag`). */
  tokenHandlers: Map<string, (req: IncomingMessage, res: ServerResponse) => Promise<void>>;
  close(): Promise<void>;
}

export async function startBackend(): Promise<Backend> {
  const dataDir = mkdtempSync(join(tmpdir(), 'oss-uploader-test-'));
  const local = await startLocalBackend({ OSS_UPLOADER_DATA: dataDir }, { storePort: 0 });
  const handler = (bucket?: string) =>
    createTokenHandler({ ...local.tokenOptions(bucket), allowAdmin: () => true, log: () => undefined });
  return {
    storeUrl: local.storeUrl,
    dataDir,
    tokenHandlers: new Map([
      ['/api/sts-token', handler()],
      ['/api/sts-token-noetag', handler(NOETAG_BUCKET)],
    ]),
    async close() {
      await local.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
