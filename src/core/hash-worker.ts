/**
 * The hash worker: receives `{ id, blob, md5 }`, answers `{ id, digests }` or `{ id, error }`.
 * Keeps CRC-64 and MD5 work off the page's main thread.
 */
import { hashBlob } from './hash-blob.js';

interface HashJob { id: number; blob: Blob; md5: boolean }

const scope = globalThis as unknown as {
  onmessage: ((e: MessageEvent<HashJob>) => void) | null;
  postMessage(message: unknown): void;
};

scope.onmessage = (e) => {
  const { id, blob, md5 } = e.data;
  hashBlob(blob, md5).then(
    (digests) => scope.postMessage({ id, digests }),
    (error: unknown) => scope.postMessage({ id, error: String(error) }),
  );
};
