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

/** The store operation a request is, from its method and query (the same in every dialect). */
export function storeOp(input: RequestInfo | URL, init?: RequestInit): string {
  const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url, location.href);
  const method = init?.method ?? 'GET';
  if (url.pathname.includes('sts-token')) return 'Token';
  if (url.searchParams.has('partNumber')) return 'UploadPart';
  if (url.searchParams.has('uploads')) return method === 'POST' ? 'Initiate' : 'ListUploads';
  if (url.searchParams.has('uploadId')) return ({ POST: 'Complete', DELETE: 'Abort', GET: 'ListParts' } as Record<string, string>)[method] ?? method;
  return method === 'PUT' ? 'PutObject' : method;
}

export interface SentRequest {
  op: string;
  /** The part number, for UploadPart. */
  part?: number;
  /** Request headers, names lower-cased. */
  headers: Record<string, string>;
  status?: number;
  /** The answer's body, for ListParts. */
  body?: string;
}

/**
 * Records each store request a client sends (operation, part, headers) and its answer's
 * status, then sends it. `corrupt(part)` makes the next send of that part carry other bytes
 * of the same length, as a broken proxy would.
 */
export class WireRecorder {
  readonly sent: SentRequest[] = [];
  private readonly corrupted = new Set<number>();

  readonly fetch: typeof fetch = async (input, init) => {
    const op = storeOp(input, init);
    if (op === 'Token') return fetch(input, init);
    const url = new URL(String(input), location.href);
    const headers = Object.fromEntries(Object.entries((init?.headers ?? {}) as Record<string, string>).map(([k, v]) => [k.toLowerCase(), v]));
    const entry: SentRequest = { op, headers };
    if (op === 'UploadPart') entry.part = Number(url.searchParams.get('partNumber'));
    this.sent.push(entry);
    let body = init?.body;
    if (entry.part !== undefined && this.corrupted.delete(entry.part) && body instanceof Blob) {
      const bytes = new Uint8Array(await body.arrayBuffer());
      const i = bytes.length >> 1;
      bytes[i] = bytes[i]! ^ 0xff;
      body = new Blob([bytes]);
    }
    const res = await fetch(input, { ...init, body: body ?? null });
    entry.status = res.status;
    if (op === 'ListParts') entry.body = await res.clone().text();
    return res;
  };

  ops(): string[] { return this.sent.map((s) => s.op); }
  of(op: string): SentRequest[] { return this.sent.filter((s) => s.op === op); }
  corrupt(part: number): void { this.corrupted.add(part); }
}

/** Counts the requests a client sends, by operation, with an optional delay per UploadPart. */
export class FetchSpy {
  readonly counts = new Map<string, number>();
  partDelayMs = 0;
  completeDelayMs = 0;
  readonly fetch: typeof fetch = async (input, init) => {
    const op = storeOp(input, init);
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
