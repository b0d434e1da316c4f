/**
 * MD5 and CRC-64/XZ of request bodies (every object keeps its OSS CRC, whichever dialect
 * wrote it), plus CRC-64/NVME and SHA-256 only when a request needs them (S3 checksums and
 * signed payloads), computed on worker threads (hash-worker.mjs) so the
 * thread that reads sockets and writes files does no per-chunk hashing: on a small machine
 * that doubles the store's upload throughput. Each chunk is copied and transferred to the
 * body's worker; a body that runs more than {@link MAX_LAG_BYTES} ahead of its hashing waits
 * (backpressure reaches the socket through the stream pipeline).
 *
 * Where no worker can start, hashing falls back to this thread ({@link InlineHash}).
 */
import { createHash, type Hash } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { createCRC64, type IHasher } from 'hash-wasm';

/** CRC-64/NVME's reflected polynomial, as hash-wasm takes it (check value ae8b14860a799888). */
export const CRC64_NVME_POLYNOMIAL = '9a6c9329ac4bc9b5';

/** The digests beyond MD5 and CRC-64/XZ that a body needs. */
export interface DigestNeeds {
  crc64nvme?: boolean;
  sha256?: boolean;
}

export interface Digests {
  /** Raw 16-byte MD5. */
  md5: Buffer;
  /** CRC-64/XZ (OSS `x-oss-hash-crc64ecma`). */
  crc64: bigint;
  /** CRC-64/NVME (S3 `x-amz-checksum-crc64nvme`), when needed. */
  crc64nvme?: bigint;
  /** Raw 32-byte SHA-256, when needed. */
  sha256?: Buffer;
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

type WorkerMessage =
  | { op: 'progress'; id: number; bytes: number }
  | { op: 'digest'; id: number; md5: Uint8Array; crc64Hex: string; crc64nvmeHex?: string; sha256?: Uint8Array }
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

  /** The thread keeps the process alive while, and only while, it has bodies to hash. */
  add(job: WorkerHash, id: number): void {
    this.jobs.set(id, job);
    if (this.jobs.size === 1) this.worker.ref();
  }

  remove(id: number): boolean {
    const had = this.jobs.delete(id);
    if (had && this.jobs.size === 0) this.worker.unref();
    return had;
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

  constructor(private readonly thread: HashThread, needs: DigestNeeds) {
    thread.add(this, this.id);
    thread.worker.postMessage({ op: 'start', id: this.id, needs });
  }

  update(chunk: Buffer): void {
    const copy = new Uint8Array(chunk.length);
    copy.set(chunk);
    this.sent += chunk.length;
    this.thread.worker.postMessage({ op: 'update', id: this.id, chunk: copy }, [copy.buffer]);
  }

  backlog(): Promise<void> | undefined {
    if (this.error) return Promise.reject(this.error);
    if (this.sent - this.hashed <= MAX_LAG_BYTES) return undefined;
    return new Promise((resolve, reject) => (this.waiter = { resolve, reject }));
  }

  digest(): Promise<Digests> {
    if (this.error) return Promise.reject(this.error);
    const p = new Promise<Digests>((resolve, reject) => (this.result = { resolve, reject }));
    this.thread.worker.postMessage({ op: 'digest', id: this.id });
    return p;
  }

  drop(): void {
    if (!this.thread.remove(this.id)) return;
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
      this.thread.remove(this.id);
      const digests: Digests = { md5: Buffer.from(m.md5), crc64: BigInt('0x' + m.crc64Hex) };
      if (m.crc64nvmeHex !== undefined) digests.crc64nvme = BigInt('0x' + m.crc64nvmeHex);
      if (m.sha256 !== undefined) digests.sha256 = Buffer.from(m.sha256);
      this.result?.resolve(digests);
    } else {
      this.fail(new Error(`hashing failed: ${m.message}`));
    }
  }

  fail(error: Error): void {
    this.error = error;
    this.thread.remove(this.id);
    this.waiter?.reject(error);
    this.result?.reject(error);
  }
}

/** Hashing on the calling thread (the fallback; exported for tests). */
export class InlineHash implements BodyHash {
  private readonly md5 = createHash('md5');
  private readonly sha256: Hash | undefined;
  private crcs: IHasher[] | undefined;
  /** Chunks that came before hash-wasm's hashers were ready. */
  private early: Buffer[] = [];
  private readonly ready: Promise<void>;

  constructor(needs: DigestNeeds = {}) {
    if (needs.sha256) this.sha256 = createHash('sha256');
    this.ready = Promise.all([createCRC64(), ...(needs.crc64nvme ? [createCRC64(CRC64_NVME_POLYNOMIAL)] : [])]).then((crcs) => {
      for (const crc of crcs) {
        crc.init();
        for (const chunk of this.early) crc.update(chunk);
      }
      this.early = [];
      this.crcs = crcs;
    });
  }

  update(chunk: Buffer): void {
    this.md5.update(chunk);
    this.sha256?.update(chunk);
    if (this.crcs) for (const crc of this.crcs) crc.update(chunk);
    else this.early.push(chunk);
  }

  backlog(): undefined {
    return undefined;
  }

  async digest(): Promise<Digests> {
    await this.ready;
    const [xz, nvme] = this.crcs!;
    const digests: Digests = { md5: this.md5.digest(), crc64: BigInt('0x' + xz!.digest('hex')) };
    if (nvme) digests.crc64nvme = BigInt('0x' + nvme.digest('hex'));
    if (this.sha256) digests.sha256 = this.sha256.digest();
    return digests;
  }

  drop(): void {}
}

let threads: HashThread[] | undefined;
let workersUnavailable = false;

/** A hasher for one body, on the least busy hashing thread. */
export function startBodyHash(needs: DigestNeeds = {}): BodyHash {
  if (workersUnavailable) return new InlineHash(needs);
  try {
    threads ??= Array.from({ length: Math.max(1, Math.min(4, availableParallelism() - 1)) }, () => new HashThread());
    threads = threads.map((t) => (t.dead ? new HashThread() : t));
  } catch {
    workersUnavailable = true;
    return new InlineHash(needs);
  }
  const thread = threads.reduce((a, b) => (b.jobs.size < a.jobs.size ? b : a));
  return new WorkerHash(thread, needs);
}
