/**
 * Where objects go: the store's endpoint, the bucket, the region, and the key prefix the
 * credentials are scoped to. Usually learned from the token endpoint's answer; any field
 * may be overridden by configuration.
 */
import { uriEncode } from './signing/request.js';

export interface StoreTarget {
  /** Origin of the store, e.g. `https://oss-cn-hangzhou.aliyuncs.com` or `http://127.0.0.1:9100`. */
  endpoint: string;
  bucket: string;
  /** Region without the vendor prefix, e.g. `cn-hangzhou`. */
  region: string;
  /** Prefix the credentials allow, e.g. `uploads/user-123/`; may be empty. */
  keyPrefix: string;
  /**
   * Addressing. `virtual` puts the bucket in the host name (`bucket.host`), `path` in the
   * path (`host/bucket/key`). Default: path-style for IP addresses, virtual otherwise,
   * and as-is when the endpoint host already starts with the bucket.
   */
  addressing?: 'virtual' | 'path' | undefined;
}

function isIpHost(hostname: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(hostname) || hostname.startsWith('[');
}

/** The URL of `key` (or of the bucket, when `key` is empty) with `query` appended. */
export function objectUrl(target: StoreTarget, key: string, query: Readonly<Record<string, string>>): string {
  const base = new URL(target.endpoint);
  const encodedKey = uriEncode(key, true);
  let path: string;
  if (base.hostname.startsWith(`${target.bucket}.`)) {
    path = `/${encodedKey}`;
  } else if (target.addressing === 'path' || (target.addressing === undefined && isIpHost(base.hostname))) {
    path = `/${target.bucket}/${encodedKey}`;
  } else {
    base.hostname = `${target.bucket}.${base.hostname}`;
    path = `/${encodedKey}`;
  }
  const qs = Object.entries(query)
    .map(([k, v]) => (v === '' ? uriEncode(k) : `${uriEncode(k)}=${uriEncode(v)}`))
    .join('&');
  return `${base.origin}${path}${qs ? '?' + qs : ''}`;
}
