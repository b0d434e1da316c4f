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
  heapGrowthMiB: number;
  longTasks: number;
  longestTaskMs: number;
  verified: boolean;
  /** CPU ms by "process / thread", Chromium and the store. */
  cpu: Record<string, number>;
  info: Record<string, unknown>;
}

const MiB = 1024 * 1024;
let serial = 0;

export async function trial(backend: Backend, entry: Entry, file: { path: string; size: number; sha256: string }): Promise<TrialResult> {
  const key = `bench-${Date.now().toString(36)}-${++serial}.bin`;
  const user = 'bench';
  const browser = await launch();
  const base = { label: entry.label, seconds: NaN, mbps: NaN, rssGrowthMiB: NaN, rssByKindMiB: {} as Record<string, number>, heapGrowthMiB: NaN, longTasks: 0, longestTaskMs: 0, verified: false, cpu: {}, info: {} };
  try {
    const page = await openPage(browser, backend.pageOrigin, file.path);
    await page.evaluate((m) => window.bench.prepare!(m as never), entry.module);
    await new Promise((r) => setTimeout(r, 300));
    const root = browser.process()!.pid!;
    const label = (pid: number) => (pid === backend.pid ? 'store' : undefined);
    const pids = () => [...familyOf(root), backend.pid, ...familyOf(backend.pid).slice(1)];
    const cpu0 = threadCpu(pids(), label);
    const sampler = new RssSampler(root);
    let out: { seconds: number; key: string; info: Record<string, unknown>; heapGrowth: number; longTasks: number; longestTask: number };
    try {
      out = (await page.evaluate((m, o) => window.bench.upload!(m as never, o as never), entry.module, { ...entry.options, user, key })) as typeof out;
    } finally {
      base.rssGrowthMiB = sampler.stop() / MiB;
      base.rssByKindMiB = Object.fromEntries(Object.entries(sampler.growthByKind()).map(([k, v]) => [k, Math.round(v / MiB)]));
    }
    const cpu1 = threadCpu(pids(), label);
    await browser.close();
    const stored = entry.noUpload ? undefined : await backend.stored(out.key);
    const verified = entry.noUpload || (stored?.size === file.size && stored.sha256 === file.sha256);
    await backend.remove(out.key);
    return {
      ...base, ok: verified, ...(verified ? {} : { error: `stored object ${stored ? `${stored.size} bytes, sha256 ${stored.sha256.slice(0, 12)}…` : 'missing'}` }),
      seconds: out.seconds, mbps: file.size / 1e6 / out.seconds, heapGrowthMiB: out.heapGrowth / MiB,
      longTasks: out.longTasks, longestTaskMs: out.longestTask, verified, info: out.info,
      cpu: Object.fromEntries([...cpuDelta(cpu0, cpu1)].sort((a, b) => b[1] - a[1])),
    };
  } catch (e) {
    return { ...base, ok: false, error: String((e as Error)?.message ?? e).slice(0, 300) };
  } finally {
    await browser.close().catch(() => undefined);
  }
}
