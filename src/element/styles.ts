/**
 * The styles of `<oss-uploader>`, adopted as a constructable stylesheet (no `<style>`
 * element, no `style` attribute: fine under a strict CSP). Every public custom property
 * falls back to a light or dark default following `prefers-color-scheme`; colour pairs meet
 * WCAG 2.2 AA (text 4.5:1, bars and borders 3:1) in both.
 */
import { css } from 'lit';

/** Colours and sizes shared by both elements. */
export const themeStyles = css`
  :host {
    --_fg: var(--oss-uploader-color, #1f2328);
    --_muted: var(--oss-uploader-muted-color, #555d66);
    --_bg: var(--oss-uploader-background, #ffffff);
    --_surface: var(--oss-uploader-surface, #f6f8fa);
    --_border: var(--oss-uploader-border-color, #8a929b);
    --_accent: var(--oss-uploader-accent-color, #0b57d0);
    --_on-accent: var(--oss-uploader-on-accent-color, #ffffff);
    --_danger: var(--oss-uploader-danger-color, #b3261e);
    --_success: var(--oss-uploader-success-color, #146c2e);
    --_focus: var(--oss-uploader-focus-color, #0b57d0);
    --_track: var(--oss-uploader-track-color, #d5dae0);
    --_drop-bg: var(--oss-uploader-drop-background, #f6f8fa);
    --_drop-active-bg: var(--oss-uploader-drop-active-background, #e3edfd);
    --_radius: var(--oss-uploader-radius, 8px);
    --_space: var(--oss-uploader-spacing, 0.75rem);
    --_bar: var(--oss-uploader-bar-height, 0.5rem);
    --_duration: var(--oss-uploader-transition-duration, 160ms);

    display: block;
    box-sizing: border-box;
    color: var(--_fg);
    background: var(--_bg);
    font-family: var(--oss-uploader-font-family, inherit);
    font-size: var(--oss-uploader-font-size, inherit);
    line-height: 1.4;
    color-scheme: light dark;
  }

  @media (prefers-color-scheme: dark) {
    :host {
      --_fg: var(--oss-uploader-color, #e6e8eb);
      --_muted: var(--oss-uploader-muted-color, #aab1ba);
      --_bg: var(--oss-uploader-background, #17191c);
      --_surface: var(--oss-uploader-surface, #22252a);
      --_border: var(--oss-uploader-border-color, #7d8590);
      --_accent: var(--oss-uploader-accent-color, #a8c7fa);
      --_on-accent: var(--oss-uploader-on-accent-color, #062e6f);
      --_danger: var(--oss-uploader-danger-color, #ffb4ab);
      --_success: var(--oss-uploader-success-color, #7fd99a);
      --_focus: var(--oss-uploader-focus-color, #a8c7fa);
      --_track: var(--oss-uploader-track-color, #454b53);
      --_drop-bg: var(--oss-uploader-drop-background, #22252a);
      --_drop-active-bg: var(--oss-uploader-drop-active-background, #1d3357);
    }
  }

  :host([hidden]) {
    display: none;
  }

  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }

  :focus-visible {
    outline: 3px solid var(--_focus);
    outline-offset: 2px;
  }

  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    margin: -1px;
    padding: 0;
    overflow: hidden;
    clip: rect(0 0 0 0);
    clip-path: inset(50%);
    white-space: nowrap;
    border: 0;
  }

  button {
    font: inherit;
    color: var(--_accent);
    background: transparent;
    border: 1px solid var(--_border);
    border-radius: calc(var(--_radius) / 2);
    padding: 0.25rem 0.75rem;
    min-height: 2rem;
    min-width: 2rem;
    cursor: pointer;
    transition: background-color var(--_duration) ease;
  }

  button:hover:not(:disabled) {
    background: var(--_surface);
  }

  button:disabled {
    cursor: not-allowed;
    opacity: 0.6;
  }

  button.primary {
    color: var(--_on-accent);
    background: var(--_accent);
    border-color: var(--_accent);
  }

  button.primary:hover:not(:disabled) {
    background: var(--_accent);
    filter: brightness(1.1);
  }

  button.danger {
    color: var(--_danger);
  }

  @media (prefers-reduced-motion: reduce) {
    *,
    *::before,
    *::after {
      transition: none !important;
      animation: none !important;
    }
  }
`;

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
