/**
 * `<oss-uploader>` itself on the page (the registered element, Lit and the engine), with
 * the file added by `addFiles` and `auto-start`: the run that says whether the page's main
 * thread stays free with the element rendering progress.
 */
// Imported by name: the package marks only dist/define.js as having side effects, so a bare
// import of the source file would be dropped by the bundler.
import { OssUploader } from '../../src/define.js';
import type { ContestantModule, Session, StartOptions } from '../page/contract.js';

export function start(file: File, opts: StartOptions): Session {
  if (customElements.get('oss-uploader') !== OssUploader) throw new Error('<oss-uploader> is not registered');
  const el = document.createElement('oss-uploader');
  el.tokenUrl = opts.tokenUrl;
  el.autoStart = true;
  el.keyFor = () => opts.key;
  if (opts.partSize) el.partSize = opts.partSize;
  if (opts.concurrency) el.concurrency = opts.concurrency;
  document.body.append(el);
  const done = new Promise<Record<string, unknown>>((resolve, reject) => {
    el.addEventListener('oss-success', (e) => resolve({ crc64: (e as CustomEvent<{ crc64: string }>).detail.crc64 }), { once: true });
    el.addEventListener('oss-error', (e) => reject(new Error(String((e as CustomEvent<{ error: unknown }>).detail.error))), { once: true });
  }).finally(() => el.remove());
  void el.addFiles([file]);
  return { done, cancel: () => el.clear() };
}

const _check: ContestantModule = { start };
void _check;
