/**
 * `npm run bench`: the numbers the README's benchmark table shows.
 *
 * 1. Store ceiling: a 1 GiB multipart upload from a plain Node client (signed fetch, 4 parts
 *    in flight, 8 MiB parts, no client-side hashing) to the local store.
 * 2. The engine in headless Chromium: a 1 GiB upload of a disk-backed file picked through
 *    <input type=file> (so the file itself is not in memory), throughput and peak memory
 *    growth of all Chromium processes; then the same for 4 GiB (memory only matters there).
 * 3. Cancel latency: time from cancel() to every request settled, mid-upload.
 *
 * Flags: --quick (64 MiB / 256 MiB files instead of 1 GiB / 4 GiB), --skip-4g.
 * Everything runs on loopback, bounded in size and time.
 */
import { execFileSync } from 'node:child_process';
import { createReadStream, existsSync, mkdtempSync, openSync, rmSync, writeSync, closeSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { openAsBlob } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { build } from 'esbuild';
import puppeteer from 'puppeteer-core';
import { startLocalBackend, LOCAL_ROOT_KEY, LOCAL_REGION } from '../server/local-backend.js';
import { createTokenHandler } from '../server/token/index.js';
import { signedFetch } from '../test/support/signed-fetch.js';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;
const quick = process.argv.includes('--quick');
const skip4g = process.argv.includes('--skip-4g');
const SIZE_1G = quick ? 64 * MiB : GiB;
const SIZE_4G = quick ? 256 * MiB : 4 * GiB;

const work = mkdtempSync(join(tmpdir(), 'oss-uploader-bench-'));
const results: [string, string][] = [];
const report = (name: string, value: string) => {
  results.push([name, value]);
  console.log(`${name}: ${value}`);
};

function makeFile(path: string, size: number): void {
  const chunk = randomBytes(8 * MiB);
  const fd = openSync(path, 'w');
  for (let at = 0; at < size; at += chunk.length) {
    chunk.writeUInt32LE(at / chunk.length, 0); // no two chunks alike
    writeSync(fd, chunk, 0, Math.min(chunk.length, size - at));
  }
  closeSync(fd);
}

async function nodeCeiling(storeUrl: string, path: string, size: number): Promise<number> {
  const blob = await openAsBlob(path);
  const key = `bench/node-${Date.now()}.bin`;
  const base = { bucket: 'uploads', key, region: LOCAL_REGION };
  const t0 = performance.now();
  const init = await signedFetch(storeUrl, LOCAL_ROOT_KEY, { ...base, method: 'POST', query: { uploads: '' } });
  const uploadId = /<UploadId>([^<]+)<\/UploadId>/.exec(await init.text())![1]!;
  const partSize = 8 * MiB;
  const count = Math.ceil(size / partSize);
  const etags: string[] = [];
  let next = 1;
  await Promise.all(Array.from({ length: 4 }, async () => {
    while (next <= count) {
      const n = next++;
      const body = blob.slice((n - 1) * partSize, Math.min(size, n * partSize));
      const res = await signedFetch(storeUrl, LOCAL_ROOT_KEY, { ...base, method: 'PUT', query: { partNumber: String(n), uploadId }, body, headers: { 'Content-Type': 'application/octet-stream' } });
      if (!res.ok) throw new Error(`UploadPart ${res.status} ${await res.text()}`);
      etags[n] = res.headers.get('etag')!;
    }
  }));
  const xml = `<CompleteMultipartUpload>${etags.map((e, n) => (e ? `<Part><PartNumber>${n}</PartNumber><ETag>${e}</ETag></Part>` : '')).join('')}</CompleteMultipartUpload>`;
  const done = await signedFetch(storeUrl, LOCAL_ROOT_KEY, { ...base, method: 'POST', query: { uploadId }, body: xml, headers: { 'Content-Type': 'application/xml' } });
  if (!done.ok) throw new Error(`Complete ${done.status} ${await done.text()}`);
  return size / MiB / ((performance.now() - t0) / 1000);
}

/** Serves the bench page, the bundled engine and the token endpoint on one loopback origin. */
async function pageServer(tokenHandler: ReturnType<typeof createTokenHandler>): Promise<Server> {
  const out = join(work, 'www');
  await build({
    entryPoints: { 'bench-page': resolve('bench/bench-page.ts'), 'hash-worker': resolve('src/core/hash-worker.ts') },
    bundle: true, format: 'esm', outdir: out, minify: true, target: 'es2022', logLevel: 'warning',
  });
  const files: Record<string, [string, string]> = {
    '/': [resolve('bench/page.html'), 'text/html'],
    '/bench-page.js': [join(out, 'bench-page.js'), 'text/javascript'],
    '/hash-worker.js': [join(out, 'hash-worker.js'), 'text/javascript'],
  };
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path === '/api/sts-token') return void tokenHandler(req, res);
    const file = files[path];
    if (!file) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': file[1] });
    createReadStream(file[0]).pipe(res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return server;
}

function chromiumRssBytes(rootPid: number): number {
  // Sum of the resident memory of Chromium and all its child processes.
  const out = execFileSync('ps', ['-e', '-o', 'pid=,ppid=,rss=']).toString().trim().split('\n');
  const rows = out.map((l) => l.trim().split(/\s+/).map(Number) as [number, number, number]);
  const family = new Set([rootPid]);
  for (let grew = true; grew;) {
    grew = false;
    for (const [pid, ppid] of rows) if (family.has(ppid) && !family.has(pid)) { family.add(pid); grew = true; }
  }
  return rows.filter(([pid]) => family.has(pid)).reduce((n, [, , rss]) => n + rss * 1024, 0);
}

async function browserRun(origin: string, path: string, opts: Record<string, unknown>): Promise<Record<string, number | string> & { peakGrowthMiB: number }> {
  const executablePath = process.env.CHROME_PATH || ['/usr/bin/chromium', '/usr/bin/google-chrome'].find(existsSync);
  const browser = await puppeteer.launch({
    executablePath, headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic'],
  });
  try {
    const page = await browser.newPage();
    await page.goto(origin + '/');
    const input = await page.$('#file');
    await (input as unknown as { uploadFile(p: string): Promise<void> }).uploadFile(path);
    const pid = browser.process()!.pid!;
    const baseline = chromiumRssBytes(pid);
    let peak = baseline;
    const sampler = setInterval(() => { peak = Math.max(peak, chromiumRssBytes(pid)); }, 200);
    const out: Record<string, number | string> = await page.evaluate((o) => window.bench.upload(o as never), opts);
    clearInterval(sampler);
    return { ...out, baselineMiB: baseline / MiB, peakGrowthMiB: (peak - baseline) / MiB };
  } finally {
    await browser.close();
  }
}

async function main() {
  const dataDir = join(work, 'data');
  const backend = await startLocalBackend({ OSS_UPLOADER_DATA: dataDir }, { storePort: 0 });
  const token = createTokenHandler({ ...backend.tokenOptions(), log: () => undefined });
  const server = await pageServer(token);
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const f1 = join(work, 'one.bin');
    makeFile(f1, SIZE_1G);
    const label = (n: number) => (n >= GiB ? `${n / GiB} GiB` : `${n / MiB} MiB`);
    report(`Node client → store, ${label(SIZE_1G)} multipart (8 MiB × 4)`, `${(await nodeCeiling(backend.storeUrl, f1, SIZE_1G)).toFixed(0)} MiB/s`);

    // Three runs, each in a fresh browser: the median is reported, with the spread.
    const runs = [];
    for (let i = 0; i < 3; i++) runs.push(await browserRun(origin, f1, { user: `bench1-${i}` }));
    const speeds = runs.map((r) => SIZE_1G / MiB / Number(r.seconds)).sort((a, b) => a - b);
    report(`Chromium engine, ${label(SIZE_1G)} (defaults: 8 MiB × 4, CRC-64 on), median of 3`,
      `${speeds[1]!.toFixed(0)} MiB/s (runs ${speeds.map((v) => v.toFixed(0)).join(', ')}), verified=${runs.every((r) => r.verified === 'true')}`);
    report(`Chromium peak memory growth, ${label(SIZE_1G)}`, `${Math.max(...runs.map((r) => r.peakGrowthMiB)).toFixed(0)} MiB (largest of 3; all Chromium processes, RSS)`);

    const rc = await browserRun(origin, f1, { user: 'bench2', cancelAfterMs: quick ? 300 : 1500 });
    report('Cancel → every request settled', `${Number(rc.cancelSettledMs).toFixed(1)} ms (state ${rc.state})`);
    rmSync(f1);

    if (!skip4g) {
      const f4 = join(work, 'four.bin');
      makeFile(f4, SIZE_4G);
      const r4 = await browserRun(origin, f4, { user: 'bench3' });
      report(`Chromium engine, ${label(SIZE_4G)}`, `${(SIZE_4G / MiB / Number(r4.seconds)).toFixed(0)} MiB/s`);
      report(`Chromium peak memory growth, ${label(SIZE_4G)}`, `${r4.peakGrowthMiB.toFixed(0)} MiB (all Chromium processes, RSS)`);
      rmSync(f4);
    }
  } finally {
    server.close();
    await backend.close();
    rmSync(work, { recursive: true, force: true });
  }
  console.log('\n| measure | result |\n|---|---|');
  for (const [k, v] of results) console.log(`| ${k} | ${v} |`);
}

await main();
