/**
 * Recognizing a file picked again after a reload: its name, size and lastModified, plus a
 * SHA-256 of three 64 KiB samples (start, middle, end), so a different file that happens
 * to share name, size and date is not taken for it. Reads at most 192 KiB.
 */
import { toHex } from './signing/crypto.js';

const SAMPLE = 64 * 1024;

export interface FileIdentity {
  name: string;
  size: number;
  lastModified: number;
  /** Hex SHA-256 of the samples. */
  sample: string;
}

export async function fingerprint(file: Blob & { name?: string; lastModified?: number }): Promise<FileIdentity> {
  const size = file.size;
  const offsets = size <= 3 * SAMPLE ? [0] : [0, Math.floor(size / 2) - SAMPLE / 2, size - SAMPLE];
  const chunks = await Promise.all(
    offsets.map((o) => file.slice(o, size <= 3 * SAMPLE ? size : o + SAMPLE).arrayBuffer()),
  );
  const joined = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0));
  let at = 0;
  for (const c of chunks) {
    joined.set(new Uint8Array(c), at);
    at += c.byteLength;
  }
  return {
    name: file.name ?? '',
    size,
    lastModified: file.lastModified ?? 0,
    sample: toHex(await crypto.subtle.digest('SHA-256', joined)),
  };
}

/** The id a resume record is stored under: the file's identity and where it was going (the object key included). */
export function resumeId(identity: FileIdentity, destination: { endpoint: string; bucket: string }, key: string): string {
  return [destination.endpoint, destination.bucket, key, identity.name, identity.size, identity.lastModified, identity.sample].join('|');
}
