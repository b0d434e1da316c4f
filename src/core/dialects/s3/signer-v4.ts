/**
 * AWS Signature Version 4 (`AWS4-HMAC-SHA256`) for S3-compatible stores (AWS, MinIO, Ceph
 * RGW, OBS in V4 mode) and for STS. Pure functions over WebCrypto: the engine signs in the
 * browser or a worker, the local store verifies with the same code, the token endpoint signs
 * its STS calls with it from Node.
 *
 *   CanonicalRequest = METHOD \n path \n query \n headers \n signedHeaders \n payloadHash
 *   StringToSign     = AWS4-HMAC-SHA256 \n x-amz-date \n day/region/service/aws4_request \n hex(sha256(CR))
 *   kSigning         = HMAC chain from "AWS4" + secret over day, region, service, "aws4_request"
 *
 * The path is signed verbatim as it goes on the wire (percent-encoded once, `/` kept): that
 * is S3's rule. Other services encode it a second time, but the only other one used here is
 * STS, whose path is `/`. Published vectors: test/fixtures/vectors.json (`s3_sigv4`).
 */
import { hmac, sha256Hex, toHex } from '../../signing/crypto.js';
import {
  byCodeUnit, lowerCaseHeaders, uriEncode, type SignableRequest, type SigningCredentials,
} from '../../signing/request.js';

export const S3_ALGORITHM = 'AWS4-HMAC-SHA256';
export const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';
/** SHA-256 of the empty string: the payload hash of a request without a body. */
export const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

export interface S3SignOptions {
  /** e.g. `us-east-1`. */
  region: string;
  /** `s3` (default) or `sts`, or any other SigV4 service name. */
  service?: string;
  /** Extra headers to sign (when present), beyond host, `x-amz-*`, content-type, content-md5. */
  additionalHeaders?: readonly string[];
  /**
   * Payload hash when the request carries no `x-amz-content-sha256` header (that header, when
   * present, always wins). Default `UNSIGNED-PAYLOAD`. S3 itself requires the header; STS
   * does not take it, and signs the body's real hex SHA-256.
   */
  payloadHash?: string;
}

function isDefaultSigned(name: string): boolean {
  return name === 'host' || name.startsWith('x-amz-') || name === 'content-type' || name === 'content-md5';
}

/** Lower-case header map including `host` (from `req.host`, else a `host` header). */
function headerMap(req: SignableRequest): Map<string, string> {
  const headers = lowerCaseHeaders(req.headers);
  if (req.host !== undefined) headers.set('host', req.host);
  if (!headers.has('host')) throw new Error('SigV4: the request has no host (set req.host)');
  return headers;
}

/** The wire path: `req.path` verbatim, else built path-style from bucket and key. */
export function s3Path(req: SignableRequest): string {
  if (req.path !== undefined) return req.path || '/';
  if (!req.bucket) return '/';
  return `/${req.bucket}/${uriEncode(req.key, true)}`;
}

/** `k=v&…`, RFC 3986-encoded, sorted by encoded key (then value); empty values as `k=`. */
export function s3CanonicalQuery(query: Readonly<Record<string, string>>): string {
  return Object.entries(query)
    .map(([k, v]) => [uriEncode(k), uriEncode(v)] as const)
    .sort((a, b) => byCodeUnit(a[0], b[0]) || byCodeUnit(a[1], b[1]))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
}

/** The sorted, `;`-joined names of the headers that a signature covers. */
export function s3SignedHeaders(req: SignableRequest, additionalHeaders: readonly string[] = []): string {
  const headers = headerMap(req);
  const extra = new Set(additionalHeaders.map((h) => h.toLowerCase()));
  return [...headers.keys()].filter((h) => isDefaultSigned(h) || extra.has(h)).sort(byCodeUnit).join(';');
}

export function s3PayloadHash(req: SignableRequest, opts: Pick<S3SignOptions, 'payloadHash'> = {}): string {
  return lowerCaseHeaders(req.headers).get('x-amz-content-sha256') ?? opts.payloadHash ?? UNSIGNED_PAYLOAD;
}

