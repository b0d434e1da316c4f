/**
 * One file's upload: a single PutObject when it fits in one part, else a multipart upload
 * whose parts go in parallel. Three distinct actions stop it:
 *
 * - `cancel()` (the interrupt): aborts this upload's in-flight requests at once; the
 *   uploadId and the finished parts stay valid, and `resume()` goes on with them.
 * - `abort()`: cancels, awaits every request in flight, deletes the uploadId on the store
 *   and confirms with ListParts that nothing is left; journaled if the store is unreachable.
 * - a terminal error: the upload fails with one typed {@link UploadError}; `resume()` may
 *   try again.
 */
import { crc64Fold } from './crc64.js';
import { hexToBase64 } from './signing/crypto.js';
import { ClientErrorCode, UploadError, throwIfAborted } from './errors.js';
import {
  SETTLED_STATES, UploadErrorEvent, UploadProgressEvent, UploadStateEvent, UploadSuccessEvent,
  type UploadEventMap, type UploadResult, type UploadState,
} from './events.js';
import { fingerprint, resumeId } from './fingerprint.js';
import type { Hasher } from './hasher.js';
import type { PartRecord, StoreOperations } from './operations.js';
import { partRange, planParts, type PartPlan } from './part-plan.js';
import { ProgressMeter } from './progress.js';
import type { ResumeRecord, ResumeStore } from './resume-store.js';
import { backoffDelay, DEFAULT_RETRY, isRetryable } from './retry.js';
import { sleep } from './signals.js';
import { objectUrl, type StoreTarget } from './target.js';

/** What an upload needs from its client; shared by every upload of that client. */
export interface UploadContext {
  target(signal?: AbortSignal): Promise<StoreTarget>;
  operations(signal?: AbortSignal): Promise<StoreOperations>;
  /** Operations for a target other than the current one (resume records, pending aborts). */
  operationsFor(target: StoreTarget): StoreOperations;
  hasher: Hasher;
  resumeStore: ResumeStore;
  minPartSize: number;
  exposeHeaders: readonly string[];
  options: {
    partSize: number;
    concurrency: number;
    contentMd5: boolean;
    /** Recover ETags hidden by CORS from the ListParts body instead of failing. */
    etagFromListParts: boolean;
  };
  keyFor(file: UploadFile, target: StoreTarget): string;
}

export type UploadFile = Blob & { name?: string; lastModified?: number; webkitRelativePath?: string };

/** How an abort ended: confirmed gone, or journaled to be finished on a later load. */
export interface AbortOutcome {
  confirmed: boolean;
}

interface CommittedPart extends PartRecord {
  /** Our CRC matched the store's (from the UploadPart header or ListParts). */
  checked: boolean;
}

const PART_ATTEMPTS = 3;
/** How long a sent Complete may take before it counts as lost (then HEAD tells). */
const COMPLETE_TIMEOUT_MS = 5 * 60_000;
/** How long a resume-store call may take. */
const RECORD_TIMEOUT_MS = 5000;
/** The store says the body does not match its Content-MD5 (OSS `InvalidDigest`, S3/OBS `BadDigest`). */
const DIGEST_ERRORS = new Set(['InvalidDigest', 'BadDigest']);
const ABORT_ROUNDS = 4;

let counter = 0;

export interface Upload {
  addEventListener<K extends keyof UploadEventMap>(type: K, listener: (ev: UploadEventMap[K]) => void, options?: boolean | AddEventListenerOptions): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | AddEventListenerOptions): void;
  removeEventListener<K extends keyof UploadEventMap>(type: K, listener: (ev: UploadEventMap[K]) => void, options?: boolean | EventListenerOptions): void;
  removeEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | EventListenerOptions): void;
}

export class Upload extends EventTarget {
  /** Unique within the page. */
  readonly id = `upload-${++counter}`;
  private stateValue: UploadState = 'idle';
  private errorValue: UploadError | undefined;
  private resultValue: UploadResult | undefined;
  private keyValue: string | undefined;
  private uploadIdValue: string | undefined;
  private target: StoreTarget | undefined;
  private plan: PartPlan | undefined;
  private meter: ProgressMeter | undefined;
  private recordId: string | undefined;
  private lookedForRecord = false;
  private readonly parts = new Map<number, CommittedPart>();
  private controller: AbortController | undefined;
  private running: Promise<UploadResult> | undefined;
  private aborting = false;
  private aborted: Promise<AbortOutcome> | undefined;

