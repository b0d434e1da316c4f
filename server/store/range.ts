/**
 * The `Range` header of GetObject, as OSS reads it (help.aliyun.com, "range download"):
 *
 * - one range `bytes=a-b`, `bytes=a-` or `bytes=-n`; of several, OSS serves the first;
 * - by default an invalid or unsatisfiable range is *ignored*: 200 with the whole object
 *   (also when the end lies past the object, e.g. `bytes=500-2000` of 1000 bytes);
 * - with `x-oss-range-behavior: standard`, an end past the object is clamped (206) and a
 *   start past it is 416 InvalidRange, as RFC 9110 and S3 do.
 */
import { Errors } from './errors.js';

export interface ByteRange {
  start: number;
  /** Inclusive. */
  end: number;
}

/** The range to serve, or undefined for the whole object (200). */
export function parseRange(header: string | undefined, size: number, standard: boolean): ByteRange | undefined {
  if (header === undefined) return undefined;
  const m = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*(,.*)?$/i.exec(header);
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  if (m[3] !== undefined && standard) throw Errors.invalidRange(size);
  const invalid = (): undefined => {
    if (standard) throw Errors.invalidRange(size);
    return undefined;
  };
  if (m[1] === '') {
    const n = Number(m[2]);
    if (n === 0 || size === 0) return invalid();
    if (n > size) return standard ? { start: 0, end: size - 1 } : undefined;
    return { start: size - n, end: size - 1 };
  }
  const start = Number(m[1]);
  if (start >= size) return invalid();
  if (m[2] === '') return { start, end: size - 1 };
  const end = Number(m[2]);
  if (end < start) return undefined; // not a range at all (RFC 9110): ignored in both modes
  if (end >= size) return standard ? { start, end: size - 1 } : undefined;
  return { start, end };
}
