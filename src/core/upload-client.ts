/**
 * The engine's entry point: one client per page (or per destination) shares credentials,
 * the learned clock, the hash workers and the resume store among its uploads.
 *
 * ```ts
 * const client = new UploadClient({ tokenUrl: '/api/sts-token' });
 * const upload = client.createUpload(file);
 * upload.addEventListener('progress', (e) => console.log(e.progress.fraction));
 * await upload.start();
 * ```
 *
 * The dialect (`oss`, `obs`, `s3`) is the one configured, else the one the token endpoint
 * names, else `oss`.
 */
import { Clock } from './clock.js';
import { ConcurrencyLimiter } from './concurrency.js';
import type { CredentialsProvider } from './credentials.js';
import type { DialectId, StorageDialect } from './dialect.js';
import { createDialect, DEFAULT_DIALECT, type DialectOptions } from './dialects/index.js';
import { ClientErrorCode, ErrorKind, UploadError } from './errors.js';
import { fingerprint, resumeId } from './fingerprint.js';
import type { ConflictPolicy } from './key-policy.js';
import { defaultHasher, type Hasher } from './hasher.js';
import { defaultResumeStore } from './idb-resume-store.js';
import { MAX_LIST_PAGE } from './limits.js';
import { NetworkState } from './network-state.js';
import { StoreOperations, type UploadListing } from './operations.js';
import { DEFAULT_CONCURRENCY, DEFAULT_PART_SIZE } from './part-plan.js';
import { bounded, MemoryResumeStore, type ResumeRecord, type ResumeStore } from './resume-store.js';
import type { RetryOptions } from './retry.js';
import { StoreClient } from './store-client.js';
import type { StoreTarget } from './target.js';
import { TokenEndpointCredentials } from './token-endpoint-credentials.js';
import {
  AbortRefused, abortAndConfirm, findRecordFor, knownUploadId, sweepResentInitiates, Upload, type Destination, type RecordedDestination, type UploadContext, type UploadFile,
} from './upload.js';

export interface UploadClientOptions {
  /** URL of the application's token endpoint. Either this or `credentials`. */
  tokenUrl?: string;
  /** A credentials source of your own (overrides `tokenUrl`). */
  credentials?: CredentialsProvider;
  /** The store's dialect: `oss`, `obs`, `s3`, or a dialect object. Default: what the token endpoint says, else `oss`. */
  dialect?: DialectId | StorageDialect | undefined;
  /** Options for a dialect named by id (OSS: `signatureVersion`). */
  dialectOptions?: DialectOptions;
  /** Overrides for what the token endpoint says (endpoint, bucket, region, keyPrefix, addressing). */
  target?: Partial<StoreTarget>;
  /**
   * The largest part, in bytes (raised to the store's minimum and to fit 10,000 parts).
   * Parts start at the store's minimum and grow with the measured throughput up to this
   * (part-planner.ts). Default 8 MiB.
   */
  partSize?: number;
  /**
   * The most parts in flight, for all this client's uploads together: throttling shrinks
   * it, steady success grows it back (concurrency.ts). Default 4.
   */
  concurrency?: number;
  /** Send Content-MD5 with every part even where the store has a checksum of its own. Default false. */
  contentMd5?: boolean;
  /** Recover ETags hidden by CORS from ListParts instead of failing. Default false. */
  etagFromListParts?: boolean;
  /**
   * When the key already names an object: `rename` (default: `name (1).ext`), `fail` (kind
   * `object-exists`), or `overwrite`. Keys your code names (`keyFor`, `createUpload({ key })`)
   * are never renamed: a taken one fails unless the policy is `overwrite`. See key-policy.ts.
   */
  onConflict?: ConflictPolicy;
  /** Where resume records and pending aborts live. Default IndexedDB, else memory. */
  resumeStore?: ResumeStore;
  /** Hashing. Default: a pool of module workers running hash-wasm. */
  hasher?: Hasher;
  /** Retry policy for failed requests. */
  retry?: RetryOptions;
  /** Names each object. Default: key prefix + the file's relative path or name. */
  keyFor?: (file: UploadFile, target: StoreTarget) => string;
  /** Injected `fetch` (tests, instrumentation). */
  fetch?: typeof fetch;
  /** The clock requests are signed with; default the local clock, corrected from the store's answers. */
  clock?: Clock;
}

