/**
 * The persistence port for what must outlive a page: records of interrupted multipart
 * uploads (to resume them after a reload) and a journal of aborts still owed to the store
 * (to finish them on the next load). Never credentials.
 */
import type { DialectId } from './dialect.js';
import { within } from './signals.js';

/** How long a resume-store call may take before it is given up (IndexedDB can stall). */
export const RECORD_TIMEOUT_MS = 5000;

/** A resume-store call that may not hold up an upload: its value, or undefined after {@link RECORD_TIMEOUT_MS} or on failure. */
export function bounded<T>(promise: Promise<T>): Promise<T | undefined> {
  return within(promise, RECORD_TIMEOUT_MS);
}

export interface ResumeRecord {
  /** See `resumeId` in fingerprint.ts. */
  id: string;
  fileName: string;
  size: number;
  lastModified: number;
  endpoint: string;
  bucket: string;
  region: string;
  /** The dialect the upload was started in (records written before dialects existed are `oss`). */
  dialect?: DialectId | undefined;
  key: string;
  /** Empty while Initiate is on its way (see `initiating`). */
  uploadId: string;
  /** The size of every part but the last; with `partSizes`, the largest part allowed. */
  partSize: number;
  /**
   * An adaptive plan (part-planner.ts): the sizes of parts 1..N in file order, as run-length
   * `[size, count]` pairs, e.g. `[[102400, 4], [409600, 2], [1572864, 12]]`. Written before
   * any of these parts is sent; parts after them are not planned yet. Absent: every part is
   * `partSize`.
   */
  partSizes?: [number, number][] | undefined;
  /**
   * Written before Initiate is sent (store time, ms): a page closed before the answer came
   * leaves this, so the next load adopts (or aborts) the upload the store created meanwhile.
   */
  initiating?: number | undefined;
  /** Whether the store keeps the dialect's checksum for this upload (learned at Initiate). */
  checksumAccepted?: boolean | undefined;
  /** Epoch ms. */
  createdAt: number;
  /**
   * Set just before Complete is sent: what the finished object will show (its checksum in
   * decimal, or its multipart ETag), so a reload while Complete is in flight recognizes it.
   */
  completing?: { checksum?: string | undefined; etag?: string | undefined } | undefined;
  /**
   * Set once Initiate is answered, cleared once the engine has looked for uploads a browser's
   * own re-send of that Initiate created: a page reloaded before that look looks again.
   */
  sweepOwed?: boolean | undefined;
}

export interface PendingAbort {
  uploadId: string;
  endpoint: string;
  bucket: string;
  region: string;
  dialect?: DialectId | undefined;
  key: string;
  /** Epoch ms of the first attempt. */
  since: number;
}

export interface ResumeStore {
  get(id: string): Promise<ResumeRecord | undefined>;
  put(record: ResumeRecord): Promise<void>;
  delete(id: string): Promise<void>;
  list(): Promise<ResumeRecord[]>;
  addPendingAbort(entry: PendingAbort): Promise<void>;
  removePendingAbort(uploadId: string): Promise<void>;
  pendingAborts(): Promise<PendingAbort[]>;
}

/** Keeps records for the life of the page only. */
export class MemoryResumeStore implements ResumeStore {
  private readonly records = new Map<string, ResumeRecord>();
  private readonly aborts = new Map<string, PendingAbort>();
  async get(id: string) { return this.records.get(id); }
  async put(r: ResumeRecord) { this.records.set(r.id, { ...r }); }
  async delete(id: string) { this.records.delete(id); }
  async list() { return [...this.records.values()]; }
  async addPendingAbort(e: PendingAbort) { this.aborts.set(e.uploadId, { ...e }); }
  async removePendingAbort(uploadId: string) { this.aborts.delete(uploadId); }
  async pendingAborts() { return [...this.aborts.values()]; }
}
