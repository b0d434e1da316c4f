/**
 * How many parts are in flight, for all the uploads of one client together, and what the
 * link has been seen to carry.
 *
 * The configured concurrency is the most parts in flight, not a constant. The window grows
 * and shrinks like TCP's congestion window (AIMD):
 *
 * - it starts with no more than {@link INITIAL_BYTES_IN_FLIGHT} of parts of the store's
 *   smallest size in flight (five parts of 100 KiB, or the maximum if lower; one part where the floor is 5 MiB, so that
 *   one part, not four, shares the link before the first progress), and grows by one per
 *   success up to the maximum (slow start);
 * - throttling, an unavailable store or a timeout (by kind: `throttled`, `unavailable`,
 *   `timeout`) halves it, at most once per {@link DECREASE_HOLD_MS} (a storm of 429s from one
 *   overload is one signal), and ends slow start;
 * - after that, steady success grows it by one per window of successes, while throughput
 *   still rises (an increase that brought less than {@link RISE} more throughput is not
 *   followed by another until {@link REPROBE_MS} have passed).
 *
 * - and never more parts than the link carries in {@link TARGET_PART_SECONDS} at the store's
 *   smallest part size (at least one): on a 2 MB/s link where parts are at least 5 MiB,
 *   one part at a time, each done in under 3 s, rather than four done together after 10 s.
 *
 * Slots go round fairly: a freed slot goes to the waiting upload that holds the fewest.
 *
 * It also keeps the link's measured throughput (all parts together), which sizes the parts
 * (part-planner.ts) and decides which files are small enough for one PutObject.
 */
import { ErrorKind, UploadError } from './errors.js';
import { TARGET_PART_SECONDS } from './part-planner.js';

/** Bytes of smallest-size parts in flight before anything is measured. */
export const INITIAL_BYTES_IN_FLIGHT = 512 * 1024;
/** After a decrease, further congestion signals are ignored this long. */
const DECREASE_HOLD_MS = 2000;
/** After an increase that did not raise throughput, how long until the next try. */
const REPROBE_MS = 30_000;
/** How much more throughput an increase must bring to be followed by another. */
const RISE = 1.05;
/** Weight of the newest sample in the throughput average. */
const EWMA = 0.3;

export interface Slot {
  /** Frees the slot: `bytes` sent in `ms` when the part succeeded, nothing when it failed or was cancelled. */
  release(done?: { bytes: number; ms: number }): void;
}

interface Waiter {
  owner: object;
  resolve: (slot: Slot) => void;
  reject: (e: unknown) => void;
  signal: AbortSignal | undefined;
  onAbort: () => void;
}

export class ConcurrencyLimiter {
  private window: number;
  private ceiling: number;
  private credit = 0;
  private inFlightValue = 0;
  private readonly held = new Map<object, number>();
  private readonly waiters: Waiter[] = [];
  private lastDecrease = -Infinity;
  private lastIncrease: { at: number; bps: number } | undefined;
  private heldUntil = -Infinity;
  /** ∫ in-flight dt, for the average number in flight during one part. */
  private area = 0;
  private areaAt: number;
  private bps: number | undefined;
  private largest = 0;
  /** The store's smallest part (the largest floor of the uploads sharing this). */
  private floor = 0;
  private lowest: number;

  constructor(
    readonly max: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.window = max;
    this.ceiling = max;
    this.lowest = max;
    this.areaAt = now();
  }

  /** The window to start from for parts of `floor` bytes, before anything is measured. */
  start(floor: number): void {
    this.floor = Math.max(this.floor, floor);
    if (this.bps !== undefined || this.inFlightValue > 0) return;
    this.window = Math.max(1, Math.min(this.max, Math.floor(INITIAL_BYTES_IN_FLIGHT / floor)));
    this.lowest = Math.min(this.lowest, this.window);
  }

  /** The most parts in flight now: the window, and no more smallest parts than the link carries in the target time. */
  get limit(): number {
    const window = Math.floor(this.window);
    if (this.bps === undefined || this.floor === 0) return window;
    return Math.max(1, Math.min(window, Math.floor((this.bps * TARGET_PART_SECONDS) / this.floor)));
  }

  /** The smallest window since the last {@link resetLowest} (tests, the bench). */
  get lowestLimit(): number {
    return this.lowest;
  }

  resetLowest(): void {
    this.lowest = this.limit;
  }

