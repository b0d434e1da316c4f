/**
 * `<oss-uploader>`: a thin Lit shell over the framework-free engine in `../../core`. It turns
 * picks, drops (folders too) and pastes into rows, hands them to an {@link UploadQueue}
 * (which runs the engine's uploads), and shows, announces and submits what happens.
 * Importing this module defines nothing; `oss-uploader/define` registers the tag. Its
 * styles are beside it (`oss-uploader.styles.ts`), file intake and the form are controllers.
 */
import { html, nothing, type PropertyValues } from 'lit';
import { property } from 'lit/decorators.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import { repeat } from 'lit/directives/repeat.js';
import {
  ClientErrorCode, isDialectId, UploadError,
  type CredentialsProvider, type ResumeStore, type StoreTarget, type UploadClientOptions, type UploadFile,
  type UploadProgress, type UploadResult, type UploadState,
} from '../../core/index.js';
import { Announcer } from '../announcer.js';
import { FileIntake } from '../file-intake.js';
import { FormController } from '../form-controller.js';
import { registerTranslation } from '../localize.js';
import { OssElement } from '../oss-element.js';
import { closeIcon, folderIcon } from '../icons.js';
import { acceptList, parseSize } from '../restrictions.js';
import { Thumbnails } from '../thumbnails.js';
import { themeStyles } from '../theme.styles.js';
import type { Translation } from '../translation.js';
import { uploaderStyles } from './oss-uploader.styles.js';
import type { ItemAction, ItemState, UploadItem } from './upload-item.js';
import { UploadQueue } from './upload-queue.js';
import { row, STARTS, summary, type RowContext } from './templates.js';

/** What a row looks like from outside (`el.uploads`). */
export interface UploadSnapshot {
  id: string;
  file: File;
  /** The relative path for files from a dropped folder, else the file name. */
  name: string;
  state: ItemState;
  key: string | undefined;
  progress: UploadProgress;
  error: UploadError | undefined;
  result: UploadResult | undefined;
}


const sizeConverter = {
  fromAttribute: (value: string | null) => (value === null ? undefined : parseSize(value)),
  toAttribute: (value: number | undefined) => (value === undefined ? null : String(value)),
};

/** States worth a word in the live region. */
const ANNOUNCED: ReadonlySet<ItemState> = new Set(['uploading', 'offline', 'done', 'failed', 'cancelled', 'aborted', 'interrupted']);

/** The properties that make a new engine client. */
const CONFIG = [
  'tokenUrl', 'endpoint', 'bucket', 'region', 'keyPrefix', 'dialect', 'signatureVersion', 'partSize', 'concurrency', 'onConflict',
  'keyFor', 'credentials', 'resumeStore',
] as const;

