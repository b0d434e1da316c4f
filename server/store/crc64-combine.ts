/**
 * Combining CRC-64s of consecutive byte runs, for any reflected CRC-64 whose init and xorout
 * are all ones (CRC-64/XZ, CRC-64/NVME): crc(A‖B) = x^(8·|B|)·crc(A) ⊕ crc(B) in GF(2)[x]
 * modulo the polynomial, zlib's `crc32_combine` method.
 *
 * The store folds S3 full-object CRC-64/NVME checksums at Complete with it.
 * src/core/crc64.ts has the same for CRC-64/XZ only; once it takes the polynomial (the lead
 * is generalizing it), this file can go and {@link crc64Combiner} become a call to it.
 */

const TOP = 1n << 63n;

export interface Crc64Combiner {
  /** The CRC of A‖B from crc(A), crc(B) and |B| in bytes. */
  combine(crcA: bigint, crcB: bigint, lengthB: number): bigint;
  /** The CRC of the runs concatenated in order. */
  fold(runs: readonly { crc: bigint; size: number }[]): bigint;
}

/** A combiner for the reflected polynomial `poly` (e.g. 0x9A6C9329AC4BC9B5n for CRC-64/NVME). */
export function crc64Combiner(poly: bigint): Crc64Combiner {
  const multModP = (a: bigint, b: bigint): bigint => {
    let m = TOP;
    let p = 0n;
    for (;;) {
      if (a & m) {
        p ^= b;
        if ((a & (m - 1n)) === 0n) break;
      }
      m >>= 1n;
      b = b & 1n ? (b >> 1n) ^ poly : b >> 1n;
    }
    return p;
  };
  // x^(2^k) modulo the polynomial, k = 0..63.
  const x2n: bigint[] = [TOP >> 1n];
  for (let k = 1; k < 64; k++) x2n.push(multModP(x2n[k - 1]!, x2n[k - 1]!));

  const combine = (crcA: bigint, crcB: bigint, lengthB: number): bigint => {
    if (lengthB === 0) return crcA;
    let op = TOP;
    let n = BigInt(lengthB);
    for (let k = 3; n > 0n; k++, n >>= 1n) if (n & 1n) op = multModP(x2n[k & 63]!, op);
    return multModP(op, crcA) ^ crcB;
  };
  return {
    combine,
    fold: (runs) => runs.reduce((crc, r) => combine(crc, r.crc, r.size), 0n),
  };
}

/** CRC-64/NVME's reflected polynomial. */
export const CRC64_NVME = crc64Combiner(0x9a6c9329ac4bc9b5n);
