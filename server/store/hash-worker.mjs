/**
 * The store's hashing thread (see hashing.ts): MD5 and CRC-64 of request bodies, away from
 * the thread that moves the bytes. Plain JavaScript, so it loads in a worker without a
 * TypeScript loader.
 *
 * In:  { op: 'update', id, chunk }   a chunk (transferred) of body `id`, in order
 *      { op: 'digest', id }          the body is complete
 *      { op: 'drop', id }            the body was abandoned
 * Out: { op: 'progress', id, bytes } bytes of body `id` hashed so far (at least every 4 MiB)
 *      { op: 'digest', id, md5, crc64Hex }
 *      { op: 'error', id, message }
 */
import { createHash } from 'node:crypto';
import { parentPort } from 'node:worker_threads';
import { createCRC64 } from 'hash-wasm';

const PROGRESS_BYTES = 4 * 1024 * 1024;
const jobs = new Map();
let queue = Promise.resolve();

async function handle(m) {
  if (m.op === 'drop') {
    jobs.delete(m.id);
    return;
  }
  let job = jobs.get(m.id);
  if (!job) {
    const crc = await createCRC64();
    crc.init();
    job = { md5: createHash('md5'), crc, bytes: 0, reported: 0 };
    jobs.set(m.id, job);
  }
  if (m.op === 'update') {
    job.md5.update(m.chunk);
    job.crc.update(m.chunk);
    job.bytes += m.chunk.length;
    if (job.bytes - job.reported >= PROGRESS_BYTES) {
      job.reported = job.bytes;
      parentPort.postMessage({ op: 'progress', id: m.id, bytes: job.bytes });
    }
  } else if (m.op === 'digest') {
    jobs.delete(m.id);
    parentPort.postMessage({ op: 'digest', id: m.id, md5: job.md5.digest(), crc64Hex: job.crc.digest('hex') });
  }
}

parentPort.on('message', (m) => {
  queue = queue.then(() => handle(m)).catch((e) => {
    jobs.delete(m.id);
    parentPort.postMessage({ op: 'error', id: m.id, message: String(e) });
  });
});
