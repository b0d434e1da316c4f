/**
 * The page side of the bench: watches every request the page makes (fetch and XHR), the
 * main thread's long tasks and the JS heap, and runs one contestant's module (loaded on
 * demand from `./c/<name>.js`) on the file picked through `<input type=file>`.
 *
 * The driver calls `window.bench.*` through `page.evaluate`; nothing here touches the
 * DevTools protocol, so the Network domain stays off.
 */
import type { ContestantModule, RunOptions, Session, Token } from './contract.js';

interface RequestRecord { method: string; bytes: number; start: number; end: number; ok: boolean }

const requests: RequestRecord[] = [];
let inflight = 0;

function bodySize(body: unknown): number {
  if (body == null) return 0;
  if (body instanceof Blob) return body.size;
  if (body instanceof ArrayBuffer) return body.byteLength;
  if (ArrayBuffer.isView(body)) return body.byteLength;
  if (typeof body === 'string') return body.length;
  return 0;
}

function track(method: string, bytes: number): (ok: boolean) => void {
  const r: RequestRecord = { method: method.toUpperCase(), bytes, start: performance.now(), end: NaN, ok: false };
  requests.push(r);
  inflight++;
  return (ok) => {
    r.end = performance.now();
    r.ok = ok;
    inflight--;
  };
}

// The AWS SDK fetches `new Request(url, { body })`: a Request's body is a stream by then, so
// its size is noted when it is made.
const requestBodies = new WeakMap<Request, number>();
const NativeRequest = window.Request;
window.Request = class extends NativeRequest {
  constructor(input: RequestInfo | URL, init?: RequestInit) {
    super(input, init);
    if (init?.body != null) requestBodies.set(this, bodySize(init.body));
    else if (input instanceof NativeRequest && requestBodies.has(input)) requestBodies.set(this, requestBodies.get(input)!);
  }
};

const nativeFetch = window.fetch.bind(window);
window.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
  const method = init?.method ?? (input instanceof Request ? input.method : 'GET');
  const bytes = init?.body != null || !(input instanceof Request) ? bodySize(init?.body) : (requestBodies.get(input) ?? 0);
  const done = track(method, bytes);
  const p = nativeFetch(input, init);
  // A fetch settles for the page when its body is read or dropped; the response arriving is
  // when the network request is over for uploads (their answers are tiny).
  p.then((r) => done(r.ok), () => done(false));
  return p;
};

const xhrSend = XMLHttpRequest.prototype.send;
const xhrOpen = XMLHttpRequest.prototype.open;
const methods = new WeakMap<XMLHttpRequest, string>();
XMLHttpRequest.prototype.open = function (this: XMLHttpRequest, method: string, ...rest: unknown[]) {
  methods.set(this, method);
  return (xhrOpen as (...a: unknown[]) => void).call(this, method, ...rest);
} as typeof XMLHttpRequest.prototype.open;
XMLHttpRequest.prototype.send = function (this: XMLHttpRequest, body?: Document | XMLHttpRequestBodyInit | null) {
  const done = track(methods.get(this) ?? 'GET', bodySize(body));
  this.addEventListener('loadend', () => done(this.status >= 200 && this.status < 300), { once: true });
  return xhrSend.call(this, body);
};

let longTasks: number[] = [];
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) longTasks.push(e.duration);
}).observe({ type: 'longtask', buffered: false });

