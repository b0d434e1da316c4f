/**
 * What the soak (run.ts), its small version in `npm test` and the browser-file tests share:
 *
 * - {@link startSoakEnv}: the local store (with the fault mode when asked), the token
 *   endpoint (every credential it hands out is remembered, for the leak checks), a page
 *   server on 127.0.0.1 with the soak page and the bundled element, and headless Chromium
 *   (Debian's, through puppeteer-core).
 * - {@link Person}: one tab, used as a person uses the element: files go in through its
 *   file input (disk-backed, as a picker gives them), buttons are pressed by accessible name
 *   (and the file name they describe), and what happened is read from the documented
 *   `oss-*` events. Nothing reaches into the element's internals.
 * - {@link leakScan}: every place a credential could end up in the page.
 */
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, createReadStream, existsSync, mkdirSync, openSync, rmSync, writeSync } from 'node:fs';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import puppeteer, { type Browser, type ElementHandle, type Page } from 'puppeteer-core';
import { startLocalBackend, LOCAL_REGION, LOCAL_ROOT_KEY, type LocalBackend } from '../../server/local-backend.js';
import type { FaultConfig } from '../../server/store/faults/index.js';
import { createTokenHandler } from '../../server/token/index.js';
import { signedFetch } from '../../test/support/signed-fetch.js';

const repo = resolve(import.meta.dirname, '../..');

export const CHROMIUM_ARGS = [
  '--no-sandbox', '--headless=new', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--disable-quic', '--no-first-run',
  // Two tabs upload at once: neither may be throttled as a background tab.
  '--disable-background-timer-throttling', '--disable-renderer-backgrounding', '--disable-backgrounding-occluded-windows',
];

export interface SoakEnv {
  /** The page server, e.g. `http://127.0.0.1:40123`. */
  origin: string;
  backend: LocalBackend;
  browser: Browser;
  /** Every AccessKeyId, AccessKeySecret and SecurityToken the token endpoint handed out. */
  issued: { ids: Set<string>; secrets: Set<string> };
  workDir: string;
  close(): Promise<void>;
}

/** Bundles the soak page and the hash worker with esbuild (as an application's build would). */
async function bundlePage(out: string): Promise<void> {
  await build({
    entryPoints: { page: join(repo, 'scripts/soak/page.ts'), 'hash-worker': join(repo, 'src/core/hash-worker.ts') },
    bundle: true, format: 'esm', outdir: out, target: 'es2022', logLevel: 'warning', sourcemap: false,
    // src/ is not the published package: its "sideEffects" list names dist/define.js, not src/define.ts.
    ignoreAnnotations: true,
  });
}

/** Remembers the credentials in a token answer as it is sent. */
function recordIssued(res: ServerResponse, issued: SoakEnv['issued']): void {
  const end = res.end.bind(res) as (...a: unknown[]) => ServerResponse;
  res.end = ((...args: unknown[]) => {
    const body = args[0];
    if (typeof body === 'string' && body.startsWith('{')) {
      try {
        const j = JSON.parse(body) as Record<string, string>;
        if (j['AccessKeyId']) issued.ids.add(j['AccessKeyId']);
        if (j['AccessKeySecret']) issued.secrets.add(j['AccessKeySecret']);
        if (j['SecurityToken']) issued.secrets.add(j['SecurityToken']);
      } catch { /* not credentials */ }
    }
    return end(...args);
  }) as typeof res.end;
}

export async function startSoakEnv(opts: { workDir: string; faults?: FaultConfig | undefined; ttlSeconds?: number }): Promise<SoakEnv> {
  mkdirSync(opts.workDir, { recursive: true });
  const backend = await startLocalBackend({ OSS_UPLOADER_DATA: join(opts.workDir, 'data') }, { storePort: 0, faults: opts.faults });
  const issued = { ids: new Set<string>(), secrets: new Set<string>() };
  const token = createTokenHandler({ ...backend.tokenOptions(), ...(opts.ttlSeconds ? { ttlSeconds: opts.ttlSeconds } : {}), log: () => undefined });
  const www = join(opts.workDir, 'www');
  await bundlePage(www);
  const files: Record<string, [string, string]> = {
    '/': [join(repo, 'scripts/soak/page.html'), 'text/html; charset=utf-8'],
    '/page.js': [join(www, 'page.js'), 'text/javascript'],
    '/hash-worker.js': [join(www, 'hash-worker.js'), 'text/javascript'],
  };
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path === '/api/sts-token') {
      recordIssued(res, issued);
      return void token(req, res);
    }
    const file = files[path];
    if (!file) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': file[1], 'cache-control': 'no-store' });
    createReadStream(file[0]).pipe(res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const executablePath = process.env['CHROME_PATH'] || ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find(existsSync);
  if (!executablePath) throw new Error('No Chromium at /usr/bin/chromium (set CHROME_PATH)');
  const browser = await puppeteer.launch({ executablePath, headless: true, args: CHROMIUM_ARGS, protocolTimeout: 120_000 });
  return {
    origin, backend, browser, issued, workDir: opts.workDir,
    async close() {
      await browser.close().catch(() => undefined);
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await backend.close();
    },
  };
}

