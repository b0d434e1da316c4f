/**
 * `npm run bench:throttled`: the engine in headless Chromium on a throttled uplink
 * (DevTools `Network.emulateNetworkConditions`), against the local store.
 *
 * For each scenario: time to the first progress, the longest still period (no committed
 * byte moved), the ETA error at 25/50/75 % (shown ETA against the time that really
 * remained), the highest speed shown against the link, throughput as a fraction of the
 * link, and the part sizes the engine chose. Then a loopback run (no throttling) to show
 * the adaptive plan does not slow a fast link.
 *
 * Flags: --quick (smaller files), --only=<name substring>.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, createReadStream, existsSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { AddressInfo } from 'node:net';
import { build } from 'esbuild';
import puppeteer, { type Page } from 'puppeteer-core';
import { startLocalBackend } from '../server/local-backend.js';
import { createTokenHandler } from '../server/token/index.js';
import type { ThrottledRun } from './throttled-page.js';

const MiB = 1024 * 1024;
const quick = process.argv.includes('--quick');
const only = process.argv.find((a) => a.startsWith('--only='))?.slice(7);

interface Scenario {
  name: string;
  /** Uplink bytes/s; undefined: loopback, unthrottled. */
  uploadBps?: number;
  latencyMs?: number;
  size: number;
  dialect?: string;
  runs?: number;
}

const scenarios: Scenario[] = [
  { name: '2 MB/s, 40 ms, OSS', uploadBps: 2e6, latencyMs: 40, size: (quick ? 16 : 32) * MiB },
  { name: '500 KB/s + 300 ms, OSS', uploadBps: 5e5, latencyMs: 300, size: (quick ? 4 : 8) * MiB },
  { name: '2 MB/s, 40 ms, S3 (5 MiB floor)', uploadBps: 2e6, latencyMs: 40, size: (quick ? 16 : 32) * MiB, dialect: 's3' },
  { name: '500 KB/s + 300 ms, S3 (5 MiB floor)', uploadBps: 5e5, latencyMs: 300, size: (quick ? 8 : 16) * MiB, dialect: 's3' },
  { name: 'loopback, OSS', size: (quick ? 128 : 512) * MiB, runs: 3 },
  { name: 'loopback, S3', size: (quick ? 128 : 512) * MiB, runs: 3, dialect: 's3' },
];

function makeDiskFile(path: string, size: number): void {
  const chunk = randomBytes(8 * MiB);
  const fd = openSync(path, 'w');
  for (let at = 0; at < size; at += chunk.length) {
    chunk.writeUInt32LE(at / chunk.length, 0);
    writeSync(fd, chunk, 0, Math.min(chunk.length, size - at));
  }
  closeSync(fd);
}

const work = mkdtempSync(join(tmpdir(), 'oss-uploader-throttled-'));

async function pageServer(tokenHandler: ReturnType<typeof createTokenHandler>): Promise<Server> {
  const out = join(work, 'www');
  await build({
    entryPoints: { 'throttled-page': resolve('bench/throttled-page.ts'), 'hash-worker': resolve('src/core/hash-worker.ts') },
    bundle: true, format: 'esm', outdir: out, minify: true, target: 'es2022', logLevel: 'warning',
  });
  const files: Record<string, [string, string]> = {
    '/throttled-page.js': [join(out, 'throttled-page.js'), 'text/javascript'],
    '/hash-worker.js': [join(out, 'hash-worker.js'), 'text/javascript'],
  };
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path === '/api/sts-token') return void tokenHandler(req, res);
    if (path === '/') {
      res.writeHead(200, { 'content-type': 'text/html' });
      return void res.end('<!doctype html><meta charset="utf-8"><title>throttled</title><input type="file" id="file"><script type="module" src="./throttled-page.js"></script>');
    }
    const file = files[path];
    if (!file) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': file[1] });
    createReadStream(file[0]).pipe(res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return server;
}

export interface Judged {
  seconds: number;
  firstProgressS: number;
  longestStillS: number;
  etaError: (number | undefined)[];
  maxShownSpeedOverLink: number | undefined;
  linkFraction: number | undefined;
  parts: string;
}

/** The figures of one run (exported for the tests' own use of the same rules). */
export function judge(run: ThrottledRun, linkBps: number | undefined): Judged {
  const end = run.seconds * 1000;
  const moves = run.events.filter((e, i) => e[1] > 0 && (i === 0 || e[1] > run.events[i - 1]![1]));
  const times = [0, ...moves.map((e) => e[0]), end];
  let longest = 0;
  for (let i = 1; i < times.length; i++) longest = Math.max(longest, times[i]! - times[i - 1]!);
  const etaError = [0.25, 0.5, 0.75].map((q) => {
    const e = run.events.find((ev) => ev[1] >= q * run.size);
    if (!e) return undefined;
    const remaining = (end - e[0]) / 1000;
    if (e[2] < 0) return Infinity; // no ETA shown
    return remaining > 0 ? (e[2] - remaining) / remaining : 0;
  });
  const maxSpeed = Math.max(0, ...run.events.map((e) => e[3]));
  return {
    seconds: run.seconds,
    firstProgressS: (moves[0]?.[0] ?? end) / 1000,
    longestStillS: longest / 1000,
    etaError,
    maxShownSpeedOverLink: linkBps ? maxSpeed / linkBps : undefined,
    linkFraction: linkBps ? run.size / run.seconds / linkBps : undefined,
    parts: summarizeParts(run.parts),
  };
}

