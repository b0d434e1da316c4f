/**
 * Digests of a Blob, computed by hash-wasm (WebAssembly): CRC-64/XZ (what OSS calls
 * crc64ecma), CRC-64/NVME (S3's crc64nvme) and MD5, all asked-for digests in one pass.
 * Runs inside the hash worker, and on the page only where workers cannot start (loaded on
 * demand there).
 *
 * The blob is read as a byte stream into one reused buffer, so memory stays at one chunk.
 *
 * WebAssembly instances are kept for the next job (creating one per digest costs more than
 * hashing a small part), at most {@link MAX_IDLE_INSTANCES} per algorithm.
 */
import { createCRC64, createMD5, type IHasher } from 'hash-wasm';

/** The digests a dialect may ask for. */
export type DigestAlgorithm = 'crc64xz' | 'crc64nvme' | 'md5';

/** Each asked-for digest as lower-case hex (CRC-64s as 16 digits, MD5 as 32). */
export type BlobDigests = Partial<Record<DigestAlgorithm, string>>;

const MAX_IDLE_INSTANCES = 4;

/** hash-wasm takes the reflected polynomial. */
const CRC64_POLYNOMIALS = {
  crc64xz: 'c96c5795d7870f42',
  crc64nvme: '9a6c9329ac4bc9b5',
} as const;

const idle: Record<DigestAlgorithm, IHasher[]> = { crc64xz: [], crc64nvme: [], md5: [] };

function create(algorithm: DigestAlgorithm): Promise<IHasher> {
  return algorithm === 'md5' ? createMD5() : createCRC64(CRC64_POLYNOMIALS[algorithm]);
}

/** The hashers of one job: taken from the idle instances (or created), given back when done. */
class DigestSet {
  private constructor(private readonly wanted: DigestAlgorithm[], private readonly hashers: IHasher[]) {}

  static async open(algorithms: readonly DigestAlgorithm[]): Promise<DigestSet> {
    const wanted = [...new Set(algorithms)];
    const hashers = await Promise.all(wanted.map((a) => idle[a].pop() ?? create(a)));
    for (const h of hashers) h.init();
    return new DigestSet(wanted, hashers);
  }

  update(bytes: Uint8Array): void {
    for (const h of this.hashers) h.update(bytes);
  }

  /** The digests; the instances go back to the idle lists. */
  finish(): BlobDigests {
    const out: BlobDigests = {};
    this.wanted.forEach((algorithm, i) => {
      out[algorithm] = this.hashers[i]!.digest('hex');
    });
    this.release();
    return out;
  }

  release(): void {
    this.wanted.forEach((algorithm, i) => {
      if (idle[algorithm].length < MAX_IDLE_INSTANCES) idle[algorithm].push(this.hashers[i]!);
    });
    this.hashers.length = 0;
  }
}

function throwIfStopped(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw signal.reason ?? new DOMException('Aborted', 'AbortError');
}

/** Bytes per read: one buffer per job, reused for every read. */
const CHUNK = 256 * 1024;

/**
 * The streams being read, held from a GC root. Chromium (156) can collect a Blob's byte
 * stream while a BYOB read on it is pending if nothing else references it; the read then
 * never settles and the job hangs without an error (seen at random in 4 GiB uploads; forcing
 * GC in a worker reading 40 blobs lost 13–22 of them). The default reader does not need this.
 */
const reading = new Set<ReadableStreamReader<Uint8Array>>();

/**
 * Calls `each` with the blob's bytes in order. The blob's byte stream is read with a BYOB
 * reader into one reused {@link CHUNK}-byte buffer, so nothing is allocated per chunk: with
 * the default reader every 64 KiB chunk is a new ArrayBuffer, and a worker's uncollected
 * chunks were most of the hashing's memory (bench/PROFILE.md). Where Blob streams are not
 * byte streams, the default reader is used.
 */
async function eachChunk(blob: Blob, signal: AbortSignal | undefined, each: (bytes: Uint8Array) => void): Promise<void> {
  if (blob.size === 0) return;
  const stream = blob.stream();
  let byob: ReadableStreamBYOBReader | undefined;
  try {
    byob = stream.getReader({ mode: 'byob' });
  } catch {
    byob = undefined;
  }
  const reader = byob ?? stream.getReader();
  let buffer = new ArrayBuffer(Math.min(CHUNK, blob.size));
  reading.add(reader);
  try {
    // A blob's stream carries exactly blob.size bytes: stop there, without another read.
    for (let at = 0; at < blob.size;) {
      const { done, value } = byob
        ? await byob.read(new Uint8Array(buffer))
        : await (reader as ReadableStreamDefaultReader<Uint8Array>).read();
      if (done || !value) return;
      throwIfStopped(signal);
      if (byob) buffer = value.buffer as ArrayBuffer; // the buffer given, transferred back
      each(value);
      at += value.length;
    }
  } finally {
    reading.delete(reader);
    reader.cancel().catch(() => undefined); // nothing to cancel once the stream is read
    reader.releaseLock();
  }
}

/** The asked-for digests of `blob`. `signal` stops the reading between chunks. */
export async function hashBlob(blob: Blob, algorithms: readonly DigestAlgorithm[], signal?: AbortSignal): Promise<BlobDigests> {
  const set = await DigestSet.open(algorithms);
  try {
    await eachChunk(blob, signal, (bytes) => set.update(bytes));
  } catch (e) {
    set.release();
    throw e;
  }
  return set.finish();
}
