/** What the browser tests share: deterministic files, digests, and looks into the store. */
import { executeServerCommand } from '@web/test-runner-commands';
import { MemoryResumeStore, UploadClient, type UploadClientOptions } from '../../src/core/index.js';

/** A File of `size` pseudo-random bytes from `seed` (xorshift32), the same on every run. */
export function makeFile(size: number, name = `file-${size}.bin`, seed = size || 1, lastModified = 1_700_000_000_000): File {
  const bytes = new Uint8Array(size);
  const words = new Uint32Array(bytes.buffer, 0, Math.floor(size / 4));
  let x = seed >>> 0 || 1;
  for (let i = 0; i < words.length; i++) {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    words[i] = x;
  }
  for (let i = words.length * 4; i < size; i++) bytes[i] = i & 0xff;
  return new File([bytes], name, { type: 'application/octet-stream', lastModified });
}

export async function sha256Hex(blob: Blob): Promise<string> {
  const d = await crypto.subtle.digest('SHA-256', await blob.arrayBuffer());
  return [...new Uint8Array(d)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export interface StoredObject { missing: boolean; size: number; sha256: string; crc64: string; storeCrc64: string | null; contentType: string | null }

export function getObject(key: string, bucket = 'uploads'): Promise<StoredObject> {
  return executeServerCommand('store:get-object', { bucket, key });
}

export function listUploads(prefix: string, bucket = 'uploads'): Promise<{ key: string; uploadId: string }[]> {
  return executeServerCommand('store:list-uploads', { bucket, prefix });
}

export function listParts(key: string, uploadId: string, bucket = 'uploads'): Promise<{ parts?: number[]; code?: string }> {
  return executeServerCommand('store:list-parts', { bucket, key, uploadId });
}

/** A unique user per test, so tests never see each other's objects. */
export function uniqueUser(): string {
  return `t${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
}

/** Counts the requests a client sends, by operation, with an optional delay per UploadPart. */
export class FetchSpy {
  readonly counts = new Map<string, number>();
  partDelayMs = 0;
  completeDelayMs = 0;
  readonly fetch: typeof fetch = async (input, init) => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url, location.href);
    const method = init?.method ?? 'GET';
    const op = url.searchParams.has('partNumber') ? 'UploadPart'
      : url.searchParams.has('uploads') ? (method === 'POST' ? 'Initiate' : 'ListUploads')
      : url.searchParams.has('uploadId') ? ({ POST: 'Complete', DELETE: 'Abort', GET: 'ListParts' } as Record<string, string>)[method] ?? method
      : url.pathname.includes('sts-token') ? 'Token' : method === 'PUT' ? 'PutObject' : method;
    this.counts.set(op, (this.counts.get(op) ?? 0) + 1);
    const delay = op === 'UploadPart' ? this.partDelayMs : op === 'Complete' ? this.completeDelayMs : 0;
    if (delay) {
      await new Promise((r, j) => {
        const t = setTimeout(r, delay);
        init?.signal?.addEventListener('abort', () => { clearTimeout(t); j(init.signal!.reason); });
      });
    }
    return fetch(input, init);
  };
  count(op: string): number { return this.counts.get(op) ?? 0; }
}

/** A client for `user`, with memory resume records unless given others. */
export function clientFor(user: string, opts: Partial<UploadClientOptions> & { tokenPath?: string; ttl?: number; tokenDialect?: string } = {}): UploadClient {
  const params = new URLSearchParams({ user });
  if (opts.ttl) params.set('ttl', String(opts.ttl));
  if (opts.tokenDialect) params.set('dialect', opts.tokenDialect);
  return new UploadClient({
    tokenUrl: `${opts.tokenPath ?? '/api/sts-token'}?${params}`,
    resumeStore: new MemoryResumeStore(),
    ...opts,
  });
}
