// <oss-uploader> used as a person does, for what the first try found missing: destructive
// actions ask first (answered by keyboard), states and the summary read right after aborts,
// the batch line (speed, time left, Cancel all, Resume all), errors in plain words in both
// languages, messages that can be dismissed and go by themselves, paste anywhere
// (`paste-target`), and the folder picker.
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { AbortRefused, ErrorKind, UploadError } from '../../src/core/index.js';
import '../../src/define.js';
import { errorClass } from '../../src/element/error-class.js';
import { en } from '../../src/element/translations/en.js';
import { zhCN } from '../../src/element/translations/zh-cn.js';
import type { OssUploader } from '../../src/index.js';
import { getObject, listUploads, makeFile, sha256Hex, uniqueUser } from './helpers.js';
import { button, buttons, dropZone, messages, nameOf, once, pick, root, row, rowButtonNames, stateOf, succeeded, tokenUrl } from './element-helpers.js';

const KiB = 1024;

function untilState(el: OssUploader, fileName: string, state: string, timeout = 20_000): Promise<void> {
  return waitUntil(() => stateOf(el, fileName) === state, `${fileName} never became ${state} (is ${stateOf(el, fileName)})`, { timeout });
}

function focused(el: OssUploader): string {
  return nameOf(root(el).activeElement!);
}

async function tabTo(el: OssUploader, name: string, limit = 20): Promise<void> {
  for (let i = 0; i < limit; i++) {
    if (root(el).activeElement && focused(el) === name) return;
    await sendKeys({ press: 'Tab' });
  }
  throw new Error(`Tab never reached "${name}" (at "${focused(el)}")`);
}

/** An element with one upload cancelled after its first parts (its parts are on the store). */
async function pausedUpload(name: string, opts: { multiple?: boolean } = {}): Promise<{ el: OssUploader; user: string }> {
  const user = uniqueUser();
  const el = await fixture<OssUploader>(opts.multiple
    ? html`<oss-uploader token-url=${tokenUrl(user)} part-size="100KiB" concurrency="1" multiple auto-start></oss-uploader>`
    : html`<oss-uploader token-url=${tokenUrl(user)} part-size="100KiB" concurrency="1" auto-start></oss-uploader>`);
  const onProgress = (e: GlobalEventHandlersEventMap['oss-progress']) => {
    if (e.detail.file.name !== name || e.detail.progress.partsDone < 2) return;
    el.removeEventListener('oss-progress', onProgress);
    button(el, 'Cancel', row(el, name)).click();
  };
  el.addEventListener('oss-progress', onProgress);
  pick(el, [makeFile(1500 * KiB, name, 41)]);
  await untilState(el, name, 'cancelled');
  await el.updateComplete;
  return { el, user };
}

