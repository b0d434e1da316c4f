/**
 * How a file is cut into parts: a part size that respects the store's limits, and the
 * byte range of each part. Parts are `Blob.slice`s taken when they are sent, never copies.
 */
import { ClientErrorCode, UploadError } from './errors.js';
import { MAX_PART_NUMBER, MAX_PART_SIZE, MiB } from './limits.js';

/** Default part size: big enough for throughput, small enough for steady progress. */
export const DEFAULT_PART_SIZE = 8 * MiB;
/** Default number of parts in flight per upload. */
export const DEFAULT_CONCURRENCY = 4;

export interface PartPlan {
  /** The size of every part but the last; with `ends`, the largest part allowed. */
  partSize: number;
  /** Parts planned: all of them for a uniform plan; so far, for an adaptive one (part-planner.ts). */
  partCount: number;
  size: number;
  /** Parts of differing sizes (an adaptive plan): where each of parts 1..partCount ends. */
  ends?: number[] | undefined;
}

/**
 * The plan for `size` bytes: `requested` (or the default) raised to the store's minimum and
 * to what keeps the part count within 10,000, rounded up to a whole MiB when raised.
 */
export function planParts(size: number, minPartSize: number, requested = DEFAULT_PART_SIZE): PartPlan {
  if (!Number.isSafeInteger(size) || size < 0) throw new UploadError(ClientErrorCode.InvalidInput, `Invalid file size ${size}.`);
  let partSize = Math.max(minPartSize, Math.floor(requested));
  if (Math.ceil(size / partSize) > MAX_PART_NUMBER) partSize = Math.ceil(size / MAX_PART_NUMBER / MiB) * MiB;
  if (partSize > MAX_PART_SIZE) {
    throw new UploadError(ClientErrorCode.InvalidInput, `A file of ${size} bytes needs parts larger than 5 GiB; the store cannot take it.`);
  }
  return { partSize, size, partCount: Math.max(1, Math.ceil(size / partSize)) };
}

/** Byte range [start, end) of part `partNumber` (1-based). */
export function partRange(plan: PartPlan, partNumber: number): { start: number; end: number } {
  if (plan.ends) return { start: partNumber > 1 ? plan.ends[partNumber - 2]! : 0, end: plan.ends[partNumber - 1]! };
  const start = (partNumber - 1) * plan.partSize;
  return { start, end: Math.min(plan.size, start + plan.partSize) };
}
