/**
 * The soak: many uploads through `<oss-uploader>` in headless Chromium against the local
 * store in fault mode, driven as people drive it — files picked, buttons pressed, pages
 * reloaded at random moments — and then a verdict in which every row is a count measured
 * on the store, in the page, or in the store's request journal. See run.ts for the flags.
 */
import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import { mixedRates, type FaultConfig, type FaultCounts, type FaultKind, type JournalEntry } from '../../server/store/faults/index.js';
import { mulberry32 } from '../../server/store/faults/prng.js';
import {
  findSecrets, leakScan, Person, rmrf, startSoakEnv, storedObject, uploadsInProgress, writeFile, type SeenEvent, type SoakEnv,
} from './harness.js';

const KiB = 1024;
const MiB = 1024 * KiB;

export interface SoakOptions {
  /** Uploads in all (default 200). */
  uploads: number;
  /** Largest file (default 256 MiB); two files of this size are in every run of 60 uploads or more. */
  maxSize: number;
  /** Share of store requests faulted, every fault mixed (default 0.1; lost Initiate and Complete answers on top, see mixedRates). */
  faultRate: number;
  seed: number;
  /** Tabs (people) uploading at once, each its own user (default 2). */
  tabs: number;
  /** Hard bound on the run, ms: no batch starts after 80 % of it; stragglers count as hangs. */
  budgetMs: number;
  /** How long a stall fault holds a request (default 35 s: beyond the engine's 30 s attempt timeout). */
  stallMs: number;
  workDir: string;
  log: (line: string) => void;
  /** Faults left out of the mix (e.g. while a known finding is open). */
  without?: FaultKind[];
}

type Action = 'none' | 'cancel-resume' | 'abort' | 'cancel-abort';

interface PlannedUpload {
  name: string;
  size: number;
  dialect: 'oss' | 'obs' | 's3';
  part: string;
  partBytes: number;
  action: Action;
  /** ms after the Upload press. */
  actionAt: number;
  sha256?: string;
  path?: string;
}

interface Batch {
  uploads: PlannedUpload[];
  dialect: 'oss' | 'obs' | 's3';
  part: string;
  /** ms after the Upload press; undefined: no reload. */
  reloadAt: number | undefined;
}

type Outcome = 'done' | 'aborted' | 'gave-up' | 'hang' | 'not-run';

interface Tracked {
  plan: PlannedUpload;
  user: string;
  key: string;
  successes: number;
  aborts: { confirmed: boolean }[];
  errors: string[];
  retries: number;
  abortPressed: boolean;
  /** When Abort was first pressed (ms since the epoch). */
  abortPressedAt?: number;
  /** When its page was last reloaded (ms since the epoch). */
  reloadedAt?: number;
  /** When a Resume button was first seen on the row while nobody meant to press it (see runBatch). */
  resumeSeenAt?: number | undefined;
  outcome: Outcome | undefined;
  /** How it ended, in words, for the report of anything that went wrong. */
  history: string[];
}

export interface Verdict {
  rows: [string, number | string, string][];
  faults: FaultCounts | undefined;
  failures: string[];
  durationMs: number;
  ok: boolean;
}

// ---- the plan -------------------------------------------------------------------------

const PART: Record<'oss' | 'obs' | 's3', { part: string; bytes: number }> = {
  oss: { part: '1MiB', bytes: MiB },
  obs: { part: '1MiB', bytes: MiB },
  s3: { part: '5MiB', bytes: 5 * MiB },
};

