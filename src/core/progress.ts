/**
 * Honest progress: bytes committed by finished parts (never going backwards), the speed
 * over the last {@link WINDOW_MS} up to now (never a burst: parts finishing together do not
 * make a rate, time does), and the time left at that speed.
 *
 * fetch reports nothing while a part is sent, so committed bytes move in steps; the speed
 * treats them as a line through the steps, measured from the start of this run at the
 * earliest. The time left counts what the parts in flight have probably sent already (their
 * share of the speed for as long as they have been in flight), so it does not run late by
 * half a part; those bytes are never counted as done.
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
  private readonly inFlight = new Map<number, { bytes: number; since: number }>();

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
    this.runStart = this.now();
    this.samples.push({ at: this.runStart, bytes: this.committed });
  }

  /** The expected number of parts (an adaptive plan learns it as it goes). */
  setPartsTotal(n: number): void {
    this.partsTotal = Math.max(n, this.parts);
  }

  /** Part `n` (`bytes` long) is being sent. */
  sending(n: number, bytes: number): void {
    this.inFlight.set(n, { bytes, since: this.now() });
  }

  /** Part `n` is no longer being sent (committed, failed or cancelled). */
  settled(n: number): void {
    this.inFlight.delete(n);
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

  private speed(t: number): number {
    if (this.runStart === undefined || this.samples.length < 2) return 0;
    const from = Math.max(this.runStart, t - WINDOW_MS);
    const span = (t - from) / 1000;
    if (span <= 0) return 0;
    return Math.max(0, (this.committed - this.bytesAt(from)) / span);
  }

  snapshot(): UploadProgress {
    const t = this.now();
    const bytesPerSecond = this.speed(t);
    const remaining = this.total - this.committed;
    let inFlightBytes = 0;
    let probablySent = 0;
    const share = this.inFlight.size ? bytesPerSecond / this.inFlight.size : 0;
    for (const p of this.inFlight.values()) {
      inFlightBytes += p.bytes;
      probablySent += Math.min(p.bytes * 0.95, (share * (t - p.since)) / 1000);
    }
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
