/**
 * The hashing port, and its default: a small pool of module workers running hash-wasm, so
 * CRC-64 (and MD5 for Content-MD5) never block the page. Where workers cannot start, the
 * same code runs on the page, loaded only then.
 *
 * Memory is bounded and given back: a worker reads each job through one 256 KiB buffer and
 * keeps a few WebAssembly instances for the next job; a cancelled job stops reading; a worker
 * is replaced once it has read {@link RECYCLE_BYTES} (the stream garbage it holds goes with it),
 * and workers idle for {@link IDLE_MS} are terminated (their threads and WebAssembly memory freed).
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

/**
 * A worker that has read this many bytes is replaced by a fresh one once its job is done.
 * Reading a Blob's byte stream leaves garbage ArrayBuffers in the worker (Chromium copies each
 * data-pipe read into a new one before the BYOB copy); some are promoted, and their backing
 * stores stay until a full GC that a worker's 2 MiB JS heap seldom triggers: the renderer grew
 * ≈ 4 MiB/s while hashing, to 100+ MiB (bench/PROFILE.md section 7). Ending the worker frees
 * them all; a restart costs ≈ 18 ms of CPU, ≈ 0.14 s per GB at this size.
 */
export const RECYCLE_BYTES = 128 * 1024 * 1024;

/** How long a worker may take to answer a job: 30 s, plus 1 s per MiB (a worker reads a part in milliseconds). */
function deadlineMs(blob: Blob): number {
  return 30_000 + Math.ceil(blob.size / (1024 * 1024)) * 1000;
}

/** Hashes on the calling thread (the hashing code is loaded on first use). */
export class InlineHasher implements Hasher {
  digest(blob: Blob, algorithms: readonly DigestAlgorithm[], signal?: AbortSignal): Promise<BlobDigests> {
    return raceSignal(import('./hash-blob.js').then((m) => m.hashBlob(blob, algorithms, signal)), signal);
  }
  dispose(): void {}
}

interface Job {
  id: number;
  blob: Blob;
  algorithms: readonly DigestAlgorithm[];
  resolve(digests: BlobDigests): void;
  reject(e: unknown): void;
  /** The worker hashing it; undefined while it waits its turn. */
  slot?: Slot;
  deadline?: ReturnType<typeof setTimeout>;
  /** Handed to a fresh worker once already, after a worker did not answer in time. */
  retried?: boolean;
}
interface Answer { id: number; digests?: BlobDigests; error?: string }

interface Slot {
  worker: Worker;
  jobs: number;
  /** Bytes handed to this worker so far (it is replaced past {@link RECYCLE_BYTES}). */
  bytes: number;
  idleTimer: ReturnType<typeof setTimeout> | undefined;
}

/**
 * Default pool size: one worker below 4 cores, two from 4. One worker reads and CRC-64s
 * ≈ 800 MB/s, several times what an upload sends; a second one only competes for the cores
 * and costs its isolate, data pipe and garbage (≈ 10 MiB). On 2 cores, 1 worker against 2:
 * ≈ 10 MiB less RSS growth, throughput no worse (bench/PROFILE.md section 7).
 */
function defaultPoolSize(cores = typeof navigator === 'object' ? navigator.hardwareConcurrency || 2 : 2): number {
  return cores >= 4 ? 2 : 1;
}

/**
 * Hashes in up to `size` module workers, each reading and hashing `perWorker` blobs at a time
 * (default 1); further jobs wait their turn, in order. A worker starts only when every running
 * one is full, ends after {@link IDLE_MS} without work, and is replaced once it has read
 * `recycleBytes` ({@link RECYCLE_BYTES}). Fewer blobs read at once means
 * fewer buffers filled ahead of the hashing (bench/PROFILE.md); one worker hashes far faster
 * than a part uploads, so the wait costs no throughput.
 */
export class WorkerHasher implements Hasher {
  private readonly slots: Slot[] = [];
  private readonly jobs = new Map<number, Job>();
  private readonly queue: Job[] = [];
  private nextId = 1;
  private fallback: InlineHasher | undefined;
  /** A worker has answered here: workers can load on this page. */
  private workedOnce = false;

