// The adaptive pieces of the engine, in Node with fake clocks: part sizes (part-planner.ts),
// the shared AIMD concurrency limiter (concurrency.ts), smoothed speed and ETA (progress.ts),
// and the network state (network-state.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConcurrencyLimiter } from '../../src/core/concurrency.js';
import { UploadError, ErrorKind } from '../../src/core/errors.js';
import { GiB, KiB, MAX_PART_NUMBER, MiB } from '../../src/core/limits.js';
import { NetworkState } from '../../src/core/network-state.js';
import { partRange } from '../../src/core/part-plan.js';
import { decodeSizes, encodeSizes, PartPlanner, singlePutLimit, TARGET_PART_SECONDS } from '../../src/core/part-planner.js';
import { ProgressMeter } from '../../src/core/progress.js';

/** The dialects' floors (OSS and OBS; S3). */
const OSS_MIN_PART_SIZE = 100 * KiB;
const S3_MIN_PART_SIZE = 5 * MiB;

const unmeasured = { throughput: undefined, parallel: 4, largestMeasured: 0 };

test('part planner: the first parts are the floor; later ones aim at a few seconds per part, within the limits', () => {
  const p = new PartPlanner(64 * MiB, OSS_MIN_PART_SIZE, 8 * MiB);
  assert.deepEqual(p.extend(unmeasured, 4), [1, 2, 3, 4]);
  for (let n = 1; n <= 4; n++) assert.equal(partRange(p.plan, n).end - partRange(p.plan, n).start, OSS_MIN_PART_SIZE);
  // 2 MB/s shared by 4 parts: 1.5 MB a part, but no more than 4× the largest part measured.
  p.extend({ throughput: 2e6, parallel: 4, largestMeasured: 100 * KiB }, 1);
  assert.equal(partRange(p.plan, 5).end - partRange(p.plan, 5).start, 384 * KiB);
  p.extend({ throughput: 2e6, parallel: 4, largestMeasured: 384 * KiB }, 1);
  const sixth = partRange(p.plan, 6).end - partRange(p.plan, 6).start;
  assert.ok(Math.abs(sixth - (2e6 * TARGET_PART_SECONDS) / 4) < 64 * KiB, `part 6 is ${sixth}`);
  // A fast link: the configured part size is the largest part.
  p.extend({ throughput: 500 * MiB, parallel: 4, largestMeasured: 8 * MiB }, 1);
  assert.equal(partRange(p.plan, 7).end - partRange(p.plan, 7).start, 8 * MiB);
  // Parts are contiguous and cover the file exactly once.
  while (!p.complete) p.extend({ throughput: 2e6, parallel: 4, largestMeasured: MiB }, 4);
  let at = 0;
  for (let n = 1; n <= p.plan.partCount; n++) {
    const r = partRange(p.plan, n);
    assert.equal(r.start, at);
    assert.ok(r.end > r.start);
    at = r.end;
  }
  assert.equal(at, 64 * MiB);
});

test('part planner: any file size fits in 10,000 parts, even with small first parts', () => {
  for (const size of [50 * GiB, 200 * GiB, 4 * 1024 * GiB]) {
    const p = new PartPlanner(size, OSS_MIN_PART_SIZE, 8 * MiB);
    p.extend(unmeasured, 100);
    while (!p.complete) p.extend({ throughput: 100 * KiB, parallel: 4, largestMeasured: OSS_MIN_PART_SIZE }, 500);
    assert.ok(p.plan.partCount <= MAX_PART_NUMBER, `${size}: ${p.plan.partCount} parts`);
    assert.equal(partRange(p.plan, p.plan.partCount).end, size);
  }
});

