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
 */
import { Clock } from './clock.js';
import type { CredentialsProvider } from './credentials.js';
import type { StorageDialect } from './dialect.js';
import { OssDialect } from './dialects/oss/dialect.js';
import { ClientErrorCode, UploadError } from './errors.js';
import { fingerprint, resumeId } from './fingerprint.js';
import { defaultHasher, type Hasher } from './hasher.js';
import { defaultResumeStore } from './idb-resume-store.js';
import { StoreOperations, type UploadListing } from './operations.js';
import { DEFAULT_CONCURRENCY, DEFAULT_PART_SIZE, planParts } from './part-plan.js';
import { MAX_LIST_PAGE } from './limits.js';
import { MemoryResumeStore, type ResumeRecord, type ResumeStore } from './resume-store.js';
import { backoffDelay, DEFAULT_RETRY, isRetryable, type RetryOptions } from './retry.js';
import { sleep } from './signals.js';
import { StoreClient } from './store-client.js';
import type { StoreTarget } from './target.js';
import { TokenEndpointCredentials } from './token-endpoint-credentials.js';
import { abortAndConfirm, Upload, type UploadContext, type UploadFile } from './upload.js';

export interface UploadClientOptions {
  /** URL of the application's token endpoint. Either this or `credentials`. */
  tokenUrl?: string;
  /** A credentials source of your own (overrides `tokenUrl`). */
  credentials?: CredentialsProvider;
  /** The storage dialect. Default: Alibaba OSS with V4 signatures. */
  dialect?: StorageDialect;
  /** Overrides for what the token endpoint says (endpoint, bucket, region, keyPrefix). */
  target?: Partial<StoreTarget>;
  /** Part size in bytes (raised to the store's minimum and to fit 10,000 parts). Default 8 MiB. */
  partSize?: number;
  /** Parts in flight per upload. Default 4. */
  concurrency?: number;
  /** Send Content-MD5 with every part (computed off the main thread). Default false. */
  contentMd5?: boolean;
  /** Recover ETags hidden by CORS from ListParts instead of failing. Default false. */
  etagFromListParts?: boolean;
  /** Where resume records and pending aborts live. Default IndexedDB, else memory. */
  resumeStore?: ResumeStore;
  /** Hashing. Default: a pool of two module workers running hash-wasm. */
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
  readonly dialect: StorageDialect;
  readonly credentials: CredentialsProvider;
  readonly clock: Clock;
  readonly resumeStore: ResumeStore;
  readonly hasher: Hasher;
  private readonly clients = new Map<string, StoreOperations>();
  private readonly ctx: UploadContext;

  constructor(private readonly opts: UploadClientOptions) {
    if (opts.credentials) this.credentials = opts.credentials;
    else if (opts.tokenUrl) this.credentials = new TokenEndpointCredentials({ url: opts.tokenUrl, ...(opts.fetch ? { fetch: opts.fetch } : {}) });
    else throw new UploadError(ClientErrorCode.InvalidInput, 'UploadClient needs a tokenUrl or a credentials provider.');
    this.dialect = opts.dialect ?? new OssDialect();
    this.clock = opts.clock ?? new Clock();
    this.resumeStore = opts.resumeStore ?? defaultResumeStore() ?? new MemoryResumeStore();
    this.hasher = opts.hasher ?? defaultHasher();
    this.ctx = {
      target: (signal) => this.target(signal),
      operations: async (signal) => this.operationsFor(await this.target(signal)),
      operationsFor: (target) => this.operationsFor(target),
      hasher: this.hasher,
      resumeStore: this.resumeStore,
      minPartSize: this.dialect.minPartSize,
      exposeHeaders: this.dialect.exposeHeaders,
      options: {
        partSize: opts.partSize ?? DEFAULT_PART_SIZE,
        concurrency: Math.max(1, Math.floor(opts.concurrency ?? DEFAULT_CONCURRENCY)),
        contentMd5: opts.contentMd5 ?? false,
        etagFromListParts: opts.etagFromListParts ?? false,
      },
      keyFor: opts.keyFor ?? defaultKeyFor,
    };
  }

  /** Where uploads go: the token endpoint's answer, overridden by `options.target`. */
  async target(signal?: AbortSignal): Promise<StoreTarget> {
    const learned = (await this.learnTarget(signal)) ?? {};
    const t = { keyPrefix: '', ...learned, ...stripUndefined(this.opts.target ?? {}) };
    for (const field of ['endpoint', 'bucket', 'region'] as const) {
      if (!t[field]) {
        throw new UploadError(ClientErrorCode.InvalidInput, `No ${field} configured: set it, or have the token endpoint return "${field}".`);
      }
    }
    return t as StoreTarget;
  }

