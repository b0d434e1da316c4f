/**
 * {@link ResumeStore} in IndexedDB: database `oss-uploader`, object stores `uploads`
 * (resume records by id) and `aborts` (pending aborts by uploadId).
 */
import type { PendingAbort, ResumeRecord, ResumeStore } from './resume-store.js';

const DB_VERSION = 1;

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

export class IndexedDbResumeStore implements ResumeStore {
  private db: Promise<IDBDatabase> | undefined;

  constructor(private readonly name = 'oss-uploader') {}

  private open(): Promise<IDBDatabase> {
    this.db ??= new Promise<IDBDatabase>((resolve, reject) => {
      const req = indexedDB.open(this.name, DB_VERSION);
      req.onupgradeneeded = () => {
        const db = req.result;
        if (!db.objectStoreNames.contains('uploads')) db.createObjectStore('uploads', { keyPath: 'id' });
        if (!db.objectStoreNames.contains('aborts')) db.createObjectStore('aborts', { keyPath: 'uploadId' });
      };
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
      req.onblocked = () => reject(new Error('IndexedDB upgrade blocked by another tab'));
    });
    // A failed open (blocked, private mode) is not cached: the next call tries again.
    this.db.catch(() => { this.db = undefined; });
    return this.db;
  }

  /** Runs one request; a write resolves only once its transaction has committed. */
  private async tx<T>(store: 'uploads' | 'aborts', mode: IDBTransactionMode, fn: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> {
    const db = await this.open();
    const transaction = db.transaction(store, mode);
    const result = request(fn(transaction.objectStore(store)));
    if (mode === 'readonly') return result;
    const committed = new Promise<void>((resolve, reject) => {
      transaction.oncomplete = () => resolve();
      transaction.onerror = () => reject(transaction.error);
      transaction.onabort = () => reject(transaction.error ?? new Error('IndexedDB transaction aborted'));
    });
    // Asks for the commit in this same task instead of after the request's answer: a write
    // made as the page is closed (an abort pressed the moment before a reload) still lands.
    transaction.commit?.();
    await committed;
    return result;
  }

  async get(id: string) { return (await this.tx('uploads', 'readonly', (s) => s.get(id))) as ResumeRecord | undefined; }
  async put(r: ResumeRecord) { await this.tx('uploads', 'readwrite', (s) => s.put(r)); }
  async delete(id: string) { await this.tx('uploads', 'readwrite', (s) => s.delete(id)); }
  async list() { return (await this.tx('uploads', 'readonly', (s) => s.getAll())) as ResumeRecord[]; }
  async addPendingAbort(e: PendingAbort) { await this.tx('aborts', 'readwrite', (s) => s.put(e)); }
  async removePendingAbort(uploadId: string) { await this.tx('aborts', 'readwrite', (s) => s.delete(uploadId)); }
  async pendingAborts() { return (await this.tx('aborts', 'readonly', (s) => s.getAll())) as PendingAbort[]; }
}

/** IndexedDB where it exists, else undefined (the caller falls back to memory). */
export function defaultResumeStore(): ResumeStore | undefined {
  return typeof indexedDB === 'object' && indexedDB ? new IndexedDbResumeStore() : undefined;
}
