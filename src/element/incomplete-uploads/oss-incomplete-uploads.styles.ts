/** The styles of `<oss-incomplete-uploads>` (the shared theme is in `../theme.styles.ts`). */
import { css } from 'lit';

export const incompleteUploadsStyles = css`
    .base { display: flex; flex-direction: column; gap: var(--_space); }
    table { width: 100%; border-collapse: collapse; font-size: 0.9375em; }
    caption { text-align: start; font-weight: 600; font-size: 1.125em; padding-bottom: 0.5rem; }
    th, td { text-align: start; padding: 0.375rem 0.5rem; border-bottom: 1px solid var(--_border); vertical-align: top; }
    th { color: var(--_muted); font-weight: 600; }
    .key { overflow-wrap: anywhere; }
    .upload-id { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; overflow-wrap: anywhere; color: var(--_muted); }
    .stale { margin-inline-start: 0.5rem; padding: 0 0.375rem; color: var(--_danger); border: 1px solid var(--_danger); border-radius: 999px; font-size: 0.8125em; }
    .toolbar { display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: center; }
    .page { color: var(--_muted); margin-inline-end: auto; }
    .error { margin: 0; color: var(--_danger); overflow-wrap: anywhere; }
    .empty { margin: 0; color: var(--_muted); }
  `;
