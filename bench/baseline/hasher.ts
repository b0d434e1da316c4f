// The hashing layer as it was before issue 9 (commit a376e92), kept verbatim for A/B runs in bench/profile.ts.
/**
 * The hashing port, and its default: a small pool of module workers running hash-wasm, so
 * CRC-64 (and MD5 for Content-MD5) never block the page. Where workers cannot start, the
 * same code runs inline.
 */
import { hashBlob, type BlobDigests, type DigestAlgorithm } from './hash-blob.js';
import { raceSignal } from '../../src/core/signals.js';

export interface Hasher {
  /** The asked-for digests of `blob`; rejects with `Cancelled` at once when `signal` aborts. */
  digest(blob: Blob, algorithms: readonly DigestAlgorithm[], signal?: AbortSignal): Promise<BlobDigests>;
  dispose(): void;
}

/** Hashes on the calling thread. */
export class InlineHasher implements Hasher {
  digest(blob: Blob, algorithms: readonly DigestAlgorithm[], signal?: AbortSignal): Promise<BlobDigests> {
    return raceSignal(hashBlob(blob, algorithms), signal);
  }
  dispose(): void {}
}

interface Pending { resolve(d: BlobDigests): void; reject(e: unknown): void }

/** Hashes in up to `size` module workers, round-robin. */
export class WorkerHasher implements Hasher {
  private readonly workers: Worker[] = [];
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private turn = 0;
  private fallback: InlineHasher | undefined;

  constructor(
    private readonly size = 2,
    private readonly create: () => Worker = () => new Worker(new URL('./baseline-hash-worker.js', import.meta.url), { type: 'module' }),
  ) {}

  private worker(): Worker | undefined {
    if (this.fallback) return undefined;
    if (this.workers.length < this.size) {
      try {
        const w = this.create();
        w.onmessage = (e: MessageEvent<{ id: number; digests?: BlobDigests; error?: string }>) => {
          const p = this.pending.get(e.data.id);
          if (!p) return;
          this.pending.delete(e.data.id);
          if (e.data.digests) p.resolve(e.data.digests);
          else p.reject(new Error(e.data.error ?? 'hash worker failed'));
        };
        w.onerror = (e) => {
          // A worker that cannot load (CSP, bundler) fails every job it holds: redo them inline.
          e.preventDefault();
          this.useInline();
        };
        this.workers.push(w);
      } catch {
        this.useInline();
        return undefined;
      }
    }
    return this.workers[this.turn++ % this.workers.length];
  }

  private jobs = new Map<number, { blob: Blob; algorithms: readonly DigestAlgorithm[] }>();

  private useInline(): void {
    this.fallback ??= new InlineHasher();
    for (const w of this.workers) w.terminate();
    this.workers.length = 0;
    for (const [id, p] of this.pending) {
      const job = this.jobs.get(id);
      this.pending.delete(id);
      if (job) this.fallback.digest(job.blob, job.algorithms).then(p.resolve, p.reject);
    }
  }

  /** True while hashing runs in workers (false once it fell back to the calling thread). */
  get usingWorkers(): boolean {
    return !this.fallback;
  }

  digest(blob: Blob, algorithms: readonly DigestAlgorithm[], signal?: AbortSignal): Promise<BlobDigests> {
    const w = this.worker();
    if (!w) return this.fallback!.digest(blob, algorithms, signal);
    const id = this.nextId++;
    const result = new Promise<BlobDigests>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.jobs.set(id, { blob, algorithms });
    }).finally(() => this.jobs.delete(id));
    w.postMessage({ id, blob, algorithms });
    return raceSignal(result, signal);
  }

  dispose(): void {
    for (const w of this.workers) w.terminate();
    this.workers.length = 0;
    for (const p of this.pending.values()) p.reject(new Error('hasher disposed'));
    this.pending.clear();
  }
}

/** A worker pool where `Worker` exists, inline otherwise. */
export function defaultHasher(): Hasher {
  return typeof Worker === 'function' ? new WorkerHasher() : new InlineHasher();
}
