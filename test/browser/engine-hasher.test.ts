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