// ---- files ----------------------------------------------------------------------------

/** Writes `size` pseudo-random bytes to `path` (no two 1 MiB chunks alike); returns their SHA-256. */
export function writeFile(path: string, size: number, seed: number): string {
  const chunk = randomBytes(1 << 20);
  const hash = createHash('sha256');
  const fd = openSync(path, 'w');
  try {
    for (let at = 0, n = 0; at < size; at += chunk.length, n++) {
      chunk.writeUInt32LE(seed >>> 0, 0);
      chunk.writeUInt32LE(n, 4);
      const len = Math.min(chunk.length, size - at);
      writeSync(fd, chunk, 0, len);
      hash.update(chunk.subarray(0, len));
    }
  } finally {
    closeSync(fd);
  }
  return hash.digest('hex');
}

// ---- the store, as the soak looks at it (root key, never faulted) ------------------------

export async function storedObject(storeUrl: string, key: string): Promise<{ size: number; sha256: string } | undefined> {
  const res = await signedFetch(storeUrl, LOCAL_ROOT_KEY, { method: 'GET', bucket: 'uploads', key, region: LOCAL_REGION });
  if (res.status === 404) {
    await res.arrayBuffer();
    return undefined;
  }
  if (!res.ok) throw new Error(`GetObject ${key}: ${res.status} ${await res.text()}`);
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    hash.update(chunk);
    size += chunk.length;
  }
  return { size, sha256: hash.digest('hex') };
}

/** Every multipart upload in progress under `prefix` (all pages). */
export async function uploadsInProgress(storeUrl: string, prefix: string): Promise<{ key: string; uploadId: string }[]> {
  const out: { key: string; uploadId: string }[] = [];
  let keyMarker = '';
  let uploadIdMarker = '';
  for (let page = 0; page < 100; page++) {
    const query: Record<string, string> = { uploads: '', prefix, 'encoding-type': 'url' };
    if (keyMarker) query['key-marker'] = keyMarker;
    if (uploadIdMarker) query['upload-id-marker'] = uploadIdMarker;
    const res = await signedFetch(storeUrl, LOCAL_ROOT_KEY, { method: 'GET', bucket: 'uploads', query, region: LOCAL_REGION });
    const xml = await res.text();
    if (!res.ok) throw new Error(`ListMultipartUploads ${res.status}: ${xml}`);
    for (const m of xml.matchAll(/<Upload>([\s\S]*?)<\/Upload>/g)) {
      const key = decodeURIComponent(/<Key>([^<]*)<\/Key>/.exec(m[1]!)![1]!);
      const uploadId = /<UploadId>([^<]*)<\/UploadId>/.exec(m[1]!)![1]!;
      out.push({ key, uploadId });
    }
    if (!/<IsTruncated>true<\/IsTruncated>/.test(xml)) break;
    keyMarker = decodeURIComponent(/<NextKeyMarker>([^<]*)</.exec(xml)?.[1] ?? '');
    uploadIdMarker = /<NextUploadIdMarker>([^<]*)</.exec(xml)?.[1] ?? '';
  }
  return out;
}

// ---- a person at the page -----------------------------------------------------------

export interface SeenEvent {
  type: string;
  /** The file's name, for events about one file. */
  file: string | undefined;
  detail: Record<string, unknown>;
  raw: string;
  at: number;
}

/**
 * Finds a button the way assistive technology names it: role button, accessible name
 * (`aria-label`, else its text) matching `name`, and — for a row's button — describing the
 * file (`aria-describedby`), or else inside the list item that names it. Runs in the page.
 */