  /** What the credentials provider says of the target, retrying a token endpoint that blips. */
  private async learnTarget(signal?: AbortSignal): Promise<Partial<StoreTarget> | undefined> {
    const retry = { ...DEFAULT_RETRY, ...this.opts.retry };
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.credentials.target?.(signal);
      } catch (e) {
        if (!(e instanceof UploadError) || UploadError.isCancel(e) || !isRetryable(e) || attempt >= retry.maxAttempts) throw e;
        await sleep(backoffDelay(attempt, retry), signal);
      }
    }
  }

  /** The operations for `target` (cached per endpoint, bucket and region). */
  operationsFor(target: StoreTarget): StoreOperations {
    const id = `${target.endpoint}|${target.bucket}|${target.region}|${target.addressing ?? ''}`;
    let ops = this.clients.get(id);
    if (!ops) {
      ops = new StoreOperations(new StoreClient({
        dialect: this.dialect, credentials: this.credentials, clock: this.clock, target,
        ...(this.opts.retry ? { retry: this.opts.retry } : {}),
        ...(this.opts.fetch ? { fetch: this.opts.fetch } : {}),
      }));
      this.clients.set(id, ops);
    }
    return ops;
  }

  /** A new upload of `file`; call `start()` on it. */
  createUpload(file: UploadFile, opts: { key?: string; contentType?: string } = {}): Upload {
    return new Upload(file, this.ctx, opts);
  }

  /**
   * The record of an interrupted upload of this same file, if one is kept (to offer
   * "resume"). Files that go in a single PutObject never have one, and are not read.
   */
  async findResumable(file: UploadFile, signal?: AbortSignal): Promise<ResumeRecord | undefined> {
    if (planParts(file.size, this.dialect.minPartSize, this.ctx.options.partSize).partCount === 1) return undefined;
    const target = await this.target(signal);
    return this.resumeStore.get(resumeId(await fingerprint(file), target, this.ctx.keyFor(file, target)));
  }

  /** How many bytes of `record`'s upload the store already holds (0 if the upload is gone). */
  async storedBytes(record: ResumeRecord, signal?: AbortSignal): Promise<number> {
    try {
      const parts = await this.operationsFor(await this.recordTarget(record, signal)).listParts(record.key, record.uploadId, signal);
      return Math.min(record.size, parts.reduce((n, p) => n + p.size, 0));
    } catch (e) {
      if (e instanceof UploadError && (e.code === 'NoSuchUpload' || e.code === 'NoSuchKey')) return 0;
      throw e;
    }
  }

  /**
   * Gives up an interrupted upload known only by its record: aborts it on the store,
   * confirms, and forgets the record (journaling the abort if the store is unreachable).
   */
  async discard(record: ResumeRecord, signal?: AbortSignal): Promise<boolean> {
    const target = await this.recordTarget(record, signal);
    const confirmed = await abortAndConfirm(this.operationsFor(target), record.key, record.uploadId, signal).catch(() => false);
    if (!confirmed) {
      await this.resumeStore.addPendingAbort({
        uploadId: record.uploadId, key: record.key, endpoint: record.endpoint, bucket: record.bucket, region: record.region, since: Date.now(),
      });
    }
    await this.resumeStore.delete(record.id);
    return confirmed;
  }

  private async recordTarget(where: { endpoint: string; bucket: string; region: string }, signal?: AbortSignal): Promise<StoreTarget> {
    const base = await this.target(signal).catch(() => undefined);
    return { keyPrefix: '', ...base, endpoint: where.endpoint, bucket: where.bucket, region: where.region };
  }

  /** Retries the aborts that could not finish earlier (e.g. offline). Returns how many are done. */
  async finishPendingAborts(signal?: AbortSignal): Promise<number> {
    let done = 0;
    for (const p of await this.resumeStore.pendingAborts()) {
      if (await abortAndConfirm(this.operationsFor(await this.recordTarget(p, signal)), p.key, p.uploadId, signal)) {
        await this.resumeStore.removePendingAbort(p.uploadId);
        done++;
      }
    }
    return done;
  }

  /**
   * One page of the multipart uploads in progress under the key prefix (needs credentials
   * with `oss:ListMultipartUploads`: an administrative token). Pass `next` back for the
   * following page.
   */
  async listUploadsPage(
    markers: { keyMarker?: string; uploadIdMarker?: string } = {}, maxUploads = MAX_LIST_PAGE, signal?: AbortSignal,
  ): Promise<{ uploads: UploadListing[]; next?: { keyMarker: string; uploadIdMarker: string } }> {
    const target = await this.target(signal);
    return this.operationsFor(target).listUploads(target.keyPrefix, markers, maxUploads, signal);
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
    return abortAndConfirm(this.operationsFor(await this.target(signal)), upload.key, upload.uploadId, signal);
  }

  /** Stops the hash workers. The client stays usable: workers start again when next needed. */
  dispose(): void {
    this.hasher.dispose();
  }
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== '')) as Partial<T>;
}
