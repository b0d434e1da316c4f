/**
 * One row of the element: a file, the engine's {@link Upload} for it (created when it
 * starts), and what the row shows. The element's states add two to the engine's:
 * `queued` (started, waiting for a free slot) and `interrupted` (an upload of this same
 * file was interrupted earlier, even before a reload, and can be resumed).
 */
import type { ResumeRecord, Upload, UploadError, UploadProgress, UploadResult, UploadState } from '../../core/index.js';
import { displayName } from '../file-sources.js';

export type ItemState = UploadState | 'queued' | 'interrupted';

/** The per-file actions, in the order their buttons appear. */
export type ItemAction = 'cancel' | 'resume' | 'retry' | 'abort' | 'remove';

let counter = 0;

/** States in which requests are (or are about to be) in flight. */
export const ACTIVE_STATES: ReadonlySet<ItemState> = new Set(['queued', 'preparing', 'uploading', 'offline', 'completing', 'verifying', 'aborting']);

export class UploadItem {
  readonly id = `oss-file-${++counter}`;
  readonly name: string;
  state: ItemState = 'idle';
  upload: Upload | undefined;
  /** Whether the upload ran at least once (so `resume()`, not `start()`, goes on with it). */
  started = false;
  progress: UploadProgress;
  error: UploadError | undefined;
  result: UploadResult | undefined;
  /** The record of an earlier, interrupted upload of this file. */
  record: ResumeRecord | undefined;
  /** Bytes the interrupted upload had on the store, when known. */
  recordedBytes = 0;
  /** Set by Resume and Retry, which announce themselves with `oss-resume` rather than `oss-start`. */
  resuming = false;

  constructor(readonly file: File) {
    this.name = displayName(file);
    this.progress = {
      committedBytes: 0, totalBytes: file.size, fraction: 0, bytesPerSecond: 0, etaSeconds: undefined, partsDone: 0, partsTotal: 0, inFlightBytes: 0,
    };
  }

  get key(): string | undefined {
    return this.result?.key ?? this.upload?.key ?? this.record?.key;
  }

  /** The multipart uploadId on the store, if there is one (started here or earlier). */
  get uploadId(): string | undefined {
    return this.upload?.uploadId ?? this.record?.uploadId;
  }

  get active(): boolean {
    return ACTIVE_STATES.has(this.state);
  }

  /** The actions that make sense now. */
  get actions(): ItemAction[] {
    switch (this.state) {
      case 'idle': return ['remove'];
      case 'queued': return ['cancel'];
      case 'interrupted': return ['resume', 'abort', 'remove'];
      case 'preparing':
      case 'uploading': return ['cancel', 'abort'];
      case 'offline': return ['retry', 'cancel', 'abort'];
      case 'cancelled': return this.uploadId ? ['resume', 'abort', 'remove'] : ['resume', 'remove'];
      case 'failed': return this.uploadId ? ['retry', 'abort', 'remove'] : ['retry', 'remove'];
      case 'done':
      case 'aborted': return ['remove'];
      default: return [];
    }
  }

  /**
   * Whether `action` destroys something that cannot be had back, and so asks first: Abort
   * deletes the parts on the store; Remove does too for a cancelled or failed upload that
   * has parts there (see `UploadQueue.abortLeftovers`).
   */
  confirms(action: ItemAction): boolean {
    if (action === 'abort') return true;
    return action === 'remove' && (this.state === 'cancelled' || this.state === 'failed') && Boolean(this.upload?.uploadId);
  }

  /** Can be resumed (Cancel was pressed, or it was interrupted earlier). */
  get resumable(): boolean {
    return this.state === 'cancelled' || this.state === 'interrupted';
  }

  /** Bytes to count as done in the overall progress. */
  get doneBytes(): number {
    if (this.state === 'done') return this.file.size;
    if (this.state === 'interrupted') return this.recordedBytes;
    return this.progress.committedBytes;
  }

  get fraction(): number {
    if (this.state === 'done') return 1;
    if (this.state === 'aborted' || this.state === 'aborting') return 0;
    return this.file.size === 0 ? 0 : Math.min(1, this.doneBytes / this.file.size);
  }
}
