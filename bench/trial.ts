/**
 * One measured upload: a fresh browser, the bench page with the file picked, the
 * contestant's bundle loaded, then the upload, timed in the page, with the memory of all
 * Chromium processes sampled and the CPU time of every process and thread counted (the
 * store's process too). The stored object is verified (size, SHA-256) before the figure counts.
 */
import type { Backend } from './backend.js';
import { cpuDelta, familyOf, launch, openPage, RssSampler, threadCpu } from './browser.js';
import type { RunOptions } from './page/contract.js';

export interface Entry {
  /** Row label. */
  label: string;
  /** Module under bench/contestants/. */
  module: string;
  options: Omit<RunOptions, 'user' | 'key'>;
  /** Uploads nothing (profiling probes): no stored object to verify. */
  noUpload?: boolean;
}

export interface TrialResult {
  label: string;
  ok: boolean;
  error?: string;
  seconds: number;
  mbps: number;
  rssGrowthMiB: number;
  /** Peak growth of each process kind, MiB (their sum can exceed the total's: peaks at different times). */
  rssByKindMiB: Record<string, number>;
  /** Each kind's anon / shmem / file growth to its peak, MiB, and its thread count then (profiling). */
  rssSplitMiB?: Record<string, Record<string, number>>;
  /** Resident memory over the upload, one sample a second: [ms, total MiB, {kind: MiB}] (profiling). */
  rssSeries?: [number, number, Record<string, number>][];
  heapGrowthMiB: number;
  longTasks: number;
  longestTaskMs: number;
  verified: boolean;
  /** CPU ms by "process / thread", Chromium and the store. */
  cpu: Record<string, number>;
  /** With `trace`: the page's main-thread tasks from a Chrome trace, wall and thread-CPU time. */
  mainThread?: { tasks: number; longestWallMs: number; longestCpuMs: number; over50Wall: number; over50Cpu: number };
  info: Record<string, unknown>;
  /** Wall seconds of the trial's steps: browser and page up, the upload, verification and clean-up (the bench's own cost). */
  steps?: { setup: number; upload: number; verify: number };
}

const MiB = 1024 * 1024;
let serial = 0;

/** `p`, or a rejection after `ms`: every step of the bench is bounded in time. */
export function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`${what} did not finish within ${Math.round(ms / 1000)} s`)), ms); });
  return Promise.race([p, limit]).finally(() => clearTimeout(timer));
}

interface TraceEvent { ph: string; name: string; pid: number; tid: number; dur?: number; tdur?: number; args?: { name?: string } }