export function plan(o: Pick<SoakOptions, 'uploads' | 'maxSize' | 'seed' | 'tabs'>): Batch[][] {
  const random = mulberry32(o.seed ^ 0x50a4);
  const pickOf = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const uploads: PlannedUpload[] = [];
  const add = (size: number, dialect: 'oss' | 'obs' | 's3', part = PART[dialect]) => {
    uploads.push({ name: '', size, dialect, part: part.part, partBytes: part.bytes, action: 'none', actionAt: 0 });
  };
  const dialects = ['oss', 'oss', 'obs', 's3'] as const;
  // The edges: nothing, one byte, and a part size minus one, exactly, plus one (and twice that), per dialect.
  for (const d of ['oss', 'obs', 's3'] as const) {
    const p = PART[d].bytes;
    for (const size of [0, 1, p - 1, p, p + 1, 2 * p - 1, 2 * p + 1]) add(size, d);
  }
  const big = { part: '8MiB', bytes: 8 * MiB };
  if (o.uploads >= 60) {
    add(o.maxSize, 'oss', big);
    add(o.maxSize, 'obs', big);
  }
  while (uploads.length < o.uploads) {
    const d = pickOf(dialects);
    const r = random();
    const p = PART[d].bytes;
    if (r < 0.3) add(Math.floor(random() * 64 * KiB), d);
    else if (r < 0.45) add(64 * KiB + Math.floor(random() * (p - 64 * KiB)), d);
    else if (r < 0.93) add(p + Math.floor(random() * 5 * p), d);
    else add(Math.min(o.maxSize, 16 * MiB + Math.floor(random() * 40 * MiB)), d, big);
  }
  uploads.length = Math.min(uploads.length, o.uploads);
  uploads.forEach((u, i) => {
    u.name = `u${String(i).padStart(4, '0')}-${u.dialect}-${u.size}.bin`;
    const r = random();
    const multipart = u.size > u.partBytes;
    u.action = r < 0.62 ? 'none' : r < 0.76 ? 'cancel-resume' : r < 0.88 ? 'abort' : multipart ? 'cancel-abort' : 'cancel-resume';
    const estimateMs = 200 + (u.size / (15 * MiB)) * 1000;
    u.actionAt = Math.floor(random() * Math.min(4000, estimateMs));
  });
  // Batches of 2 to 6 files of one dialect and part size, shuffled, dealt to the tabs.
  const groups = new Map<string, PlannedUpload[]>();
  for (const u of uploads) {
    const k = `${u.dialect}|${u.part}`;
    groups.set(k, [...(groups.get(k) ?? []), u]);
  }
  const batches: Batch[] = [];
  for (const list of groups.values()) {
    for (let i = 0; i < list.length;) {
      const n = 2 + Math.floor(random() * 5);
      const files = list.slice(i, i + n);
      i += n;
      const total = files.reduce((s, f) => s + f.size, 0);
      const reloadAt = random() < 0.22 ? Math.floor(random() * Math.min(5000, 300 + (total / (15 * MiB)) * 1000)) : undefined;
      batches.push({ uploads: files, dialect: files[0]!.dialect, part: files[0]!.part, reloadAt });
    }
  }
  for (let i = batches.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [batches[i], batches[j]] = [batches[j]!, batches[i]!];
  }
  const tabs: Batch[][] = Array.from({ length: o.tabs }, () => []);
  // Big batches first, spread over the tabs, so no tab ends long after the others.
  batches.sort((a, b) => Number(b.uploads.some((u) => u.size >= 64 * MiB)) - Number(a.uploads.some((u) => u.size >= 64 * MiB)));
  batches.forEach((b, i) => tabs[i % o.tabs]!.push(b));
  return tabs;
}

// ---- one tab -------------------------------------------------------------------------

const SETTLED: ReadonlySet<Outcome> = new Set(['done', 'aborted', 'gave-up', 'hang']);
const UPLOAD_BUTTON = '^Upload \\d+ files?$';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

class Tab {
  readonly tracked = new Map<string, Tracked>();
  reloads = 0;
  cancels = 0;
  resumes = 0;
  abortsPressed = 0;
  retriesPressed = 0;
  leaks: Record<string, number> = {};
  private generation = 0;

  constructor(private readonly env: SoakEnv, readonly person: Person, private readonly o: SoakOptions, private readonly deadline: number) {
    person.page.on('console', () => undefined);
    this.listen();
  }

  private listen(): void {
    // Every event about a file updates what the person knows of it.
    const seen = (e: SeenEvent) => {
      const t = e.file ? this.tracked.get(e.file) : undefined;
      if (!t) return;
      if (typeof e.detail['key'] === 'string') t.key = e.detail['key'];
      switch (e.type) {
        case 'oss-success':
          t.successes++;
          t.history.push('success');
          break;
        case 'oss-abort':
          t.aborts.push({ confirmed: e.detail['confirmed'] === true });
          t.history.push(`abort confirmed=${e.detail['confirmed']}`);
          break;
        case 'oss-error': {
          const err = e.detail['error'] as { code?: string; message?: string } | undefined;
          t.errors.push(`${err?.code}: ${err?.message}`);
          t.history.push(`error ${err?.code}`);
          break;
        }
        case 'oss-cancel': t.history.push('cancel'); break;
        case 'oss-resume': t.history.push(e.detail['retry'] ? 'retry' : 'resume'); break;
        case 'oss-start': t.history.push('start'); break;
      }
    };
    this.person.subscribe(seen);
  }

