/**
 * The rows of `<oss-uploader>` and what runs them, as a reactive controller: the engine
 * client (made from the host's configuration on first use, replaced when it changes), a
 * queue that runs {@link FILES_AT_ONCE} files at a time, the per-file actions, and the
 * `oss-*` events about uploads. No DOM: the element renders and handles input.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import {
  AbortRefused, ClientErrorCode, UploadClient, UploadError, type Upload, type UploadClientOptions,
} from '../../core/index.js';
import { emit, successDetail, type OssFileDetail } from '../events.js';
import { UploadItem, type ItemAction, type ItemState } from './upload-item.js';

/** Files uploading at the same time; the others wait in the queue. */
export const FILES_AT_ONCE = 3;

/** What the queue asks of the element. */
export interface UploadQueueHooks {
  /** The engine options for the element's current configuration; throws an `UploadError` when it is wrong. */
  clientOptions(): UploadClientOptions;
  /** A row changed state (to announce it). */
  stateChanged(item: UploadItem, state: ItemState): void;
}

export class UploadQueue implements ReactiveController {
  /** The rows, in list order. */
  items: UploadItem[] = [];
  private client: UploadClient | undefined;
  private readonly retired = new Set<UploadClient>();
  /** The files started since the list last settled; `oss-complete` reports on them. */
  private readonly batch = new Set<UploadItem>();

  /** Events are dispatched on `host`. */
  constructor(private readonly host: ReactiveControllerHost & EventTarget, private readonly hooks: UploadQueueHooks) {
    host.addController(this);
  }

  hostConnected(): void {
    // Aborts owed from an earlier visit (a page closed mid-abort) are finished on load, not
    // only once a file is picked: the person who pressed Abort may never pick one again.
    this.host.updateComplete.then(() => {
      if (!(this.host as unknown as Element).isConnected) return;
      try {
        this.getClient();
      } catch {
        // Not configured yet: the first pick makes the client, and finishes them then.
      }
    }, () => undefined);
  }

  hostDisconnected(): void {
    // Hash workers start again on demand; running uploads keep theirs.
    if (!this.items.some((i) => i.active)) {
      this.client?.dispose();
      this.disposeRetired();
    }
  }

  /** The configuration changed: new uploads get a new client (running ones keep theirs). */
  reconfigure(): void {
    if (this.client) this.retired.add(this.client);
    this.client = undefined;
  }

  /** The engine client for the current configuration (made on first use). */
  getClient(): UploadClient {
    if (!this.client) {
      this.client = new UploadClient(this.hooks.clientOptions());
      // Aborts that could not reach the store on an earlier visit.
      this.client.finishPendingAborts().catch(() => undefined);
    }
    return this.client;
  }

  /** The rows that count towards limits and totals (aborted ones do not). */
  get counted(): UploadItem[] {
    return this.items.filter((i) => i.state !== 'aborted');
  }

  /** Keys of the uploaded objects, in list order. */
  get keys(): string[] {
    return this.items.filter((i) => i.state === 'done' && i.result).map((i) => i.result!.key);
  }

  get running(): boolean {
    return this.items.some((i) => i.active);
  }

  /**
   * The batch as a whole: bytes per second over the files uploading now, and the time the
   * files still to send (running, waiting) would take at that speed.
   */
  rate(): { bytesPerSecond: number; etaSeconds: number | undefined } {
    const bytesPerSecond = this.items.filter((i) => i.state === 'uploading').reduce((n, i) => n + i.progress.bytesPerSecond, 0);
    const left = this.items.filter((i) => i.active && i.state !== 'aborting').reduce((n, i) => n + Math.max(0, i.file.size - i.doneBytes), 0);
    return { bytesPerSecond, etaSeconds: bytesPerSecond > 0 ? left / bytesPerSecond : undefined };
  }

  /** Cancels every running or waiting upload (each stays resumable). */
  cancelAll(): void {
    for (const item of this.items) if (item.actions.includes('cancel')) void this.cancel(item);
  }

  /** Resumes every cancelled or interrupted upload. */
  resumeAll(): void {
    for (const item of this.items) if (item.resumable) this.resume(item, false);
  }