describe('<oss-uploader>: confirmations', () => {
  it('Abort asks inside the row; Escape keeps the upload, the confirm button aborts it; all by keyboard', async () => {
    const { el, user } = await pausedUpload('keep-or-not.bin');
    expect(await listUploads(`uploads/${user}/`)).to.have.length(1);
    const abort = button(el, 'Abort', row(el, 'keep-or-not.bin'));
    expect(getComputedStyle(abort).color, 'Abort is not drawn like Cancel/Resume').to.not.equal(getComputedStyle(button(el, 'Resume')).color);
    expect(abort.querySelector('svg'), 'and has an icon of its own').to.exist;

    dropZone(el).focus();
    await tabTo(el, 'Abort');
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    // The question is a labelled group; the safe answer has focus.
    const group = root(el).querySelector('[part="confirm"]')!;
    expect(group.getAttribute('role')).to.equal('group');
    expect(root(el).getElementById(group.getAttribute('aria-labelledby')!)!.textContent)
      .to.equal('Abort “keep-or-not.bin”? The parts already uploaded are deleted and it cannot be resumed.');
    expect(focused(el)).to.equal('Keep');
    await expect(el).to.be.accessible();
    await sendKeys({ press: 'Escape' });
    await el.updateComplete;
    expect(root(el).querySelector('[part="confirm"]')).to.equal(null);
    expect(focused(el), 'focus back on Abort').to.equal('Abort');
    expect(stateOf(el, 'keep-or-not.bin')).to.equal('cancelled');
    expect(await listUploads(`uploads/${user}/`)).to.have.length(1);

    // Keep, by Enter, also keeps it.
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    expect(focused(el)).to.equal('Keep');
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    expect(stateOf(el, 'keep-or-not.bin')).to.equal('cancelled');

    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    await sendKeys({ down: 'Shift' });
    await sendKeys({ press: 'Tab' });
    await sendKeys({ up: 'Shift' });
    expect(focused(el)).to.equal('Abort upload');
    const aborted = once(el, 'oss-abort');
    await sendKeys({ press: 'Enter' });
    expect((await aborted).detail.confirmed).to.equal(true);
    expect(await listUploads(`uploads/${user}/`)).to.deep.equal([]);
    await el.updateComplete;
    expect(focused(el), 'focus stays in the row').to.equal('Remove');
  });

  it('Remove of a row with parts on the store asks first; a row without parts goes at once', async () => {
    const { el, user } = await pausedUpload('has-parts.bin', { multiple: true });
    const done = succeeded(el);
    pick(el, [makeFile(2 * KiB, 'small.bin', 42)]);
    await done;
    await el.updateComplete;
    button(el, 'Remove', row(el, 'small.bin')).click();
    await el.updateComplete;
    expect(el.uploads.map((u) => u.name)).to.deep.equal(['has-parts.bin']);

    button(el, 'Remove', row(el, 'has-parts.bin')).click();
    await el.updateComplete;
    expect(root(el).querySelector('[part="confirm-question"]')!.textContent)
      .to.equal('Remove “has-parts.bin”? The parts already uploaded are deleted and it cannot be resumed.');
    expect(focused(el)).to.equal('Keep');
    await sendKeys({ press: 'Escape' });
    await el.updateComplete;
    expect(el.uploads).to.have.length(1);
    expect(focused(el)).to.equal('Remove');
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    await sendKeys({ down: 'Shift' });
    await sendKeys({ press: 'Tab' });
    await sendKeys({ up: 'Shift' });
    expect(focused(el)).to.equal('Remove and delete parts');
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    expect(el.uploads).to.have.length(0);
    await waitUntil(async () => (await listUploads(`uploads/${user}/`)).length === 0, 'parts left on the store', { timeout: 10_000 });
  });

  it('a confirmation that no longer applies goes away (the upload finished meanwhile)', async () => {
    const user = uniqueUser();
    const el = await fixture<OssUploader>(html`<oss-uploader token-url=${tokenUrl(user)} part-size="100KiB" concurrency="1" auto-start></oss-uploader>`);
    const success = succeeded(el);
    let asked = false;
    el.addEventListener('oss-progress', () => {
      if (asked) return;
      asked = true;
      button(el, 'Abort', row(el, 'racing.bin')).click();
    });
    pick(el, [makeFile(400 * KiB, 'racing.bin', 43)]);
    await success;
    await el.updateComplete;
    expect(asked).to.equal(true);
    expect(root(el).querySelector('[part="confirm"]')).to.equal(null);
    expect(rowButtonNames(el, 'racing.bin')).to.deep.equal(['Remove']);
  });
});

