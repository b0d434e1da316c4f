/**
 * The real backend the browser tests run against: the local OSS-compatible store on its own
 * origin (so CORS is exercised), and token endpoints mounted on the test page's origin, as
 * an application would serve them.
 *
 * Buckets: `uploads` with the default CORS rules, and `noetag`, whose CORS rules forget to
 * expose ETag (the most common real-world misconfiguration).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startStore, DEFAULT_CORS_RULES, type CorsRule } from '../../server/store/index.js';
import { LocalSts } from '../../server/sts/local-sts.js';
import { createTokenHandler, LocalIssuer } from '../../server/token/index.js';

export const ROOT = { accessKeyId: 'LTAI5tLocalRootKeyForTests', accessKeySecret: 'local-root-secret-for-tests-only' };
export const REGION = 'cn-hangzhou';

export const NO_ETAG_RULES: CorsRule[] = DEFAULT_CORS_RULES.map((r) => ({
  ...r, ExposeHeader: r.ExposeHeader.filter((h) => h.toLowerCase() !== 'etag'),
}));

export interface Backend {
  storeUrl: string;
  dataDir: string;
  /** Token handlers by path (`/api/sts-token`, `/api/sts-token-noetag`). */
  tokenHandlers: Map<string, (req: IncomingMessage, res: ServerResponse) => Promise<void>>;
  close(): Promise<void>;
}

export async function startBackend(): Promise<Backend> {
  const dataDir = mkdtempSync(join(tmpdir(), 'oss-uploader-test-'));
  const sts = LocalSts.fromDataDir(dataDir);
  const store = await startStore({
    dataDir, port: 0, region: REGION, root: ROOT, sts,
    buckets: [{ name: 'uploads' }, { name: 'noetag', cors: NO_ETAG_RULES }],
  });
  const issuer = new LocalIssuer(sts);
  const handler = (bucket: string) => createTokenHandler({
    bucket, region: REGION, endpoint: store.url, issuer, allowAdmin: () => true, log: () => undefined,
  });
  const tokenHandlers = new Map([
    ['/api/sts-token', handler('uploads')],
    ['/api/sts-token-noetag', handler('noetag')],
  ]);
  return {
    storeUrl: store.url,
    dataDir,
    tokenHandlers,
    async close() {
      await store.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