  constructor(
    private readonly size = defaultPoolSize(),
    private readonly create: () => Worker = () => new Worker(new URL('./hash-worker.js', import.meta.url), { type: 'module' }),
    private readonly perWorker = 1,
    private readonly recycleBytes = RECYCLE_BYTES,
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
    if (this.fallback) return this.fallback.digest(blob, algorithms, signal);
    const id = this.nextId++;
    const result = new Promise<BlobDigests>((resolve, reject) => {
      const job: Job = { id, blob, algorithms, resolve, reject };
      this.jobs.set(id, job);
      this.queue.push(job);
    });
    this.pump();
    if (signal) {
      // The caller stops waiting at once; a running job's worker stops reading at its next chunk.
      const onAbort = () => {
        const job = this.jobs.get(id);
        if (!job) return;
        job.slot?.worker.postMessage({ id, cancel: true });
        this.finish(job);
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
    for (const job of this.jobs.values()) {
      clearTimeout(job.deadline);
      job.reject(new Error('hasher disposed'));
    }
    this.jobs.clear();
    this.queue.length = 0;
  }

  /** Hands waiting jobs to workers with room, starting workers while the pool has room. */
  private pump(): void {
    while (this.queue.length > 0 && !this.fallback) {
      let slot = this.slots.find((s) => s.jobs < this.perWorker && s.bytes < this.recycleBytes);
      if (!slot && this.slots.length < this.size) {
        try {
          slot = this.start();
        } catch {
          this.useInline();
          return;
        }
      }
      if (!slot) return;
      const job = this.queue.shift()!;
      job.slot = slot;
      slot.jobs++;
      slot.bytes += job.blob.size;
      if (slot.idleTimer !== undefined) clearTimeout(slot.idleTimer);
      slot.idleTimer = undefined;
      slot.worker.postMessage({ id: job.id, blob: job.blob, algorithms: job.algorithms });
      job.deadline = setTimeout(() => this.unanswered(job), deadlineMs(job.blob));
    }
  }

  /**
   * A worker that does not answer in time is ended, and its job goes to a fresh worker once;
   * a second silence fails the job. A hash wait must never hang an upload.
   */
  private unanswered(job: Job): void {
    const slot = job.slot;
    if (!this.jobs.has(job.id) || !slot) return;
    this.drop(slot);
    // Every job that worker held starts again elsewhere (in order); the silent one only once.
    const held = [...this.jobs.values()].filter((j) => j.slot === slot);
    for (const j of held.reverse()) {
      clearTimeout(j.deadline);
      j.slot = undefined;
      if (j === job && job.retried) {
        this.jobs.delete(j.id);
        j.reject(new Error('the hash worker did not answer'));
      } else {
        if (j === job) j.retried = true;
        this.queue.unshift(j);
      }
    }
    this.pump();
  }

  private start(): Slot {
    const worker = this.create();
    const slot: Slot = { worker, jobs: 0, bytes: 0, idleTimer: undefined };
    worker.onmessage = (e: MessageEvent<Answer>) => {
      this.workedOnce = true;
      const job = this.jobs.get(e.data.id);
      if (!job) return;
      this.finish(job);
      if (e.data.digests) job.resolve(e.data.digests);
      else job.reject(new Error(e.data.error ?? 'hash worker failed'));
    };
    worker.onerror = (e) => {
      e.preventDefault();
      // A worker that cannot load (CSP, bundler) fails every job it holds: redo them inline.
      if (!this.workedOnce) return this.useInline();
      // A replacement that could not load after others did (offline with the script not
      // cached, a redeploy): its jobs are hashed on the page, and the next jobs try a worker again.
      this.drop(slot);
      const fallback = new InlineHasher();
      for (const job of [...this.jobs.values()].filter((j) => j.slot === slot)) {
        clearTimeout(job.deadline);
        this.jobs.delete(job.id);
        fallback.digest(job.blob, job.algorithms).then(job.resolve, job.reject);
      }
      this.pump();
    };
    this.slots.push(slot);
    return slot;
  }

  /** Forgets `job`, frees its place, and lets the next one in; a worker left idle ends after {@link IDLE_MS}. */
  private finish(job: Job): void {
    clearTimeout(job.deadline);
    this.jobs.delete(job.id);
    const waiting = this.queue.indexOf(job);
    if (waiting >= 0) this.queue.splice(waiting, 1);
    const slot = job.slot;
    if (slot && this.slots.includes(slot)) {
      slot.jobs--;
      // A worker that has read its share is replaced (its garbage freed with it); see RECYCLE_BYTES.
      if (slot.jobs === 0 && slot.bytes >= this.recycleBytes) this.drop(slot);
      else if (slot.jobs === 0) {
        slot.idleTimer = setTimeout(() => {
          if (slot.jobs === 0) this.drop(slot);
        }, IDLE_MS);
      }
    }
    this.pump();
  }

  /** Ends a worker and forgets it. */
  private drop(slot: Slot): void {
    this.stop(slot);
    const i = this.slots.indexOf(slot);
    if (i >= 0) this.slots.splice(i, 1);
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
    this.queue.length = 0;
    for (const job of orphans) {
      clearTimeout(job.deadline);
      this.fallback.digest(job.blob, job.algorithms).then(job.resolve, job.reject);
    }
  }
}

/** A worker pool where `Worker` exists, inline otherwise. */
export function defaultHasher(): Hasher {
  return typeof Worker === 'function' ? new WorkerHasher() : new InlineHasher();
}
