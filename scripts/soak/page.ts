/**
 * The soak's page: one `<oss-uploader>` configured from the query string, as an application
 * would embed it, and a log of its documented `oss-*` events sent to the soak (through a
 * function the soak exposes), serialized whole so a leak check can read every field.
 * Nothing here reaches into the element: the soak drives it with the file picker and buttons.
 */
import '../../src/define.js';

declare global {
  interface Window {
    soakEvent?: (line: string) => void;
  }
}

const EVENTS = ['oss-files-added', 'oss-start', 'oss-progress', 'oss-success', 'oss-error', 'oss-cancel', 'oss-resume', 'oss-abort', 'oss-complete'];

/** JSON of anything an event carries: Files by name and size, errors with every own field. */
function serialize(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => {
    if (v instanceof File) return { file: v.name, size: v.size };
    if (v instanceof Error) {
      const out: Record<string, unknown> = { name: v.name, message: v.message };
      for (const k of Object.keys(v)) out[k] = (v as unknown as Record<string, unknown>)[k];
      return out;
    }
    if (typeof v === 'bigint') return v.toString();
    return v;
  });
}

const q = new URLSearchParams(location.search);
const el = document.createElement('oss-uploader');
const token = new URLSearchParams({ user: q.get('user') ?? 'soak' });
if (q.get('dialect')) token.set('dialect', q.get('dialect')!);
el.setAttribute('token-url', `/api/sts-token?${token}`);
el.setAttribute('multiple', '');
if (q.get('part')) el.setAttribute('part-size', q.get('part')!);
document.getElementById('app')!.append(el);

for (const type of EVENTS) {
  el.addEventListener(type, (e) => {
    window.soakEvent?.(serialize({ type, detail: (e as CustomEvent).detail }));
  });
}
window.addEventListener('unhandledrejection', (e) => {
  window.soakEvent?.(serialize({ type: 'unhandledrejection', detail: { reason: String((e.reason as Error)?.stack ?? e.reason) } }));
});
window.addEventListener('error', (e) => {
  window.soakEvent?.(serialize({ type: 'pageerror', detail: { message: e.message } }));
});
