/**
 * `<oss-incomplete-uploads>`: an administrator's list of the multipart uploads still open
 * under the key prefix (ListMultipartUploads, a page at a time), with Abort per upload and
 * one button that aborts every stale one. It needs an administrative token (the token
 * endpoint's `?scope=admin`), never an ordinary upload token: ordinary tokens cannot list.
 */
import { html, nothing, type PropertyValues } from 'lit';
import { property } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import {
  AbortRefused, isDialectId, MemoryResumeStore, UploadClient, UploadError, type CredentialsProvider, type DialectId, type UploadListing,
} from '../../core/index.js';
import { Announcer } from '../announcer.js';
import { errorClass } from '../error-class.js';
import { OssElement } from '../oss-element.js';
import { themeStyles } from '../theme.styles.js';
import type { Translation } from '../translation.js';
import { incompleteUploadsStyles } from './oss-incomplete-uploads.styles.js';

interface PageMarkers { keyMarker?: string; uploadIdMarker?: string }

/**
 * Lists the multipart uploads left open under the token's key prefix, a page at a time, and
 * aborts them (each confirmed with ListParts).
 *
 * ```html
 * <oss-incomplete-uploads token-url="/api/sts-token?scope=admin" stale-after="86400"></oss-incomplete-uploads>
 * ```
 *
 * @summary Admin panel: find and abort abandoned multipart uploads.
 * @tagname oss-incomplete-uploads
 *
 * @attr lang - The language of the texts; otherwise the nearest ancestor's, the document's, or the browser's.
 *
 * @fires {CustomEvent<OssIncompleteAbortDetail>} oss-incomplete-abort - An upload was aborted (`confirmed` says whether the store confirmed no part is left).
 *
 * @csspart base - The wrapper.
 * @csspart table - The table of uploads.
 * @csspart caption - The table's caption (title).
 * @csspart row - One upload's row; also `row-stale` for stale ones.
 * @csspart key - The object key cell.
 * @csspart started - The start time cell.
 * @csspart upload-id - The upload ID cell.
 * @csspart stale - The "stale" badge.
 * @csspart empty - The text shown when there is nothing to list.
 * @csspart toolbar - The paging and bulk buttons.
 * @csspart button - Every button; also `button-abort`, `button-abort-stale`, `button-refresh`, `button-previous`, `button-next`, and in a confirmation `button-confirm`, `button-keep`.
 * @csspart confirm - The confirmation an Abort asks for (a labelled group: the question, then the buttons).
 * @csspart confirm-question - Its question.
 * @csspart page - The page number.
 * @csspart error - An error message.
 *
 * @cssproperty [--oss-uploader-color=#1f2328] - Text colour (shared with `<oss-uploader>`).
 * @cssproperty [--oss-uploader-accent-color=#0b57d0] - Buttons.
 * @cssproperty [--oss-uploader-danger-color=#b3261e] - Abort buttons, errors, the stale badge.
 * @cssproperty [--oss-uploader-border-color=#8a929b] - Table rules.
 */
export class OssIncompleteUploads extends OssElement {
  static override styles = [themeStyles, incompleteUploadsStyles];

  /** URL of the token endpoint's administrative token, e.g. `/api/sts-token?scope=admin`. */
  @property({ attribute: 'token-url' }) tokenUrl = '';
  /** The storage dialect: `oss`, `obs` or `s3`. Default: what the token endpoint says, else `oss`. */
  @property() dialect = '';
  /** Uploads per page (at most 1000). Default 20. */
  @property({ attribute: 'page-size', type: Number }) pageSize = 20;
  /** Seconds after which an open upload counts as stale. Default 86400 (a day). */
  @property({ attribute: 'stale-after', type: Number }) staleAfter = 86_400;
  /** A credentials source of your own with `oss:ListMultipartUploads`, instead of `token-url`. Property only. */
  @property({ attribute: false }) credentials: CredentialsProvider | undefined = undefined;

  private readonly announcer = new Announcer(this);
  private client: UploadClient | undefined;
  private listing: UploadListing[] = [];
  private page = 0;
  private loadingValue = false;
  private errorValue = '';
  /** Markers of every page seen so far; index 0 is the first page. */
  private markers: PageMarkers[] = [{}];
  private hasNext = false;
  private busy = new Set<string>();
  /** The Abort waiting for an answer: one listed upload's (its uploadId), or `stale` for "Abort all stale uploads". */
  private confirming: string | undefined;
  /** What gets focus after the next render. */
  private focusAfter: string | undefined;
  private loadToken = 0;

