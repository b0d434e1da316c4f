/**
 * Alibaba OSS header signature, version 1 (`Authorization: OSS <AK>:<signature>`).
 * Canonicalization follows alibabacloud-oss-go-sdk-v2 `oss/signer/v1.go` and ali-oss
 * `lib/common/signUtils.js`; the published vectors are in test/fixtures/vectors.json.
 */
import { hmac, toBase64 } from '../../signing/crypto.js';
import { byCodeUnit, lowerCaseHeaders, type SignableRequest, type SigningCredentials } from '../../signing/request.js';

/** Query parameters that V1 signs (all others, like `max-parts`, are left out). */
const SIGNED_SUBRESOURCES = new Set([
  'acl', 'append', 'bucketInfo', 'callback', 'callback-var', 'cname', 'comp', 'continuation-token',
  'cors', 'delete', 'encryption', 'endTime', 'img', 'lifecycle', 'live', 'location', 'logging',
  'objectMeta', 'partNumber', 'policy', 'position', 'qos', 'referer', 'replication', 'restore',
  'security-token', 'sequential', 'startTime', 'stat', 'status', 'style', 'symlink', 'tagging',
  'uploadId', 'uploads', 'versionId', 'versioning', 'versions', 'website',
  'response-cache-control', 'response-content-disposition', 'response-content-encoding',
  'response-content-language', 'response-content-type', 'response-expires',
]);

function isSignedSubresource(name: string): boolean {
  return SIGNED_SUBRESOURCES.has(name) || name.startsWith('x-oss-');
}

/** `/<bucket>/<key>?<signed sub-resources>`, the key raw UTF-8. */
export function v1CanonicalResource(req: SignableRequest): string {
  let resource = req.bucket ? `/${req.bucket}/${req.key}` : '/';
  const params = Object.keys(req.query).filter(isSignedSubresource).sort(byCodeUnit);
  if (params.length > 0) {
    resource +=
      '?' + params.map((k) => (req.query[k] === '' ? k : `${k}=${req.query[k]}`)).join('&');
  }
  return resource;
}

export function v1StringToSign(req: SignableRequest): string {
  const headers = lowerCaseHeaders(req.headers);
  const ossHeaders = [...headers.keys()]
    .filter((name) => name.startsWith('x-oss-'))
    .sort(byCodeUnit)
    .map((name) => `${name}:${headers.get(name)!.trim()}\n`)
    .join('');
  const date = headers.get('x-oss-date') ?? headers.get('date') ?? '';
  return [
    req.method,
    headers.get('content-md5') ?? '',
    headers.get('content-type') ?? '',
    date,
    ossHeaders + v1CanonicalResource(req),
  ].join('\n');
}

export async function v1Signature(secret: string, stringToSign: string): Promise<string> {
  return toBase64(await hmac('SHA-1', secret, stringToSign));
}

/** The `Authorization` header value for `req`, which must already carry `x-oss-date`. */
export async function v1Authorization(req: SignableRequest, creds: SigningCredentials): Promise<string> {
  const signature = await v1Signature(creds.accessKeySecret, v1StringToSign(req));
  return `OSS ${creds.accessKeyId}:${signature}`;
}

/** The `x-oss-date` value V1 uses: an RFC 7231 date. */
export function v1Date(now: Date): string {
  return now.toUTCString();
}
