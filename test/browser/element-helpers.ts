// How the element tests see <oss-uploader>: as a person does, through its shadow root —
// buttons by accessible name, rows by file name, files through the picker.
import type { OssUploader } from '../../src/index.js';

/** The next oss-success of `el`; rejects at once on an oss-error instead of timing out. */
export function succeeded(el: HTMLElement): Promise<GlobalEventHandlersEventMap['oss-success']> {
  return new Promise((resolve, reject) => {
    el.addEventListener('oss-success', (e) => resolve(e), { once: true });
    el.addEventListener('oss-error', (e) => reject(new Error(`upload failed: ${e.detail.error.code}: ${e.detail.error.message}`)), { once: true });
  });
}

/** The next `type` event of `el`, typed from GlobalEventHandlersEventMap. */
export function once<K extends keyof GlobalEventHandlersEventMap>(el: EventTarget, type: K): Promise<GlobalEventHandlersEventMap[K]> {
  return new Promise((resolve) => el.addEventListener(type, (e) => resolve(e as GlobalEventHandlersEventMap[K]), { once: true }));
}

export function root(el: OssUploader): ShadowRoot {
  return el.shadowRoot!;
}

/** The accessible name of a button: aria-label, else its text. */
export function nameOf(b: Element): string {
  return (b.getAttribute('aria-label') ?? b.textContent ?? '').replace(/\s+/g, ' ').trim();
}

/** The buttons named `name` (in `within`, default the whole shadow root). */
export function buttons(el: OssUploader, name: string, within: ParentNode = root(el)): HTMLButtonElement[] {
  return [...within.querySelectorAll('button')].filter((b) => nameOf(b) === name);
}

export function button(el: OssUploader, name: string, within?: ParentNode): HTMLButtonElement {
  const found = buttons(el, name, within);
  if (found.length === 0) throw new Error(`no button named "${name}"`);
  return found[0]!;
}

/** The row showing `fileName`. */
export function row(el: OssUploader, fileName: string): HTMLElement {
  const r = [...root(el).querySelectorAll<HTMLElement>('[part~="item"]')].find((li) => li.querySelector('[part="name"]')?.textContent === fileName);
  if (!r) throw new Error(`no row for ${fileName}`);
  return r;
}

export function rowButtonNames(el: OssUploader, fileName: string): string[] {
  return [...row(el, fileName).querySelectorAll('button')].map(nameOf);
}

export function stateOf(el: OssUploader, fileName: string): string {
  return el.uploads.find((u) => u.name === fileName)?.state ?? 'missing';
}

/** Picks files with the element's file input, as the browser's picker does. */
export function pick(el: OssUploader, files: File[]): void {
  const input = root(el).querySelector<HTMLInputElement>('input[type=file]')!;
  const dt = new DataTransfer();
  for (const f of files) dt.items.add(f);
  input.files = dt.files;
  input.dispatchEvent(new Event('change', { bubbles: true }));
}

export function dropZone(el: OssUploader): HTMLButtonElement {
  return root(el).querySelector<HTMLButtonElement>('[part~="drop-zone"]')!;
}

/** Messages the element shows (restrictions, errors). */
export function messages(el: OssUploader): string[] {
  return [...root(el).querySelectorAll('[part="message"]')].map((m) => m.textContent!.trim());
}

export const tokenUrl = (user: string) => `/api/sts-token?user=${user}`;