  /** What the events say of a file now. */
  private status(t: Tracked): 'done' | 'aborted' | 'failed' | 'open' {
    if (t.successes > 0) return 'done';
    const last = [...t.history].reverse().find((h) => /^(success|abort|error|resume|retry|start|reload)/.test(h)) ?? '';
    if (last.startsWith('abort')) return 'aborted';
    if (last.startsWith('error')) return 'failed';
    return 'open';
  }

  async runBatch(batch: Batch): Promise<void> {
    const gen = ++this.generation;
    const dir = join(this.o.workDir, 'files', this.person.user);
    mkdirSync(dir, { recursive: true });
    for (const u of batch.uploads) {
      u.path = join(dir, u.name);
      u.sha256 = writeFile(u.path, u.size, u.size ^ u.name.length);
      this.tracked.set(u.name, {
        plan: u, user: this.person.user, key: `uploads/${this.person.user}/${u.name}`, successes: 0, aborts: [], errors: [],
        retries: 0, abortPressed: false, outcome: undefined, history: [],
      });
    }
    const mine = batch.uploads.map((u) => this.tracked.get(u.name)!);
    await this.person.visit(batch.dialect, batch.part);
    await this.person.pick(batch.uploads.map((u) => u.path!));
    if (!(await this.person.pressWhenThere(UPLOAD_BUTTON, null, 10_000))) throw new Error('no Upload button after picking files');
    const t0 = Date.now();

    const actions = batch.uploads.filter((u) => u.action !== 'none').map(async (u) => {
      await sleep(u.actionAt);
      if (gen !== this.generation) return;
      const t = this.tracked.get(u.name)!;
      if (u.action === 'abort') {
        const pressing = Date.now(); // before the press: a write arriving during it counts as after
        if (await this.person.pressDestructive('Abort', u.name)) {
          t.abortPressed = true;
          t.abortPressedAt ??= pressing;
          t.history.push(`pressed Abort@${Date.now() % 1_000_000}`);
          this.abortsPressed++;
        }
        return;
      }
      if (!(await this.person.press('^Cancel$', u.name))) return;
      this.cancels++;
      await sleep(Math.floor(Math.random() * 800));
      if (u.action === 'cancel-abort' && (await this.person.pressWhenThere('^Abort$', u.name, 15_000))) {
        const pressing = Date.now();
        await this.person.pressWhenThere('^Abort upload$', u.name, 1500);
        t.abortPressed = true;
        t.abortPressedAt ??= pressing;
        t.history.push(`pressed Abort@${Date.now() % 1_000_000}`);
        this.abortsPressed++;
        return;
      }
      if (await this.person.pressWhenThere('^Resume$', u.name, 15_000)) this.resumes++;
    });

    const reload = batch.reloadAt === undefined ? Promise.resolve() : (async () => {
      await sleep(batch.reloadAt!);
      if (mine.every((t) => this.status(t) === 'done' || this.status(t) === 'aborted')) return;
      this.generation++;
      this.reloads++;
      const reloadedAt = Date.now();
      for (const t of mine) {
        t.history.push(`reload@${reloadedAt % 1_000_000}`);
        t.reloadedAt = reloadedAt;
      }
      await this.person.reload();
      // The person picks again what had not finished, except what they had asked to abort.
      const again = mine.filter((t) => this.status(t) !== 'done' && this.status(t) !== 'aborted' && !t.abortPressed);
      for (const t of mine) if (t.abortPressed && this.status(t) === 'open') t.outcome = 'aborted';
      if (again.length === 0) return;
      await this.person.pick(again.map((t) => t.plan.path!));
      // Rows of interrupted multipart uploads offer Resume; the others are started with Upload.
      for (let pass = 0; pass < 3; pass++) {
        await sleep(700);
        for (const t of again) if (await this.person.press('^Resume$', t.plan.name)) this.resumes++;
        await this.person.press(UPLOAD_BUTTON);
      }
    })();

    // Until every file has settled: failures are retried twice, then given up (aborted or removed).
    const estimate = batch.uploads.reduce((s, u) => s + u.size, 0) / (4 * MiB) * 1000;
    const batchDeadline = Math.min(this.deadline, t0 + 120_000 + this.o.stallMs * 2 + estimate);
    for (;;) {
      await sleep(300);
      for (const t of mine) {
        if (t.outcome && SETTLED.has(t.outcome)) continue;
        const s = this.status(t);
        if (s === 'done') t.outcome = 'done';
        else if (s === 'aborted') t.outcome = 'aborted';
        else if (s === 'open' && !t.abortPressed) {
          // A row left paused — "interrupted earlier" after a reload, or a cancel whose resume
          // came too early — is resumed, as a person would, once it has waited a moment.
          if (await this.person.has('^Resume$', t.plan.name)) {
            t.resumeSeenAt ??= Date.now();
            if (Date.now() - t.resumeSeenAt > 2000 && (await this.person.press('^Resume$', t.plan.name))) {
              this.resumes++;
              t.resumeSeenAt = undefined;
            }
          } else {
            t.resumeSeenAt = undefined;
          }
        } else if (s === 'failed') {
          if (t.retries < 2 && (await this.person.press('^Retry$', t.plan.name))) {
            t.retries++;
            this.retriesPressed++;
          } else if (t.retries >= 2) {
            const pressing = Date.now();
            const aborted = await this.person.pressDestructive('Abort', t.plan.name);
            if (aborted) {
              t.abortPressed = true;
              t.abortPressedAt ??= pressing;
              t.history.push('pressed Abort (gave up)');
            } else if (await this.person.pressDestructive('Remove', t.plan.name)) {
              t.history.push('pressed Remove (gave up)');
              t.outcome = 'gave-up';
            }
          }
        }
      }
      if (mine.every((t) => t.outcome && SETTLED.has(t.outcome))) break;
      if (Date.now() > batchDeadline) {
        for (const t of mine) {
          if (t.outcome && SETTLED.has(t.outcome)) continue;
          t.outcome = 'hang';
          t.history.push(`hang after ${Math.round((Date.now() - t0) / 1000)} s`);
          this.o.log(`HANG ${t.plan.name}: ${t.history.join(', ')}`);
        }
        break;
      }
    }
    await Promise.all([reload, ...actions]);
    // Files that ended "gave-up" through Abort count as aborted.
    for (const t of mine) if (t.outcome === 'gave-up' && t.aborts.length > 0) t.outcome = 'aborted';
    this.scanForLeaks(await leakScan(this.person).catch(() => ({})));
    for (const u of batch.uploads) rmrf(u.path!);
  }

