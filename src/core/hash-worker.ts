/**
 * The hash worker. Messages in: `{ id, blob, algorithms }` a job; `{ id, cancel: true }` stops
 * one (its read ends at the next chunk). Answers `{ id, digests }` or `{ id, error }`.
 * Keeps CRC-64 and MD5 work off the page's main thread.
 */
import { hashBlob, type DigestAlgorithm } from './hash-blob.js';

type Message = { id: number; blob: Blob; algorithms: DigestAlgorithm[]; cancel?: undefined } | { id: number; cancel: true };

const scope = globalThis as unknown as {
  onmessage: ((e: MessageEvent<Message>) => void) | null;
  postMessage(message: unknown): void;
};

const running = new Map<number, AbortController>();

scope.onmessage = (e) => {
  const job = e.data;
  if (job.cancel) return void running.get(job.id)?.abort();
  const { id, blob, algorithms } = job;
  const controller = new AbortController();
  running.set(id, controller);
  hashBlob(blob, algorithms, controller.signal)
    .then((digests) => scope.postMessage({ id, digests }), (error: unknown) => scope.postMessage({ id, error: String(error) }))
    .finally(() => running.delete(id));
};
