/**
 * MD5 and CRC-64 of request bodies, computed on worker threads (hash-worker.mjs) so the
 * thread that reads sockets and writes files does no per-chunk hashing: on a small machine
 * that doubles the store's upload throughput. Each chunk is copied and transferred to the
 * body's worker; a body that runs more than {@link MAX_LAG_BYTES} ahead of its hashing waits
 * (backpressure reaches the socket through the stream pipeline).
 *
 * Where no worker can start, hashing falls back to this thread ({@link InlineHash}).
 */
import { createHash } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { createCRC64, type IHasher } from 'hash-wasm';

export interface Digests {
  /** Raw 16-byte MD5. */
  md5: Buffer;
  crc64: bigint;
}

export interface BodyHash {
  update(chunk: Buffer): void;
  /** A promise to wait on when hashing lags too far behind, else undefined. */
  backlog(): Promise<void> | undefined;
  digest(): Promise<Digests>;
  /** Abandons the body. */
  drop(): void;
}

const MAX_LAG_BYTES = 32 * 1024 * 1024;
/** Chunks go to the worker in batches of this size: fewer messages, fewer wake-ups. */
const BATCH_BYTES = 1024 * 1024;

type WorkerMessage =
  | { op: 'progress'; id: number; bytes: number }
  | { op: 'digest'; id: number; md5: Uint8Array; crc64Hex: string }
  | { op: 'error'; id: number; message: string };

class HashThread {
  readonly worker: Worker;
  readonly jobs = new Map<number, WorkerHash>();
  dead = false;
  private online = false;

  constructor() {
    this.worker = new Worker(new URL('./hash-worker.mjs', import.meta.url), { execArgv: [] });
    this.worker.on('message', (m: WorkerMessage) => this.jobs.get(m.id)?.receive(m));
    this.worker.once('online', () => (this.online = true));
    const die = (error: Error) => {
      if (!this.online) workersUnavailable = true; // it could not even start: hash inline from now on
      this.dead = true;
      for (const job of this.jobs.values()) job.fail(error);
      this.jobs.clear();
    };
    this.worker.on('error', die);
    this.worker.on('exit', () => die(new Error('the hashing thread exited')));
    this.worker.unref(); // after the listeners, which would ref it again
  }
}

let nextId = 1;

class WorkerHash implements BodyHash {
  private readonly id = nextId++;
  private sent = 0;
  private hashed = 0;
  private waiter: { resolve(): void; reject(e: Error): void } | undefined;
  private result: { resolve(d: Digests): void; reject(e: Error): void } | undefined;
  private error: Error | undefined;
  private batch: Uint8Array | undefined;
  private batched = 0;

  constructor(private readonly thread: HashThread) {
    thread.jobs.set(this.id, this);
  }

  update(chunk: Buffer): void {
    this.sent += chunk.length;
    let at = 0;
    while (at < chunk.length) {
      this.batch ??= new Uint8Array(BATCH_BYTES);
      const n = Math.min(chunk.length - at, BATCH_BYTES - this.batched);
      this.batch.set(chunk.subarray(at, at + n), this.batched);
      this.batched += n;
      at += n;
      if (this.batched === BATCH_BYTES) this.flush();
    }
  }

  /** Sends the batch (copies of the chunks, so the originals can still be written to disk). */
  private flush(): void {
    if (!this.batch || this.batched === 0) return;
    const chunk = this.batched === BATCH_BYTES ? this.batch : this.batch.slice(0, this.batched);
    this.thread.worker.postMessage({ op: 'update', id: this.id, chunk }, [chunk.buffer]);
    this.batch = undefined;
    this.batched = 0;
  }

  backlog(): Promise<void> | undefined {
    if (this.error) return Promise.reject(this.error);
    if (this.sent - this.hashed <= MAX_LAG_BYTES) return undefined;
    return new Promise((resolve, reject) => (this.waiter = { resolve, reject }));
  }

  digest(): Promise<Digests> {
    if (this.error) return Promise.reject(this.error);
    const p = new Promise<Digests>((resolve, reject) => (this.result = { resolve, reject }));
    this.flush();
    this.thread.worker.postMessage({ op: 'digest', id: this.id });
    return p;
  }

  drop(): void {
    if (!this.thread.jobs.delete(this.id)) return;
    if (!this.thread.dead) this.thread.worker.postMessage({ op: 'drop', id: this.id });
  }

  receive(m: WorkerMessage): void {
    if (m.op === 'progress') {
      this.hashed = m.bytes;
      if (this.waiter && this.sent - this.hashed <= MAX_LAG_BYTES) {
        this.waiter.resolve();
        this.waiter = undefined;
      }
    } else if (m.op === 'digest') {
      this.thread.jobs.delete(this.id);
      this.result?.resolve({ md5: Buffer.from(m.md5), crc64: BigInt('0x' + m.crc64Hex) });
    } else {
      this.fail(new Error(`hashing failed: ${m.message}`));
    }
  }

  fail(error: Error): void {
    this.error = error;
    this.thread.jobs.delete(this.id);
    this.waiter?.reject(error);
    this.result?.reject(error);
  }
}

/** Hashing on the calling thread. */
class InlineHash implements BodyHash {
  private readonly md5 = createHash('md5');
  private readonly crc: Promise<IHasher> = createCRC64().then((c) => (c.init(), c));
  private crcReady: IHasher | undefined;
  private pending: Buffer[] = [];

  constructor() {
    void this.crc.then((c) => {
      for (const chunk of this.pending) c.update(chunk);
      this.pending = [];
      this.crcReady = c;
    });
  }

  update(chunk: Buffer): void {
    this.md5.update(chunk);
    if (this.crcReady) this.crcReady.update(chunk);
    else this.pending.push(chunk);
  }

  backlog(): undefined {
    return undefined;
  }

  async digest(): Promise<Digests> {
    await this.crc;
    await Promise.resolve(); // let the constructor's callback drain `pending` first
    return { md5: this.md5.digest(), crc64: BigInt('0x' + this.crcReady!.digest('hex')) };
  }

  drop(): void {}
}

let threads: HashThread[] | undefined;
let workersUnavailable = false;

/** A hasher for one body, on the least busy hashing thread. */
export function startBodyHash(): BodyHash {
  if (workersUnavailable) return new InlineHash();
  try {
    threads ??= Array.from({ length: Math.max(1, Math.min(4, availableParallelism() - 1)) }, () => new HashThread());
    threads = threads.map((t) => (t.dead ? new HashThread() : t));
  } catch {
    workersUnavailable = true;
    return new InlineHash();
  }
  const thread = threads.reduce((a, b) => (b.jobs.size < a.jobs.size ? b : a));
  return new WorkerHash(thread);
}
