/**
 * Folding the CRC-64s of consecutive parts into the CRC-64 of the whole object, for the two
 * variants the stores use: CRC-64/XZ (OSS calls it crc64ecma) and CRC-64/NVME (S3's
 * crc64nvme). Both are reflected, with init and xorout all ones; only the polynomial differs.
 *
 * The per-byte CRC is computed by hash-wasm (WebAssembly). What no maintained JS library
 * offers is *combining* CRCs, so that is written here, after zlib's `crc32_combine`
 * (multiply by x^(8·len) modulo the polynomial), which is what the OSS Go SDK's
 * `CRC64Combine` and oss2's `crc64_combine` do.
 */

export type Crc64Algorithm = 'crc64xz' | 'crc64nvme';

/** Reflected polynomials. */
const POLYNOMIALS: Record<Crc64Algorithm, bigint> = {
  crc64xz: 0xc96c5795d7870f42n,
  crc64nvme: 0x9a6c9329ac4bc9b5n,
};
const TOP = 1n << 63n;

class Crc64Combiner {
  /** x^(2^k) modulo the polynomial, k = 0..63. */
  private readonly x2n: bigint[];
  private readonly shiftCache = new Map<number, bigint>();

  constructor(private readonly poly: bigint) {
    this.x2n = [TOP >> 1n];
    for (let k = 1; k < 64; k++) this.x2n.push(this.multModP(this.x2n[k - 1]!, this.x2n[k - 1]!));
  }

  /** a·b modulo the polynomial, in the reflected bit order. */
  private multModP(a: bigint, b: bigint): bigint {
    let m = TOP;
    let p = 0n;
    for (;;) {
      if (a & m) {
        p ^= b;
        if ((a & (m - 1n)) === 0n) break;
      }
      m >>= 1n;
      b = b & 1n ? (b >> 1n) ^ this.poly : b >> 1n;
    }
    return p;
  }

  /** x^(8·len) modulo the polynomial: the operator that shifts a CRC past `len` zero bytes. */
  private shiftOperator(len: number): bigint {
    let op = this.shiftCache.get(len);
    if (op === undefined) {
      op = TOP;
      let n = BigInt(len);
      let k = 3;
      while (n > 0n) {
        if (n & 1n) op = this.multModP(this.x2n[k & 63]!, op);
        n >>= 1n;
        k++;
      }
      if (this.shiftCache.size > 64) this.shiftCache.clear();
      this.shiftCache.set(len, op);
    }
    return op;
  }

  combine(crcA: bigint, crcB: bigint, lengthB: number): bigint {
    if (lengthB === 0) return crcA;
    return this.multModP(this.shiftOperator(lengthB), crcA) ^ crcB;
  }
}

const combiners = new Map<Crc64Algorithm, Crc64Combiner>();
function combiner(algorithm: Crc64Algorithm): Crc64Combiner {
  let c = combiners.get(algorithm);
  if (!c) combiners.set(algorithm, (c = new Crc64Combiner(POLYNOMIALS[algorithm])));
  return c;
}

/** The CRC of A‖B from crc(A), crc(B) and the length of B in bytes. */
export function crc64Combine(crcA: bigint, crcB: bigint, lengthB: number, algorithm: Crc64Algorithm = 'crc64xz'): bigint {
  return combiner(algorithm).combine(crcA, crcB, lengthB);
}

/** Folds the CRCs of consecutive parts, in order, into the CRC of their concatenation. */
export function crc64Fold(parts: Iterable<{ crc64: bigint; size: number }>, algorithm: Crc64Algorithm = 'crc64xz'): bigint {
  const c = combiner(algorithm);
  let crc = 0n;
  for (const part of parts) crc = c.combine(crc, part.crc64, part.size);
  return crc;
}

/** hash-wasm's hex form to a bigint. */
export function crc64FromHex(hex: string): bigint {
  return BigInt('0x' + hex);
}

/** An unsigned 64-bit decimal (as a header or XML carries it); undefined if absent or malformed. */
export function parseUnsigned64(decimal: string | null | undefined): bigint | undefined {
  if (!decimal || !/^\d{1,20}$/.test(decimal)) return undefined;
  const value = BigInt(decimal);
  return value < 1n << 64n ? value : undefined;
}

/** 8 bytes big-endian, base64 (the `x-amz-checksum-*` form). */
export function crc64ToBase64(value: bigint): string {
  let bin = '';
  for (let shift = 56n; shift >= 0n; shift -= 8n) bin += String.fromCharCode(Number((value >> shift) & 0xffn));
  return btoa(bin);
}

/** Inverse of {@link crc64ToBase64}; undefined if it is not 8 bytes of base64. */
export function crc64FromBase64(text: string | null | undefined): bigint | undefined {
  if (!text) return undefined;
  let bin: string;
  try {
    bin = atob(text.trim());
  } catch {
    return undefined;
  }
  if (bin.length !== 8) return undefined;
  let value = 0n;
  for (let i = 0; i < 8; i++) value = (value << 8n) | BigInt(bin.charCodeAt(i));
  return value;
}
