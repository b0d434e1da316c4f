/**
 * Signed requests to the store from Node tests and tools, using the same signers as the
 * browser engine (src/core/dialects/): OSS V4 (default) or V1, OBS, or S3 SigV4.
 * Path-style URLs unless `virtualHost` or `customDomain` is given.
 */
import { obsAuthorization, obsDate } from '../../src/core/dialects/obs/signer.js';
import { v1Authorization, v1Date } from '../../src/core/dialects/oss/signer-v1.js';
import { UNSIGNED_PAYLOAD, v4Authorization, v4Date } from '../../src/core/dialects/oss/signer-v4.js';
import { s3SignHeaders } from '../../src/core/dialects/s3/signer-v4.js';
import { uriEncode, type SigningCredentials } from '../../src/core/signing/request.js';
import { rawFetch } from './raw-http.js';

export interface SignedRequest {
  method: string;
  bucket: string;
  key?: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: BodyInit | null;
  /** OSS `v4` (default) or `v1`; `obs` (OBS header signature); `s3` (SigV4, UNSIGNED-PAYLOAD unless the headers say otherwise). */
  version?: 'v1' | 'v4' | 'obs' | 's3';
  region?: string;
  /** Sign as if at this time (skew tests). */
  now?: Date;
  /** Virtual-hosted style: send to `<bucket>.localhost:<port>`. */
  virtualHost?: boolean;
  /** Send to this host name (a custom domain bound to the bucket): the path is the key. */
  customDomain?: string;
  /** The Host header (`host[:port]`), which SigV4 signs; signedFetch fills it in. */
  host?: string;
}

/** The path as sent: `/bucket/key`, or `/key` when the host names the bucket. */
function wirePath(r: Pick<SignedRequest, 'bucket' | 'key' | 'virtualHost' | 'customDomain'>): string {
  const key = uriEncode(r.key ?? '', true);
  if (r.virtualHost || r.customDomain) return `/${key}`;
  return r.bucket ? `/${r.bucket}/${key}` : '/';
}

export function requestUrl(storeUrl: string, r: Pick<SignedRequest, 'bucket' | 'key' | 'query' | 'virtualHost' | 'customDomain'>): string {
  const base = new URL(storeUrl);
  const path = wirePath(r);
  if (r.virtualHost) base.hostname = `${r.bucket}.localhost`;
  if (r.customDomain) base.hostname = r.customDomain;
  const qs = Object.entries(r.query ?? {}).map(([k, v]) => (v === '' ? uriEncode(k) : `${uriEncode(k)}=${uriEncode(v)}`)).join('&');
  return `${base.origin}${path}${qs ? '?' + qs : ''}`;
}

/** The headers for `r`, signed with `creds`, including `Authorization`. */
export async function signedHeaders(creds: SigningCredentials, r: SignedRequest): Promise<Record<string, string>> {
  const now = r.now ?? new Date();
  const headers: Record<string, string> = { ...r.headers };
  const version = r.version ?? 'v4';
  if (version === 's3') {
    if (!r.host) throw new Error('SigV4 signs the Host: give SignedRequest.host');
    const req = { method: r.method, bucket: r.bucket, key: r.key ?? '', query: r.query ?? {}, headers, host: r.host, path: wirePath(r) };
    const signed = await s3SignHeaders(req, creds, { region: r.region ?? 'cn-hangzhou' }, now);
    const { authorization, ...rest } = signed;
    return { ...rest, Authorization: authorization! };
  }
  if (creds.securityToken) headers[version === 'obs' ? 'x-obs-security-token' : 'x-oss-security-token'] = creds.securityToken;
  const signable = { method: r.method, bucket: r.bucket, key: r.key ?? '', query: r.query ?? {}, headers };
  if (version === 'obs') {
    headers['x-obs-date'] = obsDate(now);
    headers['Authorization'] = await obsAuthorization(signable, creds);
  } else if (version === 'v4') {
    headers['x-oss-date'] = v4Date(now);
    headers['x-oss-content-sha256'] = UNSIGNED_PAYLOAD;
    headers['Authorization'] = await v4Authorization(signable, creds, { region: r.region ?? 'cn-hangzhou' });
  } else {
    headers['x-oss-date'] = v1Date(now);
    headers['Authorization'] = await v1Authorization(signable, creds);
  }
  return headers;
}

/**
 * Sends `r` to the store at `storeUrl`, signed with `creds`. Virtual-hosted and custom-domain
 * requests go to the store's own address with `Host: <name>:<port>` (Node resolves no
 * `*.localhost` names, and fetch will not set Host).
 */
export async function signedFetch(storeUrl: string, creds: SigningCredentials, r: SignedRequest): Promise<Response> {
  const headers = await signedHeaders(creds, { ...r, host: r.host ?? new URL(requestUrl(storeUrl, r)).host });
  if (r.virtualHost || r.customDomain) {
    const url = new URL(requestUrl(storeUrl, r));
    return rawFetch({ method: r.method, connectTo: storeUrl, host: url.host, path: url.pathname + url.search, headers, body: r.body ?? null });
  }
  const init: RequestInit & { duplex?: 'half' } = { method: r.method, headers, body: r.body ?? null };
  if (r.body instanceof ReadableStream) init.duplex = 'half';
  return fetch(requestUrl(storeUrl, r), init);
}
