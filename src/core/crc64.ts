/**
 * CRC-64 as OSS reports it in `x-oss-hash-crc64ecma`: despite the name, CRC-64/XZ
 * (reflected poly 0xC96C5795D7870F42, init and xorout all ones), as an unsigned decimal.
 *
 * The per-byte CRC is computed by hash-wasm (WebAssembly). What no maintained JS library
 * offers is *combining* CRCs of consecutive parts into the CRC of the whole object, so that
 * is written here, after zlib's `crc32_combine` (multiply by x^(8·len) modulo the
 * polynomial), which is what the Go SDK's `CRC64Combine` and oss2's `crc64_combine` do.
 */

const POLY = 0xc96c5795d7870f42n;
const TOP = 1n << 63n;

/** a·b modulo the polynomial, in the reflected bit order. */
function multModP(a: bigint, b: bigint): bigint {
  let m = TOP;
  let p = 0n;
  for (;;) {
    if (a & m) {
      p ^= b;
      if ((a & (m - 1n)) === 0n) break;
    }
    m >>= 1n;
    b = b & 1n ? (b >> 1n) ^ POLY : b >> 1n;
  }
  return p;
}

/** x^(2^k) modulo the polynomial, k = 0..63. */
const X2N: bigint[] = (() => {
  const table: bigint[] = [TOP >> 1n];
  for (let k = 1; k < 64; k++) table.push(multModP(table[k - 1]!, table[k - 1]!));
  return table;
})();

const shiftCache = new Map<number, bigint>();

/** x^(8·len) modulo the polynomial: the operator that shifts a CRC past `len` zero bytes. */
function shiftOperator(len: number): bigint {
  let op = shiftCache.get(len);
  if (op === undefined) {
    op = TOP;
    let n = BigInt(len);
    let k = 3;
    while (n > 0n) {
      if (n & 1n) op = multModP(X2N[k & 63]!, op);
      n >>= 1n;
      k++;
    }
    if (shiftCache.size > 64) shiftCache.clear();
    shiftCache.set(len, op);
  }
  return op;
}

/** The CRC of A‖B from crc(A), crc(B) and the length of B in bytes. */
export function crc64Combine(crcA: bigint, crcB: bigint, lengthB: number): bigint {
  if (lengthB === 0) return crcA;
  return multModP(shiftOperator(lengthB), crcA) ^ crcB;
}

/** Folds the CRCs of consecutive parts, in order, into the CRC of their concatenation. */
export function crc64Fold(parts: Iterable<{ crc64: bigint; size: number }>): bigint {
  let crc = 0n;
  for (const part of parts) crc = crc64Combine(crc, part.crc64, part.size);
  return crc;
}

/** hash-wasm's hex form to the store's decimal form. */
export function crc64HexToDecimal(hex: string): string {
  return BigInt('0x' + hex).toString(10);
}

/** Parses a decimal CRC-64 from a header or XML; undefined if absent or malformed. */
export function parseCrc64(decimal: string | null | undefined): bigint | undefined {
  if (!decimal || !/^\d{1,20}$/.test(decimal)) return undefined;
  const value = BigInt(decimal);
  return value < 1n << 64n ? value : undefined;
}