export function s3CanonicalRequest(req: SignableRequest, opts: Omit<S3SignOptions, 'region'> = {}): string {
  const headers = headerMap(req);
  const signed = s3SignedHeaders(req, opts.additionalHeaders);
  const canonicalHeaders = signed
    .split(';')
    .map((h) => `${h}:${headers.get(h)!.trim().replace(/\s+/g, ' ')}\n`)
    .join('');
  return [
    req.method.toUpperCase(),
    s3Path(req),
    s3CanonicalQuery(req.query),
    canonicalHeaders,
    signed,
    s3PayloadHash(req, opts),
  ].join('\n');
}

/** `yyyymmddTHHMMSSZ`, the `x-amz-date` value. */
export function amzDate(now: Date): string {
  return now.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

export function s3Scope(date: string, region: string, service = 's3'): string {
  return `${date.slice(0, 8)}/${region}/${service}/aws4_request`;
}

function requestDate(req: SignableRequest): string {
  const date = lowerCaseHeaders(req.headers).get('x-amz-date');
  if (!date) throw new Error('SigV4: the request has no x-amz-date header');
  return date;
}

export async function s3StringToSign(req: SignableRequest, opts: S3SignOptions): Promise<string> {
  const date = requestDate(req);
  return [
    S3_ALGORITHM, date, s3Scope(date, opts.region, opts.service), await sha256Hex(s3CanonicalRequest(req, opts)),
  ].join('\n');
}

const signingKeys = new Map<string, Promise<ArrayBuffer>>();
const MAX_CACHED_KEYS = 16;

/** The derived signing key; cached per (secret, day, region, service): it changes daily. */
export function s3SigningKey(secret: string, day: string, region: string, service = 's3'): Promise<ArrayBuffer> {
  const cacheKey = `${secret}\n${day}\n${region}\n${service}`;
  let key = signingKeys.get(cacheKey);
  if (!key) {
    key = (async () => {
      const kDate = await hmac('SHA-256', 'AWS4' + secret, day);
      const kRegion = await hmac('SHA-256', kDate, region);
      const kService = await hmac('SHA-256', kRegion, service);
      return hmac('SHA-256', kService, 'aws4_request');
    })();
    if (signingKeys.size >= MAX_CACHED_KEYS) signingKeys.delete(signingKeys.keys().next().value!);
    signingKeys.set(cacheKey, key);
  }
  return key;
}

export async function s3Signature(
  secret: string, stringToSign: string, day: string, region: string, service = 's3',
): Promise<string> {
  return toHex(await hmac('SHA-256', await s3SigningKey(secret, day, region, service), stringToSign));
}

/**
 * The `Authorization` header value for `req`, which must already carry `x-amz-date` (and,
 * for S3, `x-amz-content-sha256`; with STS credentials, `x-amz-security-token`).
 */
export async function s3Authorization(
  req: SignableRequest, creds: SigningCredentials, opts: S3SignOptions,
): Promise<string> {
  const date = requestDate(req);
  const service = opts.service ?? 's3';
  const signature = await s3Signature(
    creds.accessKeySecret, await s3StringToSign(req, opts), date.slice(0, 8), opts.region, service,
  );
  return (
    `${S3_ALGORITHM} Credential=${creds.accessKeyId}/${s3Scope(date, opts.region, service)}, ` +
    `SignedHeaders=${s3SignedHeaders(req, opts.additionalHeaders)}, Signature=${signature}`
  );
}

/**
 * Convenience: `req`'s headers plus `x-amz-date`, `x-amz-content-sha256` (S3 only),
 * `x-amz-security-token` (when the credentials carry one) and `authorization`.
 * `host` is not added (fetch sets it from the URL), but it is signed from `req.host`.
 */
export async function s3SignHeaders(
  req: SignableRequest, creds: SigningCredentials, opts: S3SignOptions, now: Date = new Date(),
): Promise<Record<string, string>> {
  const headers: Record<string, string> = { ...req.headers, 'x-amz-date': amzDate(now) };
  const lower = lowerCaseHeaders(req.headers);
  if ((opts.service ?? 's3') === 's3' && !lower.has('x-amz-content-sha256')) {
    headers['x-amz-content-sha256'] = opts.payloadHash ?? UNSIGNED_PAYLOAD;
  }
  if (creds.securityToken) headers['x-amz-security-token'] = creds.securityToken;
  headers['authorization'] = await s3Authorization({ ...req, headers }, creds, opts);
  return headers;
}
