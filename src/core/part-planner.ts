/**
 * Adaptive part sizes. The first parts of a file are the store's smallest (so the first
 * progress comes within seconds even on a slow link); later parts are sized from the
 * measured throughput toward {@link TARGET_PART_SECONDS} per part, within the store's floor,
 * the configured part size (the largest part) and what keeps the upload within 10,000 parts.
 *
 * Parts are numbered 1..N in file order and are planned as they are needed, a few at a
 * time; their sizes may differ. The plan so far is what a resume record keeps (as
 * run-length `[size, count]` pairs), and it is written before any of its parts is sent,
 * so a resume after a reload cuts the file exactly as before and re-uses every part the
 * store has.
 */
import { ClientErrorCode, UploadError } from './errors.js';
import { KiB, MAX_PART_NUMBER, MAX_PART_SIZE, MiB } from './limits.js';
import type { PartPlan } from './part-plan.js';

/** The time one part should take on the link, sharing it with the other parts in flight. */
export const TARGET_PART_SECONDS = 3;
/** A part is at most this many times the largest part measured so far (no leap from one small sample). */
const GROWTH = 4;
/** Files up to this size go in one PutObject while the link is still unmeasured (or the floor, if larger). */
const SMALL_FILE = 1 * MiB;
/** Sizes above the floor are multiples of this. */
const GRAIN = 64 * KiB;

/** What the link has been seen to do, from the concurrency limiter. */
export interface LinkMeasure {
  /** All parts together, bytes per second; undefined before any part finished. */
  throughput: number | undefined;
  /** Parts expected in flight together (the concurrency window). */
  parallel: number;
  /** The largest part measured so far (0 before any). */
  largestMeasured: number;
}

/**
 * Files up to this size go in one PutObject: those the link carries within about
 * {@link TARGET_PART_SECONDS} (1 MiB while it is unmeasured), never above the configured
 * part size, never below the store's floor (a smaller file cannot be cut).
 */
export function singlePutLimit(floor: number, maxPart: number, throughput: number | undefined): number {
  const carried = throughput === undefined ? SMALL_FILE : throughput * TARGET_PART_SECONDS;
  return Math.max(floor, Math.min(maxPart, carried));
}

/** The size of the next part, `remaining` bytes and `partsLeft` part numbers to go. */
export function nextPartSize(floor: number, maxPart: number, remaining: number, partsLeft: number, link: LinkMeasure): number {
  if (partsLeft <= 1) return remaining;
  const required = Math.ceil(remaining / partsLeft);
  let size = floor;
  if (link.throughput !== undefined && link.largestMeasured > 0) {
    size = Math.min((link.throughput * TARGET_PART_SECONDS) / Math.max(1, link.parallel), GROWTH * link.largestMeasured);
    size = Math.floor(size / GRAIN) * GRAIN;
  }
  size = Math.min(Math.max(size, floor, required), Math.max(maxPart, required), MAX_PART_SIZE);
  // A last piece smaller than a quarter of this part rides along with it (not with the first:
  // a file cut in one part would better have gone in one PutObject).
  if (partsLeft < MAX_PART_NUMBER && remaining - size < size / 4 && remaining <= Math.max(maxPart, required, floor)) return remaining;
  return Math.min(size, remaining);
}

export class PartPlanner {
  /** The plan so far (its `ends` grow as parts are planned). */
  readonly plan: PartPlan;
  private readonly ends: number[];

  /**
   * `recorded`: the sizes of parts 1..M from a resume record, kept as they are. `maxPart`
   * is the configured part size, raised where 10,000 parts of it would not hold the file.
   */
  constructor(size: number, readonly floor: number, maxPart: number, recorded: readonly number[] = []) {
    if (!Number.isSafeInteger(size) || size < 0) throw new UploadError(ClientErrorCode.InvalidInput, `Invalid file size ${size}.`);
    if (size > MAX_PART_NUMBER * MAX_PART_SIZE) {
      throw new UploadError(ClientErrorCode.InvalidInput, `A file of ${size} bytes needs parts larger than 5 GiB; the store cannot take it.`);
    }
    this.ends = [];
    let at = 0;
    for (const s of recorded) {
      if (!(s > 0) || at + s > size || this.ends.length >= MAX_PART_NUMBER) break;
      at += s;
      this.ends.push(at);
    }
    this.plan = { size, partSize: Math.max(floor, Math.floor(maxPart), Math.ceil(size / MAX_PART_NUMBER)), partCount: this.ends.length, ends: this.ends };
  }

  /** Bytes covered by the parts planned so far. */
  get planned(): number {
    return this.ends.length ? this.ends[this.ends.length - 1]! : 0;
  }

  /** Every byte of the file is in a planned part. */
  get complete(): boolean {
    return this.planned >= this.plan.size && this.ends.length > 0;
  }

  /** Plans up to `count` more parts sized for `link`; returns their part numbers. */
  extend(link: LinkMeasure, count = 1): number[] {
    const added: number[] = [];
    for (let i = 0; i < count && !this.complete; i++) {
      const remaining = this.plan.size - this.planned;
      const size = nextPartSize(this.floor, this.plan.partSize, remaining, MAX_PART_NUMBER - this.ends.length, link);
      this.ends.push(this.planned + size);
      added.push(this.ends.length);
    }
    this.plan.partCount = this.ends.length;
    return added;
  }

  /** An estimate of the part count when done: at the size of the last part planned (the largest part, before any). */
  estimatedCount(): number {
    const n = this.ends.length;
    if (this.complete) return Math.max(1, n);
    if (n === 0) return Math.max(1, Math.ceil(this.plan.size / this.plan.partSize));
    const last = this.ends[n - 1]! - (n > 1 ? this.ends[n - 2]! : 0);
    return n + Math.ceil((this.plan.size - this.planned) / Math.max(1, last));
  }

  /** The plan so far as run-length `[size, count]` pairs, for a resume record. */
  runs(): [number, number][] {
    return encodeSizes(this.ends.map((e, i) => e - (i ? this.ends[i - 1]! : 0)));
  }
}

export function encodeSizes(sizes: readonly number[]): [number, number][] {
  const out: [number, number][] = [];
  for (const s of sizes) {
    const last = out[out.length - 1];
    if (last && last[0] === s) last[1]++;
    else out.push([s, 1]);
  }
  return out;
}

export function decodeSizes(runs: readonly (readonly [number, number])[] | undefined): number[] {
  const out: number[] = [];
  for (const [size, count] of runs ?? []) {
    for (let i = 0; i < count && out.length < MAX_PART_NUMBER; i++) out.push(size);
  }
  return out;
}
