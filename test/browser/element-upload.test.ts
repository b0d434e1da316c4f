// <oss-uploader> driven as a person does: pick, drop or paste files, press buttons found by
// their accessible names, then look at what landed in the real store.
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { TokenEndpointCredentials, UploadError, type Credentials, type CredentialsProvider } from '../../src/core/index.js';
import '../../src/define.js';
import type { OssUploader } from '../../src/index.js';
import { getObject, listUploads, makeFile, sha256Hex, uniqueUser } from './helpers.js';
import { button, buttons, dropZone, once, pick, root, row, rowButtonNames, stateOf, succeeded, tokenUrl } from './element-helpers.js';

const KiB = 1024;

function prefix(user: string): string {
  return `uploads/${user}/`;
}

async function expectStored(key: string, file: File): Promise<void> {
  const stored = await getObject(key);
  expect(stored.missing, `${key} is missing`).to.equal(false);
  expect(stored.size).to.equal(file.size);
  expect(stored.sha256).to.equal(await sha256Hex(file));
}

function untilState(el: OssUploader, fileName: string, state: string, timeout = 20_000): Promise<void> {
  return waitUntil(() => stateOf(el, fileName) === state, `${fileName} never became ${state} (is ${stateOf(el, fileName)})`, { timeout });
}

