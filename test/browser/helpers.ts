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

type NetworkRule =
  | { times: number; kind: 'lose'; answer: 'network-error' | 'never' | 'cancel-only'; delayMs: number }
  | { times: number; kind: 'edit'; edit: (r: Response) => Response | Promise<Response> }
  | { times: number; kind: 'refuse'; instead: () => Response };

/**
 * A fetch that plays the network between the page and the real store, by operation:
 * `lose` lets a request reach the store in full (ignoring the page's signal, after `delayMs`)
 * while the page gets a network error, nothing ever, or nothing until it cancels; `answer`
 * edits the store's real answer on its way back; `refuse` answers in the store's place.
 */
export class ScriptedNetwork {
  private readonly counts = new Map<string, number>();
  private readonly rules = new Map<string, NetworkRule>();
  private readonly reached: Promise<unknown>[] = [];

  readonly fetch: typeof fetch = async (input, init) => {
    const op = storeOp(input, init);
    this.counts.set(op, (this.counts.get(op) ?? 0) + 1);
    const rule = this.rules.get(op);
    if (!rule || rule.times <= 0) return fetch(input, init);
    rule.times--;
    if (rule.kind === 'refuse') return rule.instead(); // the store never sees it
    const { signal, ...rest } = init ?? {};
    const delayMs = rule.kind === 'lose' ? rule.delayMs : 0;
    const real = new Promise((r) => setTimeout(r, delayMs)).then(() => fetch(input, rest));
    this.reached.push(real.then((r) => r.clone().text()).catch(() => undefined));
    if (rule.kind === 'edit') return rule.edit(await real);
    if (rule.answer === 'network-error') {
      await real.catch(() => undefined);
      throw new TypeError('Failed to fetch');
    }
    if (rule.answer === 'never') return new Promise<Response>(() => undefined);
    return new Promise<Response>((_, reject) => {
      signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
    });
  };

  count(op: string): number { return this.counts.get(op) ?? 0; }
  lose(op: string, answer: 'network-error' | 'never' | 'cancel-only', times = 1, delayMs = 0): void {
    this.rules.set(op, { kind: 'lose', times, answer, delayMs });
  }
  never(op: string, times = 1): void { this.lose(op, 'never', times); }
  answer(op: string, edit: (r: Response) => Response | Promise<Response>, times = 1): void {
    this.rules.set(op, { kind: 'edit', times, edit });
  }
  refuse(op: string, instead: () => Response, times = 1): void { this.rules.set(op, { kind: 'refuse', times, instead }); }
  /** Waits until every request let through to the store has been answered there. */
  settled(): Promise<unknown[]> { return Promise.all(this.reached); }
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

/** Waits until `check` holds, polling; fails the test after `ms` (never gives up silently). */
export async function until(check: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  for (const end = Date.now() + ms; !(await check());) {
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