/**
 * Uploads files straight from the browser to Alibaba Cloud OSS (multipart, with cancel,
 * resume, abort, STS credentials from your token endpoint, and CRC-64 checks), with a drop
 * zone, a file picker, paste, and dropped folders.
 *
 * ```html
 * <script type="module" src="https://…/oss-uploader/dist/define.js"></script>
 * <oss-uploader token-url="/api/sts-token" multiple></oss-uploader>
 * ```
 *
 * Inside a `<form>` its value is the list of uploaded object keys (one form entry per key
 * under `name`); it is invalid while uploads run, and when `required` with none done.
 *
 * @summary Drop-in uploader for Alibaba Cloud OSS: multipart, cancel, resume, abort, STS.
 * @tagname oss-uploader
 *
 * @attr lang - The language of the texts (`en`, `zh-CN`, or any registered with `registerTranslation`); otherwise the nearest ancestor's, the document's, or the browser's.
 *
 * @fires {CustomEvent<OssFilesAddedDetail>} oss-files-added - Files are about to be added (after the restrictions). Cancelable: `preventDefault()` refuses them.
 * @fires {CustomEvent<OssStartDetail>} oss-start - A file's upload started.
 * @fires {CustomEvent<OssProgressDetail>} oss-progress - Bytes were committed to the store (per part).
 * @fires {CustomEvent<OssSuccessDetail>} oss-success - A file was uploaded: `key`, `location`, `etag`, `crc64`.
 * @fires {CustomEvent<OssErrorDetail>} oss-error - A file's upload failed; `error` is the engine's `UploadError` (`code`, `status`, `requestId`, `message`).
 * @fires {CustomEvent<OssCancelDetail>} oss-cancel - The user cancelled a file's upload (it pauses: it can be resumed).
 * @fires {CustomEvent<OssResumeDetail>} oss-resume - The user resumed a cancelled or interrupted upload, or retried a failed one.
 * @fires {CustomEvent<OssAbortDetail>} oss-abort - A file's multipart upload was aborted on the store (after the user confirmed it).
 * @fires {CustomEvent<OssCompleteDetail>} oss-complete - Every file that was started has settled (done, failed, cancelled or aborted).
 *
 * @csspart base - The wrapper of everything.
 * @csspart drop-zone - The drop zone, which is also the button that opens the file picker.
 * @csspart drop-icon - The icon in the drop zone.
 * @csspart drop-label - The drop zone's main text ("Choose files").
 * @csspart drop-more - The drop zone's second line ("or drop them here…").
 * @csspart hint - The restrictions under the drop zone.
 * @csspart folder-button - The button that opens a folder picker (with `multiple`; also `button`).
 * @csspart messages - The list of messages about files that were not added.
 * @csspart message - One such message.
 * @csspart dismiss-button - A message's Dismiss button (also `button`).
 * @csspart summary - The batch: text, speed and time left, batch buttons, overall progress bar.
 * @csspart summary-text - "2 of 5 files uploaded · 1.2 MB of 3 MB".
 * @csspart summary-speed - The batch's upload speed.
 * @csspart summary-eta - The batch's time left.
 * @csspart overall-progress - The overall progress bar (also has the part `progress`).
 * @csspart start-button - The button that starts the files not started yet (also `button`).
 * @csspart cancel-all-button - Cancel all (also `button`).
 * @csspart resume-all-button - Resume all (also `button`).
 * @csspart list - The list of files.
 * @csspart item - One file's row; also `item-<state>`, e.g. `item-uploading`, `item-failed`.
 * @csspart preview - The row's picture: a thumbnail for images, else a file-type icon.
 * @csspart thumbnail - An image's thumbnail (an `<img>` in `preview`).
 * @csspart name - The file's name (its relative path when it came in a folder).
 * @csspart size - The file's size, or bytes done of it.
 * @csspart progress - A progress bar's track.
 * @csspart progress-fill - A progress bar's filled part.
 * @csspart status - The line with the state, size, speed and time left.
 * @csspart state - The state, icon and text.
 * @csspart state-icon - The state's icon (a shape per state, so the state never rests on colour alone).
 * @csspart speed - The upload speed.
 * @csspart eta - The time left.
 * @csspart actions - The row's buttons.
 * @csspart button - Every button; the row's are also `button-cancel`, `button-resume`, `button-abort`, `button-retry`, `button-remove`, and in a confirmation `button-confirm`, `button-keep`.
 * @csspart confirm - The confirmation an Abort (or a Remove that deletes parts) asks for, inside the row.
 * @csspart confirm-question - Its question.
 * @csspart error - A failed file's error: the message, then the details.
 * @csspart error-text - The message in plain words (one per class of failure).
 * @csspart error-details - The disclosure (`<details>`) with the code, the store's message and the request ID.
 * @csspart error-code - The error code in it.
 * @csspart error-detail - The store's or engine's own message in it.
 * @csspart request-id - The store's request ID in it.
 *
 * @cssproperty [--oss-uploader-color=#1f2328] - Text colour (dark scheme: #e6e8eb).
 * @cssproperty [--oss-uploader-muted-color=#555d66] - Secondary text (dark: #aab1ba).
 * @cssproperty [--oss-uploader-background=#ffffff] - Background (dark: #17191c).
 * @cssproperty [--oss-uploader-surface=#f6f8fa] - Background of rows (dark: #22252a).
 * @cssproperty [--oss-uploader-border-color=#8a929b] - Borders (dark: #7d8590).
 * @cssproperty [--oss-uploader-accent-color=#0b57d0] - Links, bars, primary button (dark: #a8c7fa).
 * @cssproperty [--oss-uploader-on-accent-color=#ffffff] - Text on the accent colour (dark: #062e6f).
 * @cssproperty [--oss-uploader-danger-color=#b3261e] - Errors (dark: #ffb4ab).
 * @cssproperty [--oss-uploader-success-color=#146c2e] - Done (dark: #7fd99a).
 * @cssproperty [--oss-uploader-focus-color=#0b57d0] - The focus ring (dark: #a8c7fa).
 * @cssproperty [--oss-uploader-track-color=#d5dae0] - Progress bar track (dark: #454b53).
 * @cssproperty [--oss-uploader-drop-background=#f6f8fa] - The drop zone (dark: #22252a).
 * @cssproperty [--oss-uploader-drop-active-background=#e3edfd] - The drop zone while files are dragged over it (dark: #1d3357).
 * @cssproperty [--oss-uploader-radius=8px] - Corner radius.
 * @cssproperty [--oss-uploader-spacing=0.75rem] - Spacing.
 * @cssproperty [--oss-uploader-bar-height=0.5rem] - Height of the progress bars.
 * @cssproperty [--oss-uploader-font-family=inherit] - Font.
 * @cssproperty [--oss-uploader-font-size=inherit] - Font size.
 * @cssproperty [--oss-uploader-transition-duration=160ms] - Transitions (none with `prefers-reduced-motion`).
 */
