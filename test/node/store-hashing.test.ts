// The store's body hashing: on worker threads, and the same-thread fallback, agree with
// node:crypto's MD5 and hash-wasm's CRC-64 for bodies of any chunking, including empty ones.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { crc64 } from 'hash-wasm';
import { InlineHash, startBodyHash, type BodyHash } from '../../server/store/hashing.js';

async function check(make: () => BodyHash): Promise<void> {
  const bodies = [[], [randomBytes(1)], [randomBytes(65_536), randomBytes(3), randomBytes(1_000_000)], Array.from({ length: 40 }, () => randomBytes(1 << 20))];
  await Promise.all(bodies.map(async (chunks) => {
    const hash = make();
    for (const c of chunks) {
      hash.update(c);
      await hash.backlog();
    }
    const d = await hash.digest();
    const whole = Buffer.concat(chunks);
    assert.ok(d.md5.equals(createHash('md5').update(whole).digest()));
    assert.equal(d.crc64, BigInt('0x' + (await crc64(whole))));
  }));
}

test('worker-thread hashing', () => check(startBodyHash));
test('same-thread hashing', () => check(() => new InlineHash()));
test('a dropped body leaves the worker usable', async () => {
  const dropped = startBodyHash();
  dropped.update(randomBytes(1000));
  dropped.drop();
  await check(startBodyHash);
});
