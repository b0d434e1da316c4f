/**
 * Signed requests to the store from Node tests and tools, using the same signer as the
 * browser engine (src/core/signing). Path-style URLs unless `host` is given.
 */
import { v1Authorization, v1Date } from '../../src/core/dialects/oss/signer-v1.js';
import { UNSIGNED_PAYLOAD, v4Authorization, v4Date } from '../../src/core/dialects/oss/signer-v4.js';
import { uriEncode, type SigningCredentials } from '../../src/core/signing/request.js';
import { rawFetch } from './raw-http.js';

export interface SignedRequest {
  method: string;
  bucket: string;
  key?: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: BodyInit | null;
  /** `v4` (default) or `v1`. */
  version?: 'v1' | 'v4';
  region?: string;
  /** Sign as if at this time (skew tests). */
  now?: Date;
  /** Virtual-hosted style: send to `<bucket>.localhost:<port>`. */
  virtualHost?: boolean;
}

export function requestUrl(storeUrl: string, r: Pick<SignedRequest, 'bucket' | 'key' | 'query' | 'virtualHost'>): string {
  const base = new URL(storeUrl);
  const key = uriEncode(r.key ?? '', true);
  let path = r.bucket ? `/${r.bucket}/${key}` : '/';
  if (r.virtualHost) {
    base.hostname = `${r.bucket}.localhost`;
    path = `/${key}`;
  }
  const qs = Object.entries(r.query ?? {}).map(([k, v]) => (v === '' ? uriEncode(k) : `${uriEncode(k)}=${uriEncode(v)}`)).join('&');
  return `${base.origin}${path}${qs ? '?' + qs : ''}`;
}

/** The headers for `r`, signed with `creds`, including `Authorization`. */
export async function signedHeaders(creds: SigningCredentials, r: SignedRequest): Promise<Record<string, string>> {
  const now = r.now ?? new Date();
  const headers: Record<string, string> = { ...r.headers };
  if (creds.securityToken) headers['x-oss-security-token'] = creds.securityToken;
  const signable = { method: r.method, bucket: r.bucket, key: r.key ?? '', query: r.query ?? {}, headers };
  if ((r.version ?? 'v4') === 'v4') {
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
 * Sends `r` to the store at `storeUrl`, signed with `creds`. Virtual-hosted requests go to
 * the store's own address with `Host: <bucket>.localhost:<port>` (Node resolves no
 * `*.localhost` names, and fetch will not set Host).
 */
export async function signedFetch(storeUrl: string, creds: SigningCredentials, r: SignedRequest): Promise<Response> {
  const headers = await signedHeaders(creds, r);
  if (r.virtualHost) {
    const url = new URL(requestUrl(storeUrl, r));
    return rawFetch({ method: r.method, connectTo: storeUrl, host: url.host, path: url.pathname + url.search, headers, body: r.body ?? null });
  }
  const init: RequestInit & { duplex?: 'half' } = { method: r.method, headers, body: r.body ?? null };
  if (r.body instanceof ReadableStream) init.duplex = 'half';
  return fetch(requestUrl(storeUrl, r), init);
}