  constructor(
    readonly file: UploadFile,
    private readonly ctx: UploadContext,
    opts: { key?: string | undefined; contentType?: string | undefined } = {},
  ) {
    super();
    this.keyValue = opts.key;
    this.contentType = opts.contentType || file.type || 'application/octet-stream';
  }

  readonly contentType: string;
  get state(): UploadState { return this.stateValue; }
  get error(): UploadError | undefined { return this.errorValue; }
  get result(): UploadResult | undefined { return this.resultValue; }
  /** The object key, once known. */
  get key(): string | undefined { return this.keyValue; }
  /** The multipart uploadId, once initiated (undefined for single PutObject). */
  get uploadId(): string | undefined { return this.uploadIdValue; }
  get progress() { return (this.meter ?? new ProgressMeter(this.file.size, 1)).snapshot(); }

  /** Starts the upload. Resolves with the result, rejects with an {@link UploadError} (`Cancelled` on cancel). */
  start(): Promise<UploadResult> {
    if (this.stateValue !== 'idle') return Promise.reject(this.wrongState('start'));
    return this.run();
  }

  /** Goes on after a cancel or a failure, with the same uploadId and the parts the store has. */
  resume(): Promise<UploadResult> {
    if (this.stateValue !== 'cancelled' && this.stateValue !== 'failed') return Promise.reject(this.wrongState('resume'));
    return this.run();
  }

  /** The interrupt: stops this upload's requests at once. Resolves once every request has settled. */
  async cancel(): Promise<void> {
    const running = this.running;
    if (!running || SETTLED_STATES.has(this.stateValue)) return;
    this.controller?.abort(UploadError.cancelled());
    await running.catch(() => undefined);
  }

  /**
   * Cancels, awaits the requests in flight, deletes the uploadId on the store, and confirms
   * with ListParts that no part survived (deleting again if one did). If `signal` stops the
   * abort before it is confirmed, it is journaled like an abort that could not reach the store.
   */
  abort(signal?: AbortSignal): Promise<AbortOutcome> {
    if (this.stateValue === 'done') return Promise.resolve({ confirmed: false });
    this.aborted ??= this.abortOnce(signal);
    return this.aborted;
  }

  private async abortOnce(signal?: AbortSignal): Promise<AbortOutcome> {
    this.aborting = true;
    this.setState('aborting');
    this.controller?.abort(UploadError.cancelled());
    await this.running?.catch(() => undefined);
    if ((this.stateValue as UploadState) === 'done') {
      // Complete had already been sent and finished: the object exists, there is nothing to abort.
      this.aborting = false;
      this.aborted = undefined;
      return { confirmed: false };
    }
    let confirmed = true;
    if (this.uploadIdValue && this.keyValue && this.target) {
      confirmed = await abortAndConfirm(this.ctx.operationsFor(this.target), this.keyValue, this.uploadIdValue, signal)
        .catch(() => false);
      if (!confirmed) {
        await bounded(this.ctx.resumeStore.addPendingAbort({
          uploadId: this.uploadIdValue, key: this.keyValue, endpoint: this.target.endpoint,
          bucket: this.target.bucket, region: this.target.region, since: Date.now(),
        }));
      }
    }
    await this.forgetRecord();
    this.parts.clear();
    this.aborting = false;
    this.setState('aborted');
    return { confirmed };
  }

  private wrongState(action: string): UploadError {
    return new UploadError(ClientErrorCode.InvalidInput, `Cannot ${action} an upload that is ${this.stateValue}.`);
  }

  private setState(state: UploadState): void {
    const previous = this.stateValue;
    if (previous === state) return;
    // Once aborting, only the abort's end (or a Complete that already landed) changes the state.
    if (this.aborting && state !== 'aborted' && state !== 'done') return;
    this.stateValue = state;
    this.dispatchEvent(new UploadStateEvent(state, previous));
  }

  private emitProgress(): void {
    if (this.meter) this.dispatchEvent(new UploadProgressEvent(this.meter.snapshot()));
  }