/** Default object key: the prefix, then the file's path with `.`/`..` segments and leading slashes removed. */
export function defaultKeyFor(file: UploadFile, target: StoreTarget): string {
  const name = file.webkitRelativePath || file.name || 'blob';
  const safe = name.split(/[\\/]+/).filter((s) => s !== '' && s !== '.' && s !== '..').join('/') || 'blob';
  return target.keyPrefix + safe;
}

export class UploadClient {
  readonly credentials: CredentialsProvider;
  readonly clock: Clock;
  readonly resumeStore: ResumeStore;
  readonly hasher: Hasher;
  /** Parts in flight for all uploads together, and the link's measured throughput. */
  readonly limiter: ConcurrencyLimiter;
  /** Whether the network is there; uploads wait for it rather than fail. */
  readonly network: NetworkState;
  private readonly dialects = new Map<DialectId, Promise<StorageDialect>>();
  private readonly destinations = new Map<string, Destination>();
  private readonly ctx: UploadContext;

  constructor(private readonly opts: UploadClientOptions) {
    if (opts.credentials) this.credentials = opts.credentials;
    else if (opts.tokenUrl) this.credentials = new TokenEndpointCredentials({ url: opts.tokenUrl, ...(opts.fetch ? { fetch: opts.fetch } : {}) });
    else throw new UploadError(ClientErrorCode.InvalidInput, 'UploadClient needs a tokenUrl or a credentials provider.');
    this.clock = opts.clock ?? new Clock();
    this.resumeStore = opts.resumeStore ?? defaultResumeStore() ?? new MemoryResumeStore();
    this.hasher = opts.hasher ?? defaultHasher();
    const concurrency = Math.max(1, Math.floor(opts.concurrency ?? DEFAULT_CONCURRENCY));
    this.limiter = new ConcurrencyLimiter(concurrency);
    this.network = new NetworkState();
    this.ctx = {
      limiter: this.limiter,
      network: this.network,
      destination: (signal) => this.destination(signal),
      destinationFor: (where, signal) => this.destinationFor(where, signal),
      hasher: this.hasher,
      resumeStore: this.resumeStore,
      options: {
        partSize: opts.partSize ?? DEFAULT_PART_SIZE,
        concurrency,
        contentMd5: opts.contentMd5 ?? false,
        etagFromListParts: opts.etagFromListParts ?? false,
        onConflict: opts.onConflict ?? 'rename',
      },
      keyFor: opts.keyFor ?? defaultKeyFor,
      keysNamedByApplication: opts.keyFor !== undefined,
      claimedKeys: new Set(),
    };
  }

  /** Where uploads go: the token endpoint's answer, overridden by `options.target`. */
  async target(signal?: AbortSignal): Promise<StoreTarget> {
    const learned = (await this.credentials.target?.(signal)) ?? {};
    const t = { keyPrefix: '', ...learned, ...stripUndefined(this.opts.target ?? {}) };
    for (const field of ['endpoint', 'bucket', 'region'] as const) {
      if (!t[field]) {
        throw new UploadError(ClientErrorCode.InvalidInput, `No ${field} configured: set it, or have the token endpoint return "${field}".`);
      }
    }
    return t as StoreTarget;
  }

  /** The dialect for a target: the configured one, else the target's (the token endpoint's), else OSS. */
  dialectFor(target?: Pick<StoreTarget, 'dialect'>): Promise<StorageDialect> {
    const configured = this.opts.dialect;
    if (configured !== undefined && typeof configured !== 'string') return Promise.resolve(configured);
    return this.dialectById(configured ?? target?.dialect ?? DEFAULT_DIALECT);
  }

  /** The current destination: target, dialect and the operations on them. */
  async destination(signal?: AbortSignal): Promise<Destination> {
    const target = await this.target(signal);
    return this.destinationOf(target, await this.dialectFor(target));
  }

  /** A remembered destination (resume record, pending abort), with today's key prefix and addressing. */
  async destinationFor(where: RecordedDestination, signal?: AbortSignal): Promise<Destination> {
    const base = await this.target(signal).catch(() => undefined);
    // The dialect the upload was started in, whatever is configured now.
    const id = where.dialect ?? DEFAULT_DIALECT;
    const target: StoreTarget = {
      keyPrefix: '', ...base, endpoint: where.endpoint, bucket: where.bucket, region: where.region, dialect: id,
    };
    const configured = this.opts.dialect;
    const dialect = configured !== undefined && typeof configured !== 'string' && configured.id === id
      ? configured
      : await this.dialectById(id);
    return this.destinationOf(target, dialect);
  }

