/**
 * Blobs: the immutable data files behind objects and parts, in `blobs/`.
 *
 * A blob is created by moving a fully received temp file into place ({@link BlobPool.adopt}),
 * and deleted when nothing refers to it any more ({@link BlobPool.discard}). Readers hold
 * the blobs they stream ({@link BlobPool.acquire}), so an overwrite or a delete racing a
 * GetObject defers the unlink until the reader is done instead of cutting it off.
 */
import { randomBytes } from 'node:crypto';
import { readdir, rename, rm } from 'node:fs/promises';
import type { DiskLayout } from './disk.js';

export class BlobPool {
  private readonly readers = new Map<string, number>();
  private readonly doomed = new Set<string>();

  constructor(private readonly layout: DiskLayout) {}

  /** Moves a temp file into blobs/ and returns its new id. */
  async adopt(tempFile: string): Promise<string> {
    const id = randomBytes(16).toString('hex');
    await rename(tempFile, this.layout.blobFile(id));
    return id;
  }

  /** Marks `ids` as being read; pair with {@link release}. Synchronous, so no await separates lookup and hold. */
  acquire(ids: readonly string[]): void {
    for (const id of ids) this.readers.set(id, (this.readers.get(id) ?? 0) + 1);
  }

  async release(ids: readonly string[]): Promise<void> {
    const free: string[] = [];
    for (const id of ids) {
      const n = (this.readers.get(id) ?? 1) - 1;
      if (n > 0) {
        this.readers.set(id, n);
      } else {
        this.readers.delete(id);
        if (this.doomed.delete(id)) free.push(id);
      }
    }
    await this.unlink(free);
  }

  /** Deletes `ids` now, or when their last reader releases them. */
  async discard(ids: readonly string[]): Promise<void> {
    const free: string[] = [];
    for (const id of ids) {
      if (this.readers.has(id)) this.doomed.add(id);
      else free.push(id);
    }
    await this.unlink(free);
  }

  /** At start-up: deletes every blob nothing refers to (left by a process that was killed). */
  async sweep(referenced: ReadonlySet<string>): Promise<void> {
    const names = await readdir(this.layout.blobsDir);
    await this.unlink(names.filter((id) => !referenced.has(id)));
  }

  private async unlink(ids: readonly string[]): Promise<void> {
    await Promise.all(ids.map((id) => rm(this.layout.blobFile(id), { force: true })));
  }
}
