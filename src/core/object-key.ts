/**
 * What makes an object key unusable from a browser, checked before any request:
 * - `.` and `..` segments: the URL parser collapses them (also when percent-encoded), so the
 *   key sent is not the key signed;
 * - lone UTF-16 surrogates: they cannot be UTF-8 encoded (`encodeURIComponent` throws);
 * - control characters: XML 1.0 cannot carry them, so listings could not name the key;
 * - more than {@link MAX_KEY_BYTES} bytes of UTF-8, an empty key, a leading `/` or `\`.
 */
import { ClientErrorCode, UploadError } from './errors.js';
import { MAX_KEY_BYTES } from './limits.js';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001F\u007F]/;

/** Why `key` cannot be used, or undefined when it can. */
export function keyProblem(key: string): string | undefined {
  if (key === '') return 'it is empty';
  if (LONE_SURROGATE.test(key)) return 'it contains a lone surrogate (text that is not valid Unicode)';
  if (CONTROL.test(key)) return 'it contains a control character';
  if (key.startsWith('/') || key.startsWith('\\')) return 'it starts with a slash';
  if (key.split('/').some((s) => s === '.' || s === '..')) return 'it has a "." or ".." path segment, which browsers rewrite';
  const bytes = new TextEncoder().encode(key).length;
  if (bytes > MAX_KEY_BYTES) return `it is ${bytes} bytes long in UTF-8; the limit is ${MAX_KEY_BYTES}`;
  return undefined;
}

/** Throws `InvalidInput` when `key` cannot be used. */
export function assertUsableKey(key: string): void {
  const problem = keyProblem(key);
  if (problem) {
    const shown = JSON.stringify(key.length > 80 ? key.slice(0, 80) + '…' : key);
    throw new UploadError(ClientErrorCode.InvalidInput, `The object key ${shown} cannot be used: ${problem}.`);
  }
}
