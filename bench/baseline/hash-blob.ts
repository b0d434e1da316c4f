// The hashing layer as it was before issue 9 (commit a376e92), kept verbatim for A/B runs in bench/profile.ts.
/**
 * Digests of a Blob, read as a stream so memory stays at one chunk, computed by hash-wasm
 * (WebAssembly): CRC-64/XZ (what OSS calls crc64ecma), CRC-64/NVME (S3's crc64nvme) and MD5.
 * Used inside the hash worker, and inline where workers are absent.
 */
import { createCRC64, createMD5, type IHasher } from 'hash-wasm';

/** The digests a dialect may ask for. */
export type DigestAlgorithm = 'crc64xz' | 'crc64nvme' | 'md5';

/** Each asked-for digest as lower-case hex (CRC-64s as 16 digits, MD5 as 32). */
export type BlobDigests = Partial<Record<DigestAlgorithm, string>>;

/** hash-wasm takes the reflected polynomial. */
const CRC64_POLYNOMIALS = {
  crc64xz: 'c96c5795d7870f42',
  crc64nvme: '9a6c9329ac4bc9b5',
} as const;

function create(algorithm: DigestAlgorithm): Promise<IHasher> {
  return algorithm === 'md5' ? createMD5() : createCRC64(CRC64_POLYNOMIALS[algorithm]);
}

export async function hashBlob(blob: Blob, algorithms: readonly DigestAlgorithm[]): Promise<BlobDigests> {
  const wanted = [...new Set(algorithms)];
  const hashers = await Promise.all(wanted.map(create));
  for (const h of hashers) h.init();
  const reader = blob.stream().getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    for (const h of hashers) h.update(value);
  }
  const out: BlobDigests = {};
  wanted.forEach((algorithm, i) => {
    out[algorithm] = hashers[i]!.digest('hex');
  });
  return out;
}