  private run(): Promise<UploadResult> {
    const controller = new AbortController();
    this.controller = controller;
    this.errorValue = undefined;
    // `running` exists before the first state change, so a listener may cancel at once.
    const running = Promise.resolve().then(() => this.execute(controller.signal)).then(
      (result) => {
        this.resultValue = result;
        this.setState('done');
        this.emitProgress();
        this.dispatchEvent(new UploadSuccessEvent(result));
        return result;
      },
      (e: unknown) => {
        const error = e instanceof UploadError ? e
          : new UploadError(ClientErrorCode.MalformedResponse, String((e as Error)?.message ?? e), { cause: e });
        if (UploadError.isCancel(error) || controller.signal.aborted) {
          if (!this.aborting) this.setState('cancelled');
          throw UploadError.cancelled(controller.signal);
        }
        this.errorValue = error;
        if (!this.aborting) {
          this.setState('failed');
          this.dispatchEvent(new UploadErrorEvent(error));
        }
        throw error;
      },
    );
    this.running = running;
    // The caller of start() owns the rejection; keep the internal copy from being "unhandled".
    running.catch(() => undefined);
    this.setState('preparing');
    return running;
  }

  private async execute(signal: AbortSignal): Promise<UploadResult> {
    throwIfAborted(signal);
    const target = (this.target ??= await this.ctx.target(signal));
    this.keyValue ??= this.ctx.keyFor(this.file, target);
    this.plan ??= planParts(this.file.size, this.ctx.minPartSize, this.ctx.options.partSize);
    const ops = this.ctx.operationsFor(target);
    if (this.plan.partCount > 1 && !this.lookedForRecord) await this.findRecord(target);
    this.meter ??= new ProgressMeter(this.file.size, this.plan.partCount);
    if (this.plan.partCount === 1 && !this.uploadIdValue) return this.putSingle(ops, target, signal);
    return this.multipart(ops, target, signal);
  }

  // ---- single PutObject -------------------------------------------------------------

  private async putSingle(ops: StoreOperations, target: StoreTarget, signal: AbortSignal): Promise<UploadResult> {
    const key = this.keyValue!;
    this.setState('uploading');
    this.emitProgress();
    // Not tied to `signal`: a PUT that landed before the cancel still needs its CRC.
    const digest = this.ctx.hasher.digest(this.file, this.ctx.options.contentMd5 ? ['crc64xz', 'md5'] : ['crc64xz']);
    digest.catch(() => undefined);
    for (let attempt = 1; ; attempt++) {
      let res;
      try {
        const md5 = this.ctx.options.contentMd5 ? hexToBase64((await digest).md5!) : undefined;
        res = await ops.putObject(key, this.file, { contentType: this.contentType, contentMd5: md5 }, signal);
      } catch (e) {
        if (UploadError.isCancel(e) && (await this.landed(ops, key, digest))) break;
        throw e;
      }
      // From here the object is on the store: a cancel arriving now changes nothing.
      const local = BigInt('0x' + (await digest).crc64xz!);
      if (res.crc64 !== undefined && res.crc64 !== local) {
        if (attempt < PART_ATTEMPTS && !signal.aborted) continue;
        throw crcMismatch(`PutObject of ${key}`, local, res.crc64);
      }
      return this.finishSingle(target, key, local, res.etag ?? undefined, res.crc64 !== undefined);
    }
    const local = BigInt('0x' + (await digest).crc64xz!);
    return this.finishSingle(target, key, local, undefined, true);
  }

  private finishSingle(target: StoreTarget, key: string, crc: bigint, etag: string | undefined, verified: boolean): UploadResult {
    this.meter!.update(this.file.size, 1);
    return {
      bucket: target.bucket, key, location: objectUrl(target, key, {}), etag, crc64: crc.toString(), verified, size: this.file.size,
    };
  }

  /** After a cancelled PutObject: did the bytes land anyway? (HEAD: same size and CRC-64.) */
  private async landed(ops: StoreOperations, key: string, digest: Promise<{ crc64xz?: string }>): Promise<boolean> {
    try {
      const head = await ops.head(key, AbortSignal.timeout(5000));
      if (!head || head.size !== this.file.size || head.crc64 === undefined) return false;
      return head.crc64 === BigInt('0x' + (await digest).crc64xz!);
    } catch {
      return false;
    }
  }

  // ---- multipart ----------------------------------------------------------------------

  private async findRecord(target: StoreTarget): Promise<void> {
    this.lookedForRecord = true;
    const identity = await fingerprint(this.file);
    this.recordId = resumeId(identity, target, this.keyValue!);
    const record = await bounded(this.ctx.resumeStore.get(this.recordId));
    // Only a record of the same file going to the same key: another key is another upload.
    if (record && record.key === this.keyValue && record.size === this.file.size && record.partSize >= this.ctx.minPartSize) {
      this.uploadIdValue = record.uploadId;
      this.keyValue = record.key;
      this.plan = { size: this.file.size, partSize: record.partSize, partCount: Math.max(1, Math.ceil(this.file.size / record.partSize)) };
    }
  }