function findButton(pattern: string, fileName: string | null): Element | null {
  const found: HTMLElement[] = [];
  const walk = (root: Document | ShadowRoot) => {
    for (const el of root.querySelectorAll<HTMLElement>('*')) {
      if (el.shadowRoot) walk(el.shadowRoot);
      if (el.tagName === 'BUTTON' || el.getAttribute('role') === 'button') found.push(el);
    }
  };
  walk(document);
  const re = new RegExp(pattern);
  const nameOf = (b: Element) => (b.getAttribute('aria-label') ?? b.textContent ?? '').replace(/\s+/g, ' ').trim();
  const describes = (b: Element) => {
    const root = b.getRootNode() as Document | ShadowRoot;
    const ids = (b.getAttribute('aria-describedby') ?? '').split(/\s+/).filter(Boolean);
    const text = ids.map((id) => root.getElementById(id)?.textContent ?? '').join(' ').trim();
    if (text) return text === fileName;
    const item = b.closest('li,[role=listitem]');
    return !!item && (item.textContent ?? '').includes(fileName!);
  };
  return found.find((b) => !(b as HTMLButtonElement).disabled && re.test(nameOf(b)) && (fileName === null || describes(b))) ?? null;
}

/** The element's file input (inside its shadow root): runs in the page. */
function findFileInput(): Element | null {
  const walk = (root: Document | ShadowRoot): Element | null => {
    for (const el of root.querySelectorAll('*')) {
      if (el instanceof HTMLInputElement && el.type === 'file') return el;
      if (el.shadowRoot) {
        const inner = walk(el.shadowRoot);
        if (inner) return inner;
      }
    }
    return null;
  };
  return walk(document);
}

/** How long one look at or press in the page may take before the page counts as unresponsive. */
const PAGE_CALL_MS = 30_000;