export class OssUploader extends OssElement {
  static formAssociated = true;
  static override shadowRootOptions: ShadowRootInit = { ...OssElement.shadowRootOptions, delegatesFocus: true };
  static override styles = [themeStyles, uploaderStyles];
  /** Adds languages (or replaces strings of the built-in ones); see {@link Translation}. */
  static registerTranslation = registerTranslation;

  /** URL of your token endpoint, which answers STS credentials and where to upload (`GET` → JSON). */
  @property({ attribute: 'token-url' }) tokenUrl = '';
  /** The store's endpoint, e.g. `https://oss-cn-hangzhou.aliyuncs.com`; otherwise from the token endpoint's answer. */
  @property() endpoint = '';
  /** The bucket; otherwise from the token endpoint's answer. */
  @property() bucket = '';
  /** The region, e.g. `cn-hangzhou`; otherwise from the token endpoint's answer. */
  @property() region = '';
  /** Prefix of every object key (must lie within what the credentials allow); otherwise from the token endpoint's answer. */
  @property({ attribute: 'key-prefix' }) keyPrefix = '';
  /** The storage dialect: `oss` (Alibaba Cloud OSS), `obs` (Huawei Cloud OBS) or `s3` (S3-compatible). Default: what the token endpoint says, else `oss`. */
  @property() dialect = '';
  /** OSS signature version: `v4` (default) or `v1`. */
  @property({ attribute: 'signature-version' }) signatureVersion: 'v4' | 'v1' | string = 'v4';
  /** The largest part in bytes (`8MiB`, `5MB` and `104857600` all work); parts start small and grow with the link. Default 8 MiB. */
  @property({ attribute: 'part-size', converter: sizeConverter }) partSize: number | undefined = undefined;
  /** The most parts in flight, for all files together (fewer while the store throttles). Default 4. */
  @property({ type: Number }) concurrency: number | undefined = undefined;
  /** When a key already names an object: `rename` (default, `photo (1).jpg`), `fail`, or `overwrite`. Keys from your own `keyFor` are never renamed. */
  @property({ attribute: 'on-conflict' }) onConflict: 'rename' | 'fail' | 'overwrite' | string = 'rename';
  /** Accepted types, as on `<input type=file>`: `.pdf,image/*`. Empty for any. */
  @property() accept = '';
  /** Largest file accepted, in bytes (`10MB`, `1GiB` work too). No limit when unset. */
  @property({ attribute: 'max-file-size', converter: sizeConverter }) maxFileSize: number | undefined = undefined;
  /** Most files in the list at once. No limit when unset (1 without `multiple`). */
  @property({ attribute: 'max-files', type: Number }) maxFiles: number | undefined = undefined;
  /** Allows more than one file. */
  @property({ type: Boolean, reflect: true }) multiple = false;
  /** Starts uploading as soon as files are added (otherwise an Upload button starts them). */
  @property({ attribute: 'auto-start', type: Boolean, reflect: true }) autoStart = false;
  /** Where else a paste adds files: `document` (anywhere on the page but in text fields), or the id of an element. Pastes on the element itself always do. */
  @property({ attribute: 'paste-target' }) pasteTarget = '';
  /** The form field name: the form data gets one entry per uploaded object key under it. */
  @property({ reflect: true }) name = '';
  /** In a form, at least one file must be uploaded. */
  @property({ type: Boolean, reflect: true }) required = false;
  /** Refuses new files and starts (running uploads can still be cancelled). */
  @property({ type: Boolean, reflect: true }) disabled = false;
  /** Names each object key exactly (default: key prefix + the file's relative path or name, numbered when taken). Property only. */
  @property({ attribute: false }) keyFor: ((file: UploadFile, target: StoreTarget) => string) | undefined = undefined;
  /** A credentials source of your own, instead of `token-url`. Property only; never rendered or put in events. */
  @property({ attribute: false }) credentials: CredentialsProvider | undefined = undefined;
  /** Where records of interrupted uploads are kept (default IndexedDB). Property only. */
  @property({ attribute: false }) resumeStore: ResumeStore | undefined = undefined;

