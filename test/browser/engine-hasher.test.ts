// CRC-64 and MD5 off the main thread: the module worker really loads and agrees with the
// published check values.
import { expect } from '@open-wc/testing';
import { WorkerHasher } from '../../src/core/index.js';

describe('engine: hashing in a worker', () => {
  it('computes CRC-64/XZ and Content-MD5 in a module worker', async () => {
    const hasher = new WorkerHasher(1);
    try {
      const check = await hasher.digest(new Blob(['123456789']), ['crc64xz', 'crc64nvme', 'md5']);
      expect(check.crc64xz).to.equal('995dc9bbdf1939fa');
      expect(check.crc64nvme).to.equal('ae8b14860a799888');
      expect(check.md5).to.equal('25f9e794323b453885f5181f1b624d0b');
      const empty = await hasher.digest(new Blob([]), ['md5']);
      expect(empty).to.deep.equal({ md5: 'd41d8cd98f00b204e9800998ecf8427e' });
      expect(hasher.usingWorkers).to.equal(true);
    } finally {
      hasher.dispose();
    }
  });

  it('stops waiting at once when its signal aborts', async () => {
    const hasher = new WorkerHasher(1);
    const controller = new AbortController();
    const pending = hasher.digest(new Blob([new Uint8Array(64 * 1024 * 1024)]), ['crc64xz'], controller.signal);
    controller.abort();
    const error = await pending.then(() => undefined, (e) => e);
    expect(error.code).to.equal('Cancelled');
    hasher.dispose();
  });
});

/** CRC-64/XZ, table-driven on 32-bit halves: an independent reference for the worker's answers. */
function crc64xzReference(bytes: Uint8Array): string {
  const table: [number, number][] = [];
  for (let n = 0; n < 256; n++) {
    let lo = n, hi = 0;
    for (let k = 0; k < 8; k++) {
      const carry = lo & 1;
      lo = ((lo >>> 1) | ((hi & 1) << 31)) >>> 0;
      hi = hi >>> 1;
      if (carry) { lo = (lo ^ 0xd7870f42) >>> 0; hi = (hi ^ 0xc96c5795) >>> 0; }
    }
    table.push([lo, hi]);
  }
  let lo = 0xffffffff, hi = 0xffffffff;
  for (const b of bytes) {
    const [tlo, thi] = table[(lo ^ b) & 0xff]!;
    lo = (((lo >>> 8) | ((hi & 0xff) << 24)) ^ tlo) >>> 0;
    hi = ((hi >>> 8) ^ thi) >>> 0;
  }
  lo = ~lo >>> 0; hi = ~hi >>> 0;
  return hi.toString(16).padStart(8, '0') + lo.toString(16).padStart(8, '0');
}

describe('engine: hashing large blobs', () => {
  const bytes = new Uint8Array(3 * 1024 * 1024 + 5);
  for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 2654435761) >>> 24;
  const blob = new Blob([bytes]);
  const expected = crc64xzReference(bytes);

  it('digests a blob of many chunks, reusing its WebAssembly instances job after job', async () => {
    const hasher = new WorkerHasher(2);
    try {
      const answers = await Promise.all([1, 2, 3, 4].map(() => hasher.digest(blob, ['crc64xz'])));
      for (const a of answers) expect(a.crc64xz).to.equal(expected);
      expect((await hasher.digest(blob.slice(5), ['crc64xz'])).crc64xz).to.equal(crc64xzReference(bytes.subarray(5)));
      expect(hasher.workerCount).to.be.at.most(2);
    } finally {
      hasher.dispose();
    }
  });

  it('stops a cancelled job and keeps serving the next ones', async () => {
    const hasher = new WorkerHasher(1);
    try {
      const controller = new AbortController();
      const big = hasher.digest(new Blob([new Uint8Array(64 * 1024 * 1024)]), ['crc64xz'], controller.signal);
      controller.abort();
      expect((await big.then(() => undefined, (e) => e)).code).to.equal('Cancelled');
      expect((await hasher.digest(blob, ['crc64xz'])).crc64xz).to.equal(expected);
      expect(hasher.workerCount).to.equal(1);
    } finally {
      hasher.dispose();
    }
  });

  it('replaces a worker once it has read its share, and answers every job', async () => {
    const workers = startedWorkers();
    // 3 MiB per job, replaced past 4 MiB: a fresh worker every second job.
    const hasher = new WorkerHasher(1, workers.create, 1, 4 * 1024 * 1024);
    try {
      for (let i = 0; i < 5; i++) expect((await hasher.digest(blob, ['crc64xz'])).crc64xz).to.equal(expected);
      expect(workers.started).to.equal(3);
      const together = await Promise.all([1, 2, 3].map(() => hasher.digest(blob, ['crc64xz'])));
      for (const a of together) expect(a.crc64xz).to.equal(expected);
      expect(hasher.workerCount).to.be.at.most(1);
    } finally {
      hasher.dispose();
    }
  });

  it('a replacement worker that cannot load (offline, a redeploy) hashes its job on the page, and the next job gets a worker again', async () => {
    const workers = startedWorkers((n) => n === 2); // the second worker's script cannot be fetched
    // 3 MiB per job, replaced past 2 MiB: a fresh worker every job.
    const hasher = new WorkerHasher(1, workers.create, 1, 2 * 1024 * 1024);
    try {
      for (let i = 0; i < 3; i++) expect((await hasher.digest(blob, ['crc64xz'])).crc64xz).to.equal(expected);
      expect(workers.started).to.equal(3);
      expect(hasher.usingWorkers, 'workers again after the one that could not load').to.equal(true);
    } finally {
      hasher.dispose();
    }
  });

  it('hashes on the page when no worker can start', async () => {
    const hasher = new WorkerHasher(1, () => { throw new Error('no workers here'); });
    const d = await hasher.digest(blob, ['crc64xz']);
    expect(d.crc64xz).to.equal(expected);
    expect(hasher.usingWorkers).to.equal(false);
    hasher.dispose();
  });
});

/** A worker factory that counts the workers it starts; `missing(n)`: the n-th one's script cannot be fetched. */
function startedWorkers(missing: (n: number) => boolean = () => false): { create: () => Worker; started: number } {
  const counter = {
    started: 0,
    create: () => {
      counter.started++;
      const url = missing(counter.started) ? new URL('./no-such-hash-worker.js', import.meta.url) : new URL('../../src/core/hash-worker.js', import.meta.url);
      return new Worker(url, { type: 'module' });
    },
  };
  return counter;
}