  get inFlight(): number {
    return this.inFlightValue;
  }

  /** All parts together, bytes per second, as last measured; undefined before the first part. */
  get throughput(): number | undefined {
    return this.bps;
  }

  /** The largest part measured so far (0 before any). */
  get largestMeasured(): number {
    return this.largest;
  }

  /** Waits for a slot for `owner` (one upload); rejects with `Cancelled` when `signal` aborts. */
  acquire(owner: object, signal?: AbortSignal): Promise<Slot> {
    if (signal?.aborted) return Promise.reject(UploadError.cancelled(signal));
    if (this.waiters.length === 0 && this.inFlightValue < this.limit) return Promise.resolve(this.grant(owner));
    return new Promise<Slot>((resolve, reject) => {
      const waiter: Waiter = {
        owner, resolve, reject, signal,
        onAbort: () => {
          const i = this.waiters.indexOf(waiter);
          if (i >= 0) this.waiters.splice(i, 1);
          reject(UploadError.cancelled(signal));
        },
      };
      signal?.addEventListener('abort', waiter.onAbort, { once: true });
      this.waiters.push(waiter);
    });
  }

  /** A failed attempt of a part (before its retry): throttling, unavailability and timeouts shrink the window. */
  failed(error: UploadError): void {
    if (error.kind !== ErrorKind.Throttled && error.kind !== ErrorKind.Unavailable && error.kind !== ErrorKind.Timeout) return;
    const t = this.now();
    if (t - this.lastDecrease < DECREASE_HOLD_MS) return;
    this.lastDecrease = t;
    this.window = Math.max(1, Math.floor(this.window / 2));
    this.ceiling = this.window;
    this.lowest = Math.min(this.lowest, this.window);
    this.credit = 0;
    this.lastIncrease = undefined;
  }

  private grant(owner: object): Slot {
    this.account();
    this.inFlightValue++;
    this.held.set(owner, (this.held.get(owner) ?? 0) + 1);
    const started = this.now();
    const areaAtStart = this.area;
    let released = false;
    return {
      release: (done) => {
        if (released) return;
        released = true;
        this.account();
        this.inFlightValue--;
        const n = (this.held.get(owner) ?? 1) - 1;
        if (n > 0) this.held.set(owner, n);
        else this.held.delete(owner);
        if (done && done.ms > 0) {
          const elapsed = this.now() - started;
          const sharing = elapsed > 0 ? Math.max(1, (this.area - areaAtStart) / elapsed) : 1;
          this.measured((done.bytes / done.ms) * 1000 * sharing);
          this.largest = Math.max(this.largest, done.bytes);
          this.grow();
        }
        this.pump();
      },
    };
  }

  /** Keeps ∫ in-flight dt up to date. */
  private account(): void {
    const t = this.now();
    this.area += this.inFlightValue * (t - this.areaAt);
    this.areaAt = t;
  }

  private measured(sample: number): void {
    this.bps = this.bps === undefined ? sample : this.bps + EWMA * (sample - this.bps);
  }

  private grow(): void {
    if (this.window >= this.max) return;
    if (this.window < this.ceiling) {
      // Slow start (until the first decrease): one more per success.
      this.window = Math.min(this.ceiling, this.window + 1);
      return;
    }
    const t = this.now();
    if (t < this.heldUntil) return;
    this.credit += 1 / Math.max(1, this.window);
    if (this.credit < 1) return;
    this.credit = 0;
    const bps = this.bps ?? 0;
    if (this.lastIncrease && bps < this.lastIncrease.bps * RISE) {
      // The last increase brought nothing: stay, and try again later.
      this.heldUntil = t + REPROBE_MS;
      this.lastIncrease = undefined;
      return;
    }
    this.lastIncrease = { at: t, bps };
    this.window = Math.min(this.max, this.window + 1);
  }

  private pump(): void {
    while (this.waiters.length > 0 && this.inFlightValue < this.limit) {
      // The waiting owner holding the fewest slots; the first in line among equals.
      let best = 0;
      for (let i = 1; i < this.waiters.length; i++) {
        if ((this.held.get(this.waiters[i]!.owner) ?? 0) < (this.held.get(this.waiters[best]!.owner) ?? 0)) best = i;
      }
      const [w] = this.waiters.splice(best, 1);
      w!.signal?.removeEventListener('abort', w!.onAbort);
      w!.resolve(this.grant(w!.owner));
    }
  }
}
