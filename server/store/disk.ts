/**
 * Where the store keeps things on disk, and how it writes them.
 *
 *   <dataDir>/store/tmp/                    bodies being received, JSON being written
 *   <dataDir>/store/blobs/<id>              immutable data files: one per PutObject or part
 *   <dataDir>/store/buckets/<b>/cors.json   CORS rules set by PutBucketCors
 *   <dataDir>/store/buckets/<b>/objects/<sha256(key)>.json        an object: metadata + blob list
 *   <dataDir>/store/buckets/<b>/uploads/<uploadId>/upload.json    an upload in progress
 *   <dataDir>/store/buckets/<b>/uploads/<uploadId>/part-<n>.json  one of its parts
 *
 * Keys never become file names (they may be 1023 bytes, hold slashes, …): the metadata file is
 * named by the key's SHA-256 and holds the key. Every file appears by rename from tmp/, so a
 * reader sees the old version or the new one, never half of one. A multipart object is a
 * manifest of its parts' blobs: Complete writes one JSON file and copies no bytes.
 * (No fsync: this store survives restarts, not power cuts.)
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export class DiskLayout {
  readonly root: string;
  readonly tmpDir: string;
  readonly blobsDir: string;

  constructor(dataDir: string) {
    this.root = join(dataDir, 'store');
    this.tmpDir = join(this.root, 'tmp');
    this.blobsDir = join(this.root, 'blobs');
  }

  bucketDir(bucket: string): string {
    return join(this.root, 'buckets', bucket);
  }
  corsFile(bucket: string): string {
    return join(this.bucketDir(bucket), 'cors.json');
  }
  objectsDir(bucket: string): string {
    return join(this.bucketDir(bucket), 'objects');
  }
  objectFile(bucket: string, key: string): string {
    return join(this.objectsDir(bucket), createHash('sha256').update(key, 'utf8').digest('hex') + '.json');
  }
  uploadsDir(bucket: string): string {
    return join(this.bucketDir(bucket), 'uploads');
  }
  uploadDir(bucket: string, uploadId: string): string {
    return join(this.uploadsDir(bucket), uploadId);
  }
  uploadFile(bucket: string, uploadId: string): string {
    return join(this.uploadDir(bucket, uploadId), 'upload.json');
  }
  partFile(bucket: string, uploadId: string, partNumber: number): string {
    return join(this.uploadDir(bucket, uploadId), `part-${partNumber}.json`);
  }
  blobFile(blobId: string): string {
    return join(this.blobsDir, blobId);
  }
  /** A fresh, unused path in tmp/. */
  tempFile(suffix: string): string {
    return join(this.tmpDir, randomBytes(12).toString('hex') + suffix);
  }

  /** Creates the directories, and empties tmp/ of what an earlier process left behind. */
  async prepare(buckets: readonly string[]): Promise<void> {
    await rm(this.tmpDir, { recursive: true, force: true });
    await mkdir(this.tmpDir, { recursive: true });
    await mkdir(this.blobsDir, { recursive: true });
    for (const b of buckets) {
      await mkdir(this.objectsDir(b), { recursive: true });
      await mkdir(this.uploadsDir(b), { recursive: true });
    }
  }
}

/** Writes `value` as JSON to `file` by way of a temp file and a rename. */
export async function writeJsonAtomic(layout: DiskLayout, file: string, value: unknown): Promise<void> {
  const temp = layout.tempFile('.json');
  try {
    await writeFile(temp, JSON.stringify(value), { flag: 'wx' });
    await rename(temp, file);
  } catch (e) {
    await rm(temp, { force: true });
    throw e;
  }
}

export async function readJson<T>(file: string): Promise<T> {
  return JSON.parse(await readFile(file, 'utf8')) as T;
}

/** Names in `dir`, or [] when it does not exist. */
export async function listDir(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
}

export async function removeFile(file: string): Promise<void> {
  await rm(file, { force: true });
}
