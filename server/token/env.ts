/**
 * Configuration from the environment: real Alibaba Cloud when a RAM user key is set,
 * the local store otherwise.
 *
 *   OSS_ACCESS_KEY_ID, OSS_ACCESS_KEY_SECRET  a RAM user's AccessKey, allowed sts:AssumeRole
 *   OSS_STS_ROLE_ARN     the role to assume, e.g. acs:ram::1234567890123456:role/oss-uploader
 *   OSS_REGION           e.g. cn-hangzhou (oss-cn-hangzhou is accepted too)
 *   OSS_BUCKET           the bucket uploads go to
 *   OSS_ENDPOINT         optional; the store URL browsers upload to, the bucket's own or
 *                        the regional one (https://oss-cn-hangzhou.aliyuncs.com),
 *                        default https://<bucket>.oss-<region>.aliyuncs.com
 *   STS_ENDPOINT         optional; default https://sts.aliyuncs.com
 *   OSS_TOKEN_TTL        optional; token lifetime in seconds, 900 to 43200, default 3600
 *
 * S3 mode (an S3-compatible store and its STS, e.g. Ceph RGW from scripts/rgw/start.sh) when
 * S3_STS_ROLE_ARN or RGW_ROLE_ARN is set; its variables are in s3-sts-issuer.ts
 * (`s3TokenOptionsFromEnv`). OSS_TOKEN_TTL applies to it too.
 */
import type { LocalSts } from '../sts/local-sts.js';
import { AlibabaStsIssuer } from './alibaba-issuer.js';
import { DEFAULT_TTL_SECONDS, MAX_TTL_SECONDS, type TokenEndpointOptions } from './handler.js';
import { LocalIssuer } from './local-issuer.js';
import { s3TokenOptionsFromEnv } from './s3-sts-issuer.js';
import { localTargets } from './targets.js';

/** The variables that select Alibaba mode; once any is set, all are required. */
export const ALIBABA_ENV = ['OSS_ACCESS_KEY_ID', 'OSS_ACCESS_KEY_SECRET', 'OSS_STS_ROLE_ARN', 'OSS_REGION', 'OSS_BUCKET'] as const;

/** The local store's settings, used when no Alibaba key is configured. */
export interface LocalStoreSettings {
  /** The local STS, sharing its master key with the local store. */
  sts: LocalSts;
  bucket: string;
  region: string;
  /** The local store's URL as the browser reaches it. */
  endpoint: string;
}

/** The shortest lifetime Alibaba STS grants. */
const MIN_STS_TTL_SECONDS = 900;

function urlFromEnv(name: string, value: string): string {
  if (!/^https?:\/\/[^/]/.test(value)) throw new Error(`${name} must be a URL such as https://host, not ${JSON.stringify(value)}`);
  return new URL(value).origin;
}

function ttlFromEnv(value: string | undefined): number {
  if (!value) return DEFAULT_TTL_SECONDS;
  const ttl = Number(value);
  if (!Number.isInteger(ttl) || ttl < MIN_STS_TTL_SECONDS || ttl > MAX_TTL_SECONDS) {
    throw new Error(`OSS_TOKEN_TTL must be a whole number of seconds from ${MIN_STS_TTL_SECONDS} to ${MAX_TTL_SECONDS}`);
  }
  return ttl;
}

/**
 * Endpoint options from `env`: Alibaba mode when any of `OSS_ACCESS_KEY_ID`,
 * `OSS_ACCESS_KEY_SECRET`, `OSS_STS_ROLE_ARN` is set (then every {@link ALIBABA_ENV}
 * variable must be, or this throws naming the missing ones), else `local`.
 * The hooks (`resolveUser`, `allowAdmin`, `allowedOrigins`) are the caller's to add.
 */
export function tokenOptionsFromEnv(env: NodeJS.ProcessEnv, local: LocalStoreSettings): TokenEndpointOptions {
  const ttlSeconds = ttlFromEnv(env.OSS_TOKEN_TTL);
  const s3 = s3TokenOptionsFromEnv(env, ttlSeconds);
  if (s3) return s3;
  if (!env.OSS_ACCESS_KEY_ID && !env.OSS_ACCESS_KEY_SECRET && !env.OSS_STS_ROLE_ARN) {
    const { sts, ...where } = local;
    const issuer = new LocalIssuer(sts);
    // The local store speaks OSS, OBS and S3: `?dialect=` picks the signature, not the store.
    return { ...where, issuer, ttlSeconds, dialects: localTargets({ ...where, issuer }) };
  }
  const missing = ALIBABA_ENV.filter((name) => !env[name]);
  if (missing.length > 0) {
    throw new Error(`Alibaba mode needs ${missing.join(', ')} (set all of ${ALIBABA_ENV.join(', ')}, or none of the keys for local mode)`);
  }
  const bucket = env.OSS_BUCKET!;
  const region = env.OSS_REGION!.replace(/^oss-/, '');
  return {
    bucket,
    region,
    endpoint: urlFromEnv('OSS_ENDPOINT', env.OSS_ENDPOINT || `https://${bucket}.oss-${region}.aliyuncs.com`),
    issuer: new AlibabaStsIssuer({
      accessKeyId: env.OSS_ACCESS_KEY_ID!,
      accessKeySecret: env.OSS_ACCESS_KEY_SECRET!,
      roleArn: env.OSS_STS_ROLE_ARN!,
      endpoint: env.STS_ENDPOINT ? urlFromEnv('STS_ENDPOINT', env.STS_ENDPOINT) : undefined,
    }),
    ttlSeconds,
  };
}
