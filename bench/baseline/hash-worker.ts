// The hashing layer as it was before issue 9 (commit a376e92), kept verbatim for A/B runs in bench/profile.ts.
/**
 * The hash worker: receives `{ id, blob, algorithms }`, answers `{ id, digests }` or `{ id, error }`.
 * Keeps CRC-64 and MD5 work off the page's main thread.
 */
import { hashBlob, type DigestAlgorithm } from './hash-blob.js';

interface HashJob { id: number; blob: Blob; algorithms: DigestAlgorithm[] }

const scope = globalThis as unknown as {
  onmessage: ((e: MessageEvent<HashJob>) => void) | null;
  postMessage(message: unknown): void;
};

scope.onmessage = (e) => {
  const { id, blob, algorithms } = e.data;
  hashBlob(blob, algorithms).then(
    (digests) => scope.postMessage({ id, digests }),
    (error: unknown) => scope.postMessage({ id, error: String(error) }),
  );
};