function heapBytes(): number {
  return (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0;
}

/** File bytes sent by finished requests: the bodies of PUTs (parts, single objects); XML bodies of POSTs are not file bytes. */
function fileBytesSent(since = 0): number {
  return requests.filter((r) => r.ok && r.method === 'PUT' && r.start >= since).reduce((n, r) => n + r.bytes, 0);
}

const modules = new Map<string, Promise<ContestantModule>>();
function load(name: string): Promise<ContestantModule> {
  let m = modules.get(name);
  if (!m) {
    const url = `/c/${name}.js`;
    m = import(/* @vite-ignore */ url) as Promise<ContestantModule>;
    modules.set(name, m);
  }
  return m;
}

function tokenUrl(opts: RunOptions): string {
  return `/api/sts-token?user=${encodeURIComponent(opts.user)}${opts.dialect && opts.dialect !== 'oss' ? `&dialect=${opts.dialect}` : ''}`;
}

async function token(opts: RunOptions): Promise<Token> {
  const res = await nativeFetch(tokenUrl(opts), { cache: 'no-store' });
  if (!res.ok) throw new Error(`token endpoint ${res.status}`);
  return (await res.json()) as Token;
}

function file(): File {
  const f = (document.getElementById('file') as HTMLInputElement).files?.[0];
  if (!f) throw new Error('no file picked');
  return f;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until no request is in flight and none started for `quietMs`; returns when the last one settled. */
async function allSettled(since: number, quietMs: number, limitMs: number): Promise<{ settledAt: number; startedAfter: number }> {
  const deadline = performance.now() + limitMs;
  for (;;) {
    const last = requests.reduce((t, r) => Math.max(t, Number.isNaN(r.end) ? Infinity : r.end), since);
    if (inflight === 0 && performance.now() - last >= quietMs) {
      return { settledAt: last, startedAfter: requests.filter((r) => r.start > since).length };
    }
    if (performance.now() > deadline) return { settledAt: Infinity, startedAfter: requests.filter((r) => r.start > since).length };
    await sleep(5);
  }
}

let session: Session | undefined;
let cancelNow: (() => void) | undefined;

window.bench = {
  async prepare(name: string) {
    await load(name);
    return file().size;
  },

  /** One upload, start to verified-by-the-contestant finish: seconds, long tasks, heap peak. */
  async upload(name: string, opts: RunOptions) {
    const mod = await load(name);
    const f = file();
    const tok = await token(opts);
    const key = tok.keyPrefix + opts.key;
    longTasks = [];
    requests.length = 0;
    const heap0 = heapBytes();
    let heapPeak = heap0;
    const heapTimer = setInterval(() => { heapPeak = Math.max(heapPeak, heapBytes()); }, 100);
    const t0 = performance.now();
    try {
      const s = mod.start(f, { ...opts, key, token: tok, tokenUrl: tokenUrl(opts) });
      const info = await s.done;
      const seconds = (performance.now() - t0) / 1000;
      await sleep(60); // let a long task that just ended reach the observer
      return {
        seconds, key, info: info ?? {}, heapGrowth: heapPeak - heap0,
        longTasks: longTasks.length, longestTask: Math.max(0, ...longTasks),
        requests: requests.length, bodyBytes: fileBytesSent(),
      };
    } finally {
      clearInterval(heapTimer);
    }
  },

  /** Starts an upload, cancels it after `afterMs`, and measures until every request has settled. */
  async cancel(name: string, opts: RunOptions & { afterMs: number; quietMs: number }) {
    const mod = await load(name);
    const f = file();
    const tok = await token(opts);
    const key = tok.keyPrefix + opts.key;
    requests.length = 0;
    session = mod.start(f, { ...opts, key, token: tok, tokenUrl: tokenUrl(opts) });
    let finishedFirst = false;
    session.done.then(() => { finishedFirst = true; }, () => undefined);
    await Promise.race([sleep(opts.afterMs), new Promise<void>((r) => { cancelNow = r; }), session.done.catch(() => undefined)]);
    cancelNow = undefined;
    if (finishedFirst) return { key, finishedFirst, settleMs: NaN, startedAfter: 0, inflightAtCancel: 0, bodyBytesBefore: 0 };
    const inflightAtCancel = inflight;
    const c0 = performance.now();
    const cancelled = session.cancel();
    const s = await allSettled(c0, opts.quietMs, 10_000);
    await cancelled?.catch?.(() => undefined);
    const bodyBytesBefore = fileBytesSent() - fileBytesSent(c0);
    return { key, finishedFirst, settleMs: s.settledAt - c0, startedAfter: s.startedAfter, inflightAtCancel, bodyBytesBefore };
  },

  /** Resumes the upload cancelled by `cancel` (same page): body bytes sent to finish it. */
  async resume() {
    if (!session?.resume) return { supported: false };
    requests.length = 0;
    const info = await session.resume();
    return { supported: true, info: info ?? {}, bodyBytes: fileBytesSent() };
  },

  /** After a reload: uploads the same file to the same key again, as the contestant resumes across page loads. */
  async resumeAfterReload(name: string, opts: RunOptions) {
    const mod = await load(name);
    const f = file();
    const tok = await token(opts);
    const key = tok.keyPrefix + opts.key;
    requests.length = 0;
    const s = mod.start(f, { ...opts, key, token: tok, tokenUrl: tokenUrl(opts), afterReload: true });
    const info = await s.done;
    return { info: info ?? {}, bodyBytes: fileBytesSent(), resumed: mod.resumesAcrossReloads ?? false };
  },

  /** Whether the contestant says it can find and continue its upload after a page reload. */
  async resumesAcrossReloads(name: string) {
    return (await load(name)).resumesAcrossReloads ?? false;
  },

  /** Cancels the upload `cancel` started now, instead of after its `afterMs`. */
  cancelNow() {
    cancelNow?.();
  },

  /** File bytes sent so far (bodies of finished PUTs). */
  sentBodyBytes() {
    return fileBytesSent();
  },
};
