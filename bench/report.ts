/**
 * The bench's results as JSON, a Markdown table and an SVG chart (MB/s per contestant as
 * a ratio of the same round's ceiling, median and range).
 */
import type { CancelStats, ResumeStats } from './interrupts.js';
import type { TrialResult } from './trial.js';

export interface Row {
  id: string;
  label: string;
  settings: string;
  /** Why the row has no figures (e.g. the store does not speak its dialect yet). */
  unavailable?: string;
  trials: TrialResult[];
  /** MB/s over the same round's ceiling, per verified round. */
  ratios: number[];
  /** The memory steps: one upload of each bigger file (ceiling, engine, element). */
  bigs?: { mib: number; res: TrialResult }[];
  /** One extra upload recorded with a Chrome trace: the main thread's tasks, wall and CPU time. */
  traced?: TrialResult;
  cancel?: CancelStats;
  resume?: ResumeStats;
  bundleGzip?: number;
}

export interface Report {
  date: string;
  command: string;
  seconds: number;
  fileMiB: number;
  /** Sizes of the memory steps, MiB (none: skipped). */
  bigMiB: number[];
  rounds: number;
  /** Wall seconds per phase (setup, rounds, traced, cancels, resumes, big). */
  phases?: Record<string, number>;
  load: { before: string; after: string };
  chromium: string;
  rows: Row[];
  targets: string[];
}

export function median(xs: number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export function percentile(xs: number[], p: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)]!;
}

const f = (n: number, d = 0) => (Number.isFinite(n) ? n.toFixed(d) : '–');
const range = (xs: number[], d = 0) => (xs.length ? `${f(Math.min(...xs), d)}–${f(Math.max(...xs), d)}` : '');
const MiB = 1024 * 1024;

function bytesText(v: number | string | undefined): string {
  if (v === undefined) return '–';
  if (typeof v === 'string') return v;
  return `${(v / MiB).toFixed(1)} MiB`;
}

export function okTrials(r: Row): TrialResult[] {
  return r.trials.filter((t) => t.ok);
}

export function markdown(rep: Report): string {
  const head = [
    'contestant', 'parts', 'MB/s median (range)', '× ceiling, same round', `RSS growth, all Chromium (${[rep.fileMiB, ...rep.bigMiB].map((m) => `${m} MiB`).join(' → ')})`,
    'JS heap growth', 'longest main-thread task (> 50 ms), observer', 'longest task, traced: wall / thread CPU', 'cancel → all settled, median / p95 (n)', 're-sent after cancel+resume',
    're-sent after reload+resume', 'bundle min+gzip',
  ];
  const lines = [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`];
  for (const r of rep.rows) {
    if (r.unavailable) {
      lines.push(`| ${r.label} | ${r.settings} | ${r.unavailable} | | | | | | | | | ${r.bundleGzip ? (r.bundleGzip / 1000).toFixed(1) + ' KB' : ''} |`);
      continue;
    }
    const ok = okTrials(r);
    const failed = r.trials.length - ok.length;
    const mbps = ok.map((t) => t.mbps);
    const rss = ok.map((t) => t.rssGrowthMiB);
    const lt = ok.map((t) => t.longestTaskMs);
    const cancel = r.cancel
      ? `${f(median(r.cancel.settleMs))} / ${f(percentile(r.cancel.settleMs, 0.95))} ms (${r.cancel.settleMs.length}${r.cancel.startedAfter ? `; ${r.cancel.startedAfter} started requests after cancel` : ''}${r.cancel.failures ? `; ${r.cancel.failures} never settled` : ''})`
      : '–';
    lines.push(`| ${[
      r.label, r.settings,
      `${f(median(mbps), 1)} (${range(mbps, 1)})${failed ? ` — ${failed} of ${r.trials.length} failed: ${r.trials.find((t) => !t.ok)?.error?.slice(0, 80)}` : ''}`,
      r.ratios.length ? `${f(median(r.ratios), 2)} (${range(r.ratios, 2)})` : '–',
      `${f(median(rss))} MiB${(r.bigs ?? []).map((b) => ` → ${b.res.ok ? f(b.res.rssGrowthMiB) + ' MiB' : 'failed'}`).join('')}`,
      `${f(median(ok.map((t) => t.heapGrowthMiB)), 1)} MiB`,
      `${f(Math.max(0, ...lt))} ms (${ok.reduce((n, t) => n + t.longTasks, 0)} in ${ok.length} runs)`,
      r.traced?.mainThread ? `${f(r.traced.mainThread.longestWallMs)} / ${f(r.traced.mainThread.longestCpuMs)} ms (${r.traced.mainThread.over50Cpu} over 50 ms CPU)` : '–',
      cancel, bytesText(r.resume?.cancelResume), bytesText(r.resume?.reloadResume),
      r.bundleGzip ? `${(r.bundleGzip / 1000).toFixed(1)} KB` : '–',
    ].join(' | ')} |`);
  }
  return lines.join('\n');
}

export function svg(rep: Report): string {
  const rows = rep.rows.filter((r) => !r.unavailable && r.ratios.length);
  const W = 900, left = 440, barH = 18, gap = 10, top = 40;
  const H = top + rows.length * (barH + gap) + 40;
  const max = Math.max(1.2, ...rows.flatMap((r) => r.ratios));
  const x = (v: number) => left + (v / max) * (W - left - 60);
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="system-ui, sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="#fff"/>`,
    `<text x="10" y="20" font-size="14" font-weight="600">Throughput ÷ same round's plain-fetch ceiling (${rep.fileMiB} MiB, ${rep.rounds} rounds; bar = median, line = range)</text>`,
  ];
  for (const v of [0, 0.5, 0.95, 1]) {
    parts.push(`<line x1="${x(v)}" y1="${top - 8}" x2="${x(v)}" y2="${H - 30}" stroke="${v === 0.95 ? '#c00' : '#ccc'}" stroke-dasharray="${v === 0.95 ? '4 3' : ''}"/>`);
    parts.push(`<text x="${x(v)}" y="${H - 14}" text-anchor="middle" fill="#555">${v}</text>`);
  }
  rows.forEach((r, i) => {
    const y = top + i * (barH + gap);
    const m = median(r.ratios);
    const color = r.id.startsWith('engine') || r.id === 'element' ? '#1a73e8' : r.id === 'ceiling' ? '#777' : '#e8711a';
    parts.push(`<text x="${left - 8}" y="${y + 13}" text-anchor="end">${esc(r.label)} (${esc(r.settings)})</text>`);
    parts.push(`<rect x="${left}" y="${y}" width="${x(m) - left}" height="${barH}" fill="${color}" opacity="0.85"/>`);
    parts.push(`<line x1="${x(Math.min(...r.ratios))}" y1="${y + barH / 2}" x2="${x(Math.max(...r.ratios))}" y2="${y + barH / 2}" stroke="#000" stroke-width="2"/>`);
    parts.push(`<text x="${x(Math.max(...r.ratios)) + 6}" y="${y + 13}">${m.toFixed(2)}</text>`);
  });
  parts.push('</svg>');
  return parts.join('\n');
}