test('part planner: the S3 floor is the first part; a recorded plan is kept exactly and continued', () => {
  const p = new PartPlanner(40 * MiB, S3_MIN_PART_SIZE, 8 * MiB);
  p.extend(unmeasured, 2);
  p.extend({ throughput: 4e6, parallel: 2, largestMeasured: 5 * MiB }, 2);
  const runs = p.runs();
  assert.deepEqual(runs, encodeSizes(decodeSizes(runs)));
  const again = new PartPlanner(40 * MiB, S3_MIN_PART_SIZE, 8 * MiB, decodeSizes(runs));
  assert.equal(again.plan.partCount, 4);
  for (let n = 1; n <= 4; n++) assert.deepEqual(partRange(again.plan, n), partRange(p.plan, n));
  assert.deepEqual(again.extend(unmeasured, 1), [5]);
  assert.equal(partRange(again.plan, 5).start, partRange(p.plan, 4).end);
});

test('single PutObject: files the link carries in a few seconds, 1 MiB while unmeasured, never above the part size', () => {
  assert.equal(singlePutLimit(OSS_MIN_PART_SIZE, 8 * MiB, undefined), MiB);
  assert.equal(singlePutLimit(OSS_MIN_PART_SIZE, 100 * KiB, undefined), 100 * KiB);
  assert.equal(singlePutLimit(OSS_MIN_PART_SIZE, 8 * MiB, 500e3), 1.5e6);
  assert.equal(singlePutLimit(OSS_MIN_PART_SIZE, 8 * MiB, 500 * MiB), 8 * MiB);
  assert.equal(singlePutLimit(S3_MIN_PART_SIZE, 8 * MiB, undefined), S3_MIN_PART_SIZE);
});

function fakeClock() {
  let t = 0;
  return { now: () => t, advance: (ms: number) => { t += ms; } };
}

const throttled = () => new UploadError('SlowDown', 'slow down', { status: 503, kind: ErrorKind.Throttled });

test('limiter: starts small where parts are big, halves on throttling (once per storm), grows back additively', async () => {
  const clock = fakeClock();
  const s3 = new ConcurrencyLimiter(4, clock.now);
  s3.start(S3_MIN_PART_SIZE);
  assert.equal(s3.limit, 1);
  const oss = new ConcurrencyLimiter(8, clock.now);
  oss.start(OSS_MIN_PART_SIZE);
  assert.equal(oss.limit, 5, '512 KiB of 100 KiB parts, at most');

  // Slow start on S3: one more per success, on a link fast enough for 4 parts of 5 MiB in 3 s.
  const owner = {};
  for (let i = 0; i < 3; i++) {
    const slot = await s3.acquire(owner);
    clock.advance(1000);
    slot.release({ bytes: 8 * MiB, ms: 1000 });
  }
  assert.equal(s3.limit, 4);
  // On a 2 MB/s link, one 5 MiB part at a time.
  for (let i = 0; i < 20; i++) {
    const slot = await s3.acquire(owner);
    clock.advance(1000);
    slot.release({ bytes: 2e6, ms: 1000 });
  }
  assert.equal(s3.limit, 1);

  oss.failed(throttled());
  oss.failed(throttled()); // the same storm
  assert.equal(oss.limit, 2);
  clock.advance(2500);
  oss.failed(new UploadError('RequestTimeout', 't', { kind: ErrorKind.Timeout }));
  assert.equal(oss.limit, 1);
  oss.failed(new UploadError('AccessDenied', 'no', { status: 403, kind: ErrorKind.AccessDenied }));
  assert.equal(oss.limit, 1, 'only throttling, unavailability and timeouts shrink it');

  // Additive growth, while throughput rises.
  let rate = 1e6;
  const succeed = async () => {
    const slot = await oss.acquire(owner);
    clock.advance(1000);
    slot.release({ bytes: rate, ms: 1000 });
  };
  await succeed();
  assert.equal(oss.limit, 2);
  rate = 2e6;
  await succeed();
  await succeed();
  assert.equal(oss.limit, 3);
  // The throughput stays at 2 MB/s: growth stops short of the maximum.
  for (let i = 0; i < 60; i++) await succeed();
  assert.ok(oss.limit < 8, `limit ${oss.limit}`);
  const held = oss.limit;
  for (let i = 0; i < 20; i++) await succeed();
  assert.equal(oss.limit, held);
});

