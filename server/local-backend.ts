/**
 * The local backend: the local store (it speaks OSS, OBS and S3, see server/store/) and the
 * token endpoint that mints credentials for it (`?dialect=oss|obs|s3`, all for this one
 * store), with the defaults the README documents. Used by `npm run backend` and `npm start`.
 *
 * The store's region is {@link LOCAL_REGION}: OSS V4 and S3 SigV4 scopes must name it, and
 * the token endpoint answers it as `region` for every dialect. The custom domain
 * {@link LOCAL_CUSTOM_DOMAIN} is bound to the `uploads` bucket: `http://files.localhost:<port>/key`
 * addresses `uploads/key` (browsers resolve `*.localhost` to 127.0.0.1; Node's resolver may not).
 *
 * Environment (all optional):
 *   OSS_UPLOADER_DATA   data directory (objects, uploads, the local STS key); default ./.data
 *   STORE_PORT          the store's port; default 9100
 *   TOKEN_PORT          the standalone token endpoint's port; default 9101
 *   STORE_ROOT_KEY_ID, STORE_ROOT_KEY_SECRET  the store's root key (full access)
 *   OSS_TOKEN_TTL       token lifetime in seconds; default 3600
 *   STORE_FAULTS, STORE_FAULT_SEED, …  the store's fault mode, off by default (server/store/faults/config.ts)
 * With OSS_ACCESS_KEY_ID etc. set, the token endpoint mints real Alibaba STS credentials
 * instead (see server/token/env.ts), and the local store only serves local tests.
 */
import { resolve } from 'node:path';
import { startStore, DEFAULT_CORS_RULES, type CorsRule, type FaultConfig, type FaultInjector } from './store/index.js';
import { faultConfigFromEnv } from './store/faults/index.js';
import { LocalSts } from './sts/local-sts.js';
import { createTokenHandler, tokenOptionsFromEnv, type TokenEndpointOptions } from './token/index.js';

export const DEFAULT_STORE_PORT = 9100;
export const DEFAULT_TOKEN_PORT = 9101;
export const LOCAL_BUCKET = 'uploads';
export const LOCAL_REGION = 'cn-hangzhou';
/** A host name bound to {@link LOCAL_BUCKET}, as a custom domain (CNAME) is on a real store. */
export const LOCAL_CUSTOM_DOMAIN = 'files.localhost';
/** The store's root key for local use only; documented in the README. */
export const LOCAL_ROOT_KEY = { accessKeyId: 'LTAI5tLocalRootAccessKey', accessKeySecret: 'local-root-secret-not-for-production' };

/** A bucket whose CORS rules forget to expose ETag, to see how the element handles that mistake. */
export const NOETAG_BUCKET = 'noetag';
export const NO_ETAG_RULES: CorsRule[] = DEFAULT_CORS_RULES.map((r) => ({
  ...r, ExposeHeader: r.ExposeHeader.filter((h) => h.toLowerCase() !== 'etag'),
}));

export interface LocalBackend {
  storeUrl: string;
  sts: LocalSts;
  /** The store's fault mode, when on. */
  faults: FaultInjector | undefined;
  /** Token endpoint options for `bucket` (default {@link LOCAL_BUCKET}), honouring the environment. */
  tokenOptions(bucket?: string): TokenEndpointOptions;
  close(): Promise<void>;
}

export async function startLocalBackend(env: NodeJS.ProcessEnv = process.env, opts: { storePort?: number; faults?: FaultConfig } = {}): Promise<LocalBackend> {
  const dataDir = resolve(env.OSS_UPLOADER_DATA ?? '.data');
  const sts = LocalSts.fromDataDir(dataDir);
  const root = {
    accessKeyId: env.STORE_ROOT_KEY_ID ?? LOCAL_ROOT_KEY.accessKeyId,
    accessKeySecret: env.STORE_ROOT_KEY_SECRET ?? LOCAL_ROOT_KEY.accessKeySecret,
  };
  const store = await startStore({
    dataDir, sts, root, region: LOCAL_REGION,
    port: opts.storePort ?? Number(env.STORE_PORT ?? DEFAULT_STORE_PORT),
    buckets: [{ name: LOCAL_BUCKET }, { name: NOETAG_BUCKET, cors: NO_ETAG_RULES }],
    customDomains: { [LOCAL_CUSTOM_DOMAIN]: LOCAL_BUCKET },
    faults: opts.faults ?? faultConfigFromEnv(env),
  });
  return {
    storeUrl: store.url,
    sts,
    faults: store.faults,
    tokenOptions: (bucket = LOCAL_BUCKET) =>
      tokenOptionsFromEnv(env, { sts, bucket, region: LOCAL_REGION, endpoint: store.url }),
    close: () => store.close(),
  };
}

export { createTokenHandler };
