/**
 * Huawei OBS header signature (`Authorization: OBS <AK>:<signature>`), protocol.md §3c/§8:
 * like OSS V1 (HMAC-SHA1 over VERB, Content-MD5, Content-Type, Date, canonical headers and
 * resource) with these differences:
 * - the Date line is empty when `x-obs-date` is sent (the browser must send it, as `Date` is
 *   a forbidden header), else it is the `Date` header;
 * - canonical headers are the `x-obs-*` ones (the STS token travels in `x-obs-security-token`);
 * - the resource is the percent-encoded `/bucket/key` (`!*'()` encoded too, `/` kept), with
 *   the bucket even for virtual-hosted and custom-domain URLs, `/bucket/` for bucket requests;
 * - sub-resources are matched case-insensitively against a whitelist, written with their own
 *   key case and decoded value.
 * Facts from the OBS browser SDK (`src/utils.js` `doAuth`, `allowedResourceParameterNames`)
 * and the OBS API page "Authentication of Signature in a Header"; checked against the two
 * vectors in test/fixtures/vectors.json.
 */
import { hmac, toBase64 } from '../../signing/crypto.js';
import { byCodeUnit, lowerCaseHeaders, uriEncode, type SignableRequest, type SigningCredentials } from '../../signing/request.js';

/** Query parameters OBS signs, lower-case (all others, like `max-parts`, are left out). */
const SIGNED_SUBRESOURCES = new Set([
  'acl', 'append', 'attname', 'backtosource', 'cors', 'customdomain', 'delete', 'deletebucket',
  'directcoldaccess', 'encryption', 'inventory', 'length', 'lifecycle', 'location', 'logging',
  'metadata', 'modify', 'name', 'notification', 'object-lock', 'partnumber', 'policy', 'position',
  'quota', 'rename', 'replication', 'requestpayment', 'restore', 'retention', 'storageclass',
  'storageinfo', 'storagepolicy', 'tagging', 'torrent', 'truncate', 'uploadid', 'uploads',
  'versionid', 'versioning', 'versions', 'website', 'x-image-process', 'x-image-save-bucket',
  'x-image-save-object', 'x-obs-security-token',
  'response-cache-control', 'response-content-disposition', 'response-content-encoding',
  'response-content-language', 'response-content-type', 'response-expires',
]);

const HEADER_PREFIX = 'x-obs-';

/** `/<bucket>/<percent-encoded key>?<signed sub-resources>`. */
export function obsCanonicalResource(req: SignableRequest): string {
  let resource = req.bucket ? `/${req.bucket}/${uriEncode(req.key, true)}` : '/';
  const params = Object.keys(req.query).filter((k) => SIGNED_SUBRESOURCES.has(k.toLowerCase())).sort(byCodeUnit);
  if (params.length > 0) {
    resource += '?' + params.map((k) => (req.query[k] === '' ? k : `${k}=${req.query[k]}`)).join('&');
  }
  return resource;
}

export function obsStringToSign(req: SignableRequest): string {
  const headers = lowerCaseHeaders(req.headers);
  const obsHeaders = [...headers.keys()]
    .filter((name) => name.startsWith(HEADER_PREFIX))
    .sort(byCodeUnit)
    .map((name) => `${name}:${headers.get(name)!.trim()}\n`)
    .join('');
  const date = headers.has(HEADER_PREFIX + 'date') ? '' : (headers.get('date') ?? '');
  return [
    req.method,
    headers.get('content-md5') ?? '',
    headers.get('content-type') ?? '',
    date,
    obsHeaders + obsCanonicalResource(req),
  ].join('\n');
}

export async function obsSignature(secret: string, stringToSign: string): Promise<string> {
  return toBase64(await hmac('SHA-1', secret, stringToSign));
}

/** The `Authorization` header value for `req`, which must already carry `x-obs-date` (and the token header). */
export async function obsAuthorization(req: SignableRequest, creds: SigningCredentials): Promise<string> {
  const signature = await obsSignature(creds.accessKeySecret, obsStringToSign(req));
  return `OBS ${creds.accessKeyId}:${signature}`;
}

/** The `x-obs-date` value: an RFC 1123 date, e.g. `Mon, 01 Jan 2024 00:00:00 GMT`. */
export function obsDate(now: Date): string {
  return now.toUTCString();
}
