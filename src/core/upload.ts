/**
 * One file's upload: a single PutObject when it fits in one part, else a multipart upload
 * whose parts go in parallel. Three distinct actions stop it:
 *
 * - `cancel()` (the interrupt): aborts this upload's in-flight requests at once; the
 *   uploadId and the finished parts stay valid, and `resume()` goes on with them.
 * - `abort()`: journals the abort, sends a first DELETE at once (keepalive) while it cancels,
 *   awaits every request in flight, then confirms with ListParts that nothing is left
 *   (deleting again if parts survived); stays journaled if the store is unreachable.
 * - a terminal error: the upload fails with one typed {@link UploadError}; `resume()` may
 *   try again.
 *
 * Which store it talks to, and how the bytes are proven intact, come from the destination's
 * dialect (through {@link IntegrityPlan}); nothing here names a vendor.
 */
import { ConcurrencyLimiter, type Slot } from './concurrency.js';
import type { StorageDialect } from './dialect.js';
import { DEFAULT_DIALECT } from './dialects/index.js';
import { ClientErrorCode, ErrorKind, fileUnreadable, UploadError, throwIfAborted, unreadableBlob } from './errors.js';
import {
  SETTLED_STATES, UploadErrorEvent, UploadProgressEvent, UploadStateEvent, UploadSuccessEvent,
  type UploadEventMap, type UploadResult, type UploadState,
} from './events.js';
import { fingerprint, resumeId } from './fingerprint.js';
import type { BlobDigests } from './hash-blob.js';
import type { Hasher } from './hasher.js';
import { bareEtag, IntegrityPlan, type Verdict } from './integrity.js';
import { freeKey, numberedKey, type ConflictPolicy } from './key-policy.js';
import { assertUsableKey } from './object-key.js';
import type { PartRecord, StoreOperations } from './operations.js';
import { partRange, planParts, type PartPlan } from './part-plan.js';
import type { NetworkState } from './network-state.js';
import { decodeSizes, PartPlanner, singlePutLimit } from './part-planner.js';
import { ProgressMeter } from './progress.js';
import { bounded, type ResumeRecord, type ResumeStore } from './resume-store.js';
import { backoffDelay, DEFAULT_RETRY, isRetryable, retrying } from './retry.js';
import { MAX_LIST_PAGE } from './limits.js';
import { raceSignal, sleep } from './signals.js';
import type { StoreTarget } from './target.js';

/** Where an upload goes, resolved once: the target, its dialect, and the operations on it. */
export interface Destination {
  target: StoreTarget;
  dialect: StorageDialect;
  ops: StoreOperations;
}

/** A destination as a resume record or a pending abort remembers it. */
export type RecordedDestination = Pick<StoreTarget, 'endpoint' | 'bucket' | 'region' | 'dialect'>;

/** What an upload needs from its client; shared by every upload of that client. */
export interface UploadContext {
  destination(signal?: AbortSignal): Promise<Destination>;
  /** A destination other than the current one (resume records, pending aborts). */
  destinationFor(where: RecordedDestination, signal?: AbortSignal): Promise<Destination>;
  hasher: Hasher;
  resumeStore: ResumeStore;
  options: {
    partSize: number;
    concurrency: number;
    contentMd5: boolean;
    /** Recover ETags hidden by CORS from the ListParts body instead of failing. */
    etagFromListParts: boolean;
    /** What to do when the key already names an object (key-policy.ts). */
    onConflict: ConflictPolicy;
  };
  keyFor(file: UploadFile, target: StoreTarget): string;
  /** Keys this page's uploads have taken: two files of one name in one drop get two keys. */
  claimedKeys: Set<string>;
  /** The application names keys itself (`keyFor`): they are used exactly, never renamed. */
  keysNamedByApplication: boolean;
  /** Parts in flight for all the client's uploads, and the link's measured throughput (concurrency.ts). */
  limiter?: ConcurrencyLimiter;
  /** Whether the network is there (network-state.ts): offline, an upload waits instead of failing. */
  network?: NetworkState;
}

export type UploadFile = Blob & { name?: string; lastModified?: number; webkitRelativePath?: string };

/**
 * How an abort ended, as checked on the store:
 * - `confirmed`: nothing of the upload is left there (ListParts says the uploadId is gone,
 *   or, for a single PutObject that was on its way, HEAD kept showing no object for
 *   {@link PUT_WATCH_MS} after the request settled);
 * - `objectExists`: the object exists anyway (Complete or PutObject landed before the abort
 *   could stop it); the upload's state is then `done` and it fired `success` — or, when the
 *   store took a PutObject whose bytes it does not show to be ours, `failed` with `error`.
 * An abort neither confirmed nor finding an object was journaled, to be finished on a later load.
 */
export interface AbortOutcome {
  confirmed: boolean;
  objectExists: boolean;
  /**
   * What the abort could not do, the upload's state `failed` with this error: the store refused
   * it for good (e.g. OBS: only the initiator or the bucket owner may abort; the upload is left
   * there and can be resumed), or the store took a PutObject whose bytes it does not show to
   * be ours (`objectExists`; the object stays).
   */
  error?: UploadError;
}

interface CommittedPart extends PartRecord {
  /** Our digests of the part's bytes. */
  digests: BlobDigests;
  /** The store was seen to hold exactly these bytes (checksum, Content-MD5 or ETag). */
  checked: boolean;
}

/** How many times one part (or a PutObject) is re-sent after the store got other bytes. */
const PART_ATTEMPTS = 3;
/** How long a sent Complete may take before it counts as lost (then HEAD tells). */
const COMPLETE_TIMEOUT_MS = 5 * 60_000;
/** Times one Complete is sent after transient failures, each time after HEAD found no object. */
const COMPLETE_ATTEMPTS = 4;
/** How long a sent Initiate may take; it is let finish even when cancelled. */
const INITIATE_TIMEOUT_MS = 60_000;
/** Rounds of DELETE + ListParts before an abort counts as unconfirmed. */
const ABORT_ROUNDS = 4;
/**
 * After a PutObject in flight is cancelled, the store may still commit what it received:
 * an abort watches for the object (HEAD after each of these waits) before it says none.
 */
