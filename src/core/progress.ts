/**
 * Honest progress: bytes committed by finished parts (never going backwards), speed over a
 * sliding window of recent commits, and the time left at that speed.
 */

export interface UploadProgress {
  /** Bytes the store has acknowledged. Never decreases while an upload runs. */
  committedBytes: number;
  totalBytes: number;
  /** committedBytes / totalBytes, 1 for an empty file once done. */
  fraction: number;
  /** Recent throughput, bytes per second; 0 until measured. */
  bytesPerSecond: number;
  /** Seconds left at the recent throughput; undefined until measured. */
  etaSeconds: number | undefined;
  partsDone: number;
  partsTotal: number;
}

const WINDOW_MS = 10_000;

export class ProgressMeter {
  private committed = 0;
  private parts = 0;
  private readonly samples: { at: number; bytes: number }[] = [];

  constructor(
    private readonly total: number,
    private readonly partsTotal: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /**
   * Sets what the store holds as this run begins (after ListParts). The only place the count
   * may go down: when the store lost the upload and it starts over.
   */
  reset(committedBytes: number, partsDone: number): void {
    this.committed = Math.min(this.total, committedBytes);
    this.parts = partsDone;
    this.samples.length = 0;
    this.samples.push({ at: this.now(), bytes: this.committed });
  }

  /** Records what the store now holds, counted from the committed parts; never goes backwards. */
  update(committedBytes: number, partsDone: number): void {
    const bytes = Math.min(this.total, committedBytes);
    if (bytes < this.committed) return;
    const at = this.now();
    if (this.samples.length === 0) this.samples.push({ at, bytes: this.committed });
    this.committed = bytes;
    this.parts = Math.max(this.parts, Math.min(partsDone, this.partsTotal));
    this.samples.push({ at, bytes });
    while (this.samples.length > 2 && at - this.samples[0]!.at > WINDOW_MS) this.samples.shift();
  }

  snapshot(): UploadProgress {
    const first = this.samples[0];
    const last = this.samples[this.samples.length - 1];
    const elapsed = first && last ? (last.at - first.at) / 1000 : 0;
    const bytesPerSecond = elapsed > 0 ? (last!.bytes - first!.bytes) / elapsed : 0;
    const remaining = this.total - this.committed;
    return {
      committedBytes: this.committed,
      totalBytes: this.total,
      fraction: this.total === 0 ? (this.parts > 0 ? 1 : 0) : this.committed / this.total,
      bytesPerSecond,
      etaSeconds: bytesPerSecond > 0 ? remaining / bytesPerSecond : remaining === 0 ? 0 : undefined,
      partsDone: this.parts,
      partsTotal: this.partsTotal,
    };
  }
}
