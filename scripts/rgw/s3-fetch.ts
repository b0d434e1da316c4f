/**
 * SigV4-signed fetch to an S3-compatible endpoint (path-style), on the project's own signer
 * (src/core/dialects/s3/signer-v4.ts). Used by scripts/rgw/setup-bucket.ts, the throughput
 * measurement and the RGW tests; Node only (hashes bodies with node:crypto when asked).
 */
import { createHash } from 'node:crypto';
import { s3SignHeaders, UNSIGNED_PAYLOAD } from '../../src/core/dialects/s3/signer-v4.js';
import { uriEncode, type SigningCredentials } from '../../src/core/signing/request.js';

export interface S3Request {
  method: string;
  bucket?: string;
  key?: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: Uint8Array | string | null;
  /** Sign the body's SHA-256 instead of `UNSIGNED-PAYLOAD`. */
  hashPayload?: boolean;
  region?: string;
  /** Default `s3`. */
  service?: string;
  signal?: AbortSignal;
}

export function s3Url(endpoint: string, r: Pick<S3Request, 'bucket' | 'key' | 'query'>): { url: string; host: string; path: string } {
  const base = new URL(endpoint);
  const path = r.bucket ? `/${r.bucket}/${uriEncode(r.key ?? '', true)}` : '/';
  const qs = Object.entries(r.query ?? {}).map(([k, v]) => `${uriEncode(k)}=${uriEncode(v)}`).join('&');
  return { url: `${base.origin}${path}${qs ? '?' + qs : ''}`, host: base.host, path };
}

export function sha256Hex(body: Uint8Array | string): string {
  return createHash('sha256').update(body).digest('hex');
}

export async function s3Fetch(endpoint: string, creds: SigningCredentials, r: S3Request): Promise<Response> {
  const { url, host, path } = s3Url(endpoint, r);
  const body = r.body ?? null;
  const service = r.service ?? 's3';
  const payloadHash = r.hashPayload ? sha256Hex(body ?? '') : UNSIGNED_PAYLOAD;
  const headers = await s3SignHeaders(
    { method: r.method, bucket: r.bucket ?? '', key: r.key ?? '', query: r.query ?? {}, headers: r.headers ?? {}, host, path },
    creds,
    { region: r.region ?? 'us-east-1', service, payloadHash },
  );
  // Node's fetch takes any Uint8Array; the DOM typings want an ArrayBuffer-backed one
  return fetch(url, { method: r.method, headers, body: body as BodyInit | null, signal: r.signal ?? null });
}

/** `s3Fetch`, throwing with the status and body unless the answer is 2xx. */
export async function s3Ok(endpoint: string, creds: SigningCredentials, r: S3Request): Promise<Response> {
  const res = await s3Fetch(endpoint, creds, r);
  if (!res.ok) throw new Error(`${r.method} ${r.bucket ?? ''}/${r.key ?? ''}: ${res.status} ${await res.text()}`);
  return res;
}

/** Text of the first `<tag>…</tag>` in `xml` (enough for S3's flat answers). */
export function xmlText(xml: string, tag: string): string | undefined {
  const m = new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(xml);
  return m?.[1];
}