  overall(): { committedBytes: number; totalBytes: number; fraction: number } {
    const counted = this.counted;
    const totalBytes = counted.reduce((n, i) => n + i.file.size, 0);
    const committedBytes = counted.reduce((n, i) => n + i.doneBytes, 0);
    const allDone = counted.length > 0 && counted.every((i) => i.state === 'done');
    return { committedBytes, totalBytes, fraction: totalBytes === 0 ? (allDone ? 1 : 0) : committedBytes / totalBytes };
  }

  /** Adds rows for `files`, and marks those that match an interrupted upload. */
  async add(files: File[], autoStart: boolean): Promise<UploadItem[]> {
    const added = files.map((f) => new UploadItem(f));
    this.items = [...this.items, ...added];
    this.host.requestUpdate();
    await this.findInterrupted(added);
    if (autoStart) this.start(added.filter((i) => i.state === 'idle'));
    return added;
  }

  /** Queues `items` and starts as many as may run. */
  start(items: UploadItem[]): void {
    for (const item of items) {
      item.error = undefined;
      this.setState(item, 'queued');
    }
    this.pump();
  }

  /** Runs a row's action (the buttons). */
  act(item: UploadItem, action: ItemAction): void {
    switch (action) {
      case 'cancel': return void this.cancel(item);
      case 'resume':
      case 'retry':
        // Waiting for the network: Retry tries the network now (the upload is still running).
        if (item.state === 'offline') return void item.upload?.resume().catch(() => undefined);
        return this.resume(item, action === 'retry');
      case 'abort': return void this.abort(item);
      case 'remove': return this.remove(item);
    }
  }

  /** Empties the list; uploads still open on the store (running, cancelled, failed) are aborted. */
  clear(): void {
    for (const item of this.items) this.abortLeftovers(item, true);
    this.items = [];
    // The cleared batch still gets its oss-complete: a page waiting for it must not wait forever.
    this.completeBatch();
    this.host.requestUpdate();
  }

  // ---- running ----------------------------------------------------------------------

  /** Marks the files that match an upload interrupted earlier (this page or before a reload). */
  private async findInterrupted(items: UploadItem[]): Promise<void> {
    if (items.length === 0) return;
    let client: UploadClient;
    try {
      client = this.getClient();
    } catch {
      return; // a configuration error: starting will report it
    }
    // findResumable answers at once for files small enough for one PutObject.
    await Promise.all(items.map(async (item) => {
      const record = await client.findResumable(item.file).catch(() => undefined);
      if (!record || item.state !== 'idle' || !this.items.includes(item)) return;
      item.record = record;
      this.setState(item, 'interrupted');
      this.host.requestUpdate();
      try {
        item.recordedBytes = await client.storedBytes(record);
        this.host.requestUpdate();
      } catch {
        // unknown: the row just says it was interrupted
      }
    }));
  }

  /** Starts queued files while fewer than {@link FILES_AT_ONCE} run. */
  private pump(): void {
    let running = this.items.filter((i) => i.active && i.state !== 'queued').length;
    for (const item of this.items) {
      if (running >= FILES_AT_ONCE) break;
      if (item.state === 'queued') {
        running++;
        this.run(item);
      }
    }
    this.host.requestUpdate();
  }

  private run(item: UploadItem): void {
    this.batch.add(item);
    let upload = item.upload;
    if (!upload) {
      try {
        upload = this.getClient().createUpload(item.file);
      } catch (e) {
        this.fail(item, e instanceof UploadError ? e : new UploadError(ClientErrorCode.InvalidInput, String(e)));
        this.settled();
        return;
      }
      item.upload = upload;
      this.attach(item, upload);
    }
    const fresh = upload.state === 'idle';
    const running = fresh ? upload.start() : upload.resume();
    if (fresh && !item.resuming) emit(this.host, 'oss-start', detail(item));
    item.resuming = false;
    item.started = true;
    running.catch(() => undefined).finally(() => this.settled());
  }

  private attach(item: UploadItem, upload: Upload): void {
    upload.addEventListener('statechange', (e) => {
      this.setState(item, e.state);
      this.host.requestUpdate();
    });
    upload.addEventListener('progress', (e) => {
      item.progress = e.progress;
      emit(this.host, 'oss-progress', { ...detail(item), progress: e.progress, overall: this.overall() });
      this.host.requestUpdate();
    });
    upload.addEventListener('success', (e) => {
      item.result = e.result;
      item.record = undefined;
      emit(this.host, 'oss-success', successDetail(detail(item), e.result));
    });
    upload.addEventListener('error', (e) => this.fail(item, e.error));
  }