describe('<oss-uploader>: uploads', () => {
  it('uploads a picked file: success event with key, etag, crc64; the bytes are in the store', async () => {
    const user = uniqueUser();
    const el = await fixture<OssUploader>(html`<oss-uploader token-url=${tokenUrl(user)} auto-start></oss-uploader>`);
    const file = makeFile(300 * KiB, 'report.bin', 11);
    const started = once(el, 'oss-start');
    const success = succeeded(el);
    const complete = once(el, 'oss-complete');
    pick(el, [file]);
    expect((await started).detail.file).to.equal(file);
    const { detail } = await success;
    expect(detail.key).to.equal(`${prefix(user)}report.bin`);
    expect(detail.etag).to.be.a('string').and.not.equal('');
    expect(detail.crc64).to.match(/^\d+$/);
    expect(detail.location).to.contain('report.bin');
    expect(detail.verified).to.equal(true);
    const stored = await getObject(detail.key);
    expect(stored.crc64).to.equal(detail.crc64);
    await expectStored(detail.key, file);
    expect((await complete).detail.successful.map((s) => s.key)).to.deep.equal([detail.key]);
    await el.updateComplete;
    expect(stateOf(el, 'report.bin')).to.equal('done');
    expect(rowButtonNames(el, 'report.bin')).to.deep.equal(['Remove']);
    expect(el.value).to.deep.equal([detail.key]);
  });

  it('two different files with the same name, one picked now and one later, both land: nothing is overwritten', async () => {
    const user = uniqueUser();
    const el = await fixture<OssUploader>(html`<oss-uploader token-url=${tokenUrl(user)} multiple auto-start part-size="100KiB"></oss-uploader>`);
    // Two at once (a small one and a multipart one, both "photo.jpg" from different folders)…
    const first = [makeFile(20 * KiB, 'photo.jpg', 71), makeFile(250 * KiB, 'photo.jpg', 72)];
    const done = once(el, 'oss-complete');
    pick(el, first);
    expect((await done).detail.successful).to.have.length(2);
    // …and a third one later, after both are stored.
    const later = makeFile(30 * KiB, 'photo.jpg', 73);
    const success = succeeded(el);
    pick(el, [later]);
    await success;
    const byFile = new Map(el.uploads.map((u) => [u.file, u.key!]));
    const keys = [...first, later].map((f) => byFile.get(f)!);
    expect(new Set(keys).size).to.equal(3);
    expect(keys.every((k) => /^uploads\/[^/]+\/photo( \(\d\))?\.jpg$/.test(k)), keys.join(', ')).to.equal(true);
    for (const [i, f] of [...first, later].entries()) await expectStored(keys[i]!, f);
  });

  it('multipart: part-size and concurrency attributes reach the engine', async () => {
    const user = uniqueUser();
    const el = await fixture<OssUploader>(html`<oss-uploader token-url=${tokenUrl(user)} part-size="100KiB" concurrency="2" auto-start></oss-uploader>`);
    const file = makeFile(450 * KiB, 'parts.bin', 12);
    const progress: number[] = [];
    el.addEventListener('oss-progress', (e) => progress.push(e.detail.progress.partsTotal));
    const success = succeeded(el);
    pick(el, [file]);
    const { detail } = await success;
    expect(progress[0]).to.equal(5);
    await expectStored(detail.key, file);
  });

  it('without auto-start, the Upload button starts every file', async () => {
    const user = uniqueUser();
    const el = await fixture<OssUploader>(html`<oss-uploader token-url=${tokenUrl(user)} multiple></oss-uploader>`);
    const files = [makeFile(10 * KiB, 'one.bin', 1), makeFile(20 * KiB, 'two.bin', 2)];
    pick(el, files);
    await el.updateComplete;
    expect(rowButtonNames(el, 'one.bin')).to.deep.equal(['Remove']);
    const complete = once(el, 'oss-complete');
    button(el, 'Upload 2 files').click();
    const { detail } = await complete;
    expect(detail.successful.map((s) => s.key).sort()).to.deep.equal([`${prefix(user)}one.bin`, `${prefix(user)}two.bin`]);
    for (const f of files) await expectStored(`${prefix(user)}${f.name}`, f);
  });

  it('uploads dropped files', async () => {
    const user = uniqueUser();
    const el = await fixture<OssUploader>(html`<oss-uploader token-url=${tokenUrl(user)} multiple auto-start></oss-uploader>`);
    const files = [makeFile(5 * KiB, 'a.bin', 3), makeFile(7 * KiB, 'b.bin', 4)];
    const dt = new DataTransfer();
    for (const f of files) dt.items.add(f);
    const over = new DragEvent('dragover', { dataTransfer: dt, bubbles: true, composed: true, cancelable: true });
    dropZone(el).dispatchEvent(over);
    expect(over.defaultPrevented, 'dragover accepted').to.equal(true);
    const complete = once(el, 'oss-complete');
    const drop = new DragEvent('drop', { dataTransfer: dt, bubbles: true, composed: true, cancelable: true });
    dropZone(el).dispatchEvent(drop);
    expect(drop.defaultPrevented, 'the browser does not open the file').to.equal(true);
    expect((await complete).detail.successful).to.have.length(2);
    for (const f of files) await expectStored(`${prefix(user)}${f.name}`, f);
  });

  it('uploads a dropped folder recursively, keeping relative paths in the keys', async () => {
    const user = uniqueUser();
    const el = await fixture<OssUploader>(html`<oss-uploader token-url=${tokenUrl(user)} multiple auto-start></oss-uploader>`);
    const a = makeFile(3 * KiB, 'a.bin', 5);
    const b = makeFile(4 * KiB, 'b.bin', 6);
    const c = makeFile(5 * KiB, 'c.bin', 7);
    // The FileSystem entries a folder drop yields (a script cannot make real ones).
    const fileEntry = (path: string, f: File) => ({ isFile: true, isDirectory: false, name: f.name, fullPath: path, file: (ok: (f: File) => void) => ok(f) });
    const dirEntry = (path: string, children: object[]) => {
      const batches = [children.slice(0, 1), children.slice(1), []];
      return { isFile: false, isDirectory: true, fullPath: path, createReader: () => ({ readEntries: (ok: (e: object[]) => void) => ok(batches.shift() ?? []) }) };
    };
    const folder = dirEntry('/photos', [fileEntry('/photos/a.bin', a), dirEntry('/photos/2024', [fileEntry('/photos/2024/b.bin', b)])]);
    const dataTransfer = {
      types: ['Files'],
      files: [c],
      items: [
        { kind: 'file', webkitGetAsEntry: () => folder, getAsFile: () => null },
        { kind: 'file', webkitGetAsEntry: () => null, getAsFile: () => c },
      ],
    };
    const drop = new Event('drop', { bubbles: true, composed: true, cancelable: true });
    Object.defineProperty(drop, 'dataTransfer', { value: dataTransfer });
    const complete = once(el, 'oss-complete');
    dropZone(el).dispatchEvent(drop);
    const keys = (await complete).detail.successful.map((s) => s.key).sort();
    expect(keys).to.deep.equal([`${prefix(user)}c.bin`, `${prefix(user)}photos/2024/b.bin`, `${prefix(user)}photos/a.bin`]);
    await expectStored(`${prefix(user)}photos/2024/b.bin`, b);
    expect(row(el, 'photos/2024/b.bin')).to.exist;
  });

  it('uploads a pasted file', async () => {
    const user = uniqueUser();
    const el = await fixture<OssUploader>(html`<oss-uploader token-url=${tokenUrl(user)} auto-start></oss-uploader>`);
    const file = makeFile(6 * KiB, 'pasted.bin', 8);
    const dt = new DataTransfer();
    dt.items.add(file);
    const success = succeeded(el);
    const paste = new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, composed: true, cancelable: true });
    dropZone(el).dispatchEvent(paste);
    expect(paste.defaultPrevented).to.equal(true);
    await expectStored((await success).detail.key, file);
  });

  it('Cancel stops the upload, Resume finishes it with the same multipart upload', async () => {
    const user = uniqueUser();
    const el = await fixture<OssUploader>(html`<oss-uploader token-url=${tokenUrl(user)} part-size="100KiB" concurrency="1" auto-start></oss-uploader>`);
    const file = makeFile(2000 * KiB, 'big.bin', 9);
    const events: string[] = [];
    for (const type of ['oss-cancel', 'oss-resume', 'oss-success'] as const) el.addEventListener(type, () => events.push(type));
    el.addEventListener('oss-progress', () => {
      const cancel = buttons(el, 'Cancel', row(el, 'big.bin'))[0];
      if (cancel && !events.includes('oss-cancel')) cancel.click();
    });
    pick(el, [file]);
    await untilState(el, 'big.bin', 'cancelled');
    await el.updateComplete;
    expect(rowButtonNames(el, 'big.bin')).to.deep.equal(['Resume', 'Remove', 'Abort']);
    expect(row(el, 'big.bin').querySelector('[part="state"]')!.textContent).to.equal('Paused, can be resumed');
    const open = await listUploads(prefix(user));
    expect(open).to.have.length(1);
    const success = succeeded(el);
    button(el, 'Resume', row(el, 'big.bin')).click();
    const { detail } = await success;
    await expectStored(detail.key, file);
    expect(events).to.deep.equal(['oss-cancel', 'oss-resume', 'oss-success']);
    expect(await listUploads(prefix(user))).to.deep.equal([]);
  });

  it('Abort deletes the multipart upload: nothing is left on the store', async () => {
    const user = uniqueUser();
    const el = await fixture<OssUploader>(html`<oss-uploader token-url=${tokenUrl(user)} part-size="100KiB" concurrency="1" auto-start></oss-uploader>`);
    const file = makeFile(2000 * KiB, 'gone.bin', 10);
    let pressed = false;
    el.addEventListener('oss-progress', (e) => {
      if (pressed || e.detail.progress.partsDone < 2) return;
      pressed = true;
      button(el, 'Abort', row(el, 'gone.bin')).click();
      // It asks first, inside the row; the answer runs it.
      void el.updateComplete.then(() => button(el, 'Abort upload', row(el, 'gone.bin')).click());
    });
    const aborted = once(el, 'oss-abort');
    pick(el, [file]);
    const { detail } = await aborted;
    expect(detail.confirmed).to.equal(true);
    expect(stateOf(el, 'gone.bin')).to.equal('aborted');
    await el.updateComplete;
    expect(rowButtonNames(el, 'gone.bin')).to.deep.equal(['Remove']);
    expect(await listUploads(prefix(user))).to.deep.equal([]);
    expect((await getObject(detail.key!)).missing).to.equal(true);
  });

  it('Retry after a failure uploads the file; the error showed on the row first', async () => {
    const user = uniqueUser();
    const el = await fixture<OssUploader>(html`<oss-uploader auto-start></oss-uploader>`);
    el.credentials = new FlakyCredentials(tokenUrl(user), 1);
    const file = makeFile(20 * KiB, 'flaky.bin', 13);
    const failed = once(el, 'oss-error');
    pick(el, [file]);
    const { detail } = await failed;
    expect(detail.error).to.be.instanceOf(UploadError);
    expect(detail.error.code).to.equal('CredentialsError');
    await el.updateComplete;
    expect(rowButtonNames(el, 'flaky.bin')).to.deep.equal(['Retry', 'Remove']);
    const error = row(el, 'flaky.bin').querySelector('[part="error"]')!.textContent!;
    expect(error).to.contain('Could not get permission to upload.').and.contain('signed out');
    const success = succeeded(el);
    button(el, 'Retry', row(el, 'flaky.bin')).click();
    await expectStored((await success).detail.key, file);
    await el.updateComplete;
    expect(row(el, 'flaky.bin').querySelector('[part="error"]')).to.equal(null);
  });

  it('an error from the store shows its message and request id', async () => {
    const user = uniqueUser();
    const el = await fixture<OssUploader>(html`<oss-uploader token-url=${tokenUrl(user)} auto-start></oss-uploader>`);
    el.keyFor = () => 'someone-else/intruder.bin'; // outside the token's prefix: the store refuses
    const failed = once(el, 'oss-error');
    pick(el, [makeFile(4 * KiB, 'intruder.bin', 14)]);
    const { error } = (await failed).detail;
    expect(error.code).to.equal('AccessDenied');
    expect(error.status).to.equal(403);
    expect(error.requestId).to.match(/^[0-9A-F]{24}$/);
    await el.updateComplete;
    const shown = row(el, 'intruder.bin');
    expect(shown.querySelector('[part="request-id"]')!.textContent).to.equal(`Request ID: ${error.requestId}`);
    expect(shown.querySelector('[part="error-text"]')!.textContent).to.equal('You are not allowed to upload this file here. Ask the site’s administrator.');
    expect(shown.querySelector('[part="error"]')!.textContent).to.contain('AccessDenied');
  });

  it('clear() while a file uploads still ends the batch with oss-complete, and leaves nothing on the store', async () => {
    const user = uniqueUser();
    const el = await fixture<OssUploader>(html`<oss-uploader token-url=${tokenUrl(user)} part-size="100KiB" concurrency="1" auto-start></oss-uploader>`);
    const started = once(el, 'oss-start');
    const complete = once(el, 'oss-complete');
    pick(el, [makeFile(2000 * KiB, 'cleared.bin', 21)]);
    await started;
    el.clear();
    const { detail } = await complete;
    expect(detail.successful).to.deep.equal([]);
    expect(detail.stopped.map((d) => d.file.name)).to.deep.equal(['cleared.bin']);
    await waitUntil(async () => (await listUploads(`uploads/${user}/`)).length === 0, 'the upload was not aborted', { timeout: 10_000 });
  });

  it('Remove takes the row away and aborts what it left on the store', async () => {
    const user = uniqueUser();
    const el = await fixture<OssUploader>(html`<oss-uploader token-url=${tokenUrl(user)} part-size="100KiB" concurrency="1" multiple auto-start></oss-uploader>`);
    const file = makeFile(1500 * KiB, 'unwanted.bin', 15);
    // Cancelled after a part of its own is on the store (kept.bin's progress must not cancel it before its Initiate).
    el.addEventListener('oss-progress', (e) => {
      if (e.detail.file.name === 'unwanted.bin') buttons(el, 'Cancel', row(el, 'unwanted.bin'))[0]?.click();
    });
    pick(el, [file, makeFile(1 * KiB, 'kept.bin', 16)]);
    await untilState(el, 'unwanted.bin', 'cancelled');
    await untilState(el, 'kept.bin', 'done');
    await el.updateComplete;
    expect(await listUploads(prefix(user))).to.have.length(1);
    button(el, 'Remove', row(el, 'unwanted.bin')).click();
    await el.updateComplete;
    // Its parts are on the store: Remove asks first.
    expect(el.uploads.map((u) => u.name)).to.deep.equal(['unwanted.bin', 'kept.bin']);
    button(el, 'Remove and delete parts', row(el, 'unwanted.bin')).click();
    await el.updateComplete;
    expect(el.uploads.map((u) => u.name)).to.deep.equal(['kept.bin']);
    await waitUntil(async () => (await listUploads(prefix(user))).length === 0, 'the cancelled upload was not aborted', { timeout: 10_000 });
  });

  it('a file picked again after an interruption (a "reload") offers Resume and continues the same upload', async () => {
    const user = uniqueUser();
    const first = await fixture<OssUploader>(html`<oss-uploader token-url=${tokenUrl(user)} part-size="100KiB" concurrency="1" auto-start></oss-uploader>`);
    const file = makeFile(1500 * KiB, 'holiday.bin', 17);
    first.addEventListener('oss-progress', (e) => {
      if (e.detail.progress.partsDone >= 3) buttons(first, 'Cancel')[0]?.click();
    });
    pick(first, [file]);
    await untilState(first, 'holiday.bin', 'cancelled');
    const [open] = await listUploads(prefix(user));
    expect(open).to.exist;
    first.remove();

    // A new page: a new element, and the same file picked again as a new File object.
    const second = await fixture<OssUploader>(html`<oss-uploader token-url=${tokenUrl(user)} part-size="100KiB" auto-start></oss-uploader>`);
    const again = new File([await file.arrayBuffer()], 'holiday.bin', { type: file.type, lastModified: file.lastModified });
    pick(second, [again]);
    await untilState(second, 'holiday.bin', 'interrupted');
    await waitUntil(() => /uploaded/.test(row(second, 'holiday.bin').querySelector('[part="state"]')!.textContent!), 'no percentage', { timeout: 5000 });
    expect(row(second, 'holiday.bin').querySelector('[part="state"]')!.textContent).to.match(/^Interrupted earlier with \d+% uploaded\. Resume it\?$/);
    expect(rowButtonNames(second, 'holiday.bin')).to.deep.equal(['Resume', 'Remove', 'Abort']);
    const firstProgress = once(second, 'oss-progress');
    const success = succeeded(second);
    button(second, 'Resume', row(second, 'holiday.bin')).click();
    expect((await firstProgress).detail.progress.committedBytes, 'went on from the parts on the store').to.be.at.least(300 * KiB);
    await expectStored((await success).detail.key, file);
    expect(await listUploads(prefix(user))).to.deep.equal([]);
  });

  it('puts no credentials in events or in the DOM', async () => {
    const user = uniqueUser();
    const handedOut: Credentials[] = [];
    const el = await fixture<OssUploader>(html`<oss-uploader part-size="100KiB" auto-start multiple></oss-uploader>`);
    const creds = new FlakyCredentials(tokenUrl(user), 0);
    creds.onCredentials = (c) => handedOut.push(c);
    el.credentials = creds;
    const details: unknown[] = [];
    for (const type of ['oss-files-added', 'oss-start', 'oss-progress', 'oss-success', 'oss-error', 'oss-complete'] as const) {
      el.addEventListener(type, (e) => details.push(e.detail));
    }
    el.keyFor = (f, t) => (f.name === 'denied.bin' ? 'elsewhere/denied.bin' : t.keyPrefix + (f.name ?? 'x'));
    const complete = once(el, 'oss-complete');
    pick(el, [makeFile(250 * KiB, 'fine.bin', 18), makeFile(2 * KiB, 'denied.bin', 19)]);
    await complete;
    expect(handedOut.length).to.be.greaterThan(0);
    const seen = JSON.stringify(details, (_k, v) => (v instanceof Error ? { ...v, message: v.message, stack: v.stack } : v))
      + root(el).innerHTML + el.outerHTML;
    for (const c of handedOut) {
      expect(seen).not.to.contain(c.accessKeySecret);
      expect(seen).not.to.contain(c.securityToken!);
      expect(seen).not.to.contain(c.accessKeyId);
    }
  });
});

/** Token endpoint credentials whose first `failures` fetches fail, as an endpoint that is briefly down. */
class FlakyCredentials implements CredentialsProvider {
  private readonly inner: TokenEndpointCredentials;
  onCredentials: ((c: Credentials) => void) | undefined;
  constructor(url: string, private failures: number) {
    this.inner = new TokenEndpointCredentials({ url });
  }
  async get(signal?: AbortSignal): Promise<Credentials> {
    if (this.failures > 0) {
      this.failures--;
      // Terminal (the engine retries 5xx from the token endpoint by itself): signed out.
      throw new UploadError('CredentialsError', 'The token endpoint refused: signed out (HTTP 401).', { status: 401 });
    }
    const c = await this.inner.get(signal);
    this.onCredentials?.(c);
    return c;
  }
  invalidate(stale: Credentials): void {
    this.inner.invalidate(stale);
  }
  target(signal?: AbortSignal) {
    return this.inner.target(signal);
  }
}
