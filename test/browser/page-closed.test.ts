// A page closed the moment Abort is pressed (what `npm run soak` saw once: Abort pressed on
// a page as it was reloaded left the upload on the store). The page is an iframe, removed
// at a chosen moment: its requests and its document go away as a closed tab's do.
import { expect } from '@open-wc/testing';
import { IndexedDbResumeStore, type OssUploader } from '../../src/index.js';
import '../../src/define.js';
import { button, pick, row, tokenUrl } from './element-helpers.js';
import { listUploads, makeFile, storeOp, uniqueUser, until } from './helpers.js';

const KiB = 1024;


/** A page with the library loaded, to be closed with `iframe.remove()`. */
async function openPage(): Promise<{ iframe: HTMLIFrameElement; win: Window & typeof globalThis }> {
  const iframe = document.createElement('iframe');
  iframe.src = new URL('./fixtures/closing-page.html', import.meta.url).href;
  document.body.append(iframe);
  const win = iframe.contentWindow as Window & typeof globalThis;
  await until(() => win.library !== undefined);
  return { iframe, win };
}

describe('a page closed while an abort runs', () => {
  it('Abort pressed, page closed in the next instant: the next visit finishes the abort without a file being picked', async () => {
    const user = uniqueUser();
    const db = `oss-uploader-test-${user}`;
    const { iframe, win } = await openPage();
    const first = win.document.createElement('oss-uploader') as OssUploader;
    first.setAttribute('token-url', tokenUrl(user));
    first.setAttribute('part-size', String(100 * KiB));
    first.setAttribute('concurrency', '1');
    first.resumeStore = new win.library!.IndexedDbResumeStore(db);
    win.document.body.append(first);
    await first.updateComplete;
    pick(first, [makeFile(450 * KiB, 'closing.bin', 31)]);
    await first.updateComplete;
    button(first, 'Upload 1 file').click();
    await until(() => (first.uploads[0]?.progress.partsDone ?? 0) >= 1);

    button(first, 'Abort', row(first, 'closing.bin')).click();
    await first.updateComplete;
    button(first, 'Abort upload').click();
    await new Promise((r) => setTimeout(r, 0));
    iframe.remove(); // the page is gone in the next task

    // The abort was owed before anything else happened: the journal survived the page (or
    // the first DELETE, sent with keepalive, already deleted the upload).
    const owed = await new IndexedDbResumeStore(db).pendingAborts();
    const left = await listUploads(`uploads/${user}/`);
    expect(owed.length === 1 || left.length === 0, 'journaled, or already deleted').to.equal(true);

    // The next visit: the same page, nothing picked.
    const next = document.createElement('oss-uploader') as OssUploader;
    next.setAttribute('token-url', tokenUrl(user));
    next.resumeStore = new IndexedDbResumeStore(db);
    document.body.append(next);
    await until(async () => (await listUploads(`uploads/${user}/`)).length === 0 && (await new IndexedDbResumeStore(db).pendingAborts()).length === 0);
    next.remove();
    indexedDB.deleteDatabase(db);
  });

  it('the abort\'s DELETE goes out before a slow network has let go of the parts, and outlives the page closed as it leaves', async () => {
    const user = uniqueUser();
    const { iframe, win } = await openPage();
    const sent: string[] = [];
    let holdParts = false;
    const fetchOfPage: typeof fetch = (input, init) => {
      const op = storeOp(input, init);
      sent.push(`${op}${init?.keepalive ? ' keepalive' : ''}`);
      if (op === 'UploadPart' && holdParts) {
        // A slow network: the part lets go of its connection only 10 s after the cancel.
        return new Promise((_, reject) => init!.signal!.addEventListener('abort', () => setTimeout(() => reject(new DOMException('aborted', 'AbortError')), 10_000)));
      }
      const answer = win.fetch(input, init);
      if (op === 'Abort') iframe.remove(); // the page closes in the same task the DELETE leaves
      return answer;
    };
    const client = new win.library!.UploadClient({
      tokenUrl: tokenUrl(user), fetch: fetchOfPage, partSize: 100 * KiB, concurrency: 1,
      resumeStore: new win.library!.MemoryResumeStore(), // nothing journaled: only the DELETE can do it
    });
    const upload = client.createUpload(makeFile(450 * KiB, 'keepalive.bin', 32));
    upload.start().catch(() => undefined);
    await until(() => upload.progress.partsDone >= 1);
    holdParts = true;
    await until(() => sent.filter((s) => s === 'UploadPart').length >= 3); // the next part is on its way, held
    upload.abort().catch(() => undefined);

    await until(() => !iframe.isConnected, 3000);
    expect(sent).to.include('Abort keepalive');
    await until(async () => (await listUploads(`uploads/${user}/`)).length === 0);
  });
});