describe('<oss-uploader>: states, summary and the batch line', () => {
  it('an aborted row shows no bar; the summary counts what is left, and says so when nothing is', async () => {
    const { el } = await pausedUpload('dropped.bin');
    expect(root(el).querySelector('[part="summary-text"]')!.textContent).to.match(/^0 of 1 file uploaded · \d+ kB of 1\.5 MB$/);
    button(el, 'Abort', row(el, 'dropped.bin')).click();
    await el.updateComplete;
    const aborted = once(el, 'oss-abort');
    button(el, 'Abort upload').click();
    await aborted;
    await el.updateComplete;
    expect(row(el, 'dropped.bin').querySelector('[role="progressbar"]'), 'no stale fill').to.equal(null);
    expect(row(el, 'dropped.bin').querySelector('[part="state"]')!.textContent).to.equal('Aborted');
    expect(root(el).querySelector('[part="summary-text"]')!.textContent).to.equal('Nothing left to upload · 1 aborted');
    expect(root(el).querySelector('[part~="overall-progress"]')).to.equal(null);
    await expect(el).to.be.accessible();
  });

  it('shows total speed and time left; Cancel all pauses every upload, Resume all finishes them', async () => {
    const user = uniqueUser();
    const el = await fixture<OssUploader>(html`<oss-uploader token-url=${tokenUrl(user)} part-size="100KiB" concurrency="1" multiple auto-start></oss-uploader>`);
    const files = [makeFile(1500 * KiB, 'one.bin', 44), makeFile(1500 * KiB, 'two.bin', 45)];
    const seen = { speed: '', eta: '' };
    new MutationObserver(() => {
      seen.speed ||= root(el).querySelector('[part="summary-speed"]')?.textContent ?? '';
      seen.eta ||= root(el).querySelector('[part="summary-eta"]')?.textContent ?? '';
    }).observe(root(el), { subtree: true, childList: true, characterData: true });
    let parts = 0;
    const twoParts = new Promise<void>((ok) => el.addEventListener('oss-progress', () => { if (++parts === 3) ok(); }));
    pick(el, files);
    await twoParts;
    await el.updateComplete;
    await waitUntil(() => seen.speed && seen.eta, 'no batch speed or time left', { timeout: 10_000 });
    expect(seen.speed).to.match(/^[\d.]+ (kB|MB|GB)\/s$/);
    expect(seen.eta).to.match(/ left$/);

    button(el, 'Cancel all').click();
    await untilState(el, 'one.bin', 'cancelled');
    await untilState(el, 'two.bin', 'cancelled');
    await el.updateComplete;
    expect(buttons(el, 'Cancel all')).to.have.length(0);
    expect(await listUploads(`uploads/${user}/`)).to.have.length(2);
    await expect(el).to.be.accessible();
    const complete = once(el, 'oss-complete');
    button(el, 'Resume all').click();
    const { detail } = await complete;
    expect(detail.successful.map((s) => s.file.name).sort()).to.deep.equal(['one.bin', 'two.bin']);
    for (const f of files) expect((await getObject(`uploads/${user}/${f.name}`)).sha256).to.equal(await sha256Hex(f));
    expect(await listUploads(`uploads/${user}/`)).to.deep.equal([]);
  });
});

