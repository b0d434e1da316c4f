/**
 * Addressing, decided once per target: which host a request goes to and which path it
 * carries, for path-style, virtual-hosted and custom-domain (`cname`) buckets. The signer
 * is then handed exactly the host and path the browser will send.
 */
import type { Addressing, StorageDialect } from './dialect.js';
import { ClientErrorCode, UploadError } from './errors.js';
import { uriEncode } from './signing/request.js';
import type { StoreTarget } from './target.js';

/** A request's location: the URL to fetch, and its host and path as the signature sees them. */
export interface RequestLocation {
  url: string;
  /** `host[:port]`, as the browser sends it. */
  host: string;
  /** Percent-encoded path, as sent. */
  path: string;
}

function isIpAddress(hostname: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(hostname) || hostname.startsWith('[');
}

/** The addressing mode `target` uses with `dialect`. */
export function addressingOf(target: StoreTarget, dialect: StorageDialect): Addressing {
  const mode = target.addressing;
  if (mode !== undefined) {
    if (!dialect.addressing.includes(mode)) {
      throw new UploadError(
        ClientErrorCode.InvalidInput,
        `${dialect.vendor} does not support "${mode}" addressing; use ${dialect.addressing.map((a) => `"${a}"`).join(' or ')}.`,
      );
    }
    return mode;
  }
  const url = new URL(target.endpoint);
  // A bucket name with dots would not match the store's wildcard TLS certificate as a host label.
  if (url.protocol === 'https:' && target.bucket.includes('.') && dialect.addressing.includes('path')) return 'path';
  return isIpAddress(url.hostname) ? 'path' : 'virtual';
}

/** Builds the location of each request to `target`; the mode and origin are worked out once. */
export class Addresser {
  private readonly origin: string;
  private readonly host: string;
  /** `/bucket` for path-style, empty otherwise. */
  private readonly bucketPath: string;

  constructor(target: StoreTarget, dialect: StorageDialect) {
    let base: URL;
    try {
      base = new URL(target.endpoint);
    } catch (e) {
      throw new UploadError(ClientErrorCode.InvalidInput, `The endpoint "${target.endpoint}" is not a URL.`, { cause: e });
    }
    const mode = addressingOf(target, dialect);
    this.bucketPath = mode === 'path' ? `/${target.bucket}` : '';
    if (mode === 'virtual' && !base.hostname.startsWith(`${target.bucket}.`)) base.hostname = `${target.bucket}.${base.hostname}`;
    this.origin = base.origin;
    this.host = base.host;
  }

  /** The location of `key` (or of the bucket, when `key` is empty) with `query` appended. */
  locate(key: string, query: Readonly<Record<string, string>>): RequestLocation {
    const path = `${this.bucketPath}/${uriEncode(key, true)}`;
    const qs = Object.entries(query)
      .map(([k, v]) => (v === '' ? uriEncode(k) : `${uriEncode(k)}=${uriEncode(v)}`))
      .join('&');
    return { url: `${this.origin}${path}${qs ? '?' + qs : ''}`, host: this.host, path };
  }
}
