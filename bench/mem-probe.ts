/**
 * Profiling only: one upload of one contestant, with the JS heap of the page and of every
 * worker (DevTools Runtime.getHeapUsage) and the renderer's RSS sampled each second; with
 * `--gc`, a forced GC in every worker at each sample (to tell garbage from live memory).
 *
 *   node --import tsx bench/mem-probe.ts [--size MiB] [--module engine] [--variant JSON] [--gc]
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CDPSession } from 'puppeteer-core';
import { startBackend } from './backend.js';
import { familyOf, launch, openPage, rssBytes } from './browser.js';
import { buildPage } from './bundle.js';
import { makeFile } from './fixture.js';

const arg = (name: string, d: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1]! : d;
};
const MiB = 1024 * 1024;
const size = Number(arg('size', '1024')) * MiB;
const module = arg('module', 'engine');
const variant = JSON.parse(arg('variant', '{}')) as Record<string, unknown>;
const gc = process.argv.includes('--gc');

const work = mkdtempSync(join(tmpdir(), 'oss-uploader-memprobe-'));
try {
  await buildPage(join(work, 'www'), [module]);
  const backend = await startBackend(join(work, 'data'), join(work, 'www'));
  try {
    const file = await makeFile(join(work, 'file.bin'), size);
    const browser = await launch();
    try {
      const page = await openPage(browser, backend.pageOrigin, file.path);
      await page.evaluate((m) => window.bench.prepare!(m as never), module);
      const renderers = () => familyOf(browser.process()!.pid!).filter((pid) => {
        try { return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('--type=renderer'); } catch { return false; }
      });
      const r0 = rssBytes(renderers());
      const pageClient = await page.createCDPSession();
      const heap = async (c: CDPSession) => {
        try {
          if (gc) await c.send('HeapProfiler.collectGarbage');
          const h = await c.send('Runtime.getHeapUsage') as { usedSize: number; totalSize: number; embedderHeapUsedSize?: number; backingStorageSize?: number };
          return `${(h.usedSize / MiB).toFixed(1)}/${(h.totalSize / MiB).toFixed(1)}${h.backingStorageSize !== undefined ? ` bs${(h.backingStorageSize / MiB).toFixed(1)}` : ''}${h.embedderHeapUsedSize !== undefined ? ` oilpan${(h.embedderHeapUsedSize / MiB).toFixed(1)}` : ''}`;
        } catch (e) { return 'x'; }
      };
      let running = true;
      const t0 = Date.now();
      const sampler = (async () => {
        while (running) {
          await new Promise((r) => setTimeout(r, 1000));
          const workers = page.workers();
          const hs = await Promise.all(workers.map((w) => heap(w.client as CDPSession)));
          console.log(`t=${((Date.now() - t0) / 1000).toFixed(0)}s renderer +${((rssBytes(renderers()) - r0) / MiB).toFixed(0)} MiB page ${await heap(pageClient)} workers[${workers.length}] ${hs.join(' ')}`);
        }
      })();
      const out = await page.evaluate((m, o) => window.bench.upload!(m as never, o as never), module, { user: 'bench', key: `probe-${Date.now()}.bin`, variant }) as { seconds: number };
      running = false;
      await sampler;
      console.log(`done ${(size / 1e6 / out.seconds).toFixed(1)} MB/s; renderer +${((rssBytes(renderers()) - r0) / MiB).toFixed(0)} MiB`);
    } finally {
      await browser.close();
    }
  } finally {
    await backend.close();
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