/** Part sizes in part order, run-length: "100K×4, 200K, 400K, 1.2M×20". */
function summarizeParts(parts: ThrottledRun['parts']): string {
  const byNumber = new Map<number, number>();
  for (const [n, bytes] of parts) byNumber.set(n, bytes);
  const sizes = [...byNumber.entries()].sort((a, b) => a[0] - b[0]).map(([, b]) => b);
  const fmt = (b: number) => (b >= MiB ? `${(b / MiB).toFixed(b % MiB ? 1 : 0)}M` : `${Math.round(b / 1024)}K`);
  const out: string[] = [];
  for (let i = 0; i < sizes.length;) {
    let j = i;
    while (j < sizes.length && fmt(sizes[j]!) === fmt(sizes[i]!)) j++;
    out.push(j - i > 1 ? `${fmt(sizes[i]!)}×${j - i}` : fmt(sizes[i]!));
    i = j;
  }
  return `${sizes.length} parts: ${out.join(', ')}`;
}

async function throttle(page: Page, s: Scenario): Promise<void> {
  const cdp = await page.createCDPSession();
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false, latency: s.latencyMs ?? 0, uploadThroughput: s.uploadBps ?? -1, downloadThroughput: -1,
  });
}

const pct = (v: number | undefined) => (v === undefined ? '–' : v === Infinity ? 'none shown' : `${v >= 0 ? '+' : ''}${(v * 100).toFixed(0)} %`);

async function main() {
  const backend = await startLocalBackend({ OSS_UPLOADER_DATA: join(work, 'data') }, { storePort: 0 });
  const token = createTokenHandler({ ...backend.tokenOptions(), log: () => undefined });
  const server = await pageServer(token);
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const executablePath = process.env.CHROME_PATH || ['/usr/bin/chromium', '/usr/bin/google-chrome'].find(existsSync);
  const rows: string[] = [];
  try {
    for (const s of scenarios) {
      if (only && !s.name.includes(only)) continue;
      const judged: Judged[] = [];
      for (let i = 0; i < (s.runs ?? 1); i++) {
        const browser = await puppeteer.launch({
          executablePath, headless: true,
          args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic'],
        });
        try {
          const page = await browser.newPage();
          await page.goto(origin + '/');
          await page.waitForFunction(() => 'throttled' in window);
          if (s.uploadBps) await throttle(page, s);
          const picked = !s.uploadBps;
          if (picked) {
            const path = join(work, 'loopback.bin');
            if (!existsSync(path)) makeDiskFile(path, s.size);
            const input = await page.$('#file');
            await (input as unknown as { uploadFile(p: string): Promise<void> }).uploadFile(path);
          }
          const run = await page.evaluate((o) => window.throttled.upload(o), { user: `thr${Date.now().toString(36)}`, size: s.size, picked, ...(s.dialect ? { dialect: s.dialect } : {}) });
          judged.push(judge(run, s.uploadBps));
          if (process.argv.includes('--verbose')) {
            console.log(run.parts.map(([n, b, t0, t1]) => `#${n} ${(b / 1024).toFixed(0)}K ${(t0 / 1000).toFixed(2)}→${(t1 / 1000).toFixed(2)} s`).join('\n'));
          }
        } finally {
          await browser.close();
        }
      }
      const j = judged.sort((a, b) => a.seconds - b.seconds)[Math.floor(judged.length / 2)]!;
      const label = `${s.name}, ${s.size / MiB} MiB`;
      if (s.uploadBps) {
        const line = `| ${label} | ${j.firstProgressS.toFixed(1)} s | ${j.longestStillS.toFixed(1)} s | ${j.etaError.map(pct).join(' / ')} | ${j.maxShownSpeedOverLink!.toFixed(2)}× | ${j.linkFraction!.toFixed(2)} | ${j.parts} |`;
        console.log(line);
        rows.push(line);
      } else {
        const speeds = judged.map((r) => s.size / MiB / r.seconds).sort((a, b) => a - b);
        const line = `| ${label} (median of ${judged.length}) | ${j.firstProgressS.toFixed(2)} s | ${j.longestStillS.toFixed(2)} s | ${speeds[Math.floor(speeds.length / 2)]!.toFixed(0)} MiB/s (runs ${speeds.map((v) => v.toFixed(0)).join(', ')}) | | | ${j.parts.slice(0, 120)} |`;
        console.log(line);
        rows.push(line);
      }
    }
  } finally {
    server.close();
    await backend.close();
    rmSync(work, { recursive: true, force: true });
  }
  console.log('\n| scenario | first progress | longest still | ETA error 25/50/75 % | top speed shown / link | throughput / link | parts |\n|---|---|---|---|---|---|---|');
  for (const r of rows) console.log(r);
}

if (process.argv[1] && resolve(process.argv[1]) === resolve('bench/throttled.ts')) await main();
