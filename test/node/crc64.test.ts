import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { crc64 } from 'hash-wasm';
import {
  crc64Combine, crc64Fold, crc64FromBase64, crc64FromHex, crc64ToBase64, parseUnsigned64,
} from '../../src/core/crc64.js';

const vectors = JSON.parse(readFileSync(new URL('../fixtures/vectors.json', import.meta.url), 'utf8'));
const NVME = '9a6c9329ac4bc9b5';

test('hash-wasm crc64 is CRC-64/XZ, the OSS variant', async () => {
  for (const v of vectors.crc64) {
    const hex = await crc64(v.input);
    assert.equal(hex, v.hex);
    assert.equal(crc64FromHex(hex).toString(), v.decimal);
  }
});

test('with the NVME polynomial hash-wasm gives the CRC-64/NVME check value', async () => {
  assert.equal(await crc64('123456789', NVME), 'ae8b14860a799888');
});

test('combine of the two published inputs gives the published concatenation', () => {
  const [a, b, ab] = vectors.crc64;
  assert.equal(crc64Combine(BigInt(a.decimal), BigInt(b.decimal), 49).toString(), ab.decimal);
});

for (const [algorithm, poly] of [['crc64xz', undefined], ['crc64nvme', NVME]] as const) {
  test(`folding random parts equals the CRC of the whole (${algorithm})`, async () => {
    const sizes = [0, 1, 7, 4096, 100 * 1024 + 3, 65_537];
    const parts = sizes.map((n) => randomBytes(n));
    const folded = crc64Fold(
      await Promise.all(parts.map(async (p) => ({ crc64: crc64FromHex(await crc64(p, poly)), size: p.length }))),
      algorithm,
    );
    assert.equal(folded, crc64FromHex(await crc64(Buffer.concat(parts), poly)));
  });
}

test('parseUnsigned64 accepts unsigned 64-bit decimals only', () => {
  assert.equal(parseUnsigned64('18446744073709551615'), 2n ** 64n - 1n);
  assert.equal(parseUnsigned64('18446744073709551616'), undefined);
  assert.equal(parseUnsigned64('-1'), undefined);
  assert.equal(parseUnsigned64(null), undefined);
});

test('the base64 big-endian form round-trips and matches Node', () => {
  const v = 0xae8b14860a799888n;
  assert.equal(crc64ToBase64(v), Buffer.from('ae8b14860a799888', 'hex').toString('base64'));
  assert.equal(crc64FromBase64(crc64ToBase64(v)), v);
  assert.equal(crc64FromBase64('AAAA'), undefined);
  assert.equal(crc64FromBase64('not base64!'), undefined);
});
