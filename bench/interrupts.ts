/**
 * Cancel and resume, per contestant:
 * - cancel latency: one browser, `count` uploads each cancelled at a random moment; the time
 *   from cancel() until every request the page started has settled (and none started for a
 *   quiet spell after), and whether requests were started after the cancel;
 * - bytes sent again: cancel at about 40 % and resume in the page; and reload the page at
 *   about 40 % and upload the same file to the same key again (skipped, and reported so, for a
 *   contestant whose module says it cannot resume across reloads). "Sent again" is what was sent
 *   after the interruption minus what the store was still missing (ListParts, asked by the
 *   driver as the store's owner); the stored object is verified each time.
 */
import type { Page } from 'puppeteer-core';
import type { Backend } from './backend.js';
import { launch, openPage } from './browser.js';
import type { Contestant } from './roster.js';
import { within } from './trial.js';

export interface CancelStats { n: number; settleMs: number[]; startedAfter: number; failures: number }
export interface ResumeStats { cancelResume?: number | string; reloadResume?: number | string }

let serial = 0;
const key = (id: string) => `int-${id}-${Date.now().toString(36)}-${++serial}.bin`;
const user = 'bench';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function cancelLatency(backend: Backend, c: Contestant, path: string, count: number, rand: () => number): Promise<CancelStats> {
  const browser = await launch();
  const out: CancelStats = { n: 0, settleMs: [], startedAfter: 0, failures: 0 };
  const keys: string[] = [];
  try {
    const page = await openPage(browser, backend.pageOrigin, path);
    await page.evaluate((m) => window.bench.prepare!(m as never), c.module);
    for (let i = 0; i < count; i++) {
      const k = key(c.id);
      keys.push(k);
      const afterMs = Math.round(50 + rand() * 1450);
      try {
        const r = (await within(page.evaluate((m, o) => window.bench.cancel!(m as never, o as never), c.module,
          { ...c.options, user, key: k, afterMs, quietMs: 250 }), 60_000, 'cancel')) as { settleMs: number; startedAfter: number; finishedFirst: boolean };
        if (r.finishedFirst) continue;
        if (!Number.isFinite(r.settleMs)) out.failures++;
        else out.settleMs.push(Math.max(0, r.settleMs));
        if (r.startedAfter > 0) out.startedAfter++;
        out.n++;
      } catch {
        out.failures++;
      }
    }
  } finally {
    await browser.close().catch(() => undefined);
    for (const k of keys) await backend.remove(`uploads/${user}/${k}`).catch(() => undefined);
  }
  return out;
}

/**
 * Waits until the page has sent `bytes` of request bodies. Throws as soon as `upload` (the
 * page call that runs the upload) settles first — the upload failed or finished before the
 * mark, nothing to wait for — or when the mark is not reached at 5 MB/s (at least 30 s).
 */
async function sentAtLeast(page: Page, bytes: number, upload: Promise<unknown>): Promise<void> {
  let ended: string | undefined;
  upload.then(() => { ended = 'finished'; }, (e: unknown) => { ended = `failed (${String((e as Error)?.message ?? e).slice(0, 60)})`; });
  const limitMs = Math.max(30_000, bytes / 5e3);
  const deadline = Date.now() + limitMs;
  const mib = (bytes / 2 ** 20).toFixed(0);
  while (Date.now() < deadline) {
    if (((await page.evaluate(() => window.bench.sentBodyBytes!())) as number) >= bytes) return;
    if (ended) throw new Error(`the upload ${ended} before ${mib} MiB were sent`);
    await sleep(50);
  }
  throw new Error(`${mib} MiB not sent within ${Math.round(limitMs / 1000)} s`);
}

/** The verdict for a contestant that cannot find its upload after a reload (it starts over). */
export const CANNOT_RESUME_AFTER_RELOAD = 'cannot resume after a reload (starts over)';

export async function resumeCosts(backend: Backend, c: Contestant, file: { path: string; size: number; sha256: string }): Promise<ResumeStats> {
  const out: ResumeStats = {};
  const verify = async (fullKey: string) => {
    const s = await backend.stored(fullKey);
    return s?.size === file.size && s.sha256 === file.sha256;
  };
  const finishLimitMs = Math.max(120_000, file.size / 5e3);
  let acrossReloads = true;
  // Cancel at ~40 %, resume in the same page.
  {
    const browser = await launch();
    const k = key(c.id);
    const fullKey = `uploads/${user}/${k}`;
    try {
      const page = await openPage(browser, backend.pageOrigin, file.path);
      await page.evaluate((m) => window.bench.prepare!(m as never), c.module);
      acrossReloads = (await page.evaluate((m) => window.bench.resumesAcrossReloads!(m as never), c.module)) as boolean;
      const started = page.evaluate((m, o) => window.bench.cancel!(m as never, o as never), c.module,
        { ...c.options, user, key: k, afterMs: 0x7fffffff, quietMs: 250 });
      void started.catch(() => undefined);
      // `cancel` would wait afterMs: cancel by bytes sent instead.
      await sentAtLeast(page, file.size * 0.4, started);
      await page.evaluate(() => window.bench.cancelNow!());
      await within(started, 60_000, 'cancel');
      const missing = file.size - (await backend.pendingBytes(fullKey));
      const r = (await within(page.evaluate(() => window.bench.resume!()), finishLimitMs, 'resume')) as { supported: boolean; bodyBytes: number };
      if (!r.supported) out.cancelResume = 'cannot resume';
      else out.cancelResume = (await verify(fullKey)) ? Math.max(0, r.bodyBytes - missing) : 'not verified';
    } catch (e) {
      out.cancelResume = `failed: ${String((e as Error).message ?? e).slice(0, 80)}`;
    } finally {
      await browser.close().catch(() => undefined);
      await backend.remove(fullKey).catch(() => undefined);
    }
  }
  // Reload at ~40 %, then the same file to the same key; not tried for a contestant that
  // says it cannot find its upload again (it would only start over).
  if (!acrossReloads) {
    out.reloadResume = CANNOT_RESUME_AFTER_RELOAD;
    return out;
  }
  {
    const browser = await launch();
    const k = key(c.id);
    const fullKey = `uploads/${user}/${k}`;
    try {
      let page = await openPage(browser, backend.pageOrigin, file.path);
      await page.evaluate((m) => window.bench.prepare!(m as never), c.module);
      const first = page.evaluate((m, o) => window.bench.upload!(m as never, o as never), c.module, { ...c.options, user, key: k });
      void first.catch(() => undefined);
      await sentAtLeast(page, file.size * 0.4, first);
      await page.close();
      await sleep(500);
      const missing = file.size - (await backend.pendingBytes(fullKey));
      page = await openPage(browser, backend.pageOrigin, file.path);
      await page.evaluate((m) => window.bench.prepare!(m as never), c.module);
      const r = (await within(page.evaluate((m, o) => window.bench.resumeAfterReload!(m as never, o as never), c.module, { ...c.options, user, key: k }), finishLimitMs, 'resume after reload')) as { bodyBytes: number };
      out.reloadResume = (await verify(fullKey)) ? Math.max(0, r.bodyBytes - missing) : 'not verified';
    } catch (e) {
      out.reloadResume = `failed: ${String((e as Error).message ?? e).slice(0, 80)}`;
    } finally {
      await browser.close().catch(() => undefined);
      await backend.remove(fullKey).catch(() => undefined);
    }
  }
  return out;
}
