/**
 * Finished objects: an in-memory index of every bucket's objects, persisted one JSON file
 * per object (disk.ts), each naming the blobs that hold its bytes in order.
 *
 * Writes to one key are serialized; the JSON file is written (atomically) before the index
 * changes, and the replaced version's blobs are discarded after. Reads take the record and
 * hold its blobs in the same synchronous step, so a concurrent overwrite cannot pull the
 * bytes from under a GetObject.
 */
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import type { BlobPool } from './blobs.js';
import { listDir, readJson, removeFile, writeJsonAtomic, type DiskLayout } from './disk.js';
import { Errors } from './errors.js';
import type { KeyedMutex } from './lock.js';
import type { Checksums } from './dialects/index.js';

export interface Segment {
  blob: string;
  size: number;
}

export interface ObjectRecord {
  key: string;
  size: number;
  /** Quoted, as sent in the ETag header. */
  etag: string;
  /** CRC-64/XZ as a decimal string. */
  crc64: string;
  /** Base64 MD5 of the content, for objects from PutObject. */
  contentMd5?: string;
  lastModified: number;
  contentType: string;
  /** Stored response headers: Content-Disposition, Cache-Control, x-oss-meta-*, … */
  headers: Record<string, string>;
  type: 'Normal' | 'Multipart';
  segments: Segment[];
  /** For multipart objects: the upload that produced it (lets a restart finish a Complete). */
  uploadId?: string;
  /** Checksums a dialect asked for (S3 CRC-64/NVME of the whole object). */
  checksums?: Checksums;
}

const READ_HIGH_WATER_MARK = 1024 * 1024;

export class ObjectCatalog {
  private readonly buckets = new Map<string, Map<string, ObjectRecord>>();

  constructor(
    private readonly layout: DiskLayout,
    private readonly blobs: BlobPool,
    private readonly locks: KeyedMutex,
  ) {}

  async load(bucket: string): Promise<void> {
    const index = new Map<string, ObjectRecord>();
    const dir = this.layout.objectsDir(bucket);
    for (const name of await listDir(dir)) {
      if (!name.endsWith('.json')) continue;
      const record = await readJson<ObjectRecord>(join(dir, name));
      index.set(record.key, record);
    }
    this.buckets.set(bucket, index);
  }

  private index(bucket: string): Map<string, ObjectRecord> {
    const index = this.buckets.get(bucket);
    if (!index) throw new Error(`bucket ${bucket} is not loaded`);
    return index;
  }

  get(bucket: string, key: string): ObjectRecord | undefined {
    return this.index(bucket).get(key);
  }

  /** Every record of `bucket` (for start-up recovery). */
  all(bucket: string): IterableIterator<ObjectRecord> {
    return this.index(bucket).values();
  }

  /**
   * Makes `record` the object at its key. Until this resolves the caller owns the record's
   * blobs (and must discard them if it throws, e.g. FileAlreadyExists); after, the catalog does.
   */
  async commit(bucket: string, record: ObjectRecord, forbidOverwrite: boolean): Promise<void> {
    await this.locks.run(`object\n${bucket}\n${record.key}`, async () => {
      const previous = this.get(bucket, record.key);
      if (previous && forbidOverwrite) throw Errors.fileAlreadyExists();
      await writeJsonAtomic(this.layout, this.layout.objectFile(bucket, record.key), record);
      this.index(bucket).set(record.key, record);
      if (previous) await this.blobs.discard(previous.segments.map((s) => s.blob));
    });
  }

  /** Deletes the object, if any (DeleteObject succeeds either way). */
  async delete(bucket: string, key: string): Promise<void> {
    await this.locks.run(`object\n${bucket}\n${key}`, async () => {
      const previous = this.get(bucket, key);
      if (!previous) return;
      await removeFile(this.layout.objectFile(bucket, key));
      this.index(bucket).delete(key);
      await this.blobs.discard(previous.segments.map((s) => s.blob));
    });
  }

  /**
   * The object and a reader of bytes `start..end` (inclusive) across its blobs. The blobs
   * are held until the reader finishes or is abandoned; call `release` exactly once.
   */
  open(bucket: string, key: string): { record: ObjectRecord; read(start: number, end: number): AsyncGenerator<Buffer>; release(): Promise<void> } {
    const record = this.get(bucket, key);
    if (!record) throw Errors.noSuchKey(key);
    const ids = record.segments.map((s) => s.blob);
    this.blobs.acquire(ids);
    const layout = this.layout;
    let released = false;
    return {
      record,
      async *read(start: number, end: number) {
        let offset = 0;
        for (const segment of record.segments) {
          const segStart = offset;
          const segEnd = offset + segment.size - 1;
          offset += segment.size;
          if (segment.size === 0 || segEnd < start || segStart > end) continue;
          yield* createReadStream(layout.blobFile(segment.blob), {
            start: Math.max(start, segStart) - segStart,
            end: Math.min(end, segEnd) - segStart,
            highWaterMark: READ_HIGH_WATER_MARK,
          });
        }
      },
      release: async () => {
        if (released) return;
        released = true;
        await this.blobs.release(ids);
      },
    };
  }
}
