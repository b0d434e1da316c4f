/**
 * The theme both elements share: the public custom properties with their light and dark
 * defaults (following `prefers-color-scheme`; colour pairs meet WCAG 2.2 AA, text 4.5:1,
 * bars and borders 3:1, in both), buttons, focus rings, reduced motion. Adopted as a
 * constructable stylesheet (no `<style>` element, no `style` attribute: fine under a strict CSP).
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

  button.danger.solid {
    color: var(--_on-accent);
    background: var(--_danger);
    border-color: var(--_danger);
    font-weight: 600;
  }

  button.danger.solid:hover:not(:disabled) {
    background: var(--_danger);
    filter: brightness(1.1);
  }

  /* An inline confirmation of a destructive action: the question, then the buttons. */
  .confirm {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.5rem var(--_space);
    padding: 0.5rem 0.75rem;
    border: 1px solid var(--_danger);
    border-radius: calc(var(--_radius) / 2);
    background: var(--_bg);
  }

  .confirm-question {
    flex: 1 1 14rem;
    min-width: 0;
    overflow-wrap: anywhere;
  }

  .confirm-buttons {
    display: flex;
    flex-wrap: wrap;
    gap: 0.375rem;
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