describe('<oss-uploader>: errors people can read', () => {
  it('a refusal reads as a permission problem, in English and in Chinese; the details are one click away', async () => {
    const user = uniqueUser();
    const el = await fixture<OssUploader>(html`<oss-uploader token-url=${tokenUrl(user)} auto-start></oss-uploader>`);
    el.keyFor = () => 'someone-else/x.bin';
    const failed = once(el, 'oss-error');
    pick(el, [makeFile(3 * KiB, 'x.bin', 46)]);
    const { error } = (await failed).detail;
    await el.updateComplete;
    const r = row(el, 'x.bin');
    expect(r.querySelector('[part="error-text"]')!.textContent).to.equal('You are not allowed to upload this file here. Ask the site’s administrator.');
    const details = r.querySelector<HTMLDetailsElement>('[part="error-details"]')!;
    expect(details.open).to.equal(false);
    expect(details.querySelector('summary')!.textContent).to.equal('Details');
    details.querySelector('summary')!.focus();
    await sendKeys({ press: 'Enter' });
    expect(details.open).to.equal(true);
    expect(r.querySelector('[part="error-code"]')!.textContent).to.equal(`Code: ${error.code}`);
    expect(r.querySelector('[part="request-id"]')!.textContent).to.equal(`Request ID: ${error.requestId}`);
    expect(r.querySelector('[part="error-detail"]')!.textContent).to.contain(error.message);
    await expect(el).to.be.accessible();

    el.lang = 'zh-CN';
    await el.updateComplete;
    expect(r.querySelector('[part="error-text"]')!.textContent).to.equal('您无权将此文件上传到这里。请联系网站管理员。');
    expect(details.querySelector('summary')!.textContent).to.equal('详细信息');
    expect(r.querySelector('[part="request-id"]')!.textContent).to.equal(`请求 ID：${error.requestId}`);
  });

  it('a store that cannot be reached reads as a connection problem, in both languages', async () => {
    const user = uniqueUser();
    // A port nobody listens on, as a store that is down or a network that is off.
    const el = await fixture<OssUploader>(html`<oss-uploader token-url=${tokenUrl(user)} endpoint="http://127.0.0.1:9" auto-start lang="zh-CN"></oss-uploader>`);
    const failed = once(el, 'oss-error');
    pick(el, [makeFile(3 * KiB, 'offline.bin', 47)]);
    const { error } = (await failed).detail;
    expect(error.kind).to.equal('network');
    await el.updateComplete;
    expect(row(el, 'offline.bin').querySelector('[part="error-text"]')!.textContent).to.equal('无法连接存储服务。请检查网络连接，然后重试。');
    el.lang = 'en';
    await el.updateComplete;
    expect(row(el, 'offline.bin').querySelector('[part="error-text"]')!.textContent)
      .to.equal('Could not reach the storage service. Check your connection, then retry.');
    expect(row(el, 'offline.bin').textContent, 'no engineer text up front').to.not.match(/UploadPart could not reach/);
  });

  it('maps every error kind to one of the message classes, each translated in every built-in language', () => {
    // Every kind the engine has, so a new one cannot go unmapped.
    const kinds = Object.values(ErrorKind);
    const classes = kinds.map((kind) => errorClass(new UploadError('X', 'x', { kind })));
    expect(classes[kinds.indexOf('offline')]).to.equal('network');
    expect(classes[kinds.indexOf('object-exists')]).to.equal('exists');
    expect(classes[kinds.indexOf('cors')]).to.equal('cors');
    expect(classes[kinds.indexOf('throttled')]).to.equal('busy');
    expect(classes[kinds.indexOf('bad-digest')]).to.equal('integrity');
    expect(new Set(classes)).to.deep.equal(new Set(['network', 'busy', 'credentials', 'permission', 'cors', 'integrity', 'exists', 'other']));
    // An abort the store refused is its own class, whatever the refusal's kind.
    const refused = new AbortRefused(new UploadError('AccessDenied', 'denied', { kind: 'access-denied', status: 403 }));
    expect(errorClass(refused)).to.equal('abort-refused');
    for (const t of [en, zhCN]) {
      for (const c of [...new Set(classes), 'abort-refused' as const]) expect(t.error[c], `${t.$code} ${c}`).to.be.a('string').and.not.equal('');
    }
    expect(zhCN.error.exists).to.not.equal(en.error.exists);
  });
});