  private async multipart(ops: StoreOperations, target: StoreTarget, signal: AbortSignal): Promise<UploadResult> {
    const key = this.keyValue!;
    if (this.uploadIdValue) await this.reconcile(ops, key, this.uploadIdValue, signal);
    if (!this.uploadIdValue) {
      // Initiate carries no file bytes and is let finish even if cancelled: an uploadId
      // created on the store but never learned here could not be resumed or aborted.
      const uploadId = await ops.initiate(key, this.contentType, AbortSignal.timeout(60_000));
      this.uploadIdValue = uploadId;
      await this.saveRecord(target, key, uploadId);
      throwIfAborted(signal);
    }
    const uploadId = this.uploadIdValue;
    this.meter!.reset(this.committedBytes(), this.parts.size);
    this.setState('uploading');
    this.emitProgress();
    await this.uploadMissingParts(ops, key, uploadId, signal);
    await this.checkAgainstListParts(ops, key, uploadId, signal);

    this.setState('completing');
    const sorted = [...this.parts.values()].sort((a, b) => a.partNumber - b.partNumber);
    const folded = crc64Fold(sorted.map((p) => ({ crc64: p.crc64!, size: p.size })));
    // Complete, like Initiate, is let finish once sent: OSS goes on with it even if the
    // client goes away, so cancelling it would only hide an object that exists.
    const completeSignal = AbortSignal.timeout(COMPLETE_TIMEOUT_MS);
    let completed;
    try {
      completed = await ops.complete(key, uploadId, sorted, completeSignal);
    } catch (e) {
      if (e instanceof UploadError && (e.code === 'InvalidPart' || e.code === 'InvalidPartOrder')) {
        // Our list and the store's disagree: rebuild ours from ListParts, re-send what is
        // missing or different, and complete once more.
        await this.reconcile(ops, key, uploadId, signal);
        await this.uploadMissingParts(ops, key, uploadId, signal);
        await this.checkAgainstListParts(ops, key, uploadId, signal);
        const rebuilt = [...this.parts.values()].sort((a, b) => a.partNumber - b.partNumber);
        completed = await ops.complete(key, uploadId, rebuilt, AbortSignal.timeout(COMPLETE_TIMEOUT_MS));
      } else {
        const recovered = await this.recoverComplete(ops, key, folded, e);
        if (!recovered) throw e;
        completed = recovered;
      }
    }

    this.setState('verifying');
    const storeCrc = completed.crc64 ?? (await ops.head(key, AbortSignal.timeout(30_000)).catch(() => undefined))?.crc64;
    await this.forgetRecord();
    if (storeCrc !== undefined && storeCrc !== folded) throw crcMismatch(`the object ${key}`, folded, storeCrc);
    return {
      bucket: target.bucket, key, location: completed.location || objectUrl(target, key, {}),
      etag: completed.etag || undefined, crc64: folded.toString(), verified: storeCrc !== undefined, size: this.file.size,
    };
  }

  /**
   * A Complete that failed may still have completed (a lost answer, OSS goes on after a
   * disconnect): if the object is there with our size and CRC, it did.
   */
  private async recoverComplete(ops: StoreOperations, key: string, folded: bigint, e: unknown) {
    if (!(e instanceof UploadError) || UploadError.isCancel(e)) return undefined;
    if (e.code !== 'NoSuchUpload' && e.code !== ClientErrorCode.NetworkError && e.code !== 'RequestTimeout') return undefined;
    const head = await ops.head(key, AbortSignal.timeout(30_000)).catch(() => undefined);
    if (head && head.size === this.file.size && head.crc64 === folded) {
      return { location: '', etag: head.etag ?? '', crc64: head.crc64, requestId: undefined };
    }
    return undefined;
  }

  /** Deletes this upload's resume record, if it is still ours (same uploadId). */
  private async forgetRecord(): Promise<void> {
    if (!this.recordId) return;
    const record = await bounded(this.ctx.resumeStore.get(this.recordId));
    if (record && (!this.uploadIdValue || record.uploadId === this.uploadIdValue)) {
      await bounded(this.ctx.resumeStore.delete(this.recordId));
    }
  }

  private committedBytes(): number {
    let n = 0;
    for (const p of this.parts.values()) n += p.size;
    return n;
  }

