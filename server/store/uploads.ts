/**
 * Multipart uploads in progress: an in-memory index persisted as one directory per upload
 * (`upload.json` plus `part-<n>.json` per part; the bytes are blobs, see blobs.ts).
 *
 * Everything that changes an upload runs under that upload's lock, after the body (if any)
 * has been received into a temp file:
 * - UploadPart moves its temp file into blobs/, writes the part's JSON, then swaps the index
 *   entry and discards the blob it replaced. Two uploads of one part number: the later
 *   commit wins, bytes and metadata together.
 * - Abort and Complete remove the upload; an UploadPart that finishes receiving afterwards
 *   finds no upload under the lock, deletes its temp file and answers NoSuchUpload.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { BlobPool } from './blobs.js';
import type { ReceivedBody } from './body.js';
import { assemble, type Assembly, type RequestedPart } from './complete.js';
import type { Checksums, UploadChecksum } from './dialects/index.js';
import { listDir, readJson, writeJsonAtomic, type DiskLayout } from './disk.js';
import { Errors } from './errors.js';
import { compareUploads } from './listing.js';
import type { KeyedMutex } from './lock.js';
import type { ObjectCatalog, ObjectRecord } from './objects.js';

export interface UploadRecord {
  uploadId: string;
  key: string;
  initiated: number;
  contentType: string;
  /** Headers given at Initiate that the object will carry (x-oss-meta-*, …). */
  headers: Record<string, string>;
  /** Who initiated it (auth.ts `principalOf`): OBS lets only them, or the bucket owner, abort it. */
  initiator?: string;
  /** The whole object's checksum chosen at Initiate (S3 `x-amz-checksum-algorithm`). */
  checksum?: UploadChecksum;
}

/** What Initiate records beyond the key. */
export interface UploadInit {
  contentType: string;
  headers: Record<string, string>;
  initiator: string;
  checksum?: UploadChecksum | undefined;
}

export interface PartRecord {
  partNumber: number;
  /** Quoted upper-case MD5 hex. */
  etag: string;
  /** CRC-64/XZ, decimal. */
  crc64: string;
  size: number;
  lastModified: number;
  blob: string;
  /** Checksums a dialect asked for (S3 CRC-64/NVME). */
  checksums?: Checksums;
}

interface UploadState {
  bucket: string;
  record: UploadRecord;
  parts: Map<number, PartRecord>;
}

export class UploadCatalog {
  private readonly uploads = new Map<string, UploadState>();
  private lastIdTime = 0;
  private idSequence = 0;

  constructor(
    private readonly layout: DiskLayout,
    private readonly blobs: BlobPool,
    private readonly locks: KeyedMutex,
    private readonly objects: ObjectCatalog,
  ) {}

  async load(bucket: string): Promise<void> {
    for (const uploadId of await listDir(this.layout.uploadsDir(bucket))) {
      const dir = this.layout.uploadDir(bucket, uploadId);
      const names = await listDir(dir);
      if (!names.includes('upload.json')) {
        await rm(dir, { recursive: true, force: true }); // an Abort or Complete cut short
        continue;
      }
      const record = await readJson<UploadRecord>(this.layout.uploadFile(bucket, uploadId));
      const parts = new Map<number, PartRecord>();
      for (const name of names) {
        if (!/^part-\d+\.json$/.test(name)) continue;
        const part = await readJson<PartRecord>(join(dir, name));
        parts.set(part.partNumber, part);
      }
      this.uploads.set(uploadId, { bucket, record, parts });
    }
    // A Complete that wrote its object but was stopped before removing the upload.
    for (const object of this.objects.all(bucket)) {
      const state = object.uploadId === undefined ? undefined : this.uploads.get(object.uploadId);
      if (state && state.bucket === bucket) await this.forget(state, new Set(object.segments.map((s) => s.blob)));
    }
  }

  /** Blob ids the uploads hold (for start-up garbage collection). */
  referencedBlobs(): Set<string> {
    const ids = new Set<string>();
    for (const state of this.uploads.values()) for (const p of state.parts.values()) ids.add(p.blob);
    return ids;
  }

  /** 32 upper-case hex digits, ascending in initiation order: time, sequence, randomness. */
  private newUploadId(): string {
    const now = Math.max(Date.now(), this.lastIdTime);
    this.idSequence = now === this.lastIdTime ? this.idSequence + 1 : 0;
    this.lastIdTime = now;
    return (
      now.toString(16).padStart(12, '0') + this.idSequence.toString(16).padStart(4, '0') + randomBytes(8).toString('hex')
    ).toUpperCase();
  }

  async initiate(bucket: string, key: string, init: UploadInit): Promise<UploadRecord> {
    const record: UploadRecord = {
      uploadId: this.newUploadId(), key, initiated: Date.now(),
      contentType: init.contentType, headers: init.headers, initiator: init.initiator,
    };
    if (init.checksum) record.checksum = init.checksum;
    const dir = this.layout.uploadDir(bucket, record.uploadId);
    try {
      await mkdir(dir);
      await writeJsonAtomic(this.layout, this.layout.uploadFile(bucket, record.uploadId), record);
    } catch (e) {
      await rm(dir, { recursive: true, force: true });
      throw e;
    }
    this.uploads.set(record.uploadId, { bucket, record, parts: new Map() });
    return record;
  }

