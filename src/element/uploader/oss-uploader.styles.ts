/**
 * The styles of `<oss-uploader>` (the theme, shared with the other element, is in
 * `../theme.styles.ts`). Rows reflow with container queries, not viewport media queries:
 * the element may sit in a sidebar of a wide page. Forced colours keep bars and focus.
 */
import { css } from 'lit';

export const uploaderStyles = css`
  .base {
    display: flex;
    flex-direction: column;
    gap: var(--_space);
    container: oss-uploader / inline-size;
  }

  .drop-zone {
    display: flex;
    flex-direction: column;
    align-items: center;
    justify-content: center;
    gap: 0.25rem;
    width: 100%;
    min-height: 7rem;
    padding: var(--_space);
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

  .under-drop {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.5rem var(--_space);
    margin-top: calc(var(--_space) * -0.5);
  }

  .hint {
    flex: 1 1 12rem;
    margin: 0;
  }

  .folder-button {
    display: inline-flex;
    align-items: center;
    gap: 0.375rem;
    margin-inline-start: auto;
  }

  .button-icon {
    width: 1.125rem;
    height: 1.125rem;
    flex: none;
  }

  .messages {
    display: flex;
    flex-direction: column;
    gap: 0.25rem;
    margin: 0;
    padding: 0.25rem 0.25rem 0.25rem 0.75rem;
    list-style: none;
    color: var(--_danger);
    border: 1px solid var(--_danger);
    border-radius: calc(var(--_radius) / 2);
  }

  .message {
    display: flex;
    align-items: center;
    gap: 0.5rem;
  }

  .message-text {
    flex: 1;
    min-width: 0;
    overflow-wrap: anywhere;
  }

  button.dismiss {
    flex: none;
    display: inline-grid;
    place-items: center;
    padding: 0;
    width: 2rem;
    height: 2rem;
    color: var(--_fg);
    border-color: transparent;
  }

  .close-icon {
    width: 1rem;
    height: 1rem;
  }

  /* ---- the batch: text, speed and time left, batch buttons, overall bar ---- */

  .summary {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.5rem var(--_space);
  }

  .summary-lines {
    flex: 1 1 14rem;
    display: flex;
    flex-wrap: wrap;
    gap: 0 0.75rem;
    color: var(--_muted);
    font-size: 0.875em;
  }

  .summary-rate {
    display: inline-flex;
    gap: 0.75rem;
  }

  .summary-actions {
    display: flex;
    flex-wrap: wrap;
    gap: 0.375rem;
  }

  .summary .progress {
    flex: 1 1 100%;
  }

  /* ---- progress bars ---- */

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

  /* Paused: the bar is striped, not solid, so it does not read as running. */
  .item.cancelled .progress-fill,
  .item.interrupted .progress-fill {
    background: repeating-linear-gradient(
      -45deg,
      var(--_muted) 0 0.25rem,
      transparent 0.25rem 0.5rem
    );
  }

  /* ---- rows ---- */

  .list {
    display: flex;
    flex-direction: column;
    gap: 0.375rem;
    margin: 0;
    padding: 0;
    list-style: none;
  }

  .item {
    display: grid;
    grid-template-columns: 2.5rem minmax(0, 1fr) auto;
    grid-template-areas:
      'preview name actions'
      'preview bar actions'
      'preview status actions';
    align-items: center;
    gap: 0.25rem 0.75rem;
    padding: 0.5rem 0.75rem;
    background: var(--_surface);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
  }

  .item.cancelled,
  .item.interrupted,
  .item.aborted {
    border-style: dashed;
  }

  .preview {
    grid-area: preview;
    align-self: start;
    display: grid;
    place-items: center;
    width: 2.5rem;
    height: 2.5rem;
    overflow: hidden;
    color: var(--_muted);
    border-radius: calc(var(--_radius) / 2);
  }

  .thumbnail {
    display: block;
    width: 100%;
    height: 100%;
    object-fit: cover;
  }

  .file-icon {
    width: 2rem;
    height: 2rem;
  }

  .name {
    grid-area: name;
    min-width: 0;
    overflow-wrap: anywhere;
    font-weight: 600;
    line-height: 1.3;
  }

  .name:focus {
    outline: none;
  }

  .name:focus-visible {
    outline: 3px solid var(--_focus);
  }

  .item > .progress {
    grid-area: bar;
    height: calc(var(--_bar) * 0.75);
  }

  .status {
    grid-area: status;
    display: flex;
    flex-wrap: wrap;
    gap: 0 0.75rem;
    align-items: center;
    min-width: 0;
    color: var(--_muted);
    font-size: 0.875em;
  }

  .state {
    display: inline-flex;
    align-items: center;
    gap: 0.25rem;
    color: var(--_fg);
  }

  .state-icon {
    width: 1rem;
    height: 1rem;
    flex: none;
  }

  .item.done .state {
    color: var(--_success);
  }

  .item.failed .state {
    color: var(--_danger);
  }

  .size {
    white-space: nowrap;
  }

  .actions {
    grid-area: actions;
    display: flex;
    flex-wrap: wrap;
    gap: 0.375rem;
    justify-content: flex-end;
  }

  button.emphasis {
    font-weight: 600;
  }

  /* Abort stands apart from Cancel: the danger colour, and set off from the other buttons. */
  .actions button.danger {
    margin-inline-start: 0.75rem;
    border-color: var(--_danger);
  }

  button.danger {
    display: inline-flex;
    align-items: center;
    gap: 0.25rem;
  }

  .item > .confirm {
    grid-column: 1 / -1;
  }

  .error {
    grid-column: 1 / -1;
    min-width: 0;
    font-size: 0.875em;
    overflow-wrap: anywhere;
  }

  .error-text {
    margin: 0;
    color: var(--_danger);
  }

  .error-details summary {
    width: fit-content;
    color: var(--_accent);
    cursor: pointer;
  }

  .error-code,
  .error-detail,
  .request-id {
    display: block;
    color: var(--_fg);
  }

  .error-code,
  .request-id {
    font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
  }

  /* ---- narrow containers: the buttons get a line of their own under the row ---- */

  @container oss-uploader (max-width: 32rem) {
    .item {
      grid-template-columns: 2.5rem minmax(0, 1fr);
      grid-template-areas:
        'preview name'
        'preview bar'
        'preview status'
        'actions actions';
    }

    .actions {
      justify-content: flex-start;
    }

    .item > .confirm {
      grid-area: actions;
    }

    .drop-zone {
      min-height: 5.5rem;
    }
  }

  /* ---- forced colours (Windows High Contrast): bars, fills and icons in system colours ---- */

  @media (forced-colors: active) {
    .progress {
      border: 1px solid CanvasText;
      background: Canvas;
    }

    .progress-fill {
      forced-color-adjust: none;
      background: Highlight;
    }

    .item.done .progress-fill,
    .item.failed .progress-fill {
      background: Highlight;
    }

    .item.cancelled .progress-fill,
    .item.interrupted .progress-fill {
      background: repeating-linear-gradient(-45deg, Highlight 0 0.25rem, Canvas 0.25rem 0.5rem);
    }

    :focus-visible,
    .name:focus-visible {
      outline-color: Highlight;
    }

    button.danger.solid {
      border-width: 2px;
    }
  }
`;