  scanForLeaks(places: Record<string, string>): void {
    for (const [place, n] of Object.entries(findSecrets(places, this.env.issued.secrets))) this.leaks[place] = (this.leaks[place] ?? 0) + n;
  }
}

// ---- the run ---------------------------------------------------------------------------

export async function runSoak(o: SoakOptions): Promise<Verdict> {
  const started = Date.now();
  const deadline = started + o.budgetMs;
  const faults: FaultConfig | undefined = o.faultRate > 0
    ? { rates: Object.fromEntries(Object.entries(mixedRates(o.faultRate)).filter(([k]) => !o.without?.includes(k as FaultKind))), seed: o.seed, stallMs: o.stallMs, journal: true }
    : { rates: {}, seed: o.seed, journal: true };
  const env = await startSoakEnv({ workDir: o.workDir, faults });
  const tabsPlan = plan(o);
  const tabs: Tab[] = [];
  const failures: string[] = [];
  try {
    for (let i = 0; i < tabsPlan.length; i++) {
      tabs.push(new Tab(env, await Person.open(env, `soak${o.seed}t${i}`), o, deadline));
    }
    let done = 0;
    const total = tabsPlan.flat().reduce((n, b) => n + b.uploads.length, 0);
    await Promise.all(tabsPlan.map(async (batches, i) => {
      const tab = tabs[i]!;
      for (const batch of batches) {
        if (Date.now() > started + o.budgetMs * 0.8) {
          for (const u of batch.uploads) tab.tracked.set(u.name, {
            plan: u, user: tab.person.user, key: '', successes: 0, aborts: [], errors: [], retries: 0, abortPressed: false, outcome: 'not-run', history: [],
          });
          continue;
        }
        try {
          await tab.runBatch(batch);
        } catch (e) {
          failures.push(`tab ${i}: batch failed to run: ${(e as Error).stack ?? e}`);
        }
        done += batch.uploads.length;
        o.log(`${done}/${total} uploads through, ${Math.round((Date.now() - started) / 1000)} s`);
      }
    }));

    // A later visit: each person adds a small file once more, so the element finishes aborts
    // journaled earlier (it does when its client is first used); then injection stops and
    // the store is read.
    env.backend.faults?.setEnabled(false);
    await Promise.all(tabs.map(async (tab) => {
      const later: PlannedUpload = { name: `later-${tab.person.user}.txt`, size: 10, dialect: 'oss', part: '1MiB', partBytes: MiB, action: 'none', actionAt: 0 };
      await tab.runBatch({ uploads: [later], dialect: 'oss', part: '1MiB', reloadAt: undefined }).catch((e) => failures.push(`later visit: ${e}`));
      await sleep(3000);
    }));
    return await verdict(env, tabs, failures, started, o);
  } finally {
    for (const t of tabs) await t.person.close();
    await env.close();
  }
}

