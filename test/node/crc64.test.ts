import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { crc64 } from 'hash-wasm';
import { crc64Combine, crc64Fold, crc64HexToDecimal, parseCrc64 } from '../../src/core/crc64.js';

const vectors = JSON.parse(readFileSync(new URL('../fixtures/vectors.json', import.meta.url), 'utf8'));

test('hash-wasm crc64 is CRC-64/XZ, the OSS variant', async () => {
  for (const v of vectors.crc64) {
    const hex = await crc64(v.input);
    assert.equal(hex, v.hex);
    assert.equal(crc64HexToDecimal(hex), v.decimal);
  }
});

test('combine of the two published inputs gives the published concatenation', () => {
  const [a, b, ab] = vectors.crc64;
  assert.equal(crc64Combine(BigInt(a.decimal), BigInt(b.decimal), 49).toString(), ab.decimal);
});

test('folding random parts equals the CRC of the whole', async () => {
  const sizes = [0, 1, 7, 4096, 100 * 1024 + 3, 65_537];
  const parts = sizes.map((n) => randomBytes(n));
  const folded = crc64Fold(
    await Promise.all(parts.map(async (p) => ({ crc64: BigInt('0x' + (await crc64(p))), size: p.length }))),
  );
  assert.equal(folded, BigInt('0x' + (await crc64(Buffer.concat(parts)))));
});

test('parseCrc64 accepts unsigned 64-bit decimals only', () => {
  assert.equal(parseCrc64('18446744073709551615'), 2n ** 64n - 1n);
  assert.equal(parseCrc64('18446744073709551616'), undefined);
  assert.equal(parseCrc64('-1'), undefined);
  assert.equal(parseCrc64(null), undefined);
});
