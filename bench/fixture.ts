/** The file every contestant uploads: random bytes on disk, with its SHA-256. */
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, createReadStream, openSync, writeSync } from 'node:fs';

const CHUNK = 8 * 1024 * 1024;

export async function makeFile(path: string, size: number): Promise<{ path: string; size: number; sha256: string }> {
  const chunk = randomBytes(CHUNK);
  const h = createHash('sha256');
  const fd = openSync(path, 'w');
  try {
    for (let at = 0; at < size; at += CHUNK) {
      chunk.writeUInt32LE(at / CHUNK, 0); // no two chunks alike
      const n = Math.min(CHUNK, size - at);
      writeSync(fd, chunk, 0, n);
      h.update(chunk.subarray(0, n));
    }
  } finally {
    closeSync(fd);
  }
  return { path, size, sha256: h.digest('hex') };
}

export async function sha256File(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const c of createReadStream(path)) h.update(c as Buffer);
  return h.digest('hex');
}
