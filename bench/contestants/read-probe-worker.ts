/**
 * Profiling only (bench/PROFILE.md): a worker that reads a Blob one of several ways, and
 * CRC-64s it or not, to separate the cost of reading a disk-backed Blob from the cost of hashing.
 */
import { createCRC64, type IHasher } from 'hash-wasm';

interface Job { id: number; blob: Blob; how: string; crc: boolean }
const scope = globalThis as unknown as { onmessage: ((e: MessageEvent<Job>) => void) | null; postMessage(m: unknown, t?: Transferable[]): void };

/**
 * The read-once prototype (`how: 'read'`): reads the blob in place into one ArrayBuffer with
 * a BYOB reader, CRC-64s it on the way, and hands the buffer over (transferred, no copy).
 */
async function readOnce(blob: Blob): Promise<{ bytes: ArrayBuffer; crc: string }> {
  const h = (hasher ??= await createCRC64('c96c5795d7870f42'));
  h.init();
  let buffer = new ArrayBuffer(blob.size);
  const reader = blob.stream().getReader({ mode: 'byob' });
  for (let at = 0; at < blob.size;) {
    const { value } = await reader.read(new Uint8Array(buffer, at, Math.min(256 * 1024, blob.size - at)));
    if (!value) break;
    buffer = value.buffer as ArrayBuffer;
    h.update(value);
    at += value.length;
  }
  reader.releaseLock();
  return { bytes: buffer, crc: h.digest('hex') };
}
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
  if (e.data.how === 'read') {
    readOnce(e.data.blob).then((r) => scope.postMessage({ id: e.data.id, ...r }, [r.bytes]), (err) => scope.postMessage({ id: e.data.id, error: String(err) }));
    return;
  }
  run(e.data).then((n) => scope.postMessage({ id: e.data.id, n }), (err) => scope.postMessage({ id: e.data.id, error: String(err) }));
};
