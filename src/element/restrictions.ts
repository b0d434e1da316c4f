/**
 * What may be added: file types (`accept`, as on `<input type=file>`), a size limit, and a
 * count limit. Pure functions; the element turns the rejections into localized messages.
 */

export interface Restrictions {
  /** Comma-separated `.ext`, `type/*` or `type/subtype`, as in the `accept` attribute; empty for any. */
  accept: string;
  /** Largest file in bytes; 0 or NaN for no limit. */
  maxFileSize: number;
  /** Most files in the list at once; 0 or NaN for no limit. */
  maxFiles: number;
}

export type Rejection =
  | { reason: 'type'; file: File }
  | { reason: 'size'; file: File }
  | { reason: 'duplicate'; file: File }
  | { reason: 'count'; file: File };

const SIZE_UNITS: Record<string, number> = {
  '': 1, b: 1,
  kb: 1e3, mb: 1e6, gb: 1e9, tb: 1e12,
  k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4,
  kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3, tib: 1024 ** 4,
};

/**
 * A size in bytes from `1048576`, `100KiB`, `8 MiB`, `5MB`, `1.5 GB` (kB/MB/GB are powers of
 * 1000, KiB/MiB/GiB and K/M/G powers of 1024). NaN when it cannot be read.
 */
export function parseSize(value: string | number | null | undefined): number {
  if (value === null || value === undefined || value === '') return NaN;
  if (typeof value === 'number') return value;
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(value);
  if (!m) return NaN;
  const factor = SIZE_UNITS[m[2]!.toLowerCase()];
  return factor === undefined ? NaN : Math.round(Number(m[1]) * factor);
}

/** The `accept` list, trimmed and lower-cased. */
export function acceptList(accept: string): string[] {
  return accept.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
}

/** Whether `file` fits the `accept` list (by extension or MIME type). */
export function accepts(accept: string, file: { name: string; type: string }): boolean {
  const list = acceptList(accept);
  if (list.length === 0) return true;
  const name = file.name.toLowerCase();
  const type = (file.type || '').toLowerCase();
  return list.some((a) => {
    if (a.startsWith('.')) return name.endsWith(a);
    if (a.endsWith('/*')) return type.startsWith(a.slice(0, -1));
    return type === a;
  });
}

/** The identity a file is recognised by when added twice. */
export function fileIdentity(file: File): string {
  return [file.webkitRelativePath || file.name, file.size, file.lastModified, file.type].join('|');
}

/**
 * Splits `files` into the ones to add and the ones rejected, given how many are already in
 * the list and their identities.
 */
export function applyRestrictions(
  files: readonly File[], r: Restrictions, existing: { count: number; identities: ReadonlySet<string> },
): { accepted: File[]; rejected: Rejection[] } {
  const accepted: File[] = [];
  const rejected: Rejection[] = [];
  const seen = new Set(existing.identities);
  const limit = r.maxFiles > 0 ? r.maxFiles : Infinity;
  for (const file of files) {
    const id = fileIdentity(file);
    if (!accepts(r.accept, file)) rejected.push({ reason: 'type', file });
    else if (r.maxFileSize > 0 && file.size > r.maxFileSize) rejected.push({ reason: 'size', file });
    else if (seen.has(id)) rejected.push({ reason: 'duplicate', file });
    else if (existing.count + accepted.length >= limit) rejected.push({ reason: 'count', file });
    else {
      seen.add(id);
      accepted.push(file);
    }
  }
  return { accepted, rejected };
}
