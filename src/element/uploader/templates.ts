/**
 * The templates of `<oss-uploader>`'s list: one file's row (preview, name, bar, status,
 * buttons or the confirmation that replaces them, the error) and the batch line. Plain
 * functions of their data; the element owns state, focus and the actions.
 */
import { html, nothing } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import type { UploadError } from '../../core/index.js';
import { cssVar } from '../css-var.js';
import { errorClass } from '../error-class.js';
import { deleteIcon, fileIcon, fileKind, stateIcon } from '../icons.js';
import type { LocalizeController } from '../localize.js';
import type { Translation } from '../translation.js';
import type { ItemAction, UploadItem } from './upload-item.js';
import type { UploadQueue } from './upload-queue.js';

/** Row actions that start transfers: refused while the element is disabled. */
export const STARTS: ReadonlySet<ItemAction> = new Set(['resume', 'retry']);

/** What a row's template needs from the element. */
export interface RowContext {
  localize: LocalizeController;
  disabled: boolean;
  /** The destructive action this row asks to confirm, if any. */
  confirming: 'abort' | 'remove' | undefined;
  /** The image thumbnail's URL, when there is one. */
  thumbnail: string | undefined;
  request(item: UploadItem, action: ItemAction): void;
  answer(item: UploadItem, yes: boolean): void;
}

/** The batch line: counts and bytes, speed and time left, the batch buttons, the overall bar. */
export function summary(queue: UploadQueue, ctx: RowContext, autoStart: boolean, on: { start(): void; cancelAll(): void; resumeAll(): void }) {
  const l = ctx.localize;
  const t = l.t;
  const disabled = ctx.disabled;
  const items = queue.items;
  const idle = items.filter((i) => i.state === 'idle');
  const counted = queue.counted;
  const aborted = items.length - counted.length;
  const done = counted.filter((i) => i.state === 'done').length;
  const o = queue.overall();
  const bytes = t.bytesOf(l.bytes(o.committedBytes), l.bytes(o.totalBytes));
  const { bytesPerSecond, etaSeconds } = queue.rate();
  const running = queue.running;
  const cancellable = items.some((i) => i.actions.includes('cancel'));
  const resumable = items.some((i) => i.resumable);
  const text = counted.length === 0
    ? `${t.nothingToUpload} · ${t.filesAborted(aborted)}`
    : [t.filesDone(done, counted.length), bytes, aborted > 0 ? t.filesAborted(aborted) : ''].filter(Boolean).join(' · ');
  return html`
    <div part="summary" class="summary">
      <div class="summary-lines">
        <span part="summary-text" class="summary-text">${text}</span>
        ${running && bytesPerSecond > 0
          ? html`<span class="summary-rate">
              <span part="summary-speed">${t.speed(l.rate(bytesPerSecond))}</span>
              ${etaSeconds !== undefined ? html`<span part="summary-eta">${t.timeLeft(l.duration(etaSeconds))}</span>` : nothing}
            </span>`
          : nothing}
      </div>
      <div class="summary-actions">
        ${idle.length > 0 && !autoStart
          ? html`<button type="button" part="button start-button" class="primary" data-item=${idle[0]!.id} ?disabled=${disabled}
              @click=${() => on.start()}>${t.uploadFiles(idle.length)}</button>`
          : nothing}
        ${resumable
          ? html`<button type="button" part="button resume-all-button" ?disabled=${disabled} @click=${() => on.resumeAll()}>${t.resumeAll}</button>`
          : nothing}
        ${cancellable
          ? html`<button type="button" part="button cancel-all-button" @click=${() => on.cancelAll()}>${t.cancelAll}</button>`
          : nothing}
      </div>
      ${counted.length > 0 ? progressBar(o.fraction, t.overallProgress, bytes, 'overall-progress') : nothing}
    </div>
  `;
}

/** A progress bar: a `progressbar` role with its value, the fill set through the CSSOM (fine under a strict CSP). */
export function progressBar(fraction: number, label: string, valueText: string, extraPart = '') {
  const f = Math.max(0, Math.min(1, fraction));
  return html`<div
    part="progress ${extraPart}"
    class="progress"
    role="progressbar"
    aria-label=${label}
    aria-valuemin="0"
    aria-valuemax="100"
    aria-valuenow=${Math.floor(f * 100)}
    aria-valuetext=${valueText}
  ><div part="progress-fill" class="progress-fill" ${cssVar('--oss-fraction', String(f))}></div></div>`;
}