  private readonly announcer = new Announcer(this);
  private readonly queue = new UploadQueue(this, {
    clientOptions: () => this.clientOptions(),
    stateChanged: (item, state) => {
      if (!ANNOUNCED.has(state)) return;
      const t = this.t;
      this.announcer.announce(t.announceState(item.name, t.state[state]));
    },
  });
  private readonly formControl = new FormController(this, () => this.formState());
  private readonly intake = new FileIntake(this, this.localize, {
    listed: () => this.queue.counted.map((i) => i.file),
    enabled: () => !this.isDisabled,
    add: (files) => this.queue.add(files, this.autoStart).then(() => undefined),
    announce: (m) => this.announcer.announce(m),
  });
  /** Where focus goes after the next render: a row (its `selector`, else its first button), or the drop zone. */
  private pendingFocus: { item: string; selector?: string } | undefined;
  /** Rows asking to confirm a destructive action. */
  private readonly confirming = new Map<string, 'abort' | 'remove'>();
  private readonly thumbnails = new Thumbnails(this);
  /** The row control that had focus before a render, to recover focus if it disappears. */
  private focusWatch: { el: HTMLElement; item: string } | undefined;

  // ---- public API -------------------------------------------------------------------

  /** The keys of the uploaded objects, in list order (the form value). */
  get value(): string[] {
    return this.queue.keys;
  }

  /** A snapshot of every row. */
  get uploads(): UploadSnapshot[] {
    return this.queue.items.map((i) => ({
      id: i.id, file: i.file, name: i.name, state: i.state, key: i.key, progress: i.progress, error: i.error, result: i.result,
    }));
  }

  get form(): HTMLFormElement | null { return this.formControl.internals.form; }
  get validity(): ValidityState { return this.formControl.internals.validity; }
  get validationMessage(): string { return this.formControl.internals.validationMessage; }
  get willValidate(): boolean { return this.formControl.internals.willValidate; }
  checkValidity(): boolean { return this.formControl.internals.checkValidity(); }
  reportValidity(): boolean { return this.formControl.internals.reportValidity(); }

  /**
   * Adds files as if the user had picked them: restrictions apply, `oss-files-added` is
   * fired, and they start at once with `auto-start`.
   */
  addFiles(files: Iterable<File> | ArrayLike<File>): Promise<void> {
    return this.intake.add(Array.from(files as ArrayLike<File>));
  }

  /** Starts every file that has not been started yet. */
  start(): void {
    if (!this.isDisabled) this.queue.start(this.queue.items.filter((i) => i.state === 'idle'));
  }

