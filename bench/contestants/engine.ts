/**
 * The engine (`UploadClient`), as an application uses it: token endpoint, default resume
 * store (IndexedDB), defaults unless the run sets part size and concurrency.
 *
 * variant.hash = 'off': the engine with hashing switched off, to see what hashing costs. The
 * engine has no such switch (it always checks CRC-64), so the hasher answers at once, and
 * the CRC-64 the store reports is hidden from the engine (response header and ListParts),
 * as a store that reports none would; the engine then finishes unverified.
 */
import { UploadClient } from '../../src/core/upload-client.js';
import { WorkerHasher, type Hasher } from '../../src/core/hasher.js';
import type { BlobDigests, DigestAlgorithm } from '../../src/core/hash-blob.js';
import type { Upload } from '../../src/core/upload.js';
import type { ContestantModule, Session, StartOptions } from '../page/contract.js';

class NoHasher implements Hasher {
  async digest(_blob: Blob, algorithms: readonly DigestAlgorithm[]): Promise<BlobDigests> {
    const out: BlobDigests = {};
    for (const a of algorithms) out[a] = a === 'md5' ? '0'.repeat(32) : '0'.repeat(16);
    return out;
  }
  dispose(): void {}
}

const CRC_HEADER = 'x-oss-hash-crc64ecma';

/** fetch, with the store's CRC-64 hidden from the engine. */
const fetchWithoutCrc: typeof fetch = async (input, init) => {
  const res = await fetch(input, init);
  if (!res.headers.has(CRC_HEADER) && !String(input).includes('uploadId=')) return res;
  const headers = new Headers(res.headers);
  headers.delete(CRC_HEADER);
  const isList = init?.method === 'GET' && String(input).includes('uploadId=');
  const body = init?.method === 'HEAD' || res.status === 204 ? null
    : isList ? (await res.text()).replace(/<HashCrc64ecma>[^<]*<\/HashCrc64ecma>/g, '') : await res.arrayBuffer();
  return new Response(body, { status: res.status, statusText: res.statusText, headers });
};

export function start(file: File, opts: StartOptions, hasher?: Hasher): Session {
  const off = opts.variant?.hash === 'off';
  // Profiling (bench/profile.ts): the default hasher with another pool size.
  // variant.recycle: MiB a worker reads before it is replaced (0: never).
  if (!hasher && !off && (opts.variant?.workers !== undefined || opts.variant?.recycle !== undefined)) {
    const recycle = opts.variant.recycle === undefined ? undefined : Number(opts.variant.recycle) * 1024 * 1024 || Infinity;
    hasher = new WorkerHasher(Number(opts.variant.workers ?? 2), undefined, 1, recycle);
  }
  const client = new UploadClient({
    tokenUrl: opts.tokenUrl,
    keyFor: () => opts.key,
    ...(opts.partSize ? { partSize: opts.partSize } : {}),
    ...(opts.concurrency ? { concurrency: opts.concurrency } : {}),
    ...(off ? { hasher: new NoHasher(), fetch: fetchWithoutCrc } : {}),
    ...(hasher ? { hasher } : {}),
  });
  const upload: Upload = client.createUpload(file);
  // For post-mortems of a stuck run (inspect through the DevTools protocol).
  (globalThis as unknown as { benchEngine?: unknown }).benchEngine = { client, upload };
  const finish = (p: Promise<{ verified: boolean; crc64?: string | undefined }>) =>
    p.then((r) => ({ verified: r.verified, crc64: r.crc64, resumed: upload.progress.committedBytes }));
  const done = finish(upload.start());
  done.then(() => client.dispose(), () => undefined);
  return {
    done,
    cancel: () => upload.cancel(),
    resume: () => finish(upload.resume()).finally(() => client.dispose()),
  };
}

export const resumesAcrossReloads = true;
const _check: ContestantModule = { start, resumesAcrossReloads };
void _check;
