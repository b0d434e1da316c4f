/**
 * What the store's fault mode injects, and how often. Off unless configured: by
 * `startStore({ faults })` or by the environment (see {@link faultConfigFromEnv}).
 *
 * Every fault is drawn from one seeded PRNG, one draw per eligible request, so a run with
 * the same seed and the same order of requests injects the same faults.
 */

/** The faults, each eligible for the operations in {@link ELIGIBLE}. */
export const FAULT_KINDS = [
  /** 500 InternalError before the request is handled. */
  'internal-error',
  /** 503 SlowDown before the request is handled. */
  'slow-down',
  /** 429 TooManyRequests before the request is handled. */
  'too-many-requests',
  /** The connection is reset after part of the request body arrived (nothing is stored). */
  'reset-mid-body',
  /** The answer is delayed by a random time within `slowMs`, then the request is handled. */
  'slow',
  /** Nothing is answered for `stallMs`; then the connection is dropped (nothing is stored). */
  'stall',
  /** The request's temporary credentials are refused as expired (SecurityTokenExpired / ExpiredToken), though they are not. */
  'expired-token',
  /** The store's clock jumps `skewMs` (20 minutes) ahead for `skewWindowMs`: requests signed meanwhile get RequestTimeTooSkewed. */
  'clock-skew',
  /** The answer's checksum header is corrupted: `x-oss-hash-crc64ecma` (OSS), `x-amz-checksum-crc64nvme` (S3), the ETag (OBS, which has no checksum header). */
  'corrupt-checksum',
  /** UploadPart / PutObject: the store commits the bytes, then drops the connection instead of answering. */
  'lost-part-answer',
  /** CompleteMultipartUpload: the store completes the object, then drops the connection instead of answering. */
  'lost-complete-answer',
  /** InitiateMultipartUpload: the store creates the upload, then drops the connection instead of answering. */
  'lost-initiate-answer',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** The operations a browser uploader sends, as the fault mode tells them apart. */
export type FaultOperation =
  | 'PutObject' | 'UploadPart' | 'InitiateMultipartUpload' | 'CompleteMultipartUpload' | 'AbortMultipartUpload'
  | 'ListParts' | 'ListMultipartUploads' | 'HeadObject' | 'GetObject' | 'DeleteObject';

const ALL: readonly FaultOperation[] = [
  'PutObject', 'UploadPart', 'InitiateMultipartUpload', 'CompleteMultipartUpload', 'AbortMultipartUpload',
  'ListParts', 'ListMultipartUploads', 'HeadObject', 'GetObject', 'DeleteObject',
];

/** Which operations each fault may hit. */
export const ELIGIBLE: Readonly<Record<FaultKind, readonly FaultOperation[]>> = {
  'internal-error': ALL,
  'slow-down': ALL,
  'too-many-requests': ALL,
  'reset-mid-body': ['PutObject', 'UploadPart', 'CompleteMultipartUpload'],
  slow: ALL,
  stall: ALL,
  'expired-token': ALL,
  'clock-skew': ALL,
  'corrupt-checksum': ['PutObject', 'UploadPart', 'CompleteMultipartUpload'],
  'lost-part-answer': ['PutObject', 'UploadPart'],
  'lost-complete-answer': ['CompleteMultipartUpload'],
  'lost-initiate-answer': ['InitiateMultipartUpload'],
};

export interface FaultConfig {
  /** Seed of the PRNG. Default 1. */
  seed?: number;
  /** Probability of each fault per eligible request (0–1); faults not named are off. Their sum must be at most 1. */
  rates: Partial<Record<FaultKind, number>>;
  /** Range of a `slow` delay, ms. Default [200, 2000]. */
  slowMs?: [number, number];
  /** How long a `stall` holds a request before dropping it, ms. Default 40 000. */
  stallMs?: number;
  /** How far the clock jumps on `clock-skew`, ms. Default 20 minutes. */
  skewMs?: number;
  /** How long the jumped clock lasts, ms. Default 2000. */
  skewWindowMs?: number;
  /** Keep a journal of every request seen (op, key, uploadId, status, fault): the soak's evidence. */
  journal?: boolean;
}

/**
 * A mix of every fault: the ones any request can get add up to `total` (e.g. 0.1 = about 10 %
 * of requests faulted); the two that only Initiate or only Complete can get come on top, at
 * half of `total` each of those requests — they are few, and each loss must happen in a run.
 */
export function mixedRates(total: number): Partial<Record<FaultKind, number>> {
  const weights: Partial<Record<FaultKind, number>> = {
    'internal-error': 12, 'slow-down': 10, 'too-many-requests': 8, 'reset-mid-body': 10, slow: 14, stall: 1,
    'expired-token': 8, 'clock-skew': 2, 'corrupt-checksum': 8, 'lost-part-answer': 10,
  };
  const sum = Object.values(weights).reduce((a, b) => a + b, 0);
  const rates: Partial<Record<FaultKind, number>> = Object.fromEntries(Object.entries(weights).map(([k, w]) => [k, (total * w) / sum]));
  rates['lost-complete-answer'] = total / 2;
  rates['lost-initiate-answer'] = total / 2;
  return rates;
}

/**
 * The fault mode from the environment, or undefined when it is off:
 *
 *   STORE_FAULTS=0.1                          every fault, about 10 % of eligible requests in all
 *   STORE_FAULTS=internal-error:0.05,stall:0.01   only these, at these rates
 *   STORE_FAULT_SEED=42                       the PRNG's seed (default 1)
 *   STORE_FAULT_STALL_MS=40000                how long a stall holds a request
 *   STORE_FAULT_SLOW_MS=200-2000              range of a slow answer's delay
 */
export function faultConfigFromEnv(env: NodeJS.ProcessEnv): FaultConfig | undefined {
  const spec = env['STORE_FAULTS']?.trim();
  if (!spec || spec === '0' || spec === 'off') return undefined;
  let rates: Partial<Record<FaultKind, number>>;
  if (/^[\d.]+$/.test(spec)) {
    rates = mixedRates(Number(spec));
  } else {
    rates = {};
    for (const item of spec.split(',')) {
      const [name, value] = item.split(':').map((s) => s.trim());
      if (!(FAULT_KINDS as readonly string[]).includes(name!)) throw new Error(`STORE_FAULTS: unknown fault "${name}" (known: ${FAULT_KINDS.join(', ')})`);
      rates[name as FaultKind] = Number(value);
    }
  }
  const config: FaultConfig = { rates, seed: Number(env['STORE_FAULT_SEED'] ?? 1) };
  if (env['STORE_FAULT_STALL_MS']) config.stallMs = Number(env['STORE_FAULT_STALL_MS']);
  const slow = env['STORE_FAULT_SLOW_MS']?.split('-').map(Number);
  if (slow && slow.length === 2) config.slowMs = [slow[0]!, slow[1]!];
  return config;
}

/** Throws on rates that are not probabilities, or that add up to more than 1. */
export function checkFaultConfig(c: FaultConfig): void {
  let sum = 0;
  for (const [k, v] of Object.entries(c.rates)) {
    if (!(FAULT_KINDS as readonly string[]).includes(k)) throw new RangeError(`unknown fault ${k}`);
    if (!(typeof v === 'number' && v >= 0 && v <= 1)) throw new RangeError(`fault rate ${k} must be within 0..1`);
    sum += v;
  }
  if (sum > 1 + 1e-9) throw new RangeError(`fault rates add up to ${sum}, more than 1`);
}
