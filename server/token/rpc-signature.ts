/**
 * Alibaba Cloud's RPC signature (signature version 1.0, HMAC-SHA1), used by STS and other
 * RPC-style APIs:
 *
 *   StringToSign = METHOD + "&" + percentEncode("/") + "&" + percentEncode(canonicalQuery)
 *   Signature    = base64(HMAC-SHA1(AccessKeySecret + "&", StringToSign))
 *
 * where canonicalQuery is every parameter but `Signature`, sorted by name, each name and
 * value percent-encoded, joined as `k=v&k=v`.
 */
import { createHmac } from 'node:crypto';

/** RFC 3986 encoding: only `A-Z a-z 0-9 - _ . ~` stay; space is `%20`, `*` is `%2A`. */
export function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}

/** The sorted, encoded `k=v&k=v` of `params`. */
export function canonicalQuery(params: Readonly<Record<string, string>>): string {
  return Object.keys(params)
    .sort()
    .map((k) => `${percentEncode(k)}=${percentEncode(params[k]!)}`)
    .join('&');
}

/** The string HMAC-SHA1 signs. */
export function rpcStringToSign(method: string, params: Readonly<Record<string, string>>): string {
  return `${method}&${percentEncode('/')}&${percentEncode(canonicalQuery(params))}`;
}

/** The `Signature` parameter's value for `params`. */
export function rpcSignature(method: string, params: Readonly<Record<string, string>>, accessKeySecret: string): string {
  return createHmac('sha1', accessKeySecret + '&').update(rpcStringToSign(method, params)).digest('base64');
}

/** The full query string of a signed GET request, `Signature` included. */
export function signedRpcQuery(params: Readonly<Record<string, string>>, accessKeySecret: string): string {
  return `${canonicalQuery(params)}&Signature=${percentEncode(rpcSignature('GET', params, accessKeySecret))}`;
}