  /** One instance per dialect id (loaded on first use); a failed load is not kept. */
  private dialectById(id: DialectId): Promise<StorageDialect> {
    let dialect = this.dialects.get(id);
    if (!dialect) {
      dialect = createDialect(id, this.opts.dialectOptions);
      dialect.catch(() => this.dialects.delete(id));
      this.dialects.set(id, dialect);
    }
    return dialect;
  }

  private destinationOf(target: StoreTarget, dialect: StorageDialect): Destination {
    const id = [dialect.id, target.endpoint, target.bucket, target.region, target.addressing ?? '', target.keyPrefix].join('|');
    let dest = this.destinations.get(id);
    if (!dest) {
      const client = new StoreClient({
        dialect, credentials: this.credentials, clock: this.clock, target, retry: this.opts.retry, fetch: this.opts.fetch,
        network: this.network,
        onAttemptFailed: (e, operation) => { if (operation === 'UploadPart') this.limiter.failed(e); },
      });
      dest = { target, dialect, ops: new StoreOperations(client) };
      this.destinations.set(id, dest);
    }
    return dest;
  }

  /** A new upload of `file`; call `start()` on it. */
  createUpload(file: UploadFile, opts: { key?: string; contentType?: string } = {}): Upload {
    return new Upload(file, this.ctx, opts);
  }

  /**
   * The record of an interrupted upload of this same file, if one is kept (to offer
   * "resume"). Files no larger than the store's smallest part go in one PutObject, never have one, and are not read.
   */
  async findResumable(file: UploadFile, signal?: AbortSignal): Promise<ResumeRecord | undefined> {
    const dest = await this.destination(signal);
    if (file.size <= dest.dialect.limits.minPartSize) return undefined;
    return findRecordFor(this.resumeStore, file, dest, this.ctx.keyFor(file, dest.target));
  }

  /** How many bytes of `record`'s upload the store already holds (0 if the upload is gone). */
  async storedBytes(record: ResumeRecord, signal?: AbortSignal): Promise<number> {
    if (!record.uploadId) return 0; // Initiate was on its way when the page went away
    try {
      const { ops } = await this.destinationFor(record, signal);
      const parts = await ops.listParts(record.key, record.uploadId, signal);
      return Math.min(record.size, parts.reduce((n, p) => n + p.size, 0));
    } catch (e) {
      if (e instanceof UploadError && e.kind === ErrorKind.UploadGone) return 0;
      throw e;
    }
  }

  /**
   * Gives up an interrupted upload known only by its record: aborts it on the store,
   * confirms, and forgets the record (journaling the abort if the store is unreachable).
   */
  async discard(record: ResumeRecord, signal?: AbortSignal): Promise<boolean> {
    const { ops } = await this.destinationFor(record, signal);
    if (!record.uploadId && record.initiating !== undefined) {
      // A record written while Initiate was on its way: what it created (with a browser's own
      // re-send, two uploads) is unknown to anyone here. Given up, what began in the window of
      // its Initiate goes — and nothing while another upload of this key is being initiated
      // here (another tab's upload cannot be told from ours then).
      const window = { since: record.initiating - 60_000, until: record.initiating + INITIATE_WINDOW_MS };
      // Unreachable: thrown, and the record stays for another try.
      const created = await ops.unknownUploadsSince(record.key, window.since, (id) => knownUploadId(this.resumeStore, id), signal, window.until);
      if (created === undefined) {
        // May not list: nothing can be found or confirmed; a lifecycle rule is the backstop.
        await this.forgetRecord(record);
        return false;
      }
      // Read after the listing: a tab that began initiating this key meanwhile counts.
      if (initiatingElsewhere((await bounded(this.resumeStore.list())) ?? [], record)) return false;
      let confirmed = true;
      for (const id of created) confirmed = (await abortAndConfirm(ops, record.key, id, signal)) && confirmed;
      if (confirmed) await this.forgetRecord(record);
      return confirmed;
    }
    const uploadId = record.uploadId;
    if (!uploadId) {
      await bounded(this.resumeStore.delete(record.id));
      return true;
    }
    record = { ...record, uploadId };
    // A twin of its Initiate (a browser's own re-send) not looked for yet: looked for first,
    // while ours is still listed to tell when it began.
    // Could it not look, ours stays too (its start is what tells the twin): not confirmed, try again.
    if (record.sweepOwed && !(await sweepResentInitiates(ops, this.resumeStore, record.key, uploadId))) return false;
    // Refused for good (AbortRefused) is thrown: the record stays, nothing is journaled.
    const confirmed = await abortAndConfirm(ops, record.key, record.uploadId, signal);
    if (!confirmed) {
      await bounded(this.resumeStore.addPendingAbort({
        uploadId: record.uploadId, key: record.key, endpoint: record.endpoint, bucket: record.bucket,
        region: record.region, dialect: record.dialect, since: Date.now(),
      }));
    }
    await this.forgetRecord(record);
    return confirmed;
  }