const PUT_WATCH_STEPS_MS = [0, 250, 500, 1000, 1250];
/** How long an abort watches for a cancelled PutObject's object: 3 s. */
export const PUT_WATCH_MS = PUT_WATCH_STEPS_MS.reduce((a, b) => a + b, 0);

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
  private dest: Destination | undefined;
  private integrity: IntegrityPlan | undefined;
  private plan: PartPlan | undefined;
  /** Sizes parts as they go (adaptive plan); undefined for a fixed plan (an older resume record). */
  private planner: PartPlanner | undefined;
  private planning: Promise<void> | undefined;
  /** Digests of the next part, computed while the part before it is sent (one part in flight hides no hashing). */
  private readonly prehashed = new Map<number, Promise<BlobDigests>>();
  private meter: ProgressMeter | undefined;
  private recordId: string | undefined;
  private lookedForRecord = false;
  /** The key was chosen here (the default key policy), not named by the application. */
  private keyChosen = false;
  /** When a resume record says an Initiate was sent before the page went away (store time): adopt what it created. */
  private adoptSince: number | undefined;
  /** What a resume record says of a Complete that was sent before the page went away. */
  private completing: ResumeRecord['completing'];
  private readonly parts = new Map<number, CommittedPart>();
  /** The look for uploads a browser-level re-send of our Initiate created (see sweepResentInitiates). */
  private sweep: Promise<void> | undefined;
  /** That look has not finished yet: kept in the record, so a page reloaded meanwhile looks again. */
  private sweepOwed = false;
  /** When our Initiate was answered, on the store's clock as this client knows it (ms). */
  private initiatedAt: number | undefined;
  /** Digests of a PutObject that was sent and never answered: it may still land. */
  private unansweredPut: Promise<BlobDigests> | undefined;
  /**
   * The digests of a PutObject the store answered 2xx but whose bytes were not proven ours
   * (a checksum that disagreed, being retried): an object is at the key whatever an abort does.
   */
  private storedPut: { key: string; digest: Promise<BlobDigests> } | undefined;
  private controller: AbortController | undefined;
  private running: Promise<UploadResult> | undefined;
  private aborting = false;
  private aborted: Promise<AbortOutcome> | undefined;
  /** When this upload's abort was first journaled as owed. */
  private abortOwedSince: number | undefined;

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
    // Waiting for the network: try it now (a Retry pressed); the upload is still running.
    if (this.stateValue === 'offline' && this.running) {
      void this.ctx.network?.probeNow();
      return this.running;
    }
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
   * Journals the abort, deletes the uploadId on the store at once while it cancels, awaits
   * the requests in flight, and confirms with ListParts that no part survived (deleting again
   * if one did). If `signal` stops the abort before it is confirmed, it stays journaled like
   * an abort that could not reach the store.
   */
  abort(signal?: AbortSignal): Promise<AbortOutcome> {
    if (this.stateValue === 'done') return Promise.resolve({ confirmed: false, objectExists: true });
    this.aborted ??= this.abortOnce(signal);
    return this.aborted;
  }

  private async abortOnce(signal?: AbortSignal): Promise<AbortOutcome> {
    const completeSent = this.stateValue === 'completing' || this.stateValue === 'verifying';
    this.aborting = true;
    this.setState('aborting');
    // Owed from the first moment: a page closed while the abort runs leaves it to the next load.
    const journaled = this.journalAbort();
    // And a first DELETE goes out at once (keepalive, tried once), before the requests in
    // flight have settled: once sent, it deletes the upload even if the page closes now.
    // Parts that land after it are refused; the confirmation below lists what is left and
    // deletes again if anything is. Not when Complete is on its way: a Complete once sent is
    // let finish, and decides (the object exists, or the abort goes on).
    const id = this.uploadIdValue;
    const early = id && this.keyValue && this.dest && !completeSent
      ? this.dest.ops.abort(this.keyValue, id, signal, { outlivePage: true }).then(() => id, () => undefined)
      : undefined;
    this.controller?.abort(UploadError.cancelled());
    await journaled;
    await raceSignal<unknown>(this.running ?? Promise.resolve(), signal).catch(() => undefined);
    const deleted = await early;
    if ((this.stateValue as UploadState) === 'done') {
      // Complete (or the PutObject) had already landed: the object exists, there is nothing to abort.
      if (this.uploadIdValue) await bounded(this.ctx.resumeStore.removePendingAbort(this.uploadIdValue));
      this.aborting = false;
      this.aborted = undefined;
      return { confirmed: false, objectExists: true };
    }
    let confirmed = true;
    const stored = this.unansweredPut ? undefined : this.storedPut;
    const put = this.unansweredPut ?? stored?.digest;
    if (put && this.dest && this.keyValue) {
      const watch = await this.watchForPut(this.dest, stored?.key ?? this.keyValue, put, signal);
      if (watch.landed) {
        this.aborting = false;
        this.aborted = undefined;
        this.resultValue = watch.landed;
        this.setState('done');
        this.dispatchEvent(new UploadSuccessEvent(watch.landed));
        return { confirmed: false, objectExists: true };
      }
      if (stored && !watch.complete) {
        // The store took a PutObject whose bytes it does not show to be ours: an object is
        // there, and an abort cannot take it back. Said as it is, never "confirmed".
        const e = this.errorValue?.kind === ErrorKind.Integrity ? this.errorValue : integrityError(`PutObject of ${stored.key}`, undefined);
        return this.abortFailed(e, true);
      }
      confirmed = watch.complete;
    }
    if (this.uploadIdValue && this.keyValue && this.dest) {
      await this.journalAbort(); // the uploadId may have been learned while the cancel settled
      try {
        confirmed = await abortAndConfirm(this.dest.ops, this.keyValue, this.uploadIdValue, signal, deleted === this.uploadIdValue);
      } catch (e) {
        if (!(e instanceof AbortRefused)) throw e;
        // Refused for good: nothing to finish later; the upload stays, and can still be resumed.
        await bounded(this.ctx.resumeStore.removePendingAbort(this.uploadIdValue));
        return this.abortFailed(e, false);
      }
      // Unconfirmed, it stays journaled, to be finished on a later load.
      if (confirmed) await bounded(this.ctx.resumeStore.removePendingAbort(this.uploadIdValue));
    }
    await this.forgetRecord();
    this.parts.clear();
    this.aborting = false;
    this.setState('aborted');
    return { confirmed, objectExists: false };
  }

  /** An abort that could not do what it was asked: the upload is `failed` with `e`, and may be aborted again. */
  private abortFailed(e: UploadError, objectExists: boolean): AbortOutcome {
    this.aborting = false;
    this.aborted = undefined;
    this.errorValue = e;
    this.setState('failed');
    this.dispatchEvent(new UploadErrorEvent(e));
    return { confirmed: false, objectExists, error: e };
  }

  /** Journals this upload's abort as owed (before it is tried: see abortOnce). */
  private async journalAbort(): Promise<void> {
    if (!this.uploadIdValue || !this.keyValue || !this.dest) return;
    const t = this.dest.target;
    this.abortOwedSince ??= Date.now();
    await bounded(this.ctx.resumeStore.addPendingAbort({
      uploadId: this.uploadIdValue, key: this.keyValue, endpoint: t.endpoint,
      bucket: t.bucket, region: t.region, dialect: this.dest.dialect.id, since: this.abortOwedSince,
    }));
  }

  /**
   * Watches for a cancelled PutObject's object for {@link PUT_WATCH_MS}: `landed` if it
   * appears with our bytes; `complete` when the whole watch ran and every HEAD answered that
   * there is no such object (only then may the abort call itself confirmed).
   */
  private async watchForPut(
    dest: Destination, key: string, digest: Promise<BlobDigests>, signal?: AbortSignal,
  ): Promise<{ landed?: UploadResult; complete: boolean }> {
    const digests = await digest.catch(() => undefined);
    if (!digests) return { complete: false };
    let complete = true;
    for (const wait of PUT_WATCH_STEPS_MS) {
      if (wait) await new Promise((r) => setTimeout(r, wait));
      if (signal?.aborted) return { complete: false };
      const head = await dest.ops.head(key, AbortSignal.timeout(5000)).catch(() => null);
      if (head === null) complete = false;
      if (head && head.size === this.file.size && this.integrity!.judgeListed(digests, head) === 'verified') {
        this.meter?.update(this.file.size, 1);
        return { landed: this.resultFor(dest, key, this.integrity!.localChecksum(digests), head.etag ?? undefined, true), complete: true };
      }
      // An object is there that cannot be told to be ours (or not): nothing can be confirmed.
      if (head) return { complete: false };
    }
    return { complete };
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
    const running = Promise.resolve().then(() => this.executeOnline(controller.signal)).then(
      (result) => {
        this.resultValue = result;
        this.setState('done');
        this.emitProgress();
        this.dispatchEvent(new UploadSuccessEvent(result));
        return result;
      },
      (e: unknown) => {
        const error = e instanceof UploadError ? e
          : fileUnreadable(e) ?? new UploadError(ClientErrorCode.MalformedResponse, String((e as Error)?.message ?? e), { cause: e });
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

  /**
   * Runs the upload; when the network goes away (an `Offline` error), waits for it in the
   * state `offline` and goes on by itself, with the same uploadId and the parts the store has.
   */
  private async executeOnline(signal: AbortSignal): Promise<UploadResult> {
    for (;;) {
      try {
        return await this.execute(signal);
      } catch (e) {
        const network = this.ctx.network;
        if (!network || !(e instanceof UploadError) || e.kind !== ErrorKind.Offline || signal.aborted) throw e;
        this.setState('offline');
        await network.whenOnline(signal).catch(() => throwIfAborted(signal));
        this.setState('preparing');
      }
    }
  }

  private get limiter(): ConcurrencyLimiter {
    return (this.ctx.limiter ??= new ConcurrencyLimiter(this.ctx.options.concurrency));
  }

  private async execute(signal: AbortSignal): Promise<UploadResult> {
    throwIfAborted(signal);
    const dest = (this.dest ??= await this.ctx.destination(signal));
    this.integrity ??= new IntegrityPlan(dest.dialect.integrity, this.ctx.options.contentMd5);
    // Adaptive parts (part-planner.ts): a file larger than the store's smallest part may go
    // in parts (and may have a resume record, which brings its own plan); one the link carries
    // in a few seconds goes in one PutObject; else parts are sized as they go.
    const floor = dest.dialect.limits.minPartSize;
    const multipart = this.plan ? this.planner !== undefined || this.plan.partCount > 1 : this.file.size > floor;
    if (this.keyValue === undefined) {
      const wanted = this.ctx.keyFor(this.file, dest.target);
      assertUsableKey(wanted);
      // An interrupted upload of this file (perhaps renamed on a conflict) goes on at its key.
      const recorded = multipart ? await findRecordFor(this.ctx.resumeStore, this.file, dest, wanted) : undefined;
      // A multipart upload checks the name before it sends its parts (a conflict found at
      // Complete would mean sending them all again); a single PUT learns of one from the store.
      this.keyChosen = !this.ctx.keysNamedByApplication;
      this.keyValue = recorded?.key
        ?? (!this.renames ? wanted
          : multipart ? await freeKey(dest.ops, wanted, this.ctx.claimedKeys, signal) : unclaimed(wanted, this.ctx.claimedKeys));
      this.ctx.claimedKeys.add(this.keyValue);
    }
    assertUsableKey(this.keyValue);
    if (multipart && !this.lookedForRecord) await this.findRecord(dest);
    if (!this.plan) {
      if (this.file.size <= singlePutLimit(floor, this.opts.partSize, this.limiter.throughput)) {
        this.plan = planParts(this.file.size, floor, Math.max(floor, this.file.size));
      } else {
        this.planner = new PartPlanner(this.file.size, floor, this.opts.partSize);
        this.plan = this.planner.plan;
      }
    }
    this.meter ??= new ProgressMeter(this.file.size, this.planner ? this.planner.estimatedCount() : this.plan.partCount);
    if (this.plan.partCount === 1 && !this.uploadIdValue) return this.putSingle(dest, signal);
    return this.multipart(dest, signal);
  }

  private get opts() {
    return this.ctx.options;
  }

  /** Whether a taken name is renamed: the `rename` policy, for a key the application did not name. */
  private get renames(): boolean {
    return this.keyChosen && this.ctx.options.onConflict === 'rename';
  }

  /** Whether the store must refuse to replace an existing object (every policy but `overwrite`). */
  private get forbidOverwrite(): boolean {
    return this.ctx.options.onConflict !== 'overwrite';
  }

  /** Digests of `blob` for this upload's integrity plan. */
  private digest(blob: Blob, signal?: AbortSignal): Promise<BlobDigests> {
    // A file changed on disk fails in the hash worker under a vague name: the file itself tells.
    return this.ctx.hasher.digest(blob, this.integrity!.digests(), signal).catch(async (e: unknown) => {
      if (e instanceof UploadError) throw e;
      throw (await unreadableBlob(blob, e)) ?? new UploadError(
        ClientErrorCode.HashFailed,
        `The checksum of ${this.file.name} could not be computed (${e instanceof Error ? e.message : String(e)}): the upload stops rather than finish unverified. Try again.`,
        { cause: e },
      );
    });
  }

  // ---- single PutObject -------------------------------------------------------------

  private async putSingle(dest: Destination, signal: AbortSignal): Promise<UploadResult> {
    let key = this.keyValue!;
    const integrity = this.integrity!;
    this.setState('uploading');
    this.emitProgress();
    for (let attempt = 1; ; attempt++) {
      // Not tied to `signal`: a PUT that landed before the cancel still needs its digests.
      const digest = this.digest(this.file);
      digest.catch(() => undefined);
      const md5Sent = integrity.sendsMd5;
      let res;
      try {
        const headers = integrity.digestsBeforeSend ? integrity.requestHeaders(await raceSignal(digest, signal)) : {};
        this.unansweredPut = digest;
        res = await dest.ops.putObject(key, this.file, { contentType: this.contentType, headers, forbidOverwrite: this.forbidOverwrite }, signal);
        this.unansweredPut = undefined;
        this.storedPut = { key, digest };
      } catch (e) {
        // The store answered: it did not take the object. Only a request cut short may still land.
        if (e instanceof UploadError && e.status !== undefined) this.unansweredPut = undefined;
        if (e instanceof UploadError && e.kind === ErrorKind.BadDigest && attempt < PART_ATTEMPTS) continue;
        if (e instanceof UploadError && e.kind === ErrorKind.ObjectExists) {
          // A retried PUT whose first answer was lost finds its own object.
          if (await this.landed(dest.ops, key, digest)) return this.finishSingle(dest, key, await digest, undefined, true);
          if (this.renames && attempt < PART_ATTEMPTS) {
            key = this.keyValue = await freeKey(dest.ops, key, this.ctx.claimedKeys, signal);
            this.ctx.claimedKeys.add(key);
            continue;
          }
        }
        if (UploadError.isCancel(e) && (await this.landed(dest.ops, key, digest))) {
          return this.finishSingle(dest, key, await digest, undefined, true);
        }
        throw e;
      }
      // From here the object is on the store: a cancel arriving now changes nothing.
      const digests = await digest;
      const verdict = integrity.judge(digests, res, md5Sent);
      if (verdict === 'mismatch') {
        if (attempt < PART_ATTEMPTS && !signal.aborted) continue;
        throw integrityError(`PutObject of ${key}`, res.requestId);
      }
      return this.finishSingle(dest, key, digests, res.etag ?? undefined, verdict === 'verified');
    }
  }

  private finishSingle(dest: Destination, key: string, digests: BlobDigests, etag: string | undefined, verified: boolean): UploadResult {
    this.meter!.update(this.file.size, 1);
    return this.resultFor(dest, key, this.integrity!.localChecksum(digests), etag, verified);
  }

  private resultFor(dest: Destination, key: string, checksum: bigint | undefined, etag: string | undefined, verified: boolean, location?: string): UploadResult {
    const algorithm = this.integrity!.checksum?.algorithm;
    return {
      bucket: dest.target.bucket, key, location: location || dest.ops.client.objectUrl(key), etag,
      checksum: checksum !== undefined && algorithm ? { algorithm, value: checksum.toString() } : undefined,
      crc64: checksum?.toString(), verified, size: this.file.size,
    };
  }

  /** After a cancelled PutObject: did the bytes land anyway? (HEAD: same size, and the checksum or ETag proves the bytes.) */
  private async landed(ops: StoreOperations, key: string, digest: Promise<BlobDigests>): Promise<boolean> {
    try {
      const head = await ops.head(key, AbortSignal.timeout(5000));
      if (!head || head.size !== this.file.size) return false;
      return this.integrity!.judgeListed(await digest, head) === 'verified';
    } catch {
      return false;
    }
  }

  // ---- multipart ----------------------------------------------------------------------

  private async findRecord(dest: Destination): Promise<void> {
    this.lookedForRecord = true;
    const identity = await fingerprint(this.file);
    this.recordId = resumeId(identity, dest.target, this.keyValue!);
    const record = await bounded(this.ctx.resumeStore.get(this.recordId));
    // Only a record of the same file going to the same key in the same dialect: anything else is another upload.
    if (record && record.key === this.keyValue && record.size === this.file.size
      && (record.dialect ?? DEFAULT_DIALECT) === dest.dialect.id && record.partSize >= dest.dialect.limits.minPartSize) {
      this.uploadIdValue = record.uploadId || undefined;
      if (!record.uploadId) this.adoptSince = record.initiating;
      this.completing = record.completing;
      this.sweepOwed = record.sweepOwed === true;
      if (record.checksumAccepted !== undefined) this.integrity!.checksumAccepted = record.checksumAccepted;
      if (record.partSizes) {
        this.planner = new PartPlanner(this.file.size, dest.dialect.limits.minPartSize, record.partSize, decodeSizes(record.partSizes));
        this.plan = this.planner.plan;
      } else {
        this.plan = { size: this.file.size, partSize: record.partSize, partCount: Math.max(1, Math.ceil(this.file.size / record.partSize)) };
      }
    }
  }

  private async multipart(dest: Destination, signal: AbortSignal): Promise<UploadResult> {
    const key = this.keyValue!;
    const { ops } = dest;
    const integrity = this.integrity!;
    if (this.uploadIdValue) {
      const finished = await this.reconcile(dest, key, this.uploadIdValue, signal);
      if (finished) return finished;
    }
    if (!this.uploadIdValue) {
      // Nothing new is started once cancelled (an abort pressed while an old upload was found gone).
      throwIfAborted(signal);
      // Initiate carries no file bytes and is let finish even if cancelled: an uploadId
      // created on the store but never learned here could not be resumed or aborted.
      // Recorded first: if the page goes away before the answer, the next load adopts the upload.
      const initiating = this.adoptSince ?? ops.client.now().getTime();
      await this.saveRecord(dest, key, '', undefined, initiating);
      const initiated = await ops.initiate(
        key, this.contentType,
        { forbidOverwrite: this.forbidOverwrite, adoptSince: this.adoptSince, isKnown: (id) => knownUploadId(this.ctx.resumeStore, id) },
        AbortSignal.timeout(INITIATE_TIMEOUT_MS),
      ).catch((e: unknown) => {
        // No answer: a later attempt (after going offline, say) adopts what this one may have created.
        this.adoptSince = initiating;
        throw e;
      });
      this.adoptSince = undefined;
      this.uploadIdValue = initiated.uploadId;
      integrity.checksumAccepted = initiated.checksumAccepted;
      this.sweepOwed = true;
      this.initiatedAt = ops.client.now().getTime();
      await this.saveRecord(dest, key, initiated.uploadId);
    }
    const uploadId = this.uploadIdValue;
    // Runs beside the parts; awaited before Complete. Again after a reload that cut it short.
    if (this.sweepOwed && !this.sweep) this.sweep = this.sweepOnce(dest, key, uploadId);
    throwIfAborted(signal);
    this.meter!.reset(this.committedBytes(), this.parts.size);
    this.setState('uploading');
    this.emitProgress();
    await this.uploadMissingParts(ops, key, uploadId, signal);
    await this.checkAgainstListParts(ops, key, uploadId, signal);
    // A cancel while the look for a twin runs stops here, before Complete.
    await raceSignal(this.sweep ?? Promise.resolve(), signal);
    throwIfAborted(signal);

    this.setState('completing');
    const sorted = this.sortedParts();
    const folded = integrity.fold(sorted.map((p) => ({ checksum: integrity.localChecksum(p.digests), size: p.size })));
    const partsEtag = await this.multipartEtag(sorted);
    // Written before Complete is sent: a reload while it is in flight then finds the object, not a new upload.
    // Kept here too: a retry in this page after a Complete that failed (but landed) finds it the same way.
    this.completing = { checksum: folded?.toString(), etag: partsEtag };
    await this.saveRecord(dest, key, uploadId, this.completing);
    const completeOpts = {
      forbidOverwrite: this.forbidOverwrite,
      objectChecksum: integrity.checksumAccepted ? folded : undefined,
    };
    // Complete, like Initiate, is let finish once sent: the store goes on with it even if the
    // client goes away, so cancelling it would only hide an object that exists.
    let completed;
    try {
      completed = await this.completeLooking(ops, key, uploadId, sorted, completeOpts, folded, partsEtag);
    } catch (e) {
      if (e instanceof UploadError && e.kind === ErrorKind.InvalidPartList) {
        // Our list and the store's disagree: rebuild ours from ListParts, re-send what is
        // missing or different, and complete once more.
        await this.reconcile(dest, key, uploadId, signal);
        await this.uploadMissingParts(ops, key, uploadId, signal);
        await this.checkAgainstListParts(ops, key, uploadId, signal);
        completed = await this.completeLooking(ops, key, uploadId, this.sortedParts(), completeOpts, folded, partsEtag);
      } else {
        const recovered = await this.recoverComplete(ops, key, folded, partsEtag, e);
        if (!recovered) throw e;
        completed = recovered;
      }
    }

    this.setState('verifying');
    let storeChecksum = completed.checksum;
    if (storeChecksum === undefined && folded !== undefined && integrity.checksumAccepted) {
      storeChecksum = (await ops.head(key, AbortSignal.timeout(30_000)).catch(() => undefined))?.checksum;
    }
    if (storeChecksum !== undefined && folded !== undefined && storeChecksum !== folded) {
      // The header of one answer may have been damaged on its way: the object itself decides.
      const head = await ops.head(key, AbortSignal.timeout(30_000)).catch(() => undefined);
      if (head?.checksum !== undefined) storeChecksum = head.checksum;
    }
    await this.forgetRecord();
    if (storeChecksum !== undefined && folded !== undefined && storeChecksum !== folded) {
      throw integrityError(`the object ${key} (computed ${folded}, the store has ${storeChecksum})`, completed.requestId);
    }
    const verified = storeChecksum !== undefined || sorted.every((p) => p.checked);
    return this.resultFor(dest, key, folded, completed.etag || undefined, verified, completed.location);
  }

  private sortedParts(): CommittedPart[] {
    return [...this.parts.values()].sort((a, b) => a.partNumber - b.partNumber);
  }

  /**
   * The multipart ETag the store will give the object (MD5 of the parts' binary MD5s, then
   * `-N`, in every dialect), when every part's MD5 is known; it identifies our object after
   * a lost Complete on stores without a checksum.
   */
  private async multipartEtag(parts: readonly CommittedPart[]): Promise<string | undefined> {
    if (parts.length === 0 || parts.some((p) => !p.digests.md5)) return undefined;
    const joined = new Uint8Array(parts.length * 16);
    parts.forEach((p, i) => joined.set(hexBytes(p.digests.md5!), i * 16));
    const { md5 } = await this.ctx.hasher.digest(new Blob([joined]), ['md5']).catch(() => ({ md5: undefined }));
    return md5 ? `${md5}-${parts.length}` : undefined;
  }

  /** Whether the object at `key` is the one this upload completes: same size, and the checksum or multipart ETag. */
  private async isOurObject(ops: StoreOperations, key: string, checksum: bigint | string | undefined, etag: string | undefined) {
    const head = await ops.head(key, AbortSignal.timeout(30_000)).catch(() => undefined);
    if (!head || head.size !== this.file.size) return undefined;
    const sameChecksum = checksum !== undefined && head.checksum !== undefined && head.checksum === BigInt(checksum);
    const sameEtag = etag !== undefined && bareEtag(head.etag) === etag;
    return sameChecksum || sameEtag ? head : undefined;
  }

  /**
   * Complete, never sent again blindly: after a transient failure (a lost answer, a timeout,
   * a 5xx) the store may have completed anyway, so HEAD looks first, and Complete goes again
   * only when our object is not there. (Sent again blindly, it reached the store a second
   * time — 3 duplicate Completes in a 200-upload soak.)
   */
  private async completeLooking(
    ops: StoreOperations, key: string, uploadId: string, parts: readonly CommittedPart[],
    opts: Parameters<StoreOperations['complete']>[3], folded: bigint | undefined, partsEtag: string | undefined,
  ) {
    for (let attempt = 1; ; attempt++) {
      try {
        return await ops.complete(key, uploadId, parts, opts, AbortSignal.timeout(COMPLETE_TIMEOUT_MS));
      } catch (e) {
        if (!(e instanceof UploadError) || !isRetryable(e) || attempt >= COMPLETE_ATTEMPTS) throw e;
        const head = await this.isOurObject(ops, key, folded, partsEtag);
        if (head) return { location: '', etag: head.etag ?? '', checksum: head.checksum, requestId: undefined };
        await sleep(backoffDelay(attempt, DEFAULT_RETRY));
      }
    }
  }

  /**
   * A Complete that failed may still have completed (a lost answer; the store goes on after
   * a disconnect): if the object is there with our size and checksum (or ETag), it did.
   */
  private async recoverComplete(ops: StoreOperations, key: string, folded: bigint | undefined, partsEtag: string | undefined, e: unknown) {
    if (!(e instanceof UploadError) || UploadError.isCancel(e)) return undefined;
    // Gone, lost, or refused as "exists": a Complete sent twice finds its own object.
    const maybeLanded: readonly string[] = [ErrorKind.UploadGone, ErrorKind.Network, ErrorKind.Timeout, ErrorKind.ObjectExists];
    if (!maybeLanded.includes(e.kind)) return undefined;
    const head = await this.isOurObject(ops, key, folded, partsEtag);
    return head ? { location: '', etag: head.etag ?? '', checksum: head.checksum, requestId: undefined } : undefined;
  }

  /** Deletes this upload's resume record, if it is still ours (same uploadId). */
  private async forgetRecord(): Promise<void> {
    if (!this.recordId) return;
    const record = await bounded(this.ctx.resumeStore.get(this.recordId));
    if (record && (!this.uploadIdValue || !record.uploadId || record.uploadId === this.uploadIdValue)) {
      await bounded(this.ctx.resumeStore.delete(this.recordId));
    }
  }

  private committedBytes(): number {
    let n = 0;
    for (const p of this.parts.values()) n += p.size;
    return n;
  }

  /** {@link sweepResentInitiates}, and the record told when it has looked. */
  private async sweepOnce(dest: Destination, key: string, uploadId: string): Promise<void> {
    if (!(await sweepResentInitiates(dest.ops, this.ctx.resumeStore, key, uploadId, this.initiatedAt))) {
      this.sweep = undefined; // a resume looks again
      return;
    }
    this.sweepOwed = false;
    // Not after an abort forgot the record (it would offer an aborted upload again).
    if (this.uploadIdValue === uploadId && !this.completing && !this.aborting && this.stateValue !== 'aborted') {
      await this.saveRecord(dest, key, uploadId);
    }
  }

  private async saveRecord(dest: Destination, key: string, uploadId: string, completing?: ResumeRecord['completing'], initiating?: number): Promise<void> {
    if (!this.recordId) return;
    const t = dest.target;
    const record: ResumeRecord = {
      id: this.recordId, fileName: this.file.name ?? '', size: this.file.size, lastModified: this.file.lastModified ?? 0,
      endpoint: t.endpoint, bucket: t.bucket, region: t.region, dialect: dest.dialect.id, key, uploadId,
      partSize: this.plan!.partSize, ...(this.planner ? { partSizes: this.planner.runs() } : {}),
      checksumAccepted: this.integrity!.checksumAccepted, createdAt: Date.now(),
      ...(completing ? { completing } : {}), ...(initiating !== undefined ? { initiating } : {}),
      ...(this.sweepOwed && uploadId ? { sweepOwed: true } : {}),
    };
    await bounded(this.ctx.resumeStore.put(record));
  }

  /**
   * Reads every page of ListParts and keeps the parts whose size and digests match this
   * file. If the upload is gone, a Complete sent before a reload may have finished it: the
   * result is returned when the object is there; otherwise the upload starts over.
   */
  private async reconcile(dest: Destination, key: string, uploadId: string, signal: AbortSignal): Promise<UploadResult | undefined> {
    let listed: PartRecord[];
    try {
      listed = await dest.ops.listParts(key, uploadId, signal);
    } catch (e) {
      if (!(e instanceof UploadError) || e.kind !== ErrorKind.UploadGone) throw e;
      const completing = this.completing;
      if (completing && (await this.isOurObject(dest.ops, key, completing.checksum, completing.etag))) {
        await this.forgetRecord();
        this.meter!.update(this.file.size, this.plan!.partCount);
        const checksum = completing.checksum === undefined ? undefined : BigInt(completing.checksum);
        return this.resultFor(dest, key, checksum, completing.etag, true);
      }
      // Gone (aborted, expired, or completed elsewhere): start over cleanly.
      await this.forgetRecord();
      this.uploadIdValue = undefined;
      this.completing = undefined;
      this.parts.clear();
      return undefined;
    }
    const plan = this.plan!;
    const integrity = this.integrity!;
    const candidates = listed.filter((p) => {
      if (p.partNumber < 1 || p.partNumber > plan.partCount) return false;
      const { start, end } = partRange(plan, p.partNumber);
      return p.size === end - start;
    });
    const known = new Map(this.parts);
    this.parts.clear();
    await this.pool(candidates, signal, async (p, s) => {
      const mine = known.get(p.partNumber);
      if (mine && mine.size === p.size && integrity.judgeListed(mine.digests, p) !== 'mismatch' && (!mine.etag || bareEtag(mine.etag) === bareEtag(p.etag))) {
        // Hashed in this page already: the store still has the same bytes.
        this.parts.set(p.partNumber, { ...mine, etag: p.etag });
        return;
      }
      const { start, end } = partRange(plan, p.partNumber);
      const digests = await this.ctx.hasher.digest(this.file.slice(start, end), integrity.digestsForListed(), s);
      const verdict = integrity.judgeListed(digests, p);
      if (verdict !== 'mismatch') this.parts.set(p.partNumber, { ...p, digests, checked: verdict === 'verified' });
    });
    return undefined;
  }

  private async uploadMissingParts(ops: StoreOperations, key: string, uploadId: string, signal: AbortSignal): Promise<void> {
    const missing: number[] = [];
    for (let n = 1; n <= this.plan!.partCount; n++) if (!this.parts.has(n)) missing.push(n);
    if (this.planner) return this.sendPlannedParts(ops, key, uploadId, missing, signal);
    await this.pool(missing, signal, (n, s) => this.sendPart(ops, key, uploadId, n, s));
  }

  // ---- adaptive parts and concurrency (part-planner.ts, concurrency.ts) ---------------

  /**
   * Sends the `missing` parts of the plan so far, then plans and sends the rest a few parts
   * at a time, each part in a slot of the client's limiter. The plan is written to the
   * resume record before any part of it is sent. Like {@link pool}: the first failure stops
   * the rest, and it settles only after every started part has.
   */
  private async sendPlannedParts(ops: StoreOperations, key: string, uploadId: string, missing: number[], signal: AbortSignal): Promise<void> {
    const planner = this.planner!;
    const limiter = this.limiter;
    limiter.start(planner.floor);
    this.prehashed.clear();
    const inner = new AbortController();
    const linked = AbortSignal.any([signal, inner.signal]);
    const queue = [...missing];
    const next = async (): Promise<number | undefined> => {
      while (queue.length === 0 && !planner.complete) {
        this.planning ??= this.planMore(key, uploadId).then((added) => void queue.push(...added))
          .finally(() => { this.planning = undefined; });
        await this.planning;
      }
      return queue.shift();
    };
    let failure: unknown;
    const worker = async () => {
      while (!linked.aborted) {
        let slot: Slot;
        try {
          slot = await limiter.acquire(this, linked);
        } catch {
          return;
        }
        try {
          const n = linked.aborted ? undefined : await next();
          if (n === undefined || linked.aborted) return;
          const following = queue[0];
          if (following !== undefined && !this.prehashed.has(following)) {
            const { start, end } = partRange(planner.plan, following);
            const digest = this.digest(this.file.slice(start, end), linked);
            digest.catch(() => this.prehashed.delete(following));
            this.prehashed.set(following, digest);
          }
          await this.sendPart(ops, key, uploadId, n, linked, slot);
        } catch (e) {
          if (failure === undefined && !signal.aborted) failure = e;
          inner.abort();
        } finally {
          slot.release();
        }
      }
    };
    await Promise.all(Array.from({ length: limiter.max }, worker));
    throwIfAborted(signal);
    if (failure !== undefined) throw failure;
  }

  /** Plans the next parts for the link as measured, and records the plan before they are sent. */
  private async planMore(key: string, uploadId: string): Promise<number[]> {
    const planner = this.planner!;
    const limiter = this.limiter;
    const link = { throughput: limiter.throughput, parallel: limiter.limit, largestMeasured: limiter.largestMeasured };
    // One part per slot; four per slot once parts are as large as they may be (fewer record writes).
    const lastSize = planner.planned - (planner.plan.partCount > 1 ? planner.plan.ends![planner.plan.partCount - 2]! : 0);
    // At least two: the next part is hashed while one is sent.
    const added = planner.extend(link, Math.max(2, limiter.limit) * (planner.plan.partCount > 0 && lastSize >= planner.plan.partSize ? 4 : 1));
    this.meter?.setPartsTotal(planner.estimatedCount());
    if (this.dest) await this.saveRecord(this.dest, key, uploadId);
    return added;
  }

  private async sendPart(ops: StoreOperations, key: string, uploadId: string, n: number, signal: AbortSignal, slot?: Slot): Promise<void> {
    const integrity = this.integrity!;
    const { start, end } = partRange(this.plan!, n);
    const slice = this.file.slice(start, end);
    for (let attempt = 1; ; attempt++) {
      const ready = attempt === 1 ? this.prehashed.get(n) : undefined;
      this.prehashed.delete(n);
      const digest = ready ?? this.digest(slice, signal);
      digest.catch(() => undefined);
      const md5Sent = integrity.sendsMd5;
      let res;
      try {
        const headers = integrity.digestsBeforeSend ? integrity.requestHeaders(await digest) : {};
        // Timed for the limiter (the link's throughput); shown as bytes in flight meanwhile.
        const sent = performance.now();
        this.meter?.sending(n, end - start);
        try {
          res = await ops.uploadPart(key, uploadId, n, slice, headers, signal);
        } finally {
          this.meter?.settled(n, res !== undefined);
        }
        slot?.release({ bytes: end - start, ms: performance.now() - sent });
      } catch (e) {
        // The bytes the store received differ from the bytes hashed here: read the slice again.
        if (e instanceof UploadError && e.kind === ErrorKind.BadDigest && attempt < PART_ATTEMPTS) continue;
        throw e;
      }
      if (res.etag === null && !this.opts.etagFromListParts) throw corsError(ops, ['ETag'], res.requestId);
      const digests = await digest;
      const verdict: Verdict = integrity.judge(digests, res, md5Sent);
      if (verdict === 'mismatch') {
        if (attempt < PART_ATTEMPTS) continue;
        throw integrityError(`part ${n} of ${key}`, res.requestId);
      }
      this.parts.set(n, { partNumber: n, etag: res.etag ?? '', size: end - start, checksum: res.checksum, digests, checked: verdict === 'verified' });
      this.meter!.update(this.committedBytes(), this.parts.size);
      this.emitProgress();
      return;
    }
  }

  /**
   * Where CORS hid a part's ETag or checksum header, read them from the ListParts body
   * (which CORS does not filter) and re-send any part the store disagrees about.
   */
  private async checkAgainstListParts(ops: StoreOperations, key: string, uploadId: string, signal: AbortSignal): Promise<void> {
    const integrity = this.integrity!;
    for (let round = 0; round < PART_ATTEMPTS; round++) {
      if ([...this.parts.values()].every((p) => p.checked && p.etag)) return;
      const listed = new Map((await ops.listParts(key, uploadId, signal)).map((p) => [p.partNumber, p]));
      const resend: number[] = [];
      let anyUnverifiable = false;
      for (const p of this.parts.values()) {
        const l = listed.get(p.partNumber);
        const verdict = l && l.size === p.size ? integrity.judgeListed(p.digests, l) : 'mismatch';
        if (verdict === 'mismatch') {
          resend.push(p.partNumber);
          continue;
        }
        anyUnverifiable ||= verdict === 'unverified' && !p.checked;
        this.parts.set(p.partNumber, { ...p, etag: p.etag || l!.etag, checked: p.checked || verdict === 'verified' });
      }
      if (resend.length === 0) {
        // The store reports nothing that could check these parts: nothing more can be done per part.
        if (anyUnverifiable) return;
        continue;
      }
      for (const n of resend) this.parts.delete(n);
      await this.pool(resend, signal, (n, s) => this.sendPart(ops, key, uploadId, n, s));
    }
    if ([...this.parts.values()].some((p) => !p.etag)) {
      throw new UploadError(ClientErrorCode.CrcMismatch, `Parts of ${key} kept arriving corrupted at the store.`, { kind: ErrorKind.Integrity });
    }
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
    await Promise.all(Array.from({ length: Math.min(this.opts.concurrency, queue.length) }, worker));
    throwIfAborted(signal);
    if (failure !== undefined) throw failure;
  }
}

/** How far apart (store time) a browser's re-send of an Initiate and the original begin: seconds at most. */
const RESEND_WINDOW_MS = 5000;

/** A record still initiating counts as another tab's Initiate for this long after it was written. */
const RESEND_LOOK_FRESH_MS = 10 * 60_000;

/**
 * A browser may send a POST again by itself, below fetch, when a kept-alive connection closes
 * before any answer byte (Chromium does): the store then holds two uploads for one Initiate,
 * and the page learns only the second. After an Initiate, uploads at `key` that began within
 * a few seconds of ours (both times on the store's clock, so no clock offset matters), that
 * no record or owed abort here knows, and while no other upload of this key is being
 * initiated here, are that re-send's: they are aborted. If ours is no longer listed (an abort
 * deleted it first), `approxBegan` — when its Initiate was answered, by this client's idea
 * of the store's clock — stands in for its start. Never fails the upload. True when it has
 * looked (or may not list); false when it could not finish (worth another look).
 */
export async function sweepResentInitiates(ops: StoreOperations, store: ResumeStore, key: string, ours: string, approxBegan?: number): Promise<boolean> {
  try {
    // Another tab of this origin initiating the same key right now (a record of it written in
    // the last minutes, read after the listing): its upload is not a re-send.
    const { uploads } = await ops.listUploads(key, {}, MAX_LIST_PAGE, AbortSignal.timeout(30_000));
    const records = (await bounded(store.list())) ?? [];
    if (records.some((r) => r.key === key && !r.uploadId && Date.now() - r.createdAt < RESEND_LOOK_FRESH_MS)) return false;
    const mine = uploads.find((u) => u.key === key && u.uploadId === ours);
    const began = mine ? Date.parse(mine.initiated) : approxBegan;
    if (began === undefined) return true;
    for (const u of uploads) {
      const at = Date.parse(u.initiated);
      if (u.key !== key || u.uploadId === ours || !(Math.abs(at - began) <= RESEND_WINDOW_MS)) continue;
      if (await knownUploadId(store, u.uploadId)) continue;
      if (!(await abortAndConfirm(ops, key, u.uploadId, AbortSignal.timeout(30_000)).catch(() => false))) return false;
    }
    return true;
  } catch (e) {
    // Listing not allowed: a lifecycle rule is the backstop. Unreachable: look again on resume.
    return e instanceof UploadError && e.kind === ErrorKind.AccessDenied;
  }
}

/** Whether a resume record or an owed abort here holds `uploadId` (then it is not a lost Initiate's). */
export async function knownUploadId(store: ResumeStore, uploadId: string): Promise<boolean> {
  const [records, aborts] = await Promise.all([bounded(store.list()), bounded(store.pendingAborts())]);
  return (records ?? []).some((r) => r.uploadId === uploadId) || (aborts ?? []).some((a) => a.uploadId === uploadId);
}

/** `wanted`, or its first numbered name no upload of this page has taken; it is added to `claimed`. */
function unclaimed(wanted: string, claimed: Set<string>): string {
  let key = wanted;
  for (let n = 1; claimed.has(key); n++) key = numberedKey(wanted, n);
  claimed.add(key);
  return key;
}

/**
 * The resume record of `file` on its way to `dest` at `wanted` or at a name the conflict
 * policy made of it (`wanted (1).ext`), whichever the record holds.
 */
export async function findRecordFor(
  store: ResumeStore, file: UploadFile, dest: Pick<Destination, 'target' | 'dialect'>, wanted: string,
): Promise<ResumeRecord | undefined> {
  const identity = await fingerprint(file);
  const records = (await bounded(store.list())) ?? [];
  const [head, tail] = numberedKey(wanted, '\u0000').split('\u0000') as [string, string];
  return records.find((r) =>
    (r.key === wanted || (r.key.startsWith(head) && r.key.endsWith(tail)))
    && r.id === resumeId(identity, dest.target, r.key)
    && (r.dialect ?? DEFAULT_DIALECT) === dest.dialect.id);
}


function hexBytes(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/** Signals that parts survived a DELETE: worth another round. */
class PartsSurvived extends UploadError {
  constructor() {
    super(ClientErrorCode.AbortUnconfirmed, 'Parts survived the abort.', { retryable: true });
  }
}

/**
 * DELETE ?uploadId (unless `deleted` says it was just answered), then ListParts must answer
 * that the upload is gone or list nothing;
 * otherwise parts survived a race with the delete, so delete again (through the one retry
 * loop). False if it could not be confirmed for now (the store unreachable, parts surviving):
 * worth trying again later. Throws {@link AbortRefused} when the store refuses for good
 * (not the initiator, no such bucket, a bad key): trying again would never help.
 */
export async function abortAndConfirm(ops: StoreOperations, key: string, uploadId: string, signal?: AbortSignal, deleted = false): Promise<boolean> {
  try {
    await retrying(async () => {
      try {
        // Deleted already (answered 204): the first round only confirms.
        if (deleted) deleted = false;
        else await ops.abort(key, uploadId, signal);
        if ((await ops.listParts(key, uploadId, signal)).length > 0) throw new PartsSurvived();
      } catch (e) {
        if (e instanceof UploadError && e.kind === ErrorKind.UploadGone) return;
        throw e;
      }
    }, // Each request already retried what is transient; this loop only answers surviving parts.
    { policy: { maxAttempts: ABORT_ROUNDS }, signal, retryable: (e) => e instanceof PartsSurvived });
    return true;
  } catch (e) {
    if (UploadError.isCancel(e)) throw e;
    // Refused for good only when the store says no: unreachable, offline or credential trouble
    // is "not confirmed yet", and the abort stays owed.
    if (e instanceof UploadError && !(e instanceof PartsSurvived) && REFUSALS.has(e.kind)) throw new AbortRefused(e);
    return false;
  }
}

/** What a store answers when an abort will never succeed, however often it is tried. */
const REFUSALS: ReadonlySet<string> = new Set([ErrorKind.AccessDenied, ErrorKind.NotFound, ErrorKind.InvalidInput]);

/** The store refused an abort for good; the upload is left on the store. */
export class AbortRefused extends UploadError {
  constructor(readonly refusal: UploadError) {
    const why = refusal.kind === ErrorKind.AccessDenied
      ? 'only the credentials that started this upload, or the bucket\'s owner, may abort it'
      : refusal.kind === ErrorKind.NotFound ? 'the bucket (or the key) does not exist: check the bucket name'
        : 'the store answered an error that trying again will not change';
    super(refusal.code, `The store refused to abort the upload: ${why}. It stays on the store until a lifecycle rule removes it. (${refusal.message})`, {
      status: refusal.status, requestId: refusal.requestId, details: refusal.details, kind: refusal.kind, cause: refusal,
    });
  }
}

function integrityError(what: string, requestId: string | undefined): UploadError {
  return new UploadError(
    ClientErrorCode.CrcMismatch,
    `Checksum mismatch for ${what}: the store holds other bytes than were sent. The data was corrupted in transit or at rest.`,
    { requestId, kind: ErrorKind.Integrity },
  );
}

function corsError(ops: StoreOperations, missing: readonly string[], requestId: string | undefined): UploadError {
  const origin = typeof location === 'object' ? location.origin : '<your site origin>';
  return new UploadError(
    ClientErrorCode.CorsExposeHeaders,
    `The browser hides the ${missing.join(', ')} header, so the upload cannot be completed. ${ops.client.dialect.corsAdvice(origin, missing)}`,
    { requestId, kind: ErrorKind.Cors },
  );
}
