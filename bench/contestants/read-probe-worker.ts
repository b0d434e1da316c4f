/**
 * Profiling only (bench/PROFILE.md): a worker that reads a Blob one of several ways, and
 * CRC-64s it or not, to separate the cost of reading a disk-backed Blob from the cost of hashing.
 */
import { createCRC64, type IHasher } from 'hash-wasm';

interface Job { id: number; blob: Blob; how: string; crc: boolean }
const scope = globalThis as unknown as { onmessage: ((e: MessageEvent<Job>) => void) | null; postMessage(m: unknown): void };
let hasher: IHasher | undefined;

async function run({ blob, how, crc }: Job): Promise<number> {
  const h = crc ? (hasher ??= await createCRC64('c96c5795d7870f42')) : undefined;
  h?.init();
  let n = 0;
  const use = (b: Uint8Array) => { n += b.length; h?.update(b); };
  if (how === 'stream') {
    const reader = blob.stream().getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      use(value);
    }
  } else if (how.startsWith('byob')) {
    const reader = blob.stream().getReader({ mode: 'byob' });
    let buffer = new ArrayBuffer(Number(how.split(':')[1]) * 1024);
    for (;;) {
      const { done, value } = await reader.read(new Uint8Array(buffer));
      if (done || !value) break;
      use(value);
      buffer = value.buffer as ArrayBuffer;
    }
  } else {
    const chunk = Number(how.split(':')[1]) * 1024;
    let pending: Promise<ArrayBuffer> | undefined = blob.slice(0, chunk).arrayBuffer();
    for (let at = 0; pending; at += chunk) {
      const b = await pending;
      pending = at + chunk < blob.size ? blob.slice(at + chunk, at + 2 * chunk).arrayBuffer() : undefined;
      use(new Uint8Array(b));
    }
  }
  h?.digest('hex');
  return n;
}

scope.onmessage = (e) => {
  run(e.data).then((n) => scope.postMessage({ id: e.data.id, n }), (err) => scope.postMessage({ id: e.data.id, error: String(err) }));
};
