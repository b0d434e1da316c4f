/** The styles of `<oss-uploader>` (the theme, shared with the other element, is in `../theme.styles.ts`). */
import { css } from 'lit';

export const uploaderStyles = css`
  .base {
    display: flex;
    flex-direction: column;
    gap: var(--_space);
  }

  .drop-zone {
    display: flex;
    flex-direction: column;
    align-items: center;
    justify-content: center;
    gap: 0.25rem;
    width: 100%;
    min-height: 8rem;
    padding: calc(var(--_space) * 1.5);
    color: var(--_fg);
    background: var(--_drop-bg);
    border: 2px dashed var(--_border);
    border-radius: var(--_radius);
    text-align: center;
    transition: background-color var(--_duration) ease, border-color var(--_duration) ease;
  }

  .drop-zone:hover:not(:disabled),
  .drop-zone.dragging {
    background: var(--_drop-active-bg);
    border-color: var(--_accent);
  }

  .drop-icon {
    width: 2rem;
    height: 2rem;
    color: var(--_accent);
  }

  .drop-label {
    font-weight: 600;
    color: var(--_accent);
    text-decoration: underline;
    text-underline-offset: 0.2em;
  }

  .drop-more,
  .hint {
    color: var(--_muted);
    font-size: 0.875em;
  }

  .hint {
    margin: 0;
  }

  .messages {
    margin: 0;
    padding: 0.5rem 0.75rem;
    list-style: none;
    color: var(--_danger);
    border: 1px solid var(--_danger);
    border-radius: calc(var(--_radius) / 2);
  }

  .summary {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.5rem var(--_space);
  }

  .summary-text {
    flex: 1 1 12rem;
    color: var(--_muted);
    font-size: 0.875em;
  }

  .summary .progress {
    flex: 1 1 100%;
    order: 3;
  }

  .progress {
    position: relative;
    height: var(--_bar);
    overflow: hidden;
    background: var(--_track);
    border-radius: calc(var(--_bar) / 2);
  }

  .progress-fill {
    position: absolute;
    inset: 0;
    background: var(--_accent);
    transform-origin: left center;
    transform: scaleX(var(--oss-fraction, 0));
    transition: transform var(--_duration) linear;
  }

  [dir='rtl'] .progress-fill {
    transform-origin: right center;
  }

  .item.done .progress-fill {
    background: var(--_success);
  }

  .item.failed .progress-fill {
    background: var(--_danger);
  }

  .list {
    display: flex;
    flex-direction: column;
    gap: 0.5rem;
    margin: 0;
    padding: 0;
    list-style: none;
  }

  .item {
    display: grid;
    grid-template-columns: minmax(0, 1fr) auto;
    gap: 0.375rem var(--_space);
    padding: 0.625rem var(--_space);
    background: var(--_surface);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
  }

  .item .progress {
    grid-column: 1 / -1;
  }

  .name {
    overflow-wrap: anywhere;
    font-weight: 600;
  }

  .name:focus {
    outline: none;
  }

  .name:focus-visible {
    outline: 3px solid var(--_focus);
  }

  .size {
    color: var(--_muted);
    font-size: 0.875em;
    white-space: nowrap;
    text-align: end;
  }

  .status {
    display: flex;
    flex-wrap: wrap;
    gap: 0 0.75rem;
    align-items: baseline;
    color: var(--_muted);
    font-size: 0.875em;
  }

  .state {
    color: var(--_fg);
  }

  .item.done .state {
    color: var(--_success);
  }

  .item.failed .state {
    color: var(--_danger);
  }

  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: 0.375rem;
    justify-content: flex-end;
    align-self: center;
  }

  .error {
    grid-column: 1 / -1;
    margin: 0;
    color: var(--_danger);
    font-size: 0.875em;
    overflow-wrap: anywhere;
  }

  .error-detail,
  .request-id {
    display: block;
    color: var(--_fg);
  }

  .request-id {
    font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
  }
`;