  /** Empties the list; uploads still open on the store (running, cancelled, failed) are aborted so none is left behind. */
  clear(): void {
    this.queue.clear();
    this.intake.clearMessages();
  }

  // ---- form-associated callbacks ------------------------------------------------------

  formResetCallback(): void {
    this.clear();
  }

  formDisabledCallback(disabled: boolean): void {
    this.formControl.setFieldsetDisabled(disabled);
  }

  // ---- lifecycle --------------------------------------------------------------------

  protected override willUpdate(changed: PropertyValues<this>): void {
    // Frameworks set properties, not attributes: accept `'8MiB'` or `'4'` there too.
    if (typeof this.partSize === 'string') this.partSize = parseSize(this.partSize);
    if (typeof this.maxFileSize === 'string') this.maxFileSize = parseSize(this.maxFileSize);
    if (typeof this.concurrency === 'string') this.concurrency = Number(this.concurrency);
    if (typeof this.maxFiles === 'string') this.maxFiles = Number(this.maxFiles);
    if (CONFIG.some((k) => changed.has(k))) this.queue.reconfigure();
    const active = this.shadowRoot?.activeElement;
    this.focusWatch = active instanceof HTMLElement && active.dataset['item'] ? { el: active, item: active.dataset['item'] } : undefined;
  }

  protected override updated(): void {
    this.thumbnails.keepOnly(new Set(this.queue.items.map((i) => i.file)));
    this.restoreFocus();
  }

  // ---- configuration ----------------------------------------------------------------

  private get isDisabled(): boolean {
    return this.formControl.disabled;
  }

  private clientOptions(): UploadClientOptions {
    const dialect = this.dialect ? this.dialect.toLowerCase() : undefined;
    if (dialect !== undefined && !isDialectId(dialect)) {
      throw new UploadError(ClientErrorCode.InvalidInput, `Unknown dialect "${this.dialect}": use "oss", "obs" or "s3".`);
    }
    const version = (this.signatureVersion || 'v4').toLowerCase();
    if (version !== 'v4' && version !== 'v1') {
      throw new UploadError(ClientErrorCode.InvalidInput, `Unknown signature-version "${this.signatureVersion}": use "v4" or "v1".`);
    }
    const onConflict = this.onConflict || 'rename';
    if (onConflict !== 'rename' && onConflict !== 'fail' && onConflict !== 'overwrite') {
      throw new UploadError(ClientErrorCode.InvalidInput, `Unknown on-conflict "${this.onConflict}": use "rename", "fail" or "overwrite".`);
    }
    return {
      tokenUrl: this.tokenUrl || undefined,
      credentials: this.credentials,
      onConflict,
      dialect,
      dialectOptions: { signatureVersion: version },
      target: { endpoint: this.endpoint, bucket: this.bucket, region: this.region, keyPrefix: this.keyPrefix || undefined },
      partSize: Number.isFinite(this.partSize) && this.partSize! > 0 ? this.partSize : undefined,
      concurrency: Number.isFinite(this.concurrency) && this.concurrency! > 0 ? this.concurrency : undefined,
      resumeStore: this.resumeStore,
      keyFor: this.keyFor,
    };
  }

  private formState() {
    const t = this.t;
    const values = this.value;
    const anchor = this.dropZone ?? undefined;
    if (this.queue.running) return { values, anchor, invalid: { flag: 'customError' as const, message: t.validationRunning } };
    if (this.required && values.length === 0) return { values, anchor, invalid: { flag: 'valueMissing' as const, message: t.validationRequired } };
    return { values, anchor, invalid: undefined };
  }

  // ---- row actions ------------------------------------------------------------------

  /** A button was pressed: destructive actions ask first (inside the row), the rest run. */
  private request(item: UploadItem, action: ItemAction): void {
    if (this.isDisabled && STARTS.has(action)) return;
    if (item.confirms(action)) {
      this.confirming.set(item.id, action as 'abort' | 'remove');
      this.pendingFocus = { item: item.id, selector: '[part~="button-keep"]' };
      this.requestUpdate();
      return;
    }
    this.act(item, action);
  }