  /** The upload `uploadId` of `key` in `bucket`; NoSuchUpload when there is none. */
  get(bucket: string, key: string, uploadId: string): UploadState {
    const state = this.uploads.get(uploadId);
    if (!state || state.bucket !== bucket || state.record.key !== key) throw Errors.noSuchUpload(uploadId);
    return state;
  }

  /** The parts, ascending by number. */
  parts(state: UploadState): PartRecord[] {
    return [...state.parts.values()].sort((a, b) => a.partNumber - b.partNumber);
  }

  /** Uploads of `bucket` in listing order. */
  list(bucket: string): UploadRecord[] {
    return [...this.uploads.values()].filter((s) => s.bucket === bucket).map((s) => s.record).sort(compareUploads);
  }

  /** Makes the received body part `partNumber`; deletes the temp file if the upload is gone. */
  async commitPart(
    bucket: string, key: string, uploadId: string, partNumber: number, body: ReceivedBody, checksums?: Checksums,
  ): Promise<PartRecord> {
    return this.locks.run(`upload\n${uploadId}`, async () => {
      let state: UploadState;
      try {
        state = this.get(bucket, key, uploadId);
      } catch (e) {
        await rm(body.file, { force: true });
        throw e;
      }
      const blob = await this.blobs.adopt(body.file);
      const part: PartRecord = {
        partNumber,
        etag: `"${body.md5.toString('hex').toUpperCase()}"`,
        crc64: body.crc64.toString(),
        size: body.size,
        lastModified: Date.now(),
        blob,
      };
      if (checksums) part.checksums = checksums;
      try {
        await writeJsonAtomic(this.layout, this.layout.partFile(bucket, uploadId, partNumber), part);
      } catch (e) {
        await this.blobs.discard([blob]);
        throw e;
      }
      const previous = state.parts.get(partNumber);
      state.parts.set(partNumber, part);
      if (previous) await this.blobs.discard([previous.blob]);
      return part;
    });
  }

  /** Aborts the upload; `allowed` (under the upload's lock) may refuse it, e.g. to all but its initiator. */
  async abort(bucket: string, key: string, uploadId: string, allowed: (u: UploadRecord) => void = () => undefined): Promise<void> {
    await this.locks.run(`upload\n${uploadId}`, async () => {
      const state = this.get(bucket, key, uploadId);
      allowed(state.record);
      await this.forget(state, new Set());
    });
  }

  /**
   * Completes the upload with `requested` parts (or every part, for `x-oss-complete-all`):
   * the object becomes a manifest of the parts' blobs. Unlisted parts are deleted.
   * `opts.minPartSize` is the dialect's floor; `opts.checksums` gives the whole object's
   * checksums from the assembled parts (and may refuse them, BadDigest).
   */
  async complete(
    bucket: string, key: string, uploadId: string, requested: readonly RequestedPart[] | 'all',
    opts: {
      forbidOverwrite: boolean;
      minPartSize: number;
      checksums?: (upload: UploadRecord, a: Assembly) => Checksums | undefined;
    },
  ): Promise<ObjectRecord> {
    return this.locks.run(`upload\n${uploadId}`, async () => {
      const state = this.get(bucket, key, uploadId);
      const list = requested === 'all' ? this.parts(state).map((p) => ({ partNumber: p.partNumber, etag: p.etag })) : requested;
      if (list.length === 0) throw Errors.invalidArgument('The upload has no parts to complete.');
      const assembly = assemble(state.parts, list, opts.minPartSize);
      const checksums = opts.checksums?.(state.record, assembly);
      const record: ObjectRecord = {
        key,
        size: assembly.size,
        etag: assembly.etag,
        crc64: assembly.crc64,
        lastModified: Date.now(),
        contentType: state.record.contentType,
        headers: state.record.headers,
        type: 'Multipart',
        segments: assembly.parts.map((p) => ({ blob: p.blob, size: p.size })),
        uploadId,
      };
      if (checksums) record.checksums = checksums;
      await this.objects.commit(bucket, record, opts.forbidOverwrite);
      await this.forget(state, new Set(record.segments.map((s) => s.blob)));
      return record;
    });
  }

  /** Removes the upload from the index and the disk, discarding part blobs not in `keep`. */
  private async forget(state: UploadState, keep: ReadonlySet<string>): Promise<void> {
    this.uploads.delete(state.record.uploadId);
    const dir = this.layout.uploadDir(state.bucket, state.record.uploadId);
    // upload.json first: a restart that finds a directory without it removes the rest.
    await rm(this.layout.uploadFile(state.bucket, state.record.uploadId), { force: true });
    await rm(dir, { recursive: true, force: true });
    await this.blobs.discard([...state.parts.values()].map((p) => p.blob).filter((b) => !keep.has(b)));
  }
}
