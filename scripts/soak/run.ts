/**
 * `npm run soak`: at least 200 uploads through `<oss-uploader>` in headless Chromium, under
 * the store's fault mode, ending with a verdict table (soak.ts).
 *
 * Flags (defaults in brackets; the defaults take about 3–4 minutes on 2 shared cores, never more than --minutes):
 *   --uploads N      uploads in all [200]
 *   --max-size MiB   largest file [256]
 *   --faults R       share of store requests faulted, every fault mixed [0.1]; 0 for none
 *   --seed N         seed of the plan and the faults [1]
 *   --tabs N         people uploading at once, one tab each [2]
 *   --minutes M      hard bound: no batch starts after 80 % of it, stragglers count as hangs [12]
 *   --stall-ms MS    how long a stalled answer holds a request [35000]
 *   --keep           keep the work directory (store data, logs)
 * Exit status 0 only when every loss or leak count is 0.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatVerdict, runSoak } from './soak.js';
import { rmrf } from './harness.js';

const args = process.argv.slice(2);
const flag = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const MiB = 1024 * 1024;
const workDir = mkdtempSync(join(tmpdir(), 'oss-uploader-soak-'));
const t0 = Date.now();
const log = (line: string) => console.log(`[soak ${((Date.now() - t0) / 1000).toFixed(0).padStart(4)} s] ${line}`);
const options = {
  uploads: flag('uploads', 200),
  maxSize: flag('max-size', 256) * MiB,
  faultRate: flag('faults', 0.1),
  seed: flag('seed', 1),
  tabs: flag('tabs', 2),
  budgetMs: flag('minutes', 12) * 60_000,
  stallMs: flag('stall-ms', 35_000),
  workDir,
  log,
};
log(`${options.uploads} uploads, faults ${options.faultRate}, seed ${options.seed}, ${options.tabs} tabs, bound ${options.budgetMs / 60_000} min; work dir ${workDir}`);
let ok = false;
try {
  const verdict = await runSoak(options);
  const text = formatVerdict(verdict);
  console.log('\n' + text);
  writeFileSync(join(workDir, 'verdict.md'), text);
  ok = verdict.ok;
} finally {
  if (!args.includes('--keep')) rmrf(workDir);
}
process.exit(ok ? 0 : 1);
