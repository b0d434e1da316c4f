/**
 * The store's hashing thread (see hashing.ts): MD5 and CRC-64/XZ of request bodies, and
 * CRC-64/NVME and SHA-256 when the request needs them, away from the thread that moves the
 * bytes. Plain JavaScript, so it loads in a worker without a TypeScript loader.
 *
 * In:  { op: 'start', id, needs }    body `id` begins; needs = { crc64nvme?, sha256? }
 *      { op: 'update', id, chunk }   a chunk (transferred) of body `id`, in order
 *      { op: 'digest', id }          the body is complete
 *      { op: 'drop', id }            the body was abandoned
 * Out: { op: 'progress', id, bytes } bytes of body `id` hashed so far (at least every 4 MiB)
 *      { op: 'digest', id, md5, crc64Hex, crc64nvmeHex?, sha256? }
 *      { op: 'error', id, message }
 */
import { createHash } from 'node:crypto';
import { parentPort } from 'node:worker_threads';
import { createCRC64 } from 'hash-wasm';

/** CRC-64/NVME's reflected polynomial, as hash-wasm takes it. */
const NVME_POLYNOMIAL = '9a6c9329ac4bc9b5';

const PROGRESS_BYTES = 4 * 1024 * 1024;
const jobs = new Map();
let queue = Promise.resolve();

async function handle(m) {
  if (m.op === 'drop') {
    jobs.delete(m.id);
    return;
  }
  if (m.op === 'start') {
    const crc = await createCRC64();
    crc.init();
    const nvme = m.needs.crc64nvme ? await createCRC64(NVME_POLYNOMIAL) : undefined;
    nvme?.init();
    const sha256 = m.needs.sha256 ? createHash('sha256') : undefined;
    jobs.set(m.id, { md5: createHash('md5'), crc, nvme, sha256, bytes: 0, reported: 0 });
    return;
  }
  const job = jobs.get(m.id);
  if (!job) throw new Error(`body ${m.id} was not started`);
  if (m.op === 'update') {
    job.md5.update(m.chunk);
    job.crc.update(m.chunk);
    job.nvme?.update(m.chunk);
    job.sha256?.update(m.chunk);
    job.bytes += m.chunk.length;
    if (job.bytes - job.reported >= PROGRESS_BYTES) {
      job.reported = job.bytes;
      parentPort.postMessage({ op: 'progress', id: m.id, bytes: job.bytes });
    }
  } else if (m.op === 'digest') {
    jobs.delete(m.id);
    parentPort.postMessage({
      op: 'digest', id: m.id, md5: job.md5.digest(), crc64Hex: job.crc.digest('hex'),
      crc64nvmeHex: job.nvme?.digest('hex'), sha256: job.sha256?.digest(),
    });
  }
}

parentPort.on('message', (m) => {
  queue = queue.then(() => handle(m)).catch((e) => {
    jobs.delete(m.id);
    parentPort.postMessage({ op: 'error', id: m.id, message: String(e) });
  });
});