async function verdict(env: SoakEnv, tabs: Tab[], failures: string[], started: number, o: SoakOptions): Promise<Verdict> {
  const storeUrl = env.backend.storeUrl;
  const all = tabs.flatMap((t) => [...t.tracked.values()]);
  const ran = all.filter((t) => t.outcome !== 'not-run');
  const done = ran.filter((t) => t.outcome === 'done');
  const aborted = ran.filter((t) => t.outcome === 'aborted');
  const gaveUp = ran.filter((t) => t.outcome === 'gave-up');
  const hangs = ran.filter((t) => t.outcome === 'hang' || t.outcome === undefined);

  let identical = 0;
  for (const t of done) {
    const got = await storedObject(storeUrl, t.key);
    if (got && got.sha256 === t.plan.sha256 && got.size === t.plan.size) identical++;
    else failures.push(`NOT IDENTICAL ${t.key}: ${got ? `${got.size} B ${got.sha256}` : 'missing'} vs ${t.plan.size} B ${t.plan.sha256}; ${t.history.join(', ')}`);
  }
  /** What the store's journal saw for `key`: arrival–answer times (ms, mod 10^6), operation, fault, status. */
  const storyOf = (key: string, uploadId?: string) => (env.backend.faults?.journal ?? []).filter((e) => e.key === key)
    .map((e) => `${e.at % 1_000_000}${e.answeredAt ? `–${e.answeredAt % 1_000_000}` : ''} ${e.op}${uploadId && e.uploadId && e.uploadId !== uploadId ? '(other)' : ''}${e.fault ? `[${e.fault}]` : ''}→${e.status ?? '-'}${e.delivered ? '' : '(undelivered)'}`)
    .join(' | ');
  /**
   * An aborted upload's object that the abort could not have stopped: our bytes, written by
   * a PutObject or Complete that reached the store before Abort was pressed (a body already
   * sent whole cannot be called back) and was answered before the page was reloaded after
   * the press, so the page never said how the abort ended (had it lived, the engine's watch
   * would have found the object and called the upload done). Anything else — a write that
   * arrived after the press, no reload, an abort the page reported — is a failure.
   */
  const landedBeforePress = (t: (typeof all)[number], obj: { size: number; sha256: string }) => {
    const pressed = t.abortPressedAt;
    if (pressed === undefined || obj.sha256 !== t.plan.sha256 || obj.size !== t.plan.size) return false;
    if (t.aborts.length > 0 || t.reloadedAt === undefined || t.reloadedAt < pressed) return false;
    const writes = (env.backend.faults?.journal ?? []).filter((e) => e.key === t.key && e.status === 200
      && (e.op === 'PutObject' || e.op === 'CompleteMultipartUpload'));
    return writes.length > 0 && writes.every((e) => e.at < pressed && e.answeredAt !== undefined && e.answeredAt < t.reloadedAt!);
  };
  const orphans = await uploadsInProgress(storeUrl, 'uploads/');
  const orphanKeys = new Set(orphans.map((u) => u.key));
  let abortedGone = 0;
  let landedBeforeAbort = 0;
  for (const t of aborted) {
    const obj = await storedObject(storeUrl, t.key);
    if (!obj && !orphanKeys.has(t.key)) abortedGone++;
    else if (obj && !orphanKeys.has(t.key) && landedBeforePress(t, obj)) landedBeforeAbort++;
    else failures.push(`ABORTED BUT ${obj ? 'OBJECT EXISTS' : 'UPLOAD LEFT'} ${t.key}: ${t.history.join(', ')}\n    store: ${storyOf(t.key)}`);
  }
  for (const u of orphans) {
    const t = all.find((x) => x.key === u.key);
    failures.push(`ORPHAN ${u.key} ${u.uploadId}: ${t ? `${t.outcome}; ${t.history.join(', ')}` : 'not a planned upload'}\n    store: ${storyOf(u.key, u.uploadId)}`);
  }

  // From the store's journal: Completes of an upload already completed, keys completed more than once.
  const journal: JournalEntry[] = env.backend.faults?.journal ?? [];
  // A Complete for an upload already completed is the engine's only if it looked first (HEAD
  // of the key since the completing one): it never sends Complete again without looking.
  // Without a HEAD between, Chromium's network stack re-sent the POST on its own after the
  // connection dropped (it does for a reused connection closed before any answer byte).
  const completedAt = new Map<string, number>();
  let duplicateCompletes = 0;
  let browserResent = 0;
  const completionsByKey = new Map<string, Set<string>>();
  for (const e of journal) {
    if (e.op !== 'CompleteMultipartUpload' || !e.uploadId) continue;
    const first = completedAt.get(e.uploadId);
    if (first !== undefined) {
      const looked = journal.some((h) => h.op === 'HeadObject' && h.key === e.key && h.at >= first && h.at <= e.at);
      if (looked || e.status === 200) {
        duplicateCompletes++;
        failures.push(`DUPLICATE COMPLETE ${e.key} ${e.uploadId} (answered ${e.status})`);
      } else {
        browserResent++;
      }
      continue;
    }
    if (e.status === 200) {
      completedAt.set(e.uploadId, e.at);
      completionsByKey.set(e.key, (completionsByKey.get(e.key) ?? new Set()).add(e.uploadId));
    }
  }
  const twice = [...completionsByKey].filter(([, ids]) => ids.size > 1);
  for (const [key, ids] of twice) {
    const t = all.find((x) => x.key === key);
    failures.push(`COMPLETED TWICE ${key} (${[...ids].join(', ')}): ${t?.history.join(', ')}`);
  }
  const puts = new Map<string, number>();
  for (const e of journal) if (e.op === 'PutObject' && e.status === 200) puts.set(e.key, (puts.get(e.key) ?? 0) + 1);

  const rejections = tabs.reduce((n, t) => n + t.person.events.filter((e) => e.type === 'unhandledrejection' || e.type === 'pageerror').length + t.person.pageErrors.length, 0);
  for (const t of tabs) for (const e of t.person.events) if (e.type === 'unhandledrejection' || e.type === 'pageerror') failures.push(`PAGE ${e.type}: ${e.raw.slice(0, 500)}`);

  const leaks: Record<string, number> = {};
  for (const t of tabs) for (const [k, v] of Object.entries(t.leaks)) leaks[k] = (leaks[k] ?? 0) + v;
  const eventText = { events: tabs.map((t) => t.person.events.map((e) => e.raw).join('\n')).join('\n'), console: tabs.map((t) => t.person.console.join('\n')).join('\n') };
  for (const [k, v] of Object.entries(findSecrets(eventText, env.issued.secrets))) leaks[k] = (leaks[k] ?? 0) + v;
  const idsInEvents = findSecrets(eventText, env.issued.ids);
  const leakCount = (place: string) => leaks[place] ?? 0;

  const count = (f: (t: Tabs) => number) => tabs.reduce((n, t) => n + f(t), 0);
  type Tabs = Tab;
  const bytes = ran.reduce((n, t) => n + t.plan.size, 0);
  const sizes = ran.map((t) => t.plan.size);
  const faults = env.backend.faults?.snapshot();
  const rows: Verdict['rows'] = [
    ['uploads run (planned)', `${ran.length} (${all.length})`, `${(bytes / MiB).toFixed(0)} MiB, ${Math.min(...sizes)} B … ${(Math.max(...sizes) / MiB).toFixed(0)} MiB; OSS ${ran.filter((t) => t.plan.dialect === 'oss').length}, OBS ${ran.filter((t) => t.plan.dialect === 'obs').length}, S3 ${ran.filter((t) => t.plan.dialect === 's3').length}`],
    ['person actions', `${count((t) => t.cancels)} cancels, ${count((t) => t.resumes)} resumes, ${count((t) => t.abortsPressed)} aborts, ${count((t) => t.reloads)} reloads, ${count((t) => t.retriesPressed)} retries`, 'pressed when the button was there'],
    ['completed objects byte-identical', `${identical} / ${done.length}`, 'SHA-256 of the stored object vs. the source file'],
    ['aborted uploads gone', `${abortedGone} / ${aborted.length - landedBeforeAbort}`, 'no object and no upload at the key'],
    ['aborted too late: landed before the press', landedBeforeAbort, 'informational: our bytes, from a write that reached the store before Abort was pressed, on a page reloaded before it could say so; not counted above'],
    ['gave up after 2 retries (then removed)', gaveUp.length, 'not a loss: the person was told'],
    ['orphaned uploadIds', orphans.length, 'ListMultipartUploads under uploads/ at the end'],
    ['duplicate Completes', duplicateCompletes, 'Complete sent by the engine for an upload already completed, or completing one twice (store journal)'],
    ['Completes re-sent by Chromium after a dropped connection', browserResent, 'informational: below fetch, no HEAD between; answered without effect (the upload was gone)'],
    ['keys completed twice', twice.length, 'keys with two completed multipart uploads (store journal)'],
    ['unhandled rejections / page errors', rejections, ''],
    ['hangs', hangs.length, 'uploads not settled within their batch deadline'],
    ['credentials searched for', env.issued.secrets.size, 'every AccessKeySecret and SecurityToken the token endpoint handed out'],
    ['credentials in localStorage', leakCount('localStorage') + leakCount('sessionStorage'), 'AccessKeySecret or SecurityToken (sessionStorage too)'],
    ['credentials in IndexedDB', leakCount('IndexedDB'), ''],
    ['credentials in cookies', leakCount('cookies'), ''],
    ['credentials in the DOM', leakCount('DOM'), 'shadow roots and input values included'],
    ['credentials in events', leakCount('events'), `every oss-* event, serialized whole${idsInEvents['events'] ? `; AccessKeyIds in ${idsInEvents['events']} (not secret)` : ''}`],
    ['credentials in the console', leakCount('console'), ''],
    ['objects written twice by PutObject', [...puts.values()].filter((n) => n > 1).length, 'informational: a PUT re-sent after a lost answer or a reload writes the same bytes again'],
  ];
  const lossRows = ['orphaned uploadIds', 'duplicate Completes', 'keys completed twice', 'unhandled rejections / page errors', 'hangs',
    'credentials in localStorage', 'credentials in IndexedDB', 'credentials in cookies', 'credentials in the DOM', 'credentials in events', 'credentials in the console'];
  const ok = identical === done.length && abortedGone === aborted.length && lossRows.every((r) => rows.find((x) => x[0] === r)![1] === 0) && failures.length === 0;
  return { rows, faults, failures, durationMs: Date.now() - started, ok };
}

export function formatVerdict(v: Verdict): string {
  const lines = ['| measure | count | how |', '|---|---|---|', ...v.rows.map(([a, b, c]) => `| ${a} | ${b} | ${c} |`)];
  if (v.faults) {
    const f = v.faults;
    const total = Object.values(f.byKind).reduce((a, b) => a + b, 0);
    lines.push('', `Faults injected: ${total} of ${f.seen} store requests (${((100 * total) / Math.max(1, f.seen)).toFixed(1)} %); requests refused while the clock had jumped: ${f.skewRefusals}`, '', '| fault | count |', '|---|---|');
    for (const [k, n] of Object.entries(f.byKind)) lines.push(`| ${k} | ${n} |`);
  }
  lines.push('', `Duration: ${(v.durationMs / 1000).toFixed(0)} s. Verdict: ${v.ok ? 'PASS' : 'FAIL'}`);
  if (v.failures.length) lines.push('', 'Findings:', ...v.failures.map((f) => `- ${f}`));
  return lines.join('\n');
}
