/**
 * `npm run bench`: the engine against the plain-fetch ceiling and its peers, in Debian's
 * headless Chromium, against the local store on loopback. See bench/README.md.
 *
 *   npm run bench -- [--size MiB] [--rounds N] [--cancels N] [--big MiB,MiB|0] [--big-element] [--only id,id] [--quick]
 *
 * 1. Throughput, interleaved: every round runs each contestant once (A B C … A B C …), each
 *    upload in a fresh browser with the same disk-backed file picked through <input type=file>,
 *    verified (size, SHA-256 of the stored object) before it counts; ratios are to the
 *    same round's ceiling.
 * 2. One traced upload for the rows where the main thread matters (wall and CPU time per task).
 *    Cancel latency and bytes re-sent after cancel+resume and reload+resume.
 * 3. Memory at bigger files (1 GiB, 4 GiB), once each, for the ceiling and the engine, and the
 *    element at 1 GiB (is it flat?).
 * Defaults: 192 MiB, 5 rounds, 50 cancels, --big 1024,4096, chosen to end within 15 minutes on
 * the 2-core machine when it is not shared (bench/README.md); each phase's wall time is
 * printed and kept (report.phases).
 * Writes bench/results/latest.{json,md,svg} and prints the table.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBackend } from './backend.js';
import { chromiumPath, killAll } from './browser.js';
import { buildPage } from './bundle.js';
import { speaksObs, speaksS3 } from './dialects.js';
import { makeFile } from './fixture.js';
import { cancelLatency, resumeCosts } from './interrupts.js';
import { markdown, median, okTrials, svg, type Report, type Row } from './report.js';
import { ROSTER } from './roster.js';
import { startTrial, type TrialResult } from './trial.js';

const MiB = 1024 * 1024;
const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const arg = (name: string, d: number | string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1]! : String(d);
};
const sizeMiB = Number(arg('size', quick ? 128 : 192));
const rounds = Number(arg('rounds', quick ? 2 : 5));
const cancels = Number(arg('cancels', quick ? 10 : 50));
/**
 * The memory steps: file sizes (MiB) uploaded once each by the ceiling and the engine, and
 * by the element up to 1 GiB (at 4 GiB it would add ≈ 40 s; `--big-element` adds it).
 */
const bigMiB = String(arg('big', quick ? 0 : '1024,4096')).split(',').map(Number).filter((n) => n > 0);
const bigRows = (mib: number) => ['ceiling', 'engine', ...(mib <= 1024 || argv.includes('--big-element') ? ['element'] : [])];
const only = String(arg('only', '')).split(',').filter(Boolean);
const uptime = () => execFileSync('uptime').toString().trim().replace(/^.*load/, 'load');

/** A seeded generator, so the cancel moments are the same from run to run. */
function rng(seed: number): () => number {
  return () => {
    seed = (seed * 1664525 + 1013904223) >>> 0;
    return seed / 2 ** 32;
  };
}

const t0 = Date.now();
const stepsText = (s?: { setup: number; upload: number; verify: number }) =>
  s ? `[setup ${s.setup.toFixed(1)} s, upload ${s.upload.toFixed(1)} s, verify ${s.verify.toFixed(1)} s]` : '';
const loadBefore = uptime();
console.log(`bench: ${sizeMiB} MiB × ${rounds} rounds, ${cancels} cancels, memory steps ${bigMiB.length ? bigMiB.join(', ') + ' MiB' : 'skipped'}; ${loadBefore}`);
const roster = ROSTER.filter((c) => only.length === 0 || only.includes(c.id) || c.id === 'ceiling');
const work = mkdtempSync(join(tmpdir(), 'oss-uploader-bench-'));
const rows: Row[] = roster.map((c) => ({ id: c.id, label: c.label, settings: c.settings, trials: [], ratios: [] }));
const rowOf = (id: string) => rows.find((r) => r.id === id)!;
let stopBackend: (() => Promise<void>) | undefined;
/** Wall seconds of each phase of the run, in order (the report keeps them: where the time goes). */
const phases: Record<string, number> = {};
let phaseStart = Date.now();
const phaseDone = (name: string) => {
  const now = Date.now();
  phases[name] = Math.round((now - phaseStart) / 100) / 10;
  phaseStart = now;
  console.log(`phase ${name}: ${phases[name]} s  ${uptime()}`);
};
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(signal, () => {
    console.error(`\n${signal}: stopping the browsers and servers, removing ${work}`);
    killAll();
    void (stopBackend?.() ?? Promise.resolve()).finally(() => {
      rmSync(work, { recursive: true, force: true });
      process.exit(130);
    });
  });
}