  private fail(item: UploadItem, error: UploadError): void {
    item.error = error;
    this.setState(item, 'failed');
    emit(this.host, 'oss-error', { ...detail(item), error });
    this.host.requestUpdate();
  }

  /** After any upload settles: fill free slots, and tell when every started file has settled. */
  private settled(): void {
    this.pump();
    if (!this.running) this.completeBatch();
    this.host.requestUpdate();
  }

  /** Emits oss-complete for the files started since the last one; rows not finished count as stopped. */
  private completeBatch(): void {
    if (this.batch.size === 0) return;
    const done = [...this.batch];
    this.batch.clear();
    emit(this.host, 'oss-complete', {
      successful: done.filter((i) => i.state === 'done' && i.result).map((i) => successDetail(detail(i), i.result!)),
      failed: done.filter((i) => i.state === 'failed' && i.error).map((i) => ({ ...detail(i), error: i.error! })),
      stopped: done.filter((i) => !(i.state === 'done' && i.result) && !(i.state === 'failed' && i.error)).map((i) => detail(i)),
    });
    this.disposeRetired();
  }

  private setState(item: UploadItem, state: ItemState): void {
    if (item.state === state) return;
    item.state = state;
    // A row already removed (Remove, clear, form reset) is not announced any more.
    if (this.items.includes(item)) this.hooks.stateChanged(item, state);
  }

  private disposeRetired(): void {
    if (this.running) return;
    for (const c of this.retired) c.dispose();
    this.retired.clear();
  }

  // ---- actions ----------------------------------------------------------------------

  private async cancel(item: UploadItem): Promise<void> {
    emit(this.host, 'oss-cancel', detail(item));
    if (item.state === 'queued') {
      // Never sent anything: it waits for Resume.
      this.setState(item, 'cancelled');
      this.settled();
      return;
    }
    await item.upload?.cancel();
    this.host.requestUpdate();
  }

  private resume(item: UploadItem, retry: boolean): void {
    emit(this.host, 'oss-resume', { ...detail(item), retry });
    // A failure that left nothing on the store starts over with the current configuration.
    if (retry && item.upload && !item.uploadId) item.upload = undefined;
    item.resuming = true;
    this.start([item]);
  }

  private async abort(item: UploadItem): Promise<void> {
    let confirmed = true;
    if (item.upload && item.upload.state !== 'idle') {
      const outcome = await item.upload.abort();
      // Refused by the store (the engine failed the upload, which the row now shows), or the
      // object landed before the abort could stop it (the row shows it uploaded): no abort happened.
      if (outcome.error || outcome.objectExists) return this.settled();
      confirmed = outcome.confirmed;
    } else if (item.record) {
      // Interrupted earlier: this page never ran it, so abort it by its record.
      const record = item.record;
      this.setState(item, 'aborting');
      this.host.requestUpdate();
      try {
        const client = this.getClient();
        confirmed = await client.discard(record);
        item.record = undefined;
      } catch (e) {
        if (e instanceof AbortRefused) {
          // Still on the store, still resumable: say so, and keep the record.
          item.error = e;
          this.setState(item, 'interrupted');
          emit(this.host, 'oss-error', { ...detail(item), error: e });
          return this.settled();
        }
        confirmed = false;
      }
      this.setState(item, 'aborted');
    } else {
      this.setState(item, 'aborted');
    }
    emit(this.host, 'oss-abort', { ...detail(item), confirmed });
    this.settled();
  }

  private remove(item: UploadItem): void {
    if (!this.items.includes(item)) return;
    this.abortLeftovers(item, false);
    this.items = this.items.filter((i) => i !== item);
    this.batch.delete(item);
    this.settled();
  }

  /**
   * Aborts, in the background, what `item` keeps open on the store: a cancelled or failed
   * multipart upload (nobody can resume a row that is gone), and with `running` a live one.
   * An upload interrupted on an earlier visit is left alone: picking the file again resumes it.
   */
  private abortLeftovers(item: UploadItem, running: boolean): void {
    if (!item.upload) return;
    const stopped = (item.state === 'cancelled' || item.state === 'failed') && item.uploadId;
    if (stopped || (running && item.active)) item.upload.abort().catch(() => undefined);
  }
}

function detail(item: UploadItem): OssFileDetail {
  return { id: item.id, file: item.file, key: item.key };
}