describe('<oss-uploader>: messages and intake', () => {
  it('restriction messages can be dismissed by keyboard, follow the language, and go when they no longer apply', async () => {
    const el = await fixture<OssUploader>(html`<oss-uploader token-url="/api/sts-token" multiple accept=".bin" max-files="2"></oss-uploader>`);
    const a = makeFile(1 * KiB, 'a.bin', 48);
    pick(el, [a, new File(['x'], 'notes.txt', { type: 'text/plain' })]);
    await el.updateComplete;
    expect(messages(el)).to.deep.equal(['“notes.txt” was not added: only .bin can be uploaded.']);
    el.lang = 'zh-CN';
    await el.updateComplete;
    expect(messages(el)).to.deep.equal(['未添加“notes.txt”：只能上传 .bin。']);
    el.lang = 'en';
    await el.updateComplete;
    await expect(el).to.be.accessible();
    const dismiss = root(el).querySelector<HTMLButtonElement>('[part~="dismiss-button"]')!;
    expect(nameOf(dismiss)).to.equal('Dismiss');
    dismiss.focus();
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    expect(messages(el)).to.deep.equal([]);
    expect(root(el).activeElement, 'focus not lost').to.equal(dropZone(el));

    // A duplicate: the message goes once the file it was about leaves the list.
    pick(el, [a]);
    await el.updateComplete;
    expect(messages(el)).to.deep.equal(['“a.bin” is already in the list.']);
    button(el, 'Remove', row(el, 'a.bin')).click();
    await el.updateComplete;
    expect(messages(el)).to.deep.equal([]);

    // Too many: the message goes once there is room again.
    pick(el, [makeFile(1 * KiB, 'b.bin', 49), makeFile(1 * KiB, 'c.bin', 50), makeFile(1 * KiB, 'd.bin', 51)]);
    await el.updateComplete;
    expect(messages(el)).to.deep.equal(['1 file was not added: at most 2 files can be uploaded.']);
    button(el, 'Remove', row(el, 'b.bin')).click();
    await el.updateComplete;
    expect(messages(el)).to.deep.equal([]);
  });

  it('with paste-target="document", a paste anywhere on the page adds the files, but not one in a text field', async () => {
    const wrapper = await fixture<HTMLDivElement>(html`<div>
      <p id="elsewhere" tabindex="0">Somewhere else on the page</p>
      <textarea aria-label="Comment"></textarea>
      <oss-uploader token-url="/api/sts-token" multiple paste-target="document"></oss-uploader>
    </div>`);
    const el = wrapper.querySelector('oss-uploader')!;
    await el.updateComplete;
    const paste = (target: Element, file: File) => {
      const dt = new DataTransfer();
      dt.items.add(file);
      const e = new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, composed: true, cancelable: true });
      target.dispatchEvent(e);
      return e;
    };
    const e = paste(wrapper.querySelector('#elsewhere')!, makeFile(1 * KiB, 'from-page.bin', 52));
    expect(e.defaultPrevented).to.equal(true);
    await waitUntil(() => el.uploads.length === 1, 'the paste did not reach the element');
    expect(el.uploads[0]!.name).to.equal('from-page.bin');
    const inField = paste(wrapper.querySelector('textarea')!, makeFile(1 * KiB, 'into-field.bin', 53));
    expect(inField.defaultPrevented).to.equal(false);
    el.pasteTarget = '';
    await el.updateComplete;
    paste(wrapper.querySelector('#elsewhere')!, makeFile(1 * KiB, 'not-any-more.bin', 54));
    await new Promise((ok) => setTimeout(ok, 100));
    expect(el.uploads.map((u) => u.name)).to.deep.equal(['from-page.bin']);
  });

  it('has a folder-picker button, reached by Tab, that opens a folder picker', async () => {
    const el = await fixture<OssUploader>(html`<oss-uploader token-url="/api/sts-token" multiple></oss-uploader>`);
    const folderInput = root(el).querySelector<HTMLInputElement>('input[webkitdirectory]')!;
    expect(folderInput).to.exist;
    let opened = 0;
    folderInput.click = () => { opened++; };
    dropZone(el).focus();
    await sendKeys({ press: 'Tab' });
    expect(focused(el)).to.equal('Choose a folder');
    await sendKeys({ press: 'Enter' });
    expect(opened).to.equal(1);
    const dt = new DataTransfer();
    dt.items.add(makeFile(1 * KiB, 'in-folder.bin', 55));
    folderInput.files = dt.files;
    folderInput.dispatchEvent(new Event('change'));
    await waitUntil(() => el.uploads.length === 1, 'not added');
    el.lang = 'zh-CN';
    await el.updateComplete;
    expect(nameOf(root(el).querySelector('[part~="folder-button"]')!)).to.equal('选择文件夹');
    // Without multiple, no folders.
    el.multiple = false;
    await el.updateComplete;
    expect(root(el).querySelector('[part~="folder-button"]')).to.equal(null);
  });
});
