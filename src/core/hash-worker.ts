/**
 * The hash worker. Messages in:
 *   `{ id, op: 'digest' | 'read', blob, algorithms }` a job; `{ id, op: 'cancel' }` stops one.
 * Answers `{ id, digests }` (with `bytes`, transferred, for `read`) or `{ id, error }`.
 * Keeps CRC-64 and MD5 work, and for `read` the reading of the bytes, off the page's main thread.
 */
import { hashBlob, readBlob, releaseIdleHashers, type DigestAlgorithm } from './hash-blob.js';

type Job =
  | { id: number; op: 'digest' | 'read'; blob: Blob; algorithms: DigestAlgorithm[] }
  | { id: number; op: 'cancel' }
  | { id: 0; op: 'release' };

const scope = globalThis as unknown as {
  onmessage: ((e: MessageEvent<Job>) => void) | null;
  postMessage(message: unknown, transfer?: Transferable[]): void;
};

const running = new Map<number, AbortController>();

scope.onmessage = (e) => {
  const job = e.data;
  if (job.op === 'cancel') return void running.get(job.id)?.abort();
  if (job.op === 'release') return void releaseIdleHashers();
  const { id, blob, algorithms } = job;
  const controller = new AbortController();
  running.set(id, controller);
  const work = job.op === 'read'
    ? readBlob(blob, algorithms, controller.signal).then(({ bytes, digests }) => scope.postMessage({ id, digests, bytes }, [bytes]))
    : hashBlob(blob, algorithms, controller.signal).then((digests) => scope.postMessage({ id, digests }));
  work
    .catch((error: unknown) => scope.postMessage({ id, error: String(error) }))
    .finally(() => running.delete(id));
};