  /** The answer to a confirmation: `yes` runs the action, else focus goes back to its button. */
  private answer(item: UploadItem, yes: boolean): void {
    const action = this.confirming.get(item.id);
    this.confirming.delete(item.id);
    if (!action) return;
    if (yes) {
      this.pendingFocus = { item: item.id };
      this.act(item, action);
    } else {
      this.pendingFocus = { item: item.id, selector: `[part~="button-${action}"]` };
    }
    this.requestUpdate();
  }

  private act(item: UploadItem, action: ItemAction): void {
    // Disabled refuses starts; Cancel, Abort and Remove stay available.
    if (this.isDisabled && STARTS.has(action)) return;
    if (action === 'remove') {
      const items = this.queue.items;
      const index = items.indexOf(item);
      const next = items[index + 1] ?? items[index - 1];
      this.pendingFocus = next ? { item: next.id } : { item: 'drop-zone' };
      this.announcer.announce(this.t.removed(item.name));
    }
    this.queue.act(item, action);
  }

  private cancelAll(): void {
    this.queue.cancelAll();
  }

  private resumeAll(): void {
    if (!this.isDisabled) this.queue.resumeAll();
  }

  // ---- the page's events ------------------------------------------------------------

  private get input(): HTMLInputElement | null {
    return this.renderRoot.querySelector('.files-input');
  }

  private get dropZone(): HTMLButtonElement | null {
    return this.renderRoot.querySelector('.drop-zone');
  }

  private openPicker(): void {
    if (!this.isDisabled) this.input?.click();
  }

  /**
   * Keeps keyboard users in place: when the focused row button disappears (Cancel became
   * Resume, the upload finished), focus goes to the row's first button (or its name); when
   * the row itself is removed, to the next row, else the drop zone.
   */
  private restoreFocus(): void {
    const root = this.renderRoot as ShadowRoot;
    const watch = this.focusWatch;
    this.focusWatch = undefined;
    let target = this.pendingFocus;
    this.pendingFocus = undefined;
    const active = root.activeElement as HTMLButtonElement | null;
    const lost = !active || !active.isConnected || active.disabled;
    if (!target && watch && (!watch.el.isConnected || (watch.el as HTMLButtonElement).disabled)) target = { item: watch.item };
    if (!target || (!target.selector && !lost)) return;
    const row = target.item === 'drop-zone' ? null : root.querySelector(`[data-row="${target.item}"]`);
    const next = (target.selector ? row?.querySelector<HTMLElement>(target.selector) : undefined)
      ?? row?.querySelector<HTMLElement>('.actions button') ?? row?.querySelector<HTMLElement>('.name') ?? this.dropZone;
    next?.focus();
  }

  // ---- rendering --------------------------------------------------------------------