test('limiter: uploads sharing it take turns (the one holding fewest slots first)', async () => {
  const limiter = new ConcurrencyLimiter(2);
  const a = {}, b = {};
  const a1 = await limiter.acquire(a);
  const a2 = await limiter.acquire(a);
  const order: string[] = [];
  const waitA = limiter.acquire(a).then((s) => { order.push('a'); return s; });
  const waitB = limiter.acquire(b).then((s) => { order.push('b'); return s; });
  a1.release();
  await new Promise((r) => setTimeout(r, 0));
  assert.deepEqual(order, ['b']);
  a2.release();
  (await waitB).release();
  (await waitA).release();
  assert.deepEqual(order, ['b', 'a']);
  assert.equal(limiter.inFlight, 0);
  const ac = new AbortController();
  const x = await limiter.acquire(a);
  const y = await limiter.acquire(a);
  const cancelled = limiter.acquire(b, ac.signal);
  ac.abort();
  await assert.rejects(cancelled, (e: unknown) => UploadError.isCancel(e));
  x.release(); y.release();
});

test('progress: parts landing together after a long wait make no burst rate; the ETA counts parts in flight', () => {
  const clock = fakeClock();
  const total = 32 * MiB;
  const m = new ProgressMeter(total, 4, clock.now);
  m.reset(0, 0);
  assert.equal(m.snapshot().etaSeconds, undefined);
  clock.advance(17_000);
  for (let i = 1; i <= 4; i++) {
    m.update(i * 2 * MiB, i);
    clock.advance(30);
  }
  const p = m.snapshot();
  assert.ok(p.bytesPerSecond < 0.6 * MiB, `speed ${p.bytesPerSecond}`);

  // A steady 2 MB/s in 1 MB parts, 4 in flight: speed near 2 MB/s, ETA near the truth.
  const m2 = new ProgressMeter(20e6, 20, clock.now);
  m2.reset(0, 0);
  const start = clock.now();
  let committed = 0;
  for (let i = 0; i < 4; i++) m2.sending(i, 1e6);
  for (let n = 0; n < 10; n++) {
    clock.advance(500);
    committed += 1e6;
    m2.settled(n);
    m2.update(committed, n + 1);
    m2.sending(n + 4, 1e6);
  }
  const s = m2.snapshot();
  assert.ok(Math.abs(s.bytesPerSecond - 2e6) < 0.1e6, `speed ${s.bytesPerSecond}`);
  const trueLeft = (20e6 - committed) / 2e6;
  assert.ok(Math.abs(s.etaSeconds! - trueLeft) / trueLeft < 0.25, `eta ${s.etaSeconds} vs ${trueLeft} (${clock.now() - start} ms)`);
  assert.equal(s.inFlightBytes, 4e6);
  assert.equal(s.committedBytes, committed);
});

test('network state: offline when the browser says so or a probe fails; back when a probe succeeds', async () => {
  const events = new EventTarget();
  let onLine = true;
  let reachable = false;
  const net = new NetworkState({ events, onLine: () => onLine, probe: async () => reachable });
  assert.equal(await net.isOffline('http://store'), true, 'request failed and the probe too');
  assert.equal(net.offline, true);
  assert.equal(net.offlineSignal.aborted, true);
  let back = false;
  const waiting = net.whenOnline().then(() => { back = true; });
  events.dispatchEvent(new Event('online'));
  await new Promise((r) => setTimeout(r, 10));
  assert.equal(back, false, '`online` alone is not believed');
  reachable = true;
  assert.equal(await net.probeNow(), true);
  await waiting;
  assert.equal(net.offline, false);
  assert.equal(net.offlineSignal.aborted, false);

  // A failure while the probe reaches the store (CORS, a store that is down) is not "offline".
  assert.equal(await net.isOffline('http://store'), false);
  onLine = false;
  assert.equal(await net.isOffline('http://store'), true);
  onLine = true;
  const ac = new AbortController();
  const cancelled = net.whenOnline(ac.signal);
  ac.abort(new Error('stop'));
  await assert.rejects(cancelled);
  events.dispatchEvent(new Event('online'));
  await new Promise((r) => setTimeout(r, 10));
  assert.equal(net.offline, false);
});