  private async saveRecord(target: StoreTarget, key: string, uploadId: string): Promise<void> {
    if (!this.recordId) return;
    const record: ResumeRecord = {
      id: this.recordId, fileName: this.file.name ?? '', size: this.file.size, lastModified: this.file.lastModified ?? 0,
      endpoint: target.endpoint, bucket: target.bucket, region: target.region, key, uploadId,
      partSize: this.plan!.partSize, createdAt: Date.now(),
    };
    await bounded(this.ctx.resumeStore.put(record));
  }

  /** Reads every page of ListParts and keeps the parts whose size and CRC match this file. */
  private async reconcile(ops: StoreOperations, key: string, uploadId: string, signal: AbortSignal): Promise<void> {
    let listed: PartRecord[];
    try {
      listed = await ops.listParts(key, uploadId, signal);
    } catch (e) {
      if (e instanceof UploadError && (e.code === 'NoSuchUpload' || e.code === 'NoSuchKey')) {
        // Gone (aborted, expired, or completed elsewhere): start over cleanly.
        await this.forgetRecord();
        this.uploadIdValue = undefined;
        this.parts.clear();
        return;
      }
      throw e;
    }
    const plan = this.plan!;
    const candidates = listed.filter((p) => {
      if (p.partNumber < 1 || p.partNumber > plan.partCount) return false;
      const { start, end } = partRange(plan, p.partNumber);
      return p.size === end - start;
    });
    const known = new Map(this.parts);
    this.parts.clear();
    await this.pool(candidates, signal, async (p, s) => {
      const mine = known.get(p.partNumber);
      if (mine?.crc64 !== undefined && mine.size === p.size && (p.crc64 === undefined || p.crc64 === mine.crc64)
        && (!mine.etag || sameEtag(mine.etag, p.etag))) {
        // Hashed in this page already: the store still has the same bytes.
        this.parts.set(p.partNumber, { ...mine, etag: p.etag, checked: mine.checked || p.crc64 !== undefined });
        return;
      }
      const { start, end } = partRange(plan, p.partNumber);
      const local = BigInt('0x' + (await this.ctx.hasher.digest(this.file.slice(start, end), ['crc64xz'], s)).crc64xz!);
      if (p.crc64 === undefined || p.crc64 === local) {
        this.parts.set(p.partNumber, { ...p, crc64: local, checked: p.crc64 !== undefined });
      }
    });
  }

  private async uploadMissingParts(ops: StoreOperations, key: string, uploadId: string, signal: AbortSignal): Promise<void> {
    const missing: number[] = [];
    for (let n = 1; n <= this.plan!.partCount; n++) if (!this.parts.has(n)) missing.push(n);
    await this.pool(missing, signal, (n, s) => this.sendPart(ops, key, uploadId, n, s));
  }

  private async sendPart(ops: StoreOperations, key: string, uploadId: string, n: number, signal: AbortSignal): Promise<void> {
    const { start, end } = partRange(this.plan!, n);
    const slice = this.file.slice(start, end);
    for (let attempt = 1; ; attempt++) {
      const digest = this.ctx.hasher.digest(slice, this.ctx.options.contentMd5 ? ['crc64xz', 'md5'] : ['crc64xz'], signal);
      digest.catch(() => undefined);
      const md5 = this.ctx.options.contentMd5 ? hexToBase64((await digest).md5!) : undefined;
      let res;
      try {
        res = await ops.uploadPart(key, uploadId, n, slice, md5, signal);
      } catch (e) {
        // The bytes the store received differ from the bytes hashed here: read the slice again.
        if (e instanceof UploadError && DIGEST_ERRORS.has(e.code) && attempt < PART_ATTEMPTS) continue;
        throw e;
      }
      if (res.etag === null && !this.ctx.options.etagFromListParts) throw corsError(this.ctx.exposeHeaders, 'ETag', res.requestId);
      const local = BigInt('0x' + (await digest).crc64xz!);
      if (res.crc64 !== undefined && res.crc64 !== local) {
        if (attempt < PART_ATTEMPTS) continue;
        throw crcMismatch(`part ${n} of ${key}`, local, res.crc64);
      }
      this.parts.set(n, { partNumber: n, etag: res.etag ?? '', size: end - start, crc64: local, checked: res.crc64 !== undefined });
      this.meter!.update(this.committedBytes(), this.parts.size);
      this.emitProgress();
      return;
    }
  }