  private get loading(): boolean { return this.loadingValue; }
  private set loading(v: boolean) { this.loadingValue = v; this.requestUpdate(); }
  private get errorText(): string { return this.errorValue; }
  private set errorText(v: string) { this.errorValue = v; this.requestUpdate(); }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.client?.dispose();
  }

  protected override willUpdate(changed: PropertyValues): void {
    if (changed.has('tokenUrl') || changed.has('credentials') || changed.has('pageSize') || changed.has('dialect')) {
      this.client?.dispose();
      this.client = undefined;
      if (this.tokenUrl || this.credentials) void this.refresh();
    }
  }

  /** Reloads from the first page. */
  async refresh(): Promise<void> {
    this.markers = [{}];
    await this.load(0);
  }

  /** Aborts every open upload older than `stale-after`, on every page. Resolves with how many were aborted. */
  async abortStale(): Promise<number> {
    const client = this.getClient();
    this.loading = true;
    let aborted = 0;
    try {
      const stale = (await client.listUploads()).filter((u) => this.isStale(u));
      for (const u of stale) if (await this.abortOne(u)) aborted++;
      this.announcer.announce(this.t.incompleteAborted(aborted));
    } catch (e) {
      this.showError(e);
    } finally {
      this.loading = false;
    }
    await this.refresh();
    return aborted;
  }

  private getClient(): UploadClient {
    this.client ??= new UploadClient({
      tokenUrl: this.tokenUrl || undefined,
      credentials: this.credentials,
      dialect: isDialectId(this.dialect.toLowerCase()) ? (this.dialect.toLowerCase() as DialectId) : undefined,
      // This page keeps no resume records of its own.
      resumeStore: new MemoryResumeStore(),
    });
    return this.client;
  }

  private isStale(u: UploadListing): boolean {
    const started = Date.parse(u.initiated);
    return Number.isFinite(started) && Date.now() - started >= this.staleAfter * 1000;
  }

  private async load(page: number): Promise<void> {
    const ticket = ++this.loadToken;
    this.loading = true;
    this.errorText = '';
    try {
      const client = this.getClient();
      const size = Math.max(1, Math.min(1000, Math.floor(this.pageSize) || 20));
      const { uploads, next } = await client.listUploadsPage(this.markers[page] ?? {}, size);
      if (ticket !== this.loadToken) return;
      this.listing = uploads;
      this.page = page;
      this.hasNext = Boolean(next);
      if (next) this.markers[page + 1] = next;
      this.markers.length = page + (next ? 2 : 1);
    } catch (e) {
      if (ticket === this.loadToken) this.showError(e);
    } finally {
      if (ticket === this.loadToken) this.loading = false;
    }
  }

  private async abortOne(u: UploadListing): Promise<boolean> {
    this.busy.add(u.uploadId);
    this.requestUpdate();
    try {
      const confirmed = await this.getClient().abortListed(u);
      this.emit('oss-incomplete-abort', { key: u.key, uploadId: u.uploadId, confirmed });
      if (!confirmed) this.announcer.announce(this.t.incompleteAbortFailed(u.key));
      return confirmed;
    } catch (e) {
      // One refusal (not the initiator, …) does not stop the others: it is shown, and counted out.
      if (!(e instanceof AbortRefused)) throw e;
      this.showError(e);
      return false;
    } finally {
      this.busy.delete(u.uploadId);
      this.requestUpdate();
    }
  }

  /** Asks before an Abort (`stale` for all stale ones); Keep or Escape goes back to the button. */
  private ask(what: string): void {
    this.confirming = what;
    this.focusAfter = '[part~="button-keep"]';
    this.requestUpdate();
  }

  private answer(yes: boolean): void {
    const what = this.confirming;
    this.confirming = undefined;
    this.requestUpdate();
    if (!what) return;
    if (!yes) {
      this.focusAfter = what === 'stale' ? '[part~="button-abort-stale"]' : `[data-upload="${CSS.escape(what)}"]`;
      return;
    }
    if (what === 'stale') {
      this.focusAfter = '[part~="button-refresh"]';
      void this.abortStale();
      return;
    }
    const u = this.listing.find((l) => l.uploadId === what);
    if (u) void this.onAbort(u);
  }

  protected override updated(): void {
    const selector = this.focusAfter;
    this.focusAfter = undefined;
    if (selector) this.renderRoot.querySelector<HTMLElement>(selector)?.focus();
  }

  private renderConfirm(question: string, t: Translation) {
    return html`<div part="confirm" class="confirm" role="group" aria-labelledby="confirm-question"
      @keydown=${(e: KeyboardEvent) => {
        if (e.key === 'Escape') {
          e.preventDefault();
          this.answer(false);
        }
      }}>
      <span part="confirm-question" class="confirm-question" id="confirm-question">${question}</span>
      <span class="confirm-buttons">
        <button type="button" part="button button-confirm" class="danger solid" @click=${() => this.answer(true)}>${t.confirmAbortButton}</button>
        <button type="button" part="button button-keep" @click=${() => this.answer(false)}>${t.keep}</button>
      </span>
    </div>`;
  }

  private async onAbort(u: UploadListing): Promise<void> {
    try {
      if (await this.abortOne(u)) this.announcer.announce(this.t.incompleteAborted(1));
    } catch (e) {
      this.showError(e);
    }
    await this.load(this.page);
    (this.renderRoot.querySelector<HTMLElement>('[part~="button-abort"]') ?? this.renderRoot.querySelector<HTMLElement>('[part~="button-refresh"]'))?.focus();
  }

  private showError(e: unknown): void {
    const error = e instanceof UploadError ? e : undefined;
    const t = this.t;
    this.errorText = [
      // In plain words first; the engine's own text (English, for the administrator) after.
      error ? t.error[errorClass(error)] : '',
      error?.message ?? String((e as Error)?.message ?? e),
      error ? t.errorCode(error.code) : '',
      error?.requestId ? t.requestId(error.requestId) : '',
    ].filter(Boolean).join(' ');
    this.announcer.announce(this.errorText);
  }

  protected override render() {
    const t = this.t;
    const l = this.localize;
    return html`
      <div part="base" class="base" dir=${this.direction}>
        <table part="table" aria-busy=${this.loading ? 'true' : 'false'}>
          <caption part="caption">${t.incompleteTitle}</caption>
          <thead>
            <tr>
              <th scope="col">${t.incompleteKey}</th>
              <th scope="col">${t.incompleteStarted}</th>
              <th scope="col">${t.incompleteUploadId}</th>
              <th scope="col">${t.incompleteActions}</th>
            </tr>
          </thead>
          <tbody>
            ${repeat(this.listing, (u) => u.uploadId, (u, i) => {
              const stale = this.isStale(u);
              const started = Date.parse(u.initiated);
              return html`<tr part="row ${stale ? 'row-stale' : ''}">
                <td part="key" class="key"><span id="key-${i}">${u.key}</span>${stale ? html`<span part="stale" class="stale">${t.incompleteStale}</span>` : nothing}</td>
                <td part="started">${Number.isFinite(started) ? l.dateTime(new Date(started)) : u.initiated}</td>
                <td part="upload-id" class="upload-id">${u.uploadId}</td>
                <td>
                  ${this.confirming === u.uploadId
                    ? this.renderConfirm(t.incompleteConfirmAbort(u.key), t)
                    : html`<button type="button" part="button button-abort" class="danger" aria-describedby="key-${i}" data-upload=${u.uploadId}
                        ?disabled=${this.busy.has(u.uploadId)} @click=${() => this.ask(u.uploadId)}>${t.abort}</button>`}
                </td>
              </tr>`;
            })}
          </tbody>
        </table>
        ${this.listing.length === 0 && !this.loading ? html`<p part="empty" class="empty">${t.incompleteEmpty}</p>` : nothing}
        ${this.loading ? html`<p part="empty" class="empty">${t.incompleteLoading}</p>` : nothing}
        ${this.errorText ? html`<p part="error" class="error">${this.errorText}</p>` : nothing}
        <div part="toolbar" class="toolbar">
          <span part="page" class="page">${t.incompletePage(this.page + 1)}</span>
          <button type="button" part="button button-previous" ?disabled=${this.page === 0 || this.loading}
            @click=${() => this.load(this.page - 1)}>${t.incompletePrevious}</button>
          <button type="button" part="button button-next" ?disabled=${!this.hasNext || this.loading}
            @click=${() => this.load(this.page + 1)}>${t.incompleteNext}</button>
          <button type="button" part="button button-refresh" ?disabled=${this.loading} @click=${() => this.refresh()}>${t.incompleteRefresh}</button>
          <button type="button" part="button button-abort-stale" class="danger" ?disabled=${this.loading}
            @click=${() => this.ask('stale')}>${t.incompleteAbortStale}</button>
        </div>
        ${this.confirming === 'stale' ? this.renderConfirm(t.incompleteConfirmAbortStale, t) : nothing}
        <div class="visually-hidden" role="status" aria-live="polite" aria-atomic="true">${this.announcer.text}</div>
      </div>
    `;
  }
}
