/**
 * What the three demo pages share: the element's registration, the header (navigation and
 * language), and an event log that shows each `oss-*` event's detail as text.
 */
import '../src/define.js';

const EVENTS = [
  'oss-files-added', 'oss-start', 'oss-success', 'oss-error', 'oss-cancel', 'oss-resume', 'oss-abort', 'oss-complete', 'oss-incomplete-abort',
] as const;

/** A one-line summary of an event's detail (no credentials are ever in one). */
function summary(type: string, detail: Record<string, unknown>): string {
  const file = detail['file'] instanceof File ? (detail['file'].webkitRelativePath || detail['file'].name) : undefined;
  switch (type) {
    case 'oss-files-added': return `${(detail['files'] as File[]).length} file(s)`;
    case 'oss-success': return `${detail['key']} etag=${detail['etag']} crc64=${detail['crc64']}`;
    case 'oss-error': {
      const e = detail['error'] as { code: string; message: string; requestId?: string };
      return `${file}: ${e.code} ${e.message}${e.requestId ? ` (request ${e.requestId})` : ''}`;
    }
    case 'oss-abort': return `${file ?? detail['key']} confirmed=${detail['confirmed']}`;
    case 'oss-incomplete-abort': return `${detail['key']} confirmed=${detail['confirmed']}`;
    case 'oss-complete': {
      const d = detail as { successful: unknown[]; failed: unknown[]; stopped: unknown[] };
      return `${d.successful.length} done, ${d.failed.length} failed, ${d.stopped.length} stopped`;
    }
    default: return file ?? '';
  }
}

/** Logs the `oss-*` events that reach `target` into the list `log` (newest first, at most 50). */
export function logEvents(target: EventTarget, log: HTMLElement): void {
  for (const type of EVENTS) {
    target.addEventListener(type, (e) => {
      const li = document.createElement('li');
      li.textContent = `${new Date().toLocaleTimeString()} ${type} ${summary(type, (e as CustomEvent).detail ?? {})}`;
      log.prepend(li);
      while (log.children.length > 50) log.lastElementChild!.remove();
    });
  }
}

/** The language picker in the header sets `lang` on the page, which the elements follow. */
export function languagePicker(select: HTMLSelectElement): void {
  const saved = localStorage.getItem('oss-demo-lang');
  if (saved) select.value = saved;
  const apply = () => {
    document.documentElement.lang = select.value;
    localStorage.setItem('oss-demo-lang', select.value);
  };
  select.addEventListener('change', apply);
  apply();
}