/** Main-thread tasks of the page's renderer in a trace ('toplevel' category): wall and thread time. */
function mainThreadTasks(events: TraceEvent[]): TrialResult['mainThread'] {
  const mains = new Set(events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`));
  const tasks = events.filter((e) => e.ph === 'X' && mains.has(`${e.pid}:${e.tid}`) && /RunTask$/.test(e.name) && e.dur !== undefined);
  const wall = tasks.map((e) => e.dur! / 1000);
  const cpu = tasks.map((e) => (e.tdur ?? e.dur!) / 1000);
  return {
    tasks: tasks.length, longestWallMs: Math.max(0, ...wall), longestCpuMs: Math.max(0, ...cpu),
    over50Wall: wall.filter((v) => v > 50).length, over50Cpu: cpu.filter((v) => v > 50).length,
  };
}

/**
 * `trace`: record a Chrome trace of the upload (category 'toplevel' only: every task with its
 * wall and thread-CPU duration), to tell a task that did 50 ms of work from one the OS
 * descheduled on a loaded machine. Costs a little; not used for the throughput figures.
 */
export function trial(backend: Backend, entry: Entry, file: TrialFile, trace = false): Promise<TrialResult> {
  return startTrial(backend, entry, file, { trace }).result;
}

type TrialFile = { path: string; size: number; sha256: string };

/**
 * A trial whose bench-side steps can overlap the neighbours' without touching what is
 * measured: `uploaded` settles once the upload is over and its browser closed (the
 * verification — reading the stored object back and hashing it — is still to come, in
 * `result`); `after` is awaited once this trial's browser is up and its page ready, right
 * before the measured upload starts. So the next trial's browser can start while this one is
 * verified, and no upload is ever measured while another trial's verification runs.
 */
export function startTrial(backend: Backend, entry: Entry, file: TrialFile, opts: { trace?: boolean; after?: Promise<unknown> } = {}): { uploaded: Promise<void>; result: Promise<TrialResult> } {
  let markUploaded!: () => void;
  const uploaded = new Promise<void>((r) => { markUploaded = r; });
  const result = runTrial(backend, entry, file, opts.trace ?? false, opts.after, markUploaded).finally(() => markUploaded());
  return { uploaded, result };
}

async function runTrial(backend: Backend, entry: Entry, file: TrialFile, trace: boolean, after: Promise<unknown> | undefined, markUploaded: () => void): Promise<TrialResult> {
  const key = `bench-${Date.now().toString(36)}-${++serial}.bin`;
  const user = 'bench';
  const tStart = Date.now();
  const base = { label: entry.label, seconds: NaN, mbps: NaN, rssGrowthMiB: NaN, rssByKindMiB: {} as Record<string, number>, heapGrowthMiB: NaN, longTasks: 0, longestTaskMs: 0, verified: false, cpu: {}, info: {} };
  // A browser that does not start fails this trial on its row, like any other failure.
  let browser: Awaited<ReturnType<typeof launch>>;
  try {
    browser = await launch();
  } catch (e) {
    return { ...base, ok: false, error: `browser did not start: ${String((e as Error)?.message ?? e).slice(0, 260)}` } as TrialResult;
  }
  try {
    const page = await openPage(browser, backend.pageOrigin, file.path);
    await page.evaluate((m) => window.bench.prepare!(m as never), entry.module);
    // The page settles for 300 ms, and the previous trial's verification (if any) ends.
    await Promise.all([new Promise((r) => setTimeout(r, 300)), after?.catch(() => undefined)]);
    const root = browser.process()!.pid!;
    const label = (pid: number) => (pid === backend.pid ? 'store' : undefined);
    const pids = () => [...familyOf(root), backend.pid, ...familyOf(backend.pid).slice(1)];
    const cpu0 = threadCpu(pids(), label);
    const sampler = new RssSampler(root);
    let out: { seconds: number; key: string; info: Record<string, unknown>; heapGrowth: number; longTasks: number; longestTask: number };
    let mainThread: TrialResult['mainThread'];
    if (trace) await page.tracing.start({ categories: ['toplevel'] });
    const tUpload = Date.now();
    try {
      // Bounded: a contestant that never finishes fails its trial (at 5 MB/s, at least 2 minutes).
      const limitMs = Math.max(120_000, (file.size / 5e6) * 1000);
      out = (await within(page.evaluate((m, o) => window.bench.upload!(m as never, o as never), entry.module, { ...entry.options, user, key }), limitMs, 'upload')) as typeof out;
    } finally {
      base.rssGrowthMiB = sampler.stop() / MiB;
      if (trace) {
        const buf = await page.tracing.stop();
        if (buf) mainThread = mainThreadTasks((JSON.parse(Buffer.from(buf).toString('utf8')) as { traceEvents: TraceEvent[] }).traceEvents);
      }
      base.rssByKindMiB = Object.fromEntries(Object.entries(sampler.growthByKind()).map(([k, v]) => [k, Math.round(v / MiB)]));
      (base as Partial<TrialResult>).rssSplitMiB = sampler.splitGrowthByKind();
      (base as Partial<TrialResult>).rssSeries = sampler.series.map(([t, total, kinds]) => [t, Math.round(total / MiB), Object.fromEntries(Object.entries(kinds).map(([k, v]) => [k, Math.round(v / MiB)]))]);
    }
    const cpu1 = threadCpu(pids(), label);
    const tVerify = Date.now();
    await browser.close();
    markUploaded();
    const stored = entry.noUpload ? undefined : await backend.stored(out.key);
    const verified = entry.noUpload || (stored?.size === file.size && stored.sha256 === file.sha256);
    await backend.remove(out.key);
    const steps = { setup: (tUpload - tStart) / 1000, upload: (tVerify - tUpload) / 1000, verify: (Date.now() - tVerify) / 1000 };
    return {
      steps,
      ...base, ok: verified, ...(verified ? {} : { error: `stored object ${stored ? `${stored.size} bytes, sha256 ${stored.sha256.slice(0, 12)}…` : 'missing'}` }),
      seconds: out.seconds, mbps: file.size / 1e6 / out.seconds, heapGrowthMiB: out.heapGrowth / MiB,
      longTasks: out.longTasks, longestTaskMs: out.longestTask, verified, info: out.info, ...(mainThread ? { mainThread } : {}),
      cpu: Object.fromEntries([...cpuDelta(cpu0, cpu1)].sort((a, b) => b[1] - a[1])),
    };
  } catch (e) {
    return { ...base, ok: false, error: String((e as Error)?.message ?? e).slice(0, 300) };
  } finally {
    await browser.close().catch(() => undefined);
  }
}