/** One file's row. */
export function row(item: UploadItem, ctx: RowContext) {
  const l = ctx.localize;
  const t = l.t;
  const p = item.progress;
  const uploading = item.state === 'uploading';
  const stateText = item.state === 'interrupted'
    ? t.interruptedEarlier(item.recordedBytes > 0 ? l.percent(item.fraction) : undefined)
    : t.state[item.state];
  const nameId = `${item.id}-name`;
  const thumb = ctx.thumbnail;
  const size = item.state === 'done' || item.state === 'idle' || item.state === 'aborted' || item.doneBytes === 0
    ? l.bytes(item.file.size)
    : t.bytesOf(l.bytes(item.doneBytes), l.bytes(item.file.size));
  const confirming = ctx.confirming;
  return html`
    <li part="item item-${item.state}" class="item ${item.state}" data-row=${item.id}>
      <span part="preview" class="preview">
        ${thumb
          ? html`<img part="thumbnail" class="thumbnail" src=${thumb} alt="" width="40" height="40" />`
          : fileIcon(fileKind(item.file))}
      </span>
      <span part="name" class="name" id=${nameId} tabindex="-1">${item.name}</span>
      ${item.state === 'aborted' || item.state === 'aborting'
        ? nothing
        : progressBar(item.fraction, t.progressOf(item.name), t.bytesOf(l.bytes(item.doneBytes), l.bytes(item.file.size)))}
      <div part="status" class="status">
        <span part="state" class="state">${stateIcon(item.state)}<span class="state-text">${stateText}</span></span>
        <span part="size" class="size">${size}</span>
        ${uploading && p.bytesPerSecond > 0 ? html`<span part="speed">${t.speed(l.rate(p.bytesPerSecond))}</span>` : nothing}
        ${uploading && p.etaSeconds !== undefined && p.bytesPerSecond > 0
          ? html`<span part="eta">${t.timeLeft(l.duration(p.etaSeconds))}</span>`
          : nothing}
      </div>
      ${confirming ? confirmation(item, confirming, ctx) : actions(item, ctx, nameId)}
      ${(item.state === 'failed' || item.state === 'interrupted') && item.error ? errorText(item.error, t, item.id) : nothing}
    </li>
  `;
}

/** The row's buttons; Abort last and set apart. */
function actions(item: UploadItem, ctx: RowContext, nameId: string) {
  const t = ctx.localize.t;
  const safe = item.actions.filter((a) => a !== 'abort');
  const abort = item.actions.includes('abort');
  return html`<div part="actions" class="actions">
    ${repeat(safe, (a) => a, (a) => html`<button
      type="button"
      part="button button-${a}"
      class=${a === 'resume' || a === 'retry' ? 'emphasis' : ''}
      data-item=${item.id}
      aria-describedby=${nameId}
      ?disabled=${ctx.disabled && STARTS.has(a)}
      @click=${() => ctx.request(item, a)}
    >${t[a]}</button>`)}
    ${abort
      ? html`<button type="button" part="button button-abort" class="danger" data-item=${item.id} aria-describedby=${nameId}
          @click=${() => ctx.request(item, 'abort')}>${deleteIcon}<span>${t.abort}</span></button>`
      : nothing}
  </div>`;
}

/** The inline confirmation of a destructive action: a labelled group, Keep focused, Escape keeps. */
function confirmation(item: UploadItem, action: 'abort' | 'remove', ctx: RowContext) {
  const t = ctx.localize.t;
  const questionId = `${item.id}-confirm`;
  const question = action === 'abort' ? t.confirmAbort(item.name) : t.confirmRemove(item.name);
  return html`<div
    part="confirm"
    class="confirm"
    role="group"
    aria-labelledby=${questionId}
    @keydown=${(e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        e.preventDefault();
        ctx.answer(item, false);
      }
    }}
  >
    <span part="confirm-question" class="confirm-question" id=${questionId}>${question}</span>
    <span class="confirm-buttons">
      <button type="button" part="button button-confirm" class="danger solid" data-item=${item.id}
        @click=${() => ctx.answer(item, true)}>${deleteIcon}<span>${action === 'abort' ? t.confirmAbortButton : t.confirmRemoveButton}</span></button>
      <button type="button" part="button button-keep" data-item=${item.id} @click=${() => ctx.answer(item, false)}>${t.keep}</button>
    </span>
  </div>`;
}

/** A failure in plain words, the details behind a disclosure. */
function errorText(error: UploadError, t: Translation, id: string) {
  return html`<div part="error" class="error">
    <p part="error-text" class="error-text" id="${id}-error">${t.error[errorClass(error)]}</p>
    <details part="error-details" class="error-details">
      <summary>${t.errorDetails}</summary>
      <span part="error-code" class="error-code">${t.errorCode(error.code)}</span>
      <span part="error-detail" class="error-detail">${t.errorMessage(error.message)}</span>
      ${error.requestId ? html`<span part="request-id" class="request-id">${t.requestId(error.requestId)}</span>` : nothing}
    </details>
  </div>`;
}
