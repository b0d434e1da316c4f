/**
 * Thin helpers over WebCrypto (present in browsers' secure contexts, workers and Node ≥ 20).
 * HMAC-SHA1 and HMAC-SHA256 and SHA-256 are all the signers need; MD5 and CRC-64 come
 * from hash-wasm elsewhere.
 */

const encoder = new TextEncoder();

export type HmacAlgorithm = 'SHA-1' | 'SHA-256';
export type KeyMaterial = string | ArrayBuffer;

function bytes(data: KeyMaterial): Uint8Array<ArrayBuffer> {
  return typeof data === 'string' ? encoder.encode(data) : new Uint8Array(data);
}

export async function hmac(alg: HmacAlgorithm, key: KeyMaterial, data: string): Promise<ArrayBuffer> {
  const k = await crypto.subtle.importKey('raw', bytes(key), { name: 'HMAC', hash: alg }, false, ['sign']);
  return crypto.subtle.sign('HMAC', k, encoder.encode(data));
}

export async function sha256Hex(data: string): Promise<string> {
  return toHex(await crypto.subtle.digest('SHA-256', encoder.encode(data)));
}

export function toHex(buf: ArrayBuffer): string {
  const view = new Uint8Array(buf);
  let out = '';
  for (let i = 0; i < view.length; i++) out += view[i]!.toString(16).padStart(2, '0');
  return out;
}

export function toBase64(buf: ArrayBuffer | Uint8Array): string {
  const view = buf instanceof Uint8Array ? buf : new Uint8Array(buf);
  let bin = '';
  for (let i = 0; i < view.length; i++) bin += String.fromCharCode(view[i]!);
  return btoa(bin);
}

export function hexToBase64(hex: string): string {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return toBase64(out);
}

/** Compares two strings in time independent of where they differ. */
export function constantTimeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
