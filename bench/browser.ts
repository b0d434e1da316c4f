/**
 * Debian's headless Chromium, driven over the DevTools protocol with the Network domain
 * left off (with it on, Chromium copies every in-memory request body into the inspector on
 * the page's main thread). Measures every Chromium process from /proc: resident memory
 * (sampled) and CPU time per process type and thread name (a cheap, always-on profile).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';

export const CHROMIUM_ARGS = [
  '--no-sandbox', '--headless=new', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run',
  '--enable-precise-memory-info',
];

export function chromiumPath(): string {
  const p = process.env.CHROME_PATH || ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find(existsSync);
  if (!p) throw new Error('No Chromium at /usr/bin/chromium (apt-get install chromium), or set CHROME_PATH.');
  return p;
}

const open = new Set<Browser>();

export async function launch(): Promise<Browser> {
  const browser = await puppeteer.launch({
    executablePath: chromiumPath(), headless: true, args: CHROMIUM_ARGS,
    networkEnabled: false, protocolTimeout: 15 * 60_000,
    // The driver's own handler ends the run (closeAll, then the servers and temp files).
    handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false,
  });
  open.add(browser);
  browser.once('disconnected', () => open.delete(browser));
  return browser;
}

/** Kills every browser this process launched (on an interrupted run). */
export function killAll(): void {
  for (const b of open) b.process()?.kill('SIGKILL');
  open.clear();
}

/** Opens the bench page and picks `file` through its `<input type=file>` (a disk-backed File). */
export async function openPage(browser: Browser, origin: string, file: string): Promise<Page> {
  const page = await browser.newPage();
  await page.goto(origin + '/', { waitUntil: 'load' });
  const input = await page.$('#file');
  await (input as unknown as { uploadFile(p: string): Promise<void> }).uploadFile(file);
  return page;
}

const PAGE_SIZE = 4096;
const TICK_MS = 10; // USER_HZ = 100 on Linux

function read(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** pid → ppid for every process. */
function processTable(): Map<number, number> {
  const table = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = read(`/proc/${name}/stat`);
    if (!stat) continue;
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    table.set(Number(name), Number(fields[1]));
  }
  return table;
}

export function familyOf(root: number): number[] {
  const table = processTable();
  const family = new Set([root]);
  for (let grew = true; grew;) {
    grew = false;
    for (const [pid, ppid] of table) if (family.has(ppid) && !family.has(pid)) { family.add(pid); grew = true; }
  }
  return [...family];
}

/** Resident bytes of `pids` (statm's resident pages). */
export function rssBytes(pids: number[]): number {
  let n = 0;
  for (const pid of pids) {
    const statm = read(`/proc/${pid}/statm`);
    if (statm) n += Number(statm.split(' ')[1]) * PAGE_SIZE;
  }
  return n;
}

function processKind(pid: number): string {
  const cmd = (read(`/proc/${pid}/cmdline`) ?? '').split(/[\0 ]/);
  const type = cmd.find((a) => a.startsWith('--type='))?.slice(7);
  if (!type) return cmd[0]?.includes('node') ? 'node' : 'browser';
  if (type === 'utility') {
    const sub = cmd.find((a) => a.startsWith('--utility-sub-type='))?.slice(19) ?? '';
    return sub.includes('network') ? 'network' : sub.includes('storage') ? 'storage' : `utility:${sub.split('.').pop()}`;
  }
  return type;
}

/** CPU milliseconds per "process kind / thread name" for `pids`. */
export function threadCpu(pids: number[], label?: (pid: number) => string | undefined): Map<string, number> {
  const out = new Map<string, number>();
  for (const pid of pids) {
    const kind = label?.(pid) ?? processKind(pid);
    let tids: string[];
    try {
      tids = readdirSync(`/proc/${pid}/task`);
    } catch {
      continue;
    }
    // The process's own total includes threads that have exited (a terminated worker's).
    const total = read(`/proc/${pid}/stat`);
    let live = 0;
    for (const tid of tids) {
      const stat = read(`/proc/${pid}/task/${tid}/stat`);
      if (!stat) continue;
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replace(/[0-9]+$/, '').replace(/[-:]$/, '');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ms = (Number(f[11]) + Number(f[12])) * TICK_MS;
      const k = `${kind} / ${comm}`;
      out.set(k, (out.get(k) ?? 0) + ms);
      live += ms;
    }
    if (total) {
      const f = total.slice(total.lastIndexOf(')') + 2).split(' ');
      const gone = (Number(f[11]) + Number(f[12])) * TICK_MS - live;
      const k = `${kind} / (exited threads)`;
      if (gone > 0) out.set(k, (out.get(k) ?? 0) + gone);
    }
  }
  return out;
}

