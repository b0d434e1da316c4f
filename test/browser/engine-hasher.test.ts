// CRC-64 and MD5 off the main thread: the module worker really loads and agrees with the
// published check values.
import { expect } from '@open-wc/testing';
import { WorkerHasher } from '../../src/core/index.js';

describe('engine: hashing in a worker', () => {
  it('computes CRC-64/XZ and Content-MD5 in a module worker', async () => {
    const hasher = new WorkerHasher(1);
    try {
      const check = await hasher.digest(new Blob(['123456789']), true);
      expect(check.crc64Hex).to.equal('995dc9bbdf1939fa');
      expect(check.md5Base64).to.equal('JfnnlDI7RTiF9RgfG2JNCw==');
      const empty = await hasher.digest(new Blob([]), true);
      expect(empty.md5Base64).to.equal('1B2M2Y8AsgTpgAmY7PhCfg==');
      expect(hasher.usingWorkers).to.equal(true);
    } finally {
      hasher.dispose();
    }
  });

  it('stops waiting at once when its signal aborts', async () => {
    const hasher = new WorkerHasher(1);
    const controller = new AbortController();
    const pending = hasher.digest(new Blob([new Uint8Array(64 * 1024 * 1024)]), false, controller.signal);
    controller.abort();
    const error = await pending.then(() => undefined, (e) => e);
    expect(error.code).to.equal('Cancelled');
    hasher.dispose();
  });
});
