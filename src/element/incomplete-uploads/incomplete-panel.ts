/**
 * What `<oss-incomplete-uploads>` does and shows: the listing a page at a time, Abort per
 * upload and "Abort all stale uploads", each confirmed in the element. The element itself
 * (oss-incomplete-uploads.ts, registered with `<oss-uploader>`) is only its properties; this
 * module, with its styles and the engine's listing calls, is fetched when the first panel
 * connects, so a page that only uploads never loads it.
 */
import { adoptStyles, html, nothing, type PropertyValues, type ReactiveController } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import {
  AbortRefused, isDialectId, MemoryResumeStore, UploadClient, UploadError, type DialectId, type UploadListing,
} from '../../core/index.js';
import { Announcer } from '../announcer.js';
import { errorClass } from '../error-class.js';
import { emit } from '../events.js';
import type { LocalizeController } from '../localize.js';
import { themeStyles } from '../theme.styles.js';
import type { Translation } from '../translation.js';
import type { OssIncompleteUploads } from './oss-incomplete-uploads.js';
import { incompleteUploadsStyles } from './oss-incomplete-uploads.styles.js';

interface PageMarkers { keyMarker?: string; uploadIdMarker?: string }

/** What the panel needs of its element beyond the public properties. */
export interface PanelView {
  readonly localize: LocalizeController;
  direction(): 'ltr' | 'rtl';
}

export class IncompletePanel implements ReactiveController {
  private readonly announcer: Announcer;
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

  constructor(private readonly host: OssIncompleteUploads, private readonly view: PanelView) {
    this.announcer = new Announcer(host);
    host.addController(this);
  }

  private styled = false;

  /** The panel's styles join the shadow root once it exists (the code may arrive before the element connects). */
  hostConnected(): void {
    if (this.styled || !(this.host.renderRoot instanceof ShadowRoot)) return;
    this.styled = true;
    adoptStyles(this.host.renderRoot, [themeStyles, incompleteUploadsStyles]);
  }

  hostDisconnected(): void {
    this.client?.dispose();
    this.client = undefined;
  }

  private get t(): Translation {
    return this.view.localize.t;
  }

  private requestUpdate(): void {
    this.host.requestUpdate();
  }

  /** The element's first update with this code loaded lists, whatever changed before it arrived. */
  private started = false;

  willUpdate(changed: PropertyValues): void {
    if (!this.started || changed.has('tokenUrl') || changed.has('credentials') || changed.has('pageSize') || changed.has('dialect')) {
      this.started = true;
      this.client?.dispose();
      this.client = undefined;
      if (this.host.tokenUrl || this.host.credentials) void this.refresh();
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
      tokenUrl: this.host.tokenUrl || undefined,
      credentials: this.host.credentials,
      dialect: isDialectId(this.host.dialect.toLowerCase()) ? (this.host.dialect.toLowerCase() as DialectId) : undefined,
      // This page keeps no resume records of its own.
      resumeStore: new MemoryResumeStore(),
    });
    return this.client;
  }

  private isStale(u: UploadListing): boolean {
    const started = Date.parse(u.initiated);
    return Number.isFinite(started) && Date.now() - started >= this.host.staleAfter * 1000;
  }

  private async load(page: number): Promise<void> {
    const ticket = ++this.loadToken;
    this.loading = true;
    this.errorText = '';
    try {
      const client = this.getClient();
      const size = Math.max(1, Math.min(1000, Math.floor(this.host.pageSize) || 20));
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
      emit(this.host, 'oss-incomplete-abort', { key: u.key, uploadId: u.uploadId, confirmed });
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

  updated(): void {
    const selector = this.focusAfter;
    this.focusAfter = undefined;
    if (selector) this.host.renderRoot.querySelector<HTMLElement>(selector)?.focus();
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
    (this.host.renderRoot.querySelector<HTMLElement>('[part~="button-abort"]') ?? this.host.renderRoot.querySelector<HTMLElement>('[part~="button-refresh"]'))?.focus();
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

  render() {
    const t = this.t;
    const l = this.view.localize;
    return html`
      <div part="base" class="base" dir=${this.view.direction()}>
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