/** `p`, or a rejection after {@link PAGE_CALL_MS}: a hung page must not stall the soak. */
function inTime<T>(p: Promise<T>, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the page did not answer ${what} within ${PAGE_CALL_MS / 1000} s`)), PAGE_CALL_MS);
  });
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

export class Person {
  readonly events: SeenEvent[] = [];
  readonly console: string[] = [];
  readonly pageErrors: string[] = [];
  private listeners = new Set<(e: SeenEvent) => void>();

  private constructor(readonly page: Page, readonly user: string, private readonly origin: string) {}

  static async open(env: SoakEnv, user: string): Promise<Person> {
    const context = await env.browser.createBrowserContext();
    const page = await context.newPage();
    const person = new Person(page, user, env.origin);
    page.setDefaultTimeout(30_000);
    // tsx compiles the functions evaluated in the page with esbuild's keepNames, which calls a `__name` helper.
    await page.evaluateOnNewDocument('globalThis.__name = (f) => f;');
    await page.exposeFunction('soakEvent', (line: string) => person.onEvent(line));
    page.on('console', (m) => person.console.push(`${m.type()}: ${m.text()}`));
    page.on('pageerror', (e) => person.pageErrors.push(String((e as Error)?.message ?? e)));
    return person;
  }

  private onEvent(raw: string): void {
    const parsed = JSON.parse(raw) as { type: string; detail: Record<string, unknown> };
    const file = (parsed.detail?.['file'] as { file?: string } | undefined)?.file;
    const e: SeenEvent = { type: parsed.type, file, detail: parsed.detail, raw, at: Date.now() };
    this.events.push(e);
    for (const l of this.listeners) l(e);
  }

  /** Calls `listener` with every event from now on. */
  subscribe(listener: (e: SeenEvent) => void): void {
    this.listeners.add(listener);
  }

  /** Resolves with the next event matching `test`, or undefined after `timeoutMs`. */
  next(test: (e: SeenEvent) => boolean, timeoutMs: number): Promise<SeenEvent | undefined> {
    return new Promise((resolve) => {
      const l = (e: SeenEvent) => {
        if (!test(e)) return;
        this.listeners.delete(l);
        clearTimeout(t);
        resolve(e);
      };
      const t = setTimeout(() => {
        this.listeners.delete(l);
        resolve(undefined);
      }, timeoutMs);
      this.listeners.add(l);
    });
  }

  /** Opens the application's page with the element for `dialect` and `partSize`. */
  async visit(dialect: string, partSize: string): Promise<void> {
    const q = new URLSearchParams({ user: this.user, dialect, part: partSize });
    await this.page.goto(`${this.origin}/?${q}`, { waitUntil: 'load' });
    await this.page.waitForFunction(() => customElements.get('oss-uploader') !== undefined);
  }

  async reload(): Promise<void> {
    await this.page.reload({ waitUntil: 'load' });
    await this.page.waitForFunction(() => customElements.get('oss-uploader') !== undefined);
  }

  /** Puts files from disk into the element's file input, as the picker does. */
  async pick(paths: string[]): Promise<void> {
    const input = (await inTime(this.page.evaluateHandle(findFileInput), 'a look for the file input')).asElement() as ElementHandle<HTMLInputElement> | null;
    if (!input) throw new Error('the element has no file input');
    await inTime(input.uploadFile(...paths), "a pick of files");
    await input.dispose();
  }

  /** Whether a button named by `pattern` (for `fileName`, when given) can be pressed now. */
  async has(pattern: string, fileName: string | null = null): Promise<boolean> {
    return inTime(this.page.evaluate(findButton, pattern, fileName), `a look for ${pattern}`).then((b) => b !== null).catch(() => false);
  }

  /** Presses the button; false when there is none (the moment passed). */
  async press(pattern: string, fileName: string | null = null): Promise<boolean> {
    try {
      const handle = (await inTime(this.page.evaluateHandle(findButton, pattern, fileName), `a look for ${pattern}`)).asElement();
      if (!handle) return false;
      // Activates exactly that button (a re-render may put another one where it was).
      await inTime(handle.evaluate((b) => (b as HTMLElement).click()), `a press of ${pattern}`);
      await handle.dispose();
      return true;
    } catch {
      return false;
    }
  }

  /**
   * Abort or Remove, then the element's confirmation when it asks for one (“Abort upload”,
   * “Remove and delete parts”). False when the button was not there.
   */
  async pressDestructive(action: 'Abort' | 'Remove', fileName: string): Promise<boolean> {
    if (!(await this.press(`^${action}$`, fileName))) return false;
    const confirm = action === 'Abort' ? '^Abort upload$' : '^Remove and delete parts$';
    await this.pressWhenThere(confirm, fileName, 1500);
    return true;
  }

  /** Waits (polling) until the button exists, then presses it. */
  async pressWhenThere(pattern: string, fileName: string | null, timeoutMs: number): Promise<boolean> {
    const until = Date.now() + timeoutMs;
    while (Date.now() < until) {
      if (await this.press(pattern, fileName)) return true;
      await new Promise((r) => setTimeout(r, 100));
    }
    return false;
  }

  async close(): Promise<void> {
    await this.page.browserContext().close().catch(() => undefined);
  }
}

// ---- leaks --------------------------------------------------------------------------

/** Everything the page keeps where a credential could hide, as text per place. Runs in the page. */
async function pageStorage(): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const kv = (s: Storage) => JSON.stringify(Object.fromEntries(Array.from({ length: s.length }, (_, i) => [s.key(i), s.getItem(s.key(i)!)])));
  out['localStorage'] = kv(localStorage);
  out['sessionStorage'] = kv(sessionStorage);
  out['cookies'] = document.cookie;
  const dbs: string[] = [];
  for (const info of await indexedDB.databases()) {
    if (!info.name) continue;
    const db = await new Promise<IDBDatabase>((res, rej) => {
      const r = indexedDB.open(info.name!);
      r.onsuccess = () => res(r.result);
      r.onerror = () => rej(r.error);
    });
    for (const store of Array.from(db.objectStoreNames)) {
      const all = await new Promise<unknown[]>((res, rej) => {
        const r = db.transaction(store, 'readonly').objectStore(store).getAll();
        r.onsuccess = () => res(r.result);
        r.onerror = () => rej(r.error);
      });
      dbs.push(`${info.name}/${store}: ${JSON.stringify(all)}`);
    }
    db.close();
  }
  out['IndexedDB'] = dbs.join('\n');
  const html: string[] = [];
  const walk = (root: Document | ShadowRoot) => {
    html.push(root instanceof Document ? root.documentElement.outerHTML : root.innerHTML);
    for (const el of root.querySelectorAll('*')) {
      if (el.shadowRoot) walk(el.shadowRoot);
      // Properties the DOM shows but outerHTML does not.
      if (el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement) html.push(el.value);
    }
  };
  walk(document);
  out['DOM'] = html.join('\n');
  return out;
}

/** Places (`localStorage`, `IndexedDB`, `DOM`, …) where any of `secrets` appears, with counts. */
export function findSecrets(places: Record<string, string>, secrets: Iterable<string>): Record<string, number> {
  const found: Record<string, number> = {};
  const list = [...secrets].filter((s) => s.length >= 8);
  for (const [place, text] of Object.entries(places)) {
    for (const s of list) if (text.includes(s)) found[place] = (found[place] ?? 0) + 1;
  }
  return found;
}

/** The page's storage, cookies (also HttpOnly ones, through the browser) and DOM, as text per place. */
export async function leakScan(person: Person): Promise<Record<string, string>> {
  const places = await person.page.evaluate(pageStorage);
  const cookies = await person.page.browserContext().cookies().catch(() => []);
  places['cookies'] += '\n' + JSON.stringify(cookies);
  return places;
}

export function rmrf(path: string): void {
  rmSync(path, { recursive: true, force: true });
}