export function cpuDelta(before: Map<string, number>, after: Map<string, number>): Map<string, number> {
  const d = new Map<string, number>();
  for (const [k, v] of after) {
    const x = v - (before.get(k) ?? 0);
    if (x > 0) d.set(k, x);
  }
  return d;
}

/**
 * Samples the resident memory of a process family every `everyMs`: the peak of the sum, and
 * each process kind's own peak growth (browser, renderer, network, …) to tell where it went.
 */
export class RssSampler {
  private timer: NodeJS.Timeout | undefined;
  readonly baseline: number;
  peak: number;
  private readonly kindBase = new Map<string, number>();
  readonly kindPeak = new Map<string, number>();
  constructor(private readonly root: number, everyMs = 100) {
    let pids = familyOf(root);
    this.baseline = this.sample(pids);
    for (const [k, v] of this.kindPeak) this.kindBase.set(k, v);
    this.peak = this.baseline;
    let n = 0;
    this.timer = setInterval(() => {
      if (++n % 10 === 0) pids = familyOf(root); // new processes (utilities)
      this.peak = Math.max(this.peak, this.sample(pids));
    }, everyMs);
  }
  /** Each kind's resident memory split as /proc/pid/status does (anon, shmem, file), at the kind's peak; KiB. */
  readonly kindSplitAtPeak = new Map<string, Record<string, number>>();
  private readonly kindSplitBase = new Map<string, Record<string, number>>();
  /** Total and per-kind resident bytes over time, one sample a second: [ms since start, total, {kind: bytes}]. */
  readonly series: [number, number, Record<string, number>][] = [];
  private readonly t0 = Date.now();
  private lastSeries = -Infinity;
  private sample(pids: number[]): number {
    const byKind = new Map<string, number>();
    const split = new Map<string, Record<string, number>>();
    for (const pid of pids) {
      const kind = processKind(pid);
      byKind.set(kind, (byKind.get(kind) ?? 0) + rssBytes([pid]));
      const status = read(`/proc/${pid}/status`) ?? '';
      const s = split.get(kind) ?? { anon: 0, shmem: 0, file: 0, threads: 0 };
      for (const [field, key] of [['RssAnon', 'anon'], ['RssShmem', 'shmem'], ['RssFile', 'file'], ['Threads', 'threads']] as const) {
        const m = new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(status);
        if (m) s[key] = s[key]! + Number(m[1]);
      }
      split.set(kind, s);
    }
    let sum = 0;
    for (const [k, v] of byKind) {
      sum += v;
      if (!this.kindSplitBase.has(k)) this.kindSplitBase.set(k, split.get(k)!);
      if (v > (this.kindPeak.get(k) ?? -1)) this.kindSplitAtPeak.set(k, split.get(k)!);
      this.kindPeak.set(k, Math.max(this.kindPeak.get(k) ?? 0, v));
    }
    const now = Date.now() - this.t0;
    if (now - this.lastSeries >= 1000) {
      this.lastSeries = now;
      this.series.push([now, sum, Object.fromEntries(byKind)]);
    }
    return sum;
  }
  /** Growth of each kind's anon/shmem/file split from the first sample to the kind's peak, MiB (threads: count at peak). */
  splitGrowthByKind(): Record<string, Record<string, number>> {
    const out: Record<string, Record<string, number>> = {};
    for (const [k, at] of this.kindSplitAtPeak) {
      const base = this.kindSplitBase.get(k) ?? {};
      out[k] = Object.fromEntries(Object.entries(at).map(([f, v]) => [f, f === 'threads' ? v : Math.round(((v - (base[f] ?? 0)) / 1024) * 10) / 10]));
    }
    return out;
  }
  stop(): number {
    clearInterval(this.timer);
    this.peak = Math.max(this.peak, this.sample(familyOf(this.root)));
    return this.peak - this.baseline;
  }
  /** Peak growth per process kind, bytes. */
  growthByKind(): Record<string, number> {
    return Object.fromEntries([...this.kindPeak].map(([k, v]) => [k, v - (this.kindBase.get(k) ?? 0)]));
  }
}