  /**
   * Where CORS hid a part's ETag or CRC header, read them from the ListParts body (which
   * CORS does not filter) and re-send any part whose CRC the store disagrees with.
   */
  private async checkAgainstListParts(ops: StoreOperations, key: string, uploadId: string, signal: AbortSignal): Promise<void> {
    for (let round = 0; round < PART_ATTEMPTS; round++) {
      if ([...this.parts.values()].every((p) => p.checked && p.etag)) return;
      const listed = new Map((await ops.listParts(key, uploadId, signal)).map((p) => [p.partNumber, p]));
      const resend: number[] = [];
      for (const p of this.parts.values()) {
        const l = listed.get(p.partNumber);
        if (!l || l.size !== p.size || (l.crc64 !== undefined && l.crc64 !== p.crc64)) resend.push(p.partNumber);
        else this.parts.set(p.partNumber, { ...p, etag: p.etag || l.etag, checked: l.crc64 !== undefined || p.checked });
      }
      if (resend.length === 0) {
        // The store reports no CRC at all: nothing more can be checked per part.
        for (const p of this.parts.values()) p.checked = true;
        return;
      }
      for (const n of resend) this.parts.delete(n);
      await this.pool(resend, signal, (n, s) => this.sendPart(ops, key, uploadId, n, s));
    }
    throw new UploadError(ClientErrorCode.CrcMismatch, `Parts of ${key} kept arriving corrupted at the store.`);
  }

  /**
   * Runs `task` over `items` with the configured concurrency. The first failure stops the
   * rest; it resolves or rejects only after every started task has settled.
   */
  private async pool<T>(items: readonly T[], signal: AbortSignal, task: (item: T, signal: AbortSignal) => Promise<void>): Promise<void> {
    const inner = new AbortController();
    const linked = AbortSignal.any([signal, inner.signal]);
    const queue = [...items];
    let failure: unknown;
    const worker = async () => {
      while (queue.length > 0 && !linked.aborted) {
        const item = queue.shift()!;
        try {
          await task(item, linked);
        } catch (e) {
          if (failure === undefined && !signal.aborted) failure = e;
          inner.abort();
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.ctx.options.concurrency, queue.length) }, worker));
    throwIfAborted(signal);
    if (failure !== undefined) throw failure;
  }
}

/** Resume-store calls may not hang an upload (IndexedDB can stall): at most a few seconds, failures ignored. */
function bounded<T>(promise: Promise<T>, ms = RECORD_TIMEOUT_MS): Promise<T | undefined> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(undefined), ms);
    promise.then(
      (v) => { clearTimeout(timer); resolve(v); },
      () => { clearTimeout(timer); resolve(undefined); },
    );
  });
}

function sameEtag(a: string, b: string): boolean {
  const norm = (e: string) => e.replace(/"/g, '').toUpperCase();
  return norm(a) === norm(b);
}

/**
 * DELETE ?uploadId, then ListParts must answer NoSuchUpload or list nothing; otherwise
 * parts survived a race with the delete, so delete again. False if it could not be confirmed.
 */
export async function abortAndConfirm(ops: StoreOperations, key: string, uploadId: string, signal?: AbortSignal): Promise<boolean> {
  for (let round = 1; round <= ABORT_ROUNDS; round++) {
    try {
      await ops.abort(key, uploadId, signal);
      const left = await ops.listParts(key, uploadId, signal);
      if (left.length === 0) return true;
    } catch (e) {
      if (e instanceof UploadError && (e.code === 'NoSuchUpload' || e.code === 'NoSuchKey')) return true;
      if (UploadError.isCancel(e)) throw e;
      if (!(e instanceof UploadError) || !isRetryable(e)) return false;
    }
    await sleep(backoffDelay(round, DEFAULT_RETRY), signal);
  }
  return false;
}

function crcMismatch(what: string, local: bigint, store: bigint): UploadError {
  return new UploadError(
    ClientErrorCode.CrcMismatch,
    `CRC-64 mismatch for ${what}: computed ${local} here, the store has ${store}. The data was corrupted in transit or at rest.`,
  );
}

function corsError(expose: readonly string[], missing: string, requestId: string | undefined): UploadError {
  const origin = typeof location === 'object' ? location.origin : '<your site origin>';
  return new UploadError(
    ClientErrorCode.CorsExposeHeaders,
    `The bucket's CORS rule does not expose the ${missing} header, so the browser hides it and the upload cannot be completed. ` +
      `Add to the bucket's CORS rule for origin ${origin}: ExposeHeader ${expose.join(', ')} ` +
      `(OSS console: Bucket > Content Security > CORS > Exposed Headers; XML: ${expose.map((h) => `<ExposeHeader>${h}</ExposeHeader>`).join('')}).`,
    { requestId },
  );
}