  /** Deletes `record` if the store still holds that same one (two tabs of one file share an id). */
  private async forgetRecord(record: ResumeRecord): Promise<void> {
    const now = await bounded(this.resumeStore.get(record.id));
    if (!now || (now.uploadId === record.uploadId && now.initiating === record.initiating)) await bounded(this.resumeStore.delete(record.id));
  }

  /**
   * Retries the aborts that could not finish earlier (e.g. offline, or the page closed mid-abort).
   * Only those in this client's bucket and key prefix: the others were another user's, or
   * another configuration's, and stay owed to them. Returns how many are done.
   */
  async finishPendingAborts(signal?: AbortSignal): Promise<number> {
    const owed = (await bounded(this.resumeStore.pendingAborts())) ?? [];
    if (owed.length === 0) return 0;
    const target = await this.target(signal);
    let done = 0;
    for (const p of owed) {
      if (p.bucket !== target.bucket || !p.key.startsWith(target.keyPrefix ?? '')) continue;
      const { ops } = await this.destinationFor(p, signal);
      const settled = await abortAndConfirm(ops, p.key, p.uploadId, signal).catch((e: unknown) => {
        if (e instanceof AbortRefused) return true; // it will never succeed: stop owing it
        throw e;
      });
      if (settled) {
        await bounded(this.resumeStore.removePendingAbort(p.uploadId));
        done++;
      }
    }
    return done;
  }

  /**
   * One page of the multipart uploads in progress under the key prefix (needs credentials
   * that may list multipart uploads: an administrative token). Pass `next` back for the
   * following page.
   */
  async listUploadsPage(
    markers: { keyMarker?: string; uploadIdMarker?: string } = {}, maxUploads = MAX_LIST_PAGE, signal?: AbortSignal,
  ): Promise<{ uploads: UploadListing[]; next?: { keyMarker: string; uploadIdMarker: string } }> {
    const { target, ops } = await this.destination(signal);
    return ops.listUploads(target.keyPrefix, markers, maxUploads, signal);
  }

  /** Every multipart upload in progress under the key prefix, across all pages (admin token). */
  async listUploads(signal?: AbortSignal): Promise<UploadListing[]> {
    const all: UploadListing[] = [];
    let markers: { keyMarker?: string; uploadIdMarker?: string } = {};
    for (let page = 0; page < 1000; page++) {
      const { uploads, next } = await this.listUploadsPage(markers, MAX_LIST_PAGE, signal);
      all.push(...uploads);
      if (!next) return all;
      markers = next;
    }
    return all;
  }

  /** Aborts a listed upload and confirms it is gone. */
  async abortListed(upload: UploadListing, signal?: AbortSignal): Promise<boolean> {
    const { ops } = await this.destination(signal);
    return abortAndConfirm(ops, upload.key, upload.uploadId, signal);
  }

  /** Stops the hash workers. The client stays usable: workers start again when next needed. */
  dispose(): void {
    this.hasher.dispose();
  }
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== '')) as Partial<T>;
}

/** How long after its first Initiate was sent an upload can still have been created by it (retries, a re-send). */
const INITIATE_WINDOW_MS = 10 * 60_000;

/** Whether another upload of `record`'s key is being initiated here (another tab's, or this one's again). */
function initiatingElsewhere(records: readonly ResumeRecord[], record: ResumeRecord): boolean {
  return records.some((r) => r.key === record.key && !r.uploadId && Date.now() - r.createdAt < INITIATE_WINDOW_MS
    && (r.id !== record.id || r.initiating !== record.initiating));
}
