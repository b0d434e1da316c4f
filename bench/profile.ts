/**
 * A/B experiments behind bench/PROFILE.md: interleaved rounds of a few configurations,
 * each upload in a fresh browser, with MB/s, memory and CPU time per process and thread.
 *
 *   node --import tsx bench/profile.ts [--size MiB] [--rounds N] [--only label,label] [--cpu] [--trace]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, loadavg } from 'node:os';
import { join } from 'node:path';
import { startBackend } from './backend.js';
import { killAll } from './browser.js';
import { buildPage } from './bundle.js';
import { makeFile } from './fixture.js';
import { trial, type Entry, type TrialResult } from './trial.js';

const arg = (name: string, d: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1]! : d;
};
const MiB = 1024 * 1024;
const size = Number(arg('size', '256')) * MiB;
const rounds = Number(arg('rounds', '3'));
const only = arg('only', '').split(',').filter(Boolean);
const showCpu = process.argv.includes('--cpu');
const traced = process.argv.includes('--trace');
const showSeries = process.argv.includes('--series');

const ALL: Entry[] = [
  { label: 'ceiling', module: 'multipart-loop', options: { variant: { hash: 'none' } } },
  { label: 'loop+digest(1)', module: 'multipart-loop', options: { variant: { hash: 'digest', workers: 1 } } },
  { label: 'loop+digest(2x2)', module: 'multipart-loop', options: { variant: { hash: 'digest', workers: 2, perWorker: 2 } } },
  { label: 'loop+digest(2)', module: 'multipart-loop', options: { variant: { hash: 'digest', workers: 2 } } },
  { label: 'loop+digest(4)', module: 'multipart-loop', options: { variant: { hash: 'digest', workers: 4 } } },
  { label: 'loop+digest(2) r0', module: 'multipart-loop', options: { variant: { hash: 'digest', workers: 2, recycle: 0 } } },
  { label: 'loop+digest(2) r8', module: 'multipart-loop', options: { variant: { hash: 'digest', workers: 2, recycle: 8 } } },
  { label: 'loop+read', module: 'multipart-loop', options: { variant: { hash: 'read', workers: 2 } } },
  { label: 'engine', module: 'engine', options: {} },
  { label: 'engine-baseline', module: 'engine-baseline', options: {} },
  { label: 'engine-nohash', module: 'engine', options: { variant: { hash: 'off' } } },
  { label: 'engine-w1', module: 'engine', options: { variant: { workers: 1 } } },
  { label: 'engine-w2', module: 'engine', options: { variant: { workers: 2 } } },
  { label: 'engine-norecycle', module: 'engine', options: { variant: { workers: 2, recycle: 0 } } },
  { label: 'engine-w1-norecycle', module: 'engine', options: { variant: { workers: 1, recycle: 0 } } },
  { label: 'engine-r64', module: 'engine', options: { variant: { workers: 2, recycle: 64 } } },
  { label: 'engine-r256', module: 'engine', options: { variant: { workers: 2, recycle: 256 } } },
];
for (const how of ['stream', 'byob:64', 'byob:256', 'byob:1024', 'slices:2048', 'slices:8192']) {
  for (const crc of [true, false]) ALL.push({ label: `read ${how}${crc ? ' crc' : ''}`, module: 'read-probe', noUpload: true, options: { variant: { how, crc } } });
}
ALL.push({ label: 'read byob:256 crc w1', module: 'read-probe', noUpload: true, options: { variant: { how: 'byob:256', crc: true, workers: 1 } } });
ALL.push({ label: 'read byob:256 crc w1 c1', module: 'read-probe', noUpload: true, options: { concurrency: 1, variant: { how: 'byob:256', crc: true, workers: 1 } } });
ALL.push({ label: 'idle workers w2', module: 'read-probe', noUpload: true, options: { concurrency: 1, partSize: 1, variant: { how: 'byob:1', crc: true, workers: 2 } } });
const entries = only.length ? ALL.filter((e) => only.includes(e.label)) : ALL;

const work = mkdtempSync(join(tmpdir(), 'oss-uploader-profile-'));
let stopBackend: (() => Promise<void>) | undefined;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    killAll();
    void (stopBackend?.() ?? Promise.resolve()).finally(() => {
      rmSync(work, { recursive: true, force: true });
      process.exit(130);
    });
  });
}
try {
  await buildPage(join(work, 'www'), [...new Set(entries.map((e) => e.module))]);
  const backend = await startBackend(join(work, 'data'), join(work, 'www'));
  stopBackend = () => backend.close();
  try {
    const file = await makeFile(join(work, 'file.bin'), size);
    const results = new Map<string, TrialResult[]>(entries.map((e) => [e.label, []]));
    for (let r = 0; r < rounds; r++) {
      for (const e of entries) {
        const res = await trial(backend, e, file, traced);
        results.get(e.label)!.push(res);
        const top = Object.entries(res.cpu).slice(0, 8).map(([k, v]) => `${k}=${v}`).join(', ');
        console.log(`r${r} ${e.label.padEnd(16)} ${res.ok ? res.mbps.toFixed(1).padStart(6) + ' MB/s' : 'FAILED ' + res.error} rss+${res.rssGrowthMiB.toFixed(0)}MiB heap+${res.heapGrowthMiB.toFixed(0)}MiB ${JSON.stringify(res.rssByKindMiB)} lt=${res.longTasks}/${res.longestTaskMs.toFixed(0)}ms load=${loadavg()[0]!.toFixed(2)}`);
        if (res.rssSplitMiB) console.log(`   split at peak (MiB growth): ${['renderer', 'browser', 'network'].map((k) => `${k} ${JSON.stringify(res.rssSplitMiB![k] ?? {})}`).join(' ')}`);
        if (showSeries && res.rssSeries) {
          const s0 = res.rssSeries[0];
          console.log(`   series renderer MiB (+from start, 1/s): ${res.rssSeries.map(([, , k]) => (k.renderer ?? 0) - (s0?.[2].renderer ?? 0)).join(' ')}`);
        }
        if (showCpu) console.log(`   cpu ms: ${top}`);
        if (res.mainThread) console.log(`   main thread (trace): ${JSON.stringify(res.mainThread)}`);
      }
    }
    console.log('\nmedian MB/s, median RSS growth, CPU s per GB by process/thread (median round)');
    for (const [label, rs] of results) {
      const ok = rs.filter((r) => r.ok);
      const med = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)] ?? NaN; };
      console.log(`${label.padEnd(16)} ${med(ok.map((r) => r.mbps)).toFixed(1)} MB/s [${ok.map((r) => r.mbps.toFixed(0)).join(' ')}]  rss+${med(ok.map((r) => r.rssGrowthMiB)).toFixed(0)} MiB`);
      const keys = new Set(ok.flatMap((r) => Object.keys(r.cpu)));
      const per = [...keys].map((k) => [k, med(ok.map((r) => r.cpu[k] ?? 0)) / (size / 1e9) / 1000] as const).filter(([, v]) => v >= 0.05).sort((a, b) => b[1] - a[1]);
      console.log('   ' + per.map(([k, v]) => `${k}: ${v.toFixed(2)}`).join(' | '));
    }
  } finally {
    await backend.close();
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
