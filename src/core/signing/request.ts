/**
 * The parts of an HTTP request that a signature covers, independent of `fetch` or Node's
 * `http`, so that the browser signer and the local store's verifier canonicalize the same
 * thing the same way.
 */
export interface SignableRequest {
  /** Upper-case HTTP method. */
  method: string;
  /** Bucket name; empty for service-level requests. */
  bucket: string;
  /** Object key, raw (not percent-encoded); empty for bucket-level requests. */
  key: string;
  /** Query parameters, decoded. An empty string is a bare parameter (`?uploads`). */
  query: Readonly<Record<string, string>>;
  /** Request headers; names are matched case-insensitively. */
  headers: Readonly<Record<string, string>>;
  /**
   * `host[:port]` exactly as the request carries it (the browser sets it from the URL).
   * Signers that sign the host (S3 SigV4) need it; the others ignore it.
   */
  host?: string;
  /**
   * The request path as sent on the wire, percent-encoded (`/bucket/key` path-style,
   * `/key` virtual-hosted or on a custom domain). SigV4 signs it verbatim.
   */
  path?: string;
}

/** The credentials a signer needs. */
export interface SigningCredentials {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken?: string | undefined;
}

/** Header lookup by lower-case name. */
export function lowerCaseHeaders(headers: Readonly<Record<string, string>>): Map<string, string> {
  const map = new Map<string, string>();
  for (const [name, value] of Object.entries(headers)) map.set(name.toLowerCase(), String(value));
  return map;
}

/** RFC 3986 percent-encoding (everything but unreserved characters, and `/` when asked). */
export function uriEncode(value: string, keepSlash = false): string {
  const encoded = encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase(),
  );
  return keepSlash ? encoded.replace(/%2F/g, '/') : encoded;
}

/** Compares by UTF-16 code units, as the vendors' `sort` does. */
export function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
