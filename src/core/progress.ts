/**
 * Honest progress: bytes committed by finished parts (never going backwards), the speed
 * over the last {@link WINDOW_MS} up to now, and the time left at that speed.
 *
 * fetch reports nothing while a part is sent, so committed bytes move in steps, and parts
 * finishing together do not make a rate: time does. Two measures bound the speed:
 * - the link's rate as the parts saw it: each part's size over its time in flight, times
 *   the parts sharing the link meanwhile (time-weighted over the window); never a burst;
 * - the bytes committed in the window, plus what the parts in flight have probably sent
 *   (their share of that rate for as long as they have been in flight, never a whole part),
 *   over the window's length (from the start of this run at the earliest).
 * The speed is the lower of the two, and the time left counts the bytes probably sent
 * already, so it does not run late by half a part. Those bytes are never counted as done.
 */

export interface UploadProgress {
  /** Bytes the store has acknowledged. Never decreases while an upload runs. */
  committedBytes: number;
  totalBytes: number;
  /** committedBytes / totalBytes, 1 for an empty file once done. */
  fraction: number;
  /** Throughput over the last seconds, bytes per second; 0 until measured. */
  bytesPerSecond: number;
  /** Seconds left at that throughput; undefined until measured. */
  etaSeconds: number | undefined;
  partsDone: number;
  /** Parts in all: exact for a fixed plan; an estimate while adaptive parts are still being sized. */
  partsTotal: number;
  /** Bytes of the parts being sent now: not done, and not counted in `committedBytes` or `fraction`. */
  inFlightBytes: number;
}

/** The speed is measured over this long (or since the run began, if shorter). */
const WINDOW_MS = 20_000;

export class ProgressMeter {
  private committed = 0;
  private parts = 0;
  private partsTotal: number;
  private runStart: number | undefined;
  /** (time, committed bytes) at the run's start and at each commit within the window. */
  private readonly samples: { at: number; bytes: number }[] = [];
  private readonly inFlight = new Map<number, { bytes: number; since: number; area: number }>();
  /** Parts measured: when they finished, bytes, and their time in flight divided by the parts sharing the link. */
  private readonly measured: { at: number; bytes: number; linkMs: number }[] = [];
  /** ∫ parts in flight dt. */
  private area = 0;
  private areaAt = 0;

  constructor(
    private readonly total: number,
    partsTotal: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.partsTotal = partsTotal;
  }

  /**
   * Sets what the store holds as this run begins (after ListParts). The only place the count
   * may go down: when the store lost the upload and it starts over.
   */
  reset(committedBytes: number, partsDone: number): void {
    this.committed = Math.min(this.total, committedBytes);
    this.parts = partsDone;
    this.samples.length = 0;
    this.inFlight.clear();
    this.measured.length = 0;
    this.runStart = this.now();
    this.samples.push({ at: this.runStart, bytes: this.committed });
  }

  /** The expected number of parts (an adaptive plan learns it as it goes). */
  setPartsTotal(n: number): void {
    this.partsTotal = Math.max(n, this.parts);
  }

  private account(t: number): void {
    this.area += this.inFlight.size * (t - this.areaAt);
    this.areaAt = t;
  }

  /** Part `n` (`bytes` long) is being sent. */
  sending(n: number, bytes: number): void {
    const t = this.now();
    this.account(t);
    this.inFlight.set(n, { bytes, since: t, area: this.area });
  }

  /** Part `n` is no longer being sent: `answered` when the store took it (its time then measures the link). */
  settled(n: number, answered = false): void {
    const p = this.inFlight.get(n);
    if (!p) return;
    const t = this.now();
    this.account(t);
    this.inFlight.delete(n);
    const ms = t - p.since;
    if (!answered || ms <= 0) return;
    const sharing = Math.max(1, (this.area - p.area) / ms);
    this.measured.push({ at: t, bytes: p.bytes, linkMs: ms / sharing });
    while (this.measured.length > 1 && this.measured[0]!.at <= t - WINDOW_MS) this.measured.shift();
  }

  /** The link's rate as the parts measured it (bytes/s), undefined before any. */
  private linkRate(): number | undefined {
    let bytes = 0;
    let ms = 0;
    for (const m of this.measured) {
      bytes += m.bytes;
      ms += m.linkMs;
    }
    return ms > 0 ? (bytes / ms) * 1000 : undefined;
  }

  /** Records what the store now holds, counted from the committed parts; never goes backwards. */
  update(committedBytes: number, partsDone: number): void {
    const bytes = Math.min(this.total, committedBytes);
    if (bytes < this.committed) return;
    const at = this.now();
    if (this.runStart === undefined) {
      this.runStart = at;
      this.samples.push({ at, bytes: this.committed });
    }
    this.committed = bytes;
    this.parts = Math.max(this.parts, partsDone);
    this.partsTotal = Math.max(this.partsTotal, this.parts);
    this.samples.push({ at, bytes });
    // Keep one sample at or before the window's start, to draw the line from.
    while (this.samples.length > 2 && this.samples[1]!.at <= at - WINDOW_MS) this.samples.shift();
  }

  /** Committed bytes at time `t`, on the line through the commits. */
  private bytesAt(t: number): number {
    const s = this.samples;
    if (t <= s[0]!.at) return s[0]!.bytes;
    for (let i = 1; i < s.length; i++) {
      const b = s[i]!;
      if (t <= b.at) {
        const a = s[i - 1]!;
        return b.at === a.at ? b.bytes : a.bytes + ((b.bytes - a.bytes) * (t - a.at)) / (b.at - a.at);
      }
    }
    return s[s.length - 1]!.bytes;
  }

  /** What the parts in flight have probably sent since `from`, at `rate` shared among them. */
  private probablySent(t: number, from: number, rate: number): number {
    const share = this.inFlight.size ? rate / this.inFlight.size : 0;
    let sent = 0;
    for (const p of this.inFlight.values()) sent += Math.min(p.bytes * 0.95, (share * (t - Math.max(p.since, from))) / 1000);
    return sent;
  }

  private speed(t: number): number {
    if (this.runStart === undefined || this.samples.length < 2) return 0;
    const from = Math.max(this.runStart, t - WINDOW_MS);
    const span = (t - from) / 1000;
    if (span <= 0) return 0;
    const committed = Math.max(0, this.committed - this.bytesAt(from));
    const link = this.linkRate();
    if (link === undefined) return committed / span;
    return Math.min(link, (committed + this.probablySent(t, from, link)) / span);
  }

  snapshot(): UploadProgress {
    const t = this.now();
    const bytesPerSecond = this.speed(t);
    const remaining = this.total - this.committed;
    let inFlightBytes = 0;
    for (const p of this.inFlight.values()) inFlightBytes += p.bytes;
    const probablySent = this.probablySent(t, -Infinity, bytesPerSecond);
    return {
      committedBytes: this.committed,
      totalBytes: this.total,
      fraction: this.total === 0 ? (this.parts > 0 ? 1 : 0) : this.committed / this.total,
      bytesPerSecond,
      etaSeconds: remaining === 0 ? 0 : bytesPerSecond > 0 ? Math.max(0, remaining - probablySent) / bytesPerSecond : undefined,
      partsDone: this.parts,
      partsTotal: this.partsTotal,
      inFlightBytes: Math.min(inFlightBytes, remaining),
    };
  }
}
