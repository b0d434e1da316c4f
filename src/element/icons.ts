/**
 * The small inline SVG icons of the elements (no image requests, nothing for a CSP to
 * refuse): a file-type icon per kind of file, and a state icon so a row's state never
 * rests on colour alone. Stroked with `currentColor`, so they follow forced colours too.
 */
import { svg, type SVGTemplateResult } from 'lit';
import type { ItemState } from './uploader/upload-item.js';

export type FileKind = 'image' | 'video' | 'audio' | 'archive' | 'document' | 'code' | 'file';

const ARCHIVE = /\.(zip|rar|7z|tar|gz|tgz|bz2|xz|zst)$/i;
const DOCUMENT = /\.(pdf|docx?|xlsx?|pptx?|odt|ods|odp|rtf|txt|md|csv|epub|pages|numbers|key)$/i;
const CODE = /\.(js|mjs|ts|tsx|jsx|json|html?|css|xml|ya?ml|py|go|rs|java|c|cpp|h|sh|sql)$/i;

/** The kind of a file, from its MIME type, else its extension. */
export function fileKind(file: { name: string; type: string }): FileKind {
  const type = file.type.toLowerCase();
  const name = file.name;
  if (type.startsWith('image/') || /\.(png|jpe?g|gif|webp|avif|bmp|svg|heic|tiff?)$/i.test(name)) return 'image';
  if (type.startsWith('video/') || /\.(mp4|mov|mkv|webm|avi|m4v)$/i.test(name)) return 'video';
  if (type.startsWith('audio/') || /\.(mp3|wav|flac|aac|ogg|m4a|opus)$/i.test(name)) return 'audio';
  if (/zip|x-tar|x-7z|x-rar|gzip|x-bzip/.test(type) || ARCHIVE.test(name)) return 'archive';
  if (type === 'application/pdf' || type.startsWith('text/plain') || DOCUMENT.test(name)) return 'document';
  if (/json|javascript|typescript|html|css|xml/.test(type) || CODE.test(name)) return 'code';
  return 'file';
}

const PAGE = svg`<path d="M6 2.75h8.25L19 7.5v13.75H6z"/><path d="M14 2.75V7.5h5"/>`;

const FILE_ICONS: Record<FileKind, SVGTemplateResult> = {
  file: PAGE,
  document: svg`${PAGE}<path d="M9 12h7M9 15.5h7M9 19h4"/>`,
  code: svg`${PAGE}<path d="m10.5 12.5-2 2 2 2M14.5 12.5l2 2-2 2"/>`,
  archive: svg`${PAGE}<path d="M11 3v2h1.5v2H11v2h1.5v2H11v2.5h1.5V16"/>`,
  image: svg`<rect x="3" y="4" width="18" height="16" rx="2"/><circle cx="9" cy="9.5" r="1.75"/><path d="m4 18 5-5 3 3 3-4 5 6"/>`,
  video: svg`<rect x="3" y="5" width="18" height="14" rx="2"/><path d="m10 9 5 3-5 3z"/>`,
  audio: svg`<path d="M9 18V5l11-2v13"/><circle cx="6.5" cy="18" r="2.5"/><circle cx="17.5" cy="16" r="2.5"/>`,
};

export function fileIcon(kind: FileKind) {
  return svg`<svg class="file-icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false" fill="none" stroke="currentColor"
    stroke-width="1.5" stroke-linejoin="round" stroke-linecap="round">${FILE_ICONS[kind]}</svg>`;
}

const UP = svg`<path d="M12 19V6M6.5 11.5 12 6l5.5 5.5"/>`;
const STATE_ICONS: Record<ItemState, SVGTemplateResult | undefined> = {
  idle: svg`<circle cx="12" cy="12" r="7.5"/>`,
  queued: svg`<circle cx="12" cy="12" r="8.5"/><path d="M12 7.5V12l3 2"/>`,
  preparing: UP,
  uploading: UP,
  // Waiting for the network: a clock, like a queued file.
  offline: svg`<circle cx="12" cy="12" r="8.5"/><path d="M12 7.5V12l3 2"/>`,
  completing: UP,
  verifying: UP,
  done: svg`<path d="m5 12.5 4.5 4.5L19 7.5"/>`,
  cancelled: svg`<path d="M9 6v12M15 6v12"/>`,
  interrupted: svg`<path d="M9 6v12M15 6v12"/>`,
  failed: svg`<path d="M12 3.5 21.5 20h-19z"/><path d="M12 10v4.5M12 17.25v.01"/>`,
  aborting: svg`<circle cx="12" cy="12" r="8.5"/><path d="m6 6 12 12"/>`,
  aborted: svg`<circle cx="12" cy="12" r="8.5"/><path d="m6 6 12 12"/>`,
};

export function stateIcon(state: ItemState) {
  const shape = STATE_ICONS[state];
  return shape
    ? svg`<svg part="state-icon" class="state-icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false" fill="none"
        stroke="currentColor" stroke-width="2.25" stroke-linejoin="round" stroke-linecap="round">${shape}</svg>`
    : undefined;
}

/** The close (×) of a dismissible message. */
export const closeIcon = svg`<svg class="close-icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false" fill="none"
  stroke="currentColor" stroke-width="2.25" stroke-linecap="round"><path d="m6 6 12 12M18 6 6 18"/></svg>`;

/** A folder, on the folder-picker button. */
export const folderIcon = svg`<svg class="button-icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false" fill="none"
  stroke="currentColor" stroke-width="1.75" stroke-linejoin="round"><path d="M3 6.5A1.5 1.5 0 0 1 4.5 5h4.25l2 2.25h8.75A1.5 1.5 0 0 1 21 8.75V18a1.5 1.5 0 0 1-1.5 1.5h-15A1.5 1.5 0 0 1 3 18z"/></svg>`;

/** A bin, on Abort: the one action that deletes, marked by shape as well as colour. */
export const deleteIcon = svg`<svg class="button-icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false" fill="none"
  stroke="currentColor" stroke-width="1.75" stroke-linejoin="round" stroke-linecap="round"><path d="M4.5 6.5h15M9.5 6.5V4h5v2.5M6.5 6.5l1 13.5h9l1-13.5M10 10v6.5M14 10v6.5"/></svg>`;
