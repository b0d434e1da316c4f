/**
 * The hashing port, and its default: a small pool of module workers running hash-wasm, so
 * CRC-64 (and MD5 for Content-MD5) never block the page. Where workers cannot start, the
 * same code runs on the page, loaded only then.
 *
 * Memory is bounded and given back: a worker reads each job through one 256 KiB buffer and
 * keeps a few WebAssembly instances for the next job; a cancelled job stops reading; workers
 * idle for {@link IDLE_MS} are terminated (their threads and WebAssembly memory freed).
 */
import type { BlobDigests, DigestAlgorithm } from './hash-blob.js';
import { raceSignal } from './signals.js';

export interface Hasher {
  /** The asked-for digests of `blob`; rejects with `Cancelled` at once when `signal` aborts. */
  digest(blob: Blob, algorithms: readonly DigestAlgorithm[], signal?: AbortSignal): Promise<BlobDigests>;
  dispose(): void;
}

/** A worker with no job for this long is terminated (its thread and WebAssembly memory freed). */
export const IDLE_MS = 10_000;

/** Hashes on the calling thread (the hashing code is loaded on first use). */
export class InlineHasher implements Hasher {
  digest(blob: Blob, algorithms: readonly DigestAlgorithm[], signal?: AbortSignal): Promise<BlobDigests> {
    return raceSignal(import('./hash-blob.js').then((m) => m.hashBlob(blob, algorithms, signal)), signal);
  }
  dispose(): void {}
}

interface Job {
  blob: Blob;
  algorithms: readonly DigestAlgorithm[];
  resolve(digests: BlobDigests): void;
  reject(e: unknown): void;
}
interface Answer { id: number; digests?: BlobDigests; error?: string }

interface Slot {
  worker: Worker;
  jobs: Set<number>;
  idleTimer: ReturnType<typeof setTimeout> | undefined;
}

/** Default pool size: one worker per core, at least 2 and at most 4. */
function defaultPoolSize(): number {
  const cores = typeof navigator === 'object' ? navigator.hardwareConcurrency || 2 : 2;
  return Math.min(4, Math.max(2, cores));
}

/**
 * Hashes in up to `size` module workers. A job goes to the worker with the fewest jobs; a
 * new worker starts only when every running one is busy.
 */
export class WorkerHasher implements Hasher {
  private readonly slots: Slot[] = [];
  private readonly jobs = new Map<number, Job & { slot: Slot }>();
  private nextId = 1;
  private fallback: InlineHasher | undefined;

  constructor(
    private readonly size = defaultPoolSize(),
    private readonly create: () => Worker = () => new Worker(new URL('./hash-worker.js', import.meta.url), { type: 'module' }),
  ) {}

  /** True while hashing runs in workers (false once it fell back to the calling thread). */
  get usingWorkers(): boolean {
    return !this.fallback;
  }

  /** Workers running now (they end when idle). */
  get workerCount(): number {
    return this.slots.length;
  }

  digest(blob: Blob, algorithms: readonly DigestAlgorithm[], signal?: AbortSignal): Promise<BlobDigests> {
    const slot = this.pick();
    if (!slot) return this.fallback!.digest(blob, algorithms, signal);
    const id = this.nextId++;
    const result = new Promise<BlobDigests>((resolve, reject) => {
      this.jobs.set(id, { blob, algorithms, resolve, reject, slot });
    });
    this.assign(slot, id);
    slot.worker.postMessage({ id, blob, algorithms });
    if (signal) {
      // The caller stops waiting at once; the worker stops reading at its next chunk.
      const onAbort = () => {
        if (!this.jobs.has(id)) return;
        slot.worker.postMessage({ id, cancel: true });
        this.settle(id);
      };
      if (signal.aborted) onAbort();
      else {
        signal.addEventListener('abort', onAbort, { once: true });
        const off = () => signal.removeEventListener('abort', onAbort);
        result.then(off, off);
      }
    }
    return raceSignal(result, signal);
  }

  dispose(): void {
    for (const slot of this.slots) this.stop(slot);
    this.slots.length = 0;
    for (const job of this.jobs.values()) job.reject(new Error('hasher disposed'));
    this.jobs.clear();
  }

  /** The least busy worker, starting one if all are busy and the pool has room. */
  private pick(): Slot | undefined {
    if (this.fallback) return undefined;
    let best = this.slots.reduce<Slot | undefined>((b, s) => (!b || s.jobs.size < b.jobs.size ? s : b), undefined);
    if ((!best || best.jobs.size > 0) && this.slots.length < this.size) {
      try {
        best = this.start();
      } catch {
        this.useInline();
        return undefined;
      }
    }
    return best;
  }

  private start(): Slot {
    const worker = this.create();
    const slot: Slot = { worker, jobs: new Set(), idleTimer: undefined };
    worker.onmessage = (e: MessageEvent<Answer>) => {
      const job = this.settle(e.data.id);
      if (!job) return;
      if (e.data.digests) job.resolve(e.data.digests);
      else job.reject(new Error(e.data.error ?? 'hash worker failed'));
    };
    worker.onerror = (e) => {
      // A worker that cannot load (CSP, bundler) fails every job it holds: redo them inline.
      e.preventDefault();
      this.useInline();
    };
    this.slots.push(slot);
    return slot;
  }

  private assign(slot: Slot, id: number): void {
    slot.jobs.add(id);
    if (slot.idleTimer !== undefined) clearTimeout(slot.idleTimer);
    slot.idleTimer = undefined;
  }

  /** Forgets job `id` and returns it; a worker left without jobs ends after {@link IDLE_MS}. */
  private settle(id: number): (Job & { slot: Slot }) | undefined {
    const job = this.jobs.get(id);
    if (!job) return undefined;
    this.jobs.delete(id);
    const slot = job.slot;
    slot.jobs.delete(id);
    if (slot.jobs.size === 0 && this.slots.includes(slot)) {
      slot.idleTimer = setTimeout(() => {
        if (slot.jobs.size > 0) return;
        this.stop(slot);
        this.slots.splice(this.slots.indexOf(slot), 1);
      }, IDLE_MS);
    }
    return job;
  }

  private stop(slot: Slot): void {
    if (slot.idleTimer !== undefined) clearTimeout(slot.idleTimer);
    slot.worker.terminate();
  }

  private useInline(): void {
    this.fallback ??= new InlineHasher();
    for (const slot of this.slots) this.stop(slot);
    this.slots.length = 0;
    const orphans = [...this.jobs.values()];
    this.jobs.clear();
    for (const job of orphans) this.fallback.digest(job.blob, job.algorithms).then(job.resolve, job.reject);
  }
}

/** A worker pool where `Worker` exists, inline otherwise. */
export function defaultHasher(): Hasher {
  return typeof Worker === 'function' ? new WorkerHasher() : new InlineHasher();
}