try {
  const www = join(work, 'www');
  const sizes = await buildPage(www, [...new Set(roster.map((c) => c.module))]);
  for (const c of roster) rowOf(c.id).bundleGzip = sizes[c.module];
  const backend = await startBackend(join(work, 'data'), www);
  stopBackend = () => backend.close();
  try {
    const dialects = { oss: true, obs: await speaksObs(backend.storeUrl), s3: await speaksS3(backend.storeUrl) };
    for (const c of roster) {
      if (!dialects[c.dialect]) rowOf(c.id).unavailable = `not run: the local store did not answer ${c.dialect.toUpperCase()} (ListMultipartUploads through the vendor's Node SDK, bench/dialects.ts); driver bench/contestants/${c.module}.ts is ready`;
    }
    const live = roster.filter((c) => !rowOf(c.id).unavailable);
    const file = await makeFile(join(work, 'file.bin'), sizeMiB * MiB);
    phaseDone('setup');

    // Trials run one after another; only the bench's own steps overlap (the next browser
    // starts while the last upload is verified: trial.ts startTrial), never two measurements.
    let gate: Promise<unknown> = Promise.resolve();
    const pipelined = async (c: (typeof live)[number], f: typeof file, trace: boolean, record: (res: TrialResult) => void) => {
      const t = startTrial(backend, c, f, { trace, after: gate });
      gate = Promise.allSettled([gate, t.result.then(record)]);
      await t.uploaded;
    };

    const ceilings: number[] = [];
    for (let round = 1; round <= rounds; round++) {
      for (const c of live) {
        await pipelined(c, file, false, (res) => {
          rowOf(c.id).trials.push(res);
          if (c.id === 'ceiling' && res.ok) ceilings[round] = res.mbps;
          const ceiling = ceilings[round] ?? NaN;
          if (res.ok && c.id !== 'ceiling' && Number.isFinite(ceiling)) rowOf(c.id).ratios.push(res.mbps / ceiling);
          if (c.id === 'ceiling' && res.ok) rowOf(c.id).ratios.push(1);
          console.log(`round ${round} ${c.id.padEnd(20)} ${res.ok ? `${res.mbps.toFixed(1)} MB/s` : `FAILED ${res.error}`}  rss+${res.rssGrowthMiB.toFixed(0)} MiB  longest task ${res.longestTaskMs.toFixed(0)} ms  ${stepsText(res.steps)}  ${uptime()}`);
        });
      }
    }
    await gate;
    phaseDone('rounds');

    // One traced upload each where the main thread matters: wall vs thread-CPU time of its tasks.
    for (const c of live.filter((x) => ['ceiling', 'engine', 'element', 'ali-oss', 'ali-oss-defaults'].includes(x.id))) {
      await pipelined(c, file, true, (res) => {
        rowOf(c.id).traced = res;
        console.log(`traced ${c.id.padEnd(20)} ${JSON.stringify(res.mainThread ?? res.error)}`);
      });
    }
    await gate;
    phaseDone('traced');

    const rand = rng(9);
    for (const c of live.filter((x) => !x.throughputOnly)) {
      const row = rowOf(c.id);
      let t = Date.now();
      row.cancel = await cancelLatency(backend, c, file.path, cancels, rand);
      console.log(`cancel ${c.id.padEnd(20)} median ${median(row.cancel.settleMs).toFixed(0)} ms over ${row.cancel.settleMs.length}  ${((Date.now() - t) / 1000).toFixed(0)} s  ${uptime()}`);
      phases['cancels'] = (phases['cancels'] ?? 0) + (Date.now() - t) / 1000;
      t = Date.now();
      row.resume = await resumeCosts(backend, c, file);
      console.log(`resume ${c.id.padEnd(20)} ${JSON.stringify(row.resume)}  ${((Date.now() - t) / 1000).toFixed(0)} s`);
      phases['resumes'] = (phases['resumes'] ?? 0) + (Date.now() - t) / 1000;
    }
    for (const k of ['cancels', 'resumes']) if (phases[k] !== undefined) phases[k] = Math.round(phases[k]! * 10) / 10;
    phaseStart = Date.now();
    rmSync(file.path);

    for (const mib of bigMiB) {
      const big = await makeFile(join(work, `big-${mib}.bin`), mib * MiB);
      for (const c of live.filter((x) => bigRows(mib).includes(x.id))) {
        await pipelined(c, big, false, (res) => {
          (rowOf(c.id).bigs ??= []).push({ mib, res });
          console.log(`memory ${mib} MiB ${c.id.padEnd(20)} ${res.ok ? `${res.mbps.toFixed(1)} MB/s` : `FAILED ${res.error}`}  rss+${res.rssGrowthMiB.toFixed(0)} MiB  ${stepsText(res.steps)}  ${uptime()}`);
        });
      }
      await gate;
      rmSync(big.path);
      phaseDone(`memory ${mib} MiB`);
    }
  } finally {
    await backend.close();
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

const report: Report = {
  date: new Date().toISOString(),
  command: `npm run bench -- ${argv.join(' ')}`.trim(),
  seconds: Math.round((Date.now() - t0) / 1000),
  fileMiB: sizeMiB, bigMiB, rounds,
  load: { before: loadBefore, after: uptime() },
  chromium: execFileSync(chromiumPath(), ['--version']).toString().trim(),
  phases,
  rows,
  targets: targets(rows),
};
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/latest.json', JSON.stringify(report, null, 2));
const table = markdown(report);
const header = `${report.chromium}; ${sizeMiB} MiB file, ${rounds} interleaved rounds, ${cancels} cancels per contestant, memory re-measured at ${bigMiB.length ? bigMiB.map((m) => `${m} MiB (${bigRows(m).join(', ')})`).join(' and ') : '–'}; ` +
  `${report.seconds} s; ${report.load.before} → ${report.load.after}.`;
writeFileSync('bench/results/latest.md', `${header}\n\n${table}\n\n${report.targets.map((t) => `- ${t}`).join('\n')}\n`);
writeFileSync('bench/results/latest.svg', svg(report));
console.log(`\n${header}\n\n${table}\n\n${report.targets.join('\n')}\n\nphases (s): ${JSON.stringify(phases)}`);

/** The issue's targets, as ratios from this run. */
function targets(all: Row[]): string[] {
  const get = (id: string) => all.find((r) => r.id === id);
  const engine = get('engine');
  const ceiling = get('ceiling');
  if (!engine || !ceiling) return [];
  const mb = (r: Row) => median(okTrials(r).map((t) => t.mbps));
  const rss = (r: Row) => median(okTrials(r).map((t) => t.rssGrowthMiB));
  const out = [
    `throughput with CRC-64 ÷ ceiling: ${median(engine.ratios).toFixed(2)} (target ≥ 0.95)`,
    `memory growth: engine ${rss(engine).toFixed(0)} MiB vs ceiling ${rss(ceiling).toFixed(0)} MiB + 32 (target ≤ ${(rss(ceiling) + 32).toFixed(0)})` +
      (engine.bigs ?? []).filter((b) => b.res.ok).map((b) => `; at ${b.mib} MiB ${b.res.rssGrowthMiB.toFixed(0)} MiB (ceiling ${ceiling.bigs?.find((x) => x.mib === b.mib)?.res.rssGrowthMiB.toFixed(0) ?? '–'} MiB)`).join(''),
  ];
  const element = get('element');
  const lt = Math.max(0, ...[engine, element].filter((r): r is Row => !!r).flatMap((r) => okTrials(r).map((t) => t.longestTaskMs)));
  const traced = [engine, element].filter((r): r is Row => !!r?.traced?.mainThread).map((r) => r.traced!.mainThread!);
  out.push(`longest main-thread task, engine and element: ${lt.toFixed(0)} ms by the longtask observer (wall time, includes the OS descheduling the renderer)` +
    (traced.length ? `; traced: ${Math.max(...traced.map((t) => t.longestWallMs)).toFixed(0)} ms wall, ${Math.max(...traced.map((t) => t.longestCpuMs)).toFixed(0)} ms thread CPU` : '') + ' (target < 50)');
  if (engine.cancel) {
    const s = [...engine.cancel.settleMs].sort((a, b) => a - b);
    out.push(`cancel → every request settled, p95: ${s[Math.ceil(0.95 * s.length) - 1]?.toFixed(0) ?? '–'} ms over ${s.length} (target < 50)`);
  }
  for (const r of all) {
    if (r.unavailable || !r.id || r.id === 'ceiling' || r.id.startsWith('engine') || r.id === 'element') continue;
    const peer = mb(r);
    if (!Number.isFinite(peer)) continue;
    const need = r.id.endsWith('defaults') ? 2 : 1;
    out.push(`engine ÷ ${r.label} (${r.settings}): ${(mb(engine) / peer).toFixed(2)} (target ${need === 2 ? '≥ 2.0' : '> 1.0'})`);
  }
  return out;
}
