/**
 * Paging of ListParts and ListMultipartUploads, as pure functions over sorted records.
 *
 * Uploads are ordered by key (UTF-8 byte order, as OSS lists) and then by initiation; upload
 * ids are minted in initiation order (uploads.ts), so "after upload-id-marker" within a key is
 * a plain string comparison.
 */
import type { PartRecord, UploadRecord } from './uploads.js';

export function compareKeys(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

export function compareUploads(a: UploadRecord, b: UploadRecord): number {
  return compareKeys(a.key, b.key) || (a.uploadId < b.uploadId ? -1 : a.uploadId > b.uploadId ? 1 : 0);
}

export interface PartsPage {
  parts: PartRecord[];
  truncated: boolean;
  nextMarker: number;
}

/** `sorted` ascending by part number; parts after `marker`, at most `max`. */
export function pageParts(sorted: readonly PartRecord[], marker: number, max: number): PartsPage {
  const after = sorted.filter((p) => p.partNumber > marker);
  const parts = after.slice(0, max);
  return { parts, truncated: after.length > max, nextMarker: parts.at(-1)?.partNumber ?? marker };
}

export interface UploadsQuery {
  prefix: string;
  delimiter: string;
  keyMarker: string;
  uploadIdMarker: string;
  max: number;
}

export interface UploadsPage {
  uploads: UploadRecord[];
  commonPrefixes: string[];
  truncated: boolean;
  nextKeyMarker: string;
  nextUploadIdMarker: string;
}

function afterMarkers(u: UploadRecord, q: UploadsQuery): boolean {
  if (!q.keyMarker) return true;
  // A marker that is a common prefix (from an earlier page) skips everything under it.
  if (q.delimiter && q.keyMarker.endsWith(q.delimiter) && u.key.startsWith(q.keyMarker)) return false;
  const c = compareKeys(u.key, q.keyMarker);
  return c > 0 || (c === 0 && q.uploadIdMarker !== '' && u.uploadId > q.uploadIdMarker);
}

/** `sorted` by {@link compareUploads}. */
export function pageUploads(sorted: readonly UploadRecord[], q: UploadsQuery): UploadsPage {
  const uploads: UploadRecord[] = [];
  const commonPrefixes: string[] = [];
  let count = 0;
  let truncated = false;
  let nextKeyMarker = '';
  let nextUploadIdMarker = '';
  for (const u of sorted) {
    if (!u.key.startsWith(q.prefix) || !afterMarkers(u, q)) continue;
    let common: string | undefined;
    if (q.delimiter) {
      const at = u.key.indexOf(q.delimiter, q.prefix.length);
      if (at >= 0) common = u.key.slice(0, at + q.delimiter.length);
    }
    if (common !== undefined && commonPrefixes.at(-1) === common) continue;
    if (count === q.max) {
      truncated = true;
      break;
    }
    count++;
    if (common !== undefined) {
      commonPrefixes.push(common);
      nextKeyMarker = common;
      nextUploadIdMarker = '';
    } else {
      uploads.push(u);
      nextKeyMarker = u.key;
      nextUploadIdMarker = u.uploadId;
    }
  }
  return { uploads, commonPrefixes, truncated, nextKeyMarker, nextUploadIdMarker };
}
