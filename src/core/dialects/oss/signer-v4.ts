/**
 * Alibaba OSS header signature, version 4 (`OSS4-HMAC-SHA256`).
 * Canonicalization follows alibabacloud-oss-go-sdk-v2 `oss/signer/v4.go`; the published
 * vectors are in test/fixtures/vectors.json.
 */
import { hmac, sha256Hex, toHex } from '../../signing/crypto.js';
import {
  byCodeUnit, lowerCaseHeaders, uriEncode, type SignableRequest, type SigningCredentials,
} from '../../signing/request.js';

export const V4_ALGORITHM = 'OSS4-HMAC-SHA256';
export const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';

export interface V4Options {
  /** Region without the `oss-` prefix, e.g. `cn-hangzhou`. */
  region: string;
  /** Extra headers to sign, beyond `x-oss-*`, `content-type` and `content-md5`. */
  additionalHeaders?: readonly string[];
}

function isDefaultSigned(name: string): boolean {
  return name.startsWith('x-oss-') || name === 'content-type' || name === 'content-md5';
}

export function v4CanonicalRequest(req: SignableRequest, additionalHeaders: readonly string[] = []): string {
  const headers = lowerCaseHeaders(req.headers);
  const additional = [...new Set(additionalHeaders.map((h) => h.toLowerCase()))]
    .filter((h) => !isDefaultSigned(h) && headers.has(h))
    .sort(byCodeUnit);
  const signed = [...headers.keys()]
    .filter((h) => isDefaultSigned(h) || additional.includes(h))
    .sort(byCodeUnit);
  const canonicalHeaders = signed.map((h) => `${h}:${headers.get(h)!.trim()}\n`).join('');

  const path = req.bucket ? `/${req.bucket}/${req.key}` : '/';
  const query = Object.entries(req.query)
    .map(([k, v]) => [uriEncode(k), uriEncode(v)] as const)
    .sort((a, b) => byCodeUnit(a[0], b[0]))
    .map(([k, v]) => (v === '' ? k : `${k}=${v}`))
    .join('&');

  return [
    req.method,
    uriEncode(path, true),
    query,
    canonicalHeaders,
    additional.join(';'),
    headers.get('x-oss-content-sha256') ?? UNSIGNED_PAYLOAD,
  ].join('\n');
}

/** `yyyymmddTHHMMSSZ` */
export function v4Date(now: Date): string {
  return now.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

export function v4Scope(date: string, region: string): string {
  return `${date.slice(0, 8)}/${region}/oss/aliyun_v4_request`;
}

export async function v4StringToSign(req: SignableRequest, opts: V4Options): Promise<string> {
  const date = lowerCaseHeaders(req.headers).get('x-oss-date') ?? '';
  const canonical = v4CanonicalRequest(req, opts.additionalHeaders);
  return [V4_ALGORITHM, date, v4Scope(date, opts.region), await sha256Hex(canonical)].join('\n');
}

const signingKeys = new Map<string, Promise<ArrayBuffer>>();
const MAX_CACHED_KEYS = 16;

/** The derived signing key; cached per (secret, day, region), as it changes once a day. */
export function v4SigningKey(secret: string, day: string, region: string): Promise<ArrayBuffer> {
  const cacheKey = `${secret}\n${day}\n${region}`;
  let key = signingKeys.get(cacheKey);
  if (!key) {
    key = (async () => {
      const kDate = await hmac('SHA-256', 'aliyun_v4' + secret, day);
      const kRegion = await hmac('SHA-256', kDate, region);
      const kProduct = await hmac('SHA-256', kRegion, 'oss');
      return hmac('SHA-256', kProduct, 'aliyun_v4_request');
    })();
    if (signingKeys.size >= MAX_CACHED_KEYS) signingKeys.delete(signingKeys.keys().next().value!);
    signingKeys.set(cacheKey, key);
  }
  return key;
}

export async function v4Signature(secret: string, stringToSign: string, day: string, region: string): Promise<string> {
  return toHex(await hmac('SHA-256', await v4SigningKey(secret, day, region), stringToSign));
}

/** The `Authorization` header value for `req`, which must already carry `x-oss-date`. */
export async function v4Authorization(
  req: SignableRequest, creds: SigningCredentials, opts: V4Options,
): Promise<string> {
  const stringToSign = await v4StringToSign(req, opts);
  const date = lowerCaseHeaders(req.headers).get('x-oss-date') ?? '';
  const signature = await v4Signature(creds.accessKeySecret, stringToSign, date.slice(0, 8), opts.region);
  const additional = v4CanonicalRequest(req, opts.additionalHeaders).split('\n').at(-2) ?? '';
  return (
    `${V4_ALGORITHM} Credential=${creds.accessKeyId}/${v4Scope(date, opts.region)}` +
    (additional ? `,AdditionalHeaders=${additional}` : '') +
    `,Signature=${signature}`
  );
}
