/**
 * Which bucket, key and sub-resources a request names.
 *
 * Three styles: a custom domain bound to a bucket (`Host: files.localhost:<port>`, the path
 * is the key; see StoreOptions.customDomains), virtual-hosted, with the bucket in the host
 * name (`Host: <bucket>.localhost:<port>`, the path is the key), and path-style
 * (`/<bucket>/<key>`, for hosts that are IP addresses or plain `localhost`). Signatures that
 * name the bucket (OSS, OBS) still name it whatever the style; SigV4 signs the wire path.
 *
 * The path is read from the raw request line, never through `new URL()`, which would
 * resolve `..` segments before the store could refuse them. The key is percent-decoded once;
 * query parameters are decoded as `URLSearchParams` does (the signer encodes spaces as %20).
 */
import { MAX_KEY_BYTES } from '../../src/core/limits.js';
import { Errors } from './errors.js';

export interface Address {
  /** Empty for service-level requests (`GET /`). */
  bucket: string;
  /** Raw (decoded) key; empty for bucket-level requests. */
  key: string;
  /** Decoded query; a bare parameter (`?uploads`) has the value ''. */
  query: Record<string, string>;
  /** The bucket is named by the host (virtual-hosted or custom domain), not the path. */
  virtualHosted: boolean;
  /** The path as sent, percent-encoded, without the query (SigV4 signs it). */
  path: string;
}

/** Host names bound to buckets, lower-case, without port: `{ 'files.localhost': 'uploads' }`. */
export type CustomDomains = Readonly<Record<string, string>>;

const VIRTUAL_HOST = /^([a-z0-9][a-z0-9-]{1,61}[a-z0-9])\.localhost$/;

function decode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw Errors.invalidUri();
  }
}

export function parseAddress(rawUrl: string, hostHeader: string | undefined, customDomains: CustomDomains = {}): Address {
  const q = rawUrl.indexOf('?');
  const rawPath = q < 0 ? rawUrl : rawUrl.slice(0, q);
  const rawQuery = q < 0 ? '' : rawUrl.slice(q + 1);
  if (!rawPath.startsWith('/')) throw Errors.invalidUri();

  const query: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(rawQuery)) query[name] = value;

  const hostname = (hostHeader ?? '').replace(/:\d+$/, '').toLowerCase();
  const bound = Object.hasOwn(customDomains, hostname) ? customDomains[hostname] : undefined;
  if (bound !== undefined) return { bucket: bound, key: decode(rawPath.slice(1)), query, virtualHosted: true, path: rawPath };
  const virtual = VIRTUAL_HOST.exec(hostname);
  if (virtual) return { bucket: virtual[1]!, key: decode(rawPath.slice(1)), query, virtualHosted: true, path: rawPath };

  const slash = rawPath.indexOf('/', 1);
  const bucket = decode(slash < 0 ? rawPath.slice(1) : rawPath.slice(1, slash));
  const key = slash < 0 ? '' : decode(rawPath.slice(slash + 1));
  return { bucket, key, query, virtualHosted: false, path: rawPath };
}

/**
 * OSS object-name rules (UTF-8, 1–1023 bytes, not starting with `/` or `\`), plus what a
 * store backed by a file system must refuse anyway: NUL and `..` path segments.
 */
export function validateKey(key: string): void {
  if (Buffer.byteLength(key, 'utf8') > MAX_KEY_BYTES) throw Errors.invalidObjectName(`longer than ${MAX_KEY_BYTES} bytes`);
  if (key.includes('\0')) throw Errors.invalidObjectName('contains NUL');
  if (key.startsWith('/') || key.startsWith('\\')) throw Errors.invalidObjectName('starts with / or \\');
  if (key.split(/[/\\]/).includes('..')) throw Errors.invalidObjectName('has a ".." segment');
}