  protected override render() {
    const t = this.t;
    const disabled = this.isDisabled;
    const hint = this.hint(t);
    const intake = this.intake;
    const items = this.queue.items;
    return html`
      <div
        part="base"
        class="base"
        dir=${this.direction}
        @dragenter=${(e: DragEvent) => intake.onDragOver(e)}
        @dragover=${(e: DragEvent) => intake.onDragOver(e)}
        @dragleave=${(e: DragEvent) => intake.onDragLeave(e)}
        @drop=${(e: DragEvent) => intake.onDrop(e)}
      >
        <button
          type="button"
          part="drop-zone"
          class="drop-zone ${intake.dragging ? 'dragging' : ''}"
          aria-describedby=${ifDefined(hint ? 'hint' : undefined)}
          ?disabled=${disabled}
          @click=${this.openPicker}
        >
          <svg part="drop-icon" class="drop-icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
            <path fill="currentColor" d="M11 16V7.85l-2.6 2.6L7 9l5-5 5 5-1.4 1.45-2.6-2.6V16h-2Zm-5 4q-.82 0-1.41-.59T4 18v-3h2v3h12v-3h2v3q0 .82-.59 1.41T18 20H6Z" />
          </svg>
          <span part="drop-label" class="drop-label">${t.chooseFiles(this.multiple)}</span>
          <span part="drop-more" class="drop-more">${t.dropOrPaste(this.multiple)}</span>
        </button>
        ${hint || this.multiple
          ? html`<div class="under-drop">
              ${hint ? html`<p part="hint" class="hint" id="hint">${hint}</p>` : nothing}
              ${this.multiple
                ? html`<button type="button" part="button folder-button" class="folder-button" ?disabled=${disabled}
                    @click=${this.openFolderPicker}>${folderIcon}<span>${t.chooseFolder}</span></button>`
                : nothing}
            </div>`
          : nothing}
        <input
          type="file"
          class="files-input"
          hidden
          tabindex="-1"
          ?multiple=${this.multiple}
          accept=${ifDefined(this.accept || undefined)}
          ?disabled=${disabled}
          @change=${(e: Event) => intake.onInputChange(e)}
        />
        ${this.multiple
          ? html`<input type="file" class="folder-input" hidden tabindex="-1" multiple webkitdirectory ?disabled=${disabled}
              @change=${(e: Event) => intake.onInputChange(e)} />`
          : nothing}
        ${intake.messages.length > 0
          ? html`<ul part="messages" class="messages" aria-label=${t.messages}>
              ${repeat(intake.messages, (m) => m.id, (m) => html`<li part="message" class="message">
                <span class="message-text" id="message-${m.id}">${m.text(this.localize)}</span>
                <button type="button" part="button dismiss-button" class="dismiss" aria-label=${t.dismiss} aria-describedby="message-${m.id}"
                  @click=${() => this.dismiss(m.id)}>${closeIcon}</button>
              </li>`)}
            </ul>`
          : nothing}
        ${items.length > 0 ? summary(this.queue, this.rowContext(), this.autoStart, {
          start: () => this.start(), cancelAll: () => this.cancelAll(), resumeAll: () => this.resumeAll(),
        }) : nothing}
        ${items.length > 0
          ? html`<ul part="list" class="list" aria-label=${t.fileList}>
              ${repeat(items, (i) => i.id, (i) => row(i, this.rowContext(i)))}
            </ul>`
          : nothing}
        <div class="visually-hidden" role="status" aria-live="polite" aria-atomic="true">${this.announcer.text}</div>
      </div>
    `;
  }

  private openFolderPicker(): void {
    if (!this.isDisabled) this.renderRoot.querySelector<HTMLInputElement>('.folder-input')?.click();
  }

  private dismiss(id: number): void {
    const list = [...this.renderRoot.querySelectorAll<HTMLElement>('[part~="dismiss-button"]')];
    const index = this.intake.messages.findIndex((m) => m.id === id);
    this.intake.dismiss(id);
    // Focus goes to the next message's button, else the drop zone.
    void this.updateComplete.then(() => {
      const next = list[index + 1] ?? list[index - 1];
      (next?.isConnected ? next : this.dropZone)?.focus();
    });
  }

  /** What a row's template needs from the element; a confirmation that no longer applies is dropped here. */
  private rowContext(item?: UploadItem): RowContext {
    let confirming = item ? this.confirming.get(item.id) : undefined;
    if (item && confirming && !item.actions.includes(confirming)) {
      // The row moved on (it finished, say) while asking: the question no longer stands.
      this.confirming.delete(item.id);
      confirming = undefined;
    }
    return {
      localize: this.localize,
      disabled: this.isDisabled,
      confirming,
      thumbnail: item ? this.thumbnails.urlFor(item.file) : undefined,
      request: (i, action) => this.request(i, action),
      answer: (i, yes) => this.answer(i, yes),
    };
  }

  private hint(t: Translation): string {
    const l = this.localize;
    const parts: string[] = [];
    const types = acceptList(this.accept);
    if (types.length) parts.push(t.hintAccept(l.list(types)));
    if (this.maxFileSize && this.maxFileSize > 0) parts.push(t.hintMaxSize(l.bytes(this.maxFileSize)));
    if (this.multiple && this.maxFiles && this.maxFiles > 0) parts.push(t.hintMaxFiles(this.maxFiles));
    return parts.join(' · ');
  }
}

export type { ItemState, UploadState };
