/**
 * `<oss-incomplete-uploads>`: an administrator's list of the multipart uploads still open
 * under the key prefix (ListMultipartUploads, a page at a time), with Abort per upload and
 * one button that aborts every stale one. It needs an administrative token (the token
 * endpoint's `?scope=admin`), never an ordinary upload token: ordinary tokens cannot list.
 *
 * This module is only the element's properties and methods, registered with `<oss-uploader>`
 * by `oss-uploader/define`: what it does and shows (incomplete-panel.ts, with its styles and
 * the listing calls) is imported when the first panel connects, so a page that only uploads
 * never downloads it.
 */
import { html, nothing, type PropertyValues } from 'lit';
import { property } from 'lit/decorators.js';
import type { CredentialsProvider } from '../../core/index.js';
import { OssElement } from '../oss-element.js';
import { themeStyles } from '../theme.styles.js';
import type { IncompletePanel } from './incomplete-panel.js';

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
  // The panel's own styles come with its code (incomplete-panel.ts adopts them).
  static override styles = [themeStyles];

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

  private panel: IncompletePanel | undefined;
  private panelLoading: Promise<IncompletePanel> | undefined;
  private panelFailed = false;

  /** The panel's code, imported once; a failed import (offline) is tried again on the next use. */
  private loadPanel(): Promise<IncompletePanel> {
    return (this.panelLoading ??= import('./incomplete-panel.js')
      .then(({ IncompletePanel }) => {
        this.panelFailed = false;
        this.panel = new IncompletePanel(this, { localize: this.localize, direction: () => this.direction });
        this.requestUpdate();
        return this.panel;
      })
      .catch((e: unknown) => {
        this.panelLoading = undefined;
        this.panelFailed = true;
        throw e;
      }));
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.loadPanel().catch(() => this.requestUpdate());
  }

  /** Renders once the panel's code is here (or could not be fetched), so it never shows a half-built table. */
  protected override async scheduleUpdate(): Promise<void> {
    if (!this.panel && this.isConnected) await this.loadPanel().catch(() => undefined);
    await super.scheduleUpdate();
  }

  protected override willUpdate(changed: PropertyValues): void {
    super.willUpdate(changed);
    this.panel?.willUpdate(changed);
  }

  protected override updated(changed: PropertyValues): void {
    super.updated(changed);
    this.panel?.updated();
  }

  /** Reloads from the first page. */
  async refresh(): Promise<void> {
    await (await this.loadPanel()).refresh();
  }

  /** Aborts every open upload older than `stale-after`, on every page. Resolves with how many were aborted. */
  async abortStale(): Promise<number> {
    return (await this.loadPanel()).abortStale();
  }

  protected override render() {
    if (this.panel) return this.panel.render();
    const t = this.t;
    // The code could not be fetched (offline): say so in plain words; the next refresh() or connect tries again.
    return this.panelFailed ? html`<p part="error" class="error" role="alert">${t.error.network}</p>` : nothing;
  }
}
