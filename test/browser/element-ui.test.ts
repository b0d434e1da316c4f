// <oss-uploader>'s interface: restrictions, safety of names, the form value and validity,
// languages, the keyboard, the live region, themes and axe.
import { aTimeout, expect, fixture, html } from '@open-wc/testing';
import { emulateMedia, sendKeys } from '@web/test-runner-commands';
import '../../src/define.js';
import { OssUploader, registerTranslation } from '../../src/index.js';
import { getObject, makeFile, sha256Hex, uniqueUser } from './helpers.js';
import { button, dropZone, messages, nameOf, once, pick, root, succeeded, tokenUrl } from './element-helpers.js';

const KiB = 1024;

function textFile(name: string, size: number, type: string): File {
  return new File([new Uint8Array(size).fill(65)], name, { type, lastModified: 1_700_000_000_000 });
}

describe('<oss-uploader>: interface', () => {
  afterEach(async () => {
    await emulateMedia({ colorScheme: 'light', reducedMotion: 'no-preference' });
  });

  it('takes sizes and counts set as string properties, as frameworks set them', async () => {
    const el = await fixture<OssUploader>(html`<oss-uploader token-url="/api/sts-token" multiple></oss-uploader>`);
    (el as unknown as Record<string, unknown>).maxFileSize = '1kB';
    (el as unknown as Record<string, unknown>).maxFiles = '1';
    await el.updateComplete;
    expect(el.maxFileSize).to.equal(1000);
    expect(el.maxFiles).to.equal(1);
    pick(el, [textFile('big.png', 2000, 'image/png')]);
    await el.updateComplete;
    expect(messages(el)).to.deep.equal(['“big.png” was not added: it is 2 kB, larger than the limit of 1 kB.']);
  });

  it('refuses files by type, size and count, with clear messages', async () => {
    const el = await fixture<OssUploader>(html`<oss-uploader token-url="/api/sts-token" accept=".png,image/jpeg" max-file-size="1kB" max-files="2" multiple></oss-uploader>`);
    expect(root(el).querySelector('[part="hint"]')!.textContent).to.equal('Accepted: .png or image/jpeg · Up to 1 kB each · At most 2 files');
    pick(el, [
      textFile('notes.txt', 10, 'text/plain'),
      textFile('huge.png', 2000, 'image/png'),
      textFile('one.png', 10, 'image/png'),
      textFile('two.jpg', 10, 'image/jpeg'),
      textFile('three.png', 10, 'image/png'),
    ]);
    await el.updateComplete;
    expect(messages(el)).to.deep.equal([
      '“notes.txt” was not added: only .png or image/jpeg can be uploaded.',
      '“huge.png” was not added: it is 2 kB, larger than the limit of 1 kB.',
      '1 file was not added: at most 2 files can be uploaded.',
    ]);
    expect(el.uploads.map((u) => u.name)).to.deep.equal(['one.png', 'two.jpg']);
    pick(el, [textFile('one.png', 10, 'image/png')]);
    await el.updateComplete;
    expect(messages(el)).to.deep.equal(['“one.png” is already in the list.']);
  });

  it('without multiple, takes one file', async () => {
    const el = await fixture<OssUploader>(html`<oss-uploader token-url="/api/sts-token"></oss-uploader>`);
    expect(root(el).querySelector('input')!.multiple).to.equal(false);
    pick(el, [textFile('a.bin', 1, ''), textFile('b.bin', 1, '')]);
    await el.updateComplete;
    expect(el.uploads).to.have.length(1);
    expect(messages(el)).to.deep.equal(['1 file was not added: at most 1 file can be uploaded.']);
  });

  it('oss-files-added lists the files; preventDefault refuses them', async () => {
    const el = await fixture<OssUploader>(html`<oss-uploader token-url="/api/sts-token" multiple></oss-uploader>`);
    const files = [textFile('x.bin', 3, ''), textFile('y.bin', 4, '')];
    let seen: File[] = [];
    el.addEventListener('oss-files-added', (e) => {
      seen = e.detail.files;
      e.preventDefault();
    }, { once: true });
    pick(el, files);
    await el.updateComplete;
    expect(seen).to.deep.equal(files);
    expect(el.uploads).to.have.length(0);
    expect(messages(el)).to.deep.equal(['2 files were not accepted by this page.']);
    pick(el, files);
    await el.updateComplete;
    expect(el.uploads).to.have.length(2);
    expect(messages(el)).to.deep.equal([]);
  });

  it('renders a hostile file name as text, and uploads it under that name', async () => {
    const user = uniqueUser();
    const el = await fixture<OssUploader>(html`<oss-uploader token-url=${tokenUrl(user)} auto-start></oss-uploader>`);
    const name = '<img src=x onerror=alert(1)>.png';
    const file = new File([new Uint8Array(100).fill(1)], name, { type: 'image/png' });
    const success = succeeded(el);
    pick(el, [file]);
    await el.updateComplete;
    expect(root(el).querySelector('img[src="x"], [onerror]')).to.equal(null);
    expect(root(el).querySelector('[part="name"]')!.textContent).to.equal(name);
    const { detail } = await success;
    expect(detail.key).to.equal(`uploads/${user}/${name}`);
    expect((await getObject(detail.key)).sha256).to.equal(await sha256Hex(file));
    await el.updateComplete;
    expect(root(el).querySelector('img[src="x"], [onerror]')).to.equal(null);
    expect(root(el).querySelector('[style]:not([part="progress-fill"])')).to.equal(null);
  });

  it('in a form: the value is the uploaded keys; invalid when required and empty or while running; reset clears', async () => {
    const user = uniqueUser();
    const form = await fixture<HTMLFormElement>(html`<form>
      <fieldset>
        <oss-uploader name="files" required multiple auto-start token-url=${tokenUrl(user)}></oss-uploader>
      </fieldset>
    </form>`);
    const el = form.querySelector('oss-uploader')!;
    await el.updateComplete;
    expect(el.form).to.equal(form);
    expect(form.checkValidity()).to.equal(false);
    expect(el.validity.valueMissing).to.equal(true);
    expect(el.validationMessage).to.equal('Upload at least one file.');

    const started = once(el, 'oss-start');
    const complete = once(el, 'oss-complete');
    pick(el, [makeFile(30 * KiB, 'f1.bin', 21), makeFile(40 * KiB, 'f2.bin', 22)]);
    await started;
    await el.updateComplete;
    expect(el.validity.customError, 'invalid while uploading').to.equal(true);
    expect(el.validationMessage).to.equal('Wait until the uploads have finished.');
    await complete;
    await el.updateComplete;
    expect(form.checkValidity()).to.equal(true);
    const keys = [`uploads/${user}/f1.bin`, `uploads/${user}/f2.bin`];
    expect(new FormData(form).getAll('files')).to.deep.equal(keys);
    expect(el.value).to.deep.equal(keys);

    form.reset();
    await el.updateComplete;
    expect(el.value).to.deep.equal([]);
    expect(new FormData(form).getAll('files')).to.deep.equal([]);
    expect(el.validity.valueMissing).to.equal(true);

    form.querySelector('fieldset')!.disabled = true;
    await el.updateComplete;
    expect(dropZone(el).disabled).to.equal(true);
    form.querySelector('fieldset')!.disabled = false;
    await el.updateComplete;
    expect(dropZone(el).disabled).to.equal(false);
  });

  it('speaks Simplified Chinese from its lang or an ancestor’s, and takes other languages', async () => {
    const wrapper = await fixture<HTMLDivElement>(html`<div lang="zh-CN"><oss-uploader token-url="/api/sts-token" max-file-size="2MB"></oss-uploader></div>`);
    const el = wrapper.querySelector('oss-uploader')!;
    await el.updateComplete;
    expect(root(el).querySelector('[part="drop-label"]')!.textContent).to.equal('选择文件');
    expect(root(el).querySelector('[part="hint"]')!.textContent).to.equal('每个文件不超过 2 MB');
    pick(el, [textFile('文件.bin', 1500, '')]);
    await el.updateComplete;
    button(el, '移除');
    expect(root(el).querySelector('[part="state"]')!.textContent).to.equal('就绪');
    expect(button(el, '上传 1 个文件')).to.exist;

    el.lang = 'en';
    await el.updateComplete;
    expect(button(el, 'Remove')).to.exist;
    expect(root(el).querySelector('[part="size"]')!.textContent).to.equal('1.5 kB');

    registerTranslation({ $code: 'de', $name: 'Deutsch', remove: 'Entfernen', chooseFiles: () => 'Dateien wählen' });
    el.setAttribute('lang', 'de-AT');
    await el.updateComplete;
    expect(button(el, 'Entfernen')).to.exist;
    expect(root(el).querySelector('[part="drop-label"]')!.textContent).to.equal('Dateien wählen');
    expect(root(el).querySelector('[part="size"]')!.textContent, 'Intl in the element’s locale').to.equal('1,5 kB');
    expect(OssUploader.registerTranslation).to.equal(registerTranslation);
  });

  it('works from the keyboard: Tab to the drop zone, Enter opens the picker, buttons in order', async () => {
    const user = uniqueUser();
    const el = await fixture<OssUploader>(html`<oss-uploader token-url=${tokenUrl(user)} multiple></oss-uploader>`);
    const input = root(el).querySelector('input')!;
    let opened = 0;
    input.click = () => { opened++; };
    await sendKeys({ press: 'Tab' });
    expect(root(el).activeElement).to.equal(dropZone(el));
    expect(getComputedStyle(dropZone(el)).outlineStyle, 'visible focus').to.equal('solid');
    await sendKeys({ press: 'Enter' });
    expect(opened).to.equal(1);
    await sendKeys({ press: 'Space' });
    expect(opened).to.equal(2);

    pick(el, [makeFile(5 * KiB, 'k.bin', 23)]);
    await el.updateComplete;
    await sendKeys({ press: 'Tab' });
    expect(nameOf(root(el).activeElement!)).to.equal('Choose a folder');
    await sendKeys({ press: 'Tab' });
    expect(nameOf(root(el).activeElement!)).to.equal('Upload 1 file');
    await sendKeys({ press: 'Tab' });
    expect(nameOf(root(el).activeElement!)).to.equal('Remove');
    await sendKeys({ down: 'Shift' });
    await sendKeys({ press: 'Tab' });
    await sendKeys({ up: 'Shift' });
    const success = succeeded(el);
    await sendKeys({ press: 'Enter' });
    await success;
    await el.updateComplete;
    // The Upload button went away when the file started, then Cancel when it finished:
    // focus followed to the row's remaining button.
    expect(nameOf(root(el).activeElement!), 'focus not lost').to.equal('Remove');
    await sendKeys({ press: 'Enter' }); // Remove (the row's only button) now has focus
    await el.updateComplete;
    expect(el.uploads).to.have.length(0);
    expect(root(el).activeElement).to.equal(dropZone(el));
  });

  it('announces state changes politely, at most once a second, never percentages', async () => {
    const user = uniqueUser();
    const el = await fixture<OssUploader>(html`<oss-uploader token-url=${tokenUrl(user)} multiple auto-start></oss-uploader>`);
    const region = root(el).querySelector('[role="status"]')!;
    expect(region.getAttribute('aria-live')).to.equal('polite');
    const changes: { at: number; text: string }[] = [];
    new MutationObserver(() => changes.push({ at: performance.now(), text: region.textContent!.trim() }))
      .observe(region, { childList: true, characterData: true, subtree: true });
    const complete = once(el, 'oss-complete');
    pick(el, [makeFile(10 * KiB, 'n1.bin', 24), makeFile(11 * KiB, 'n2.bin', 25), makeFile(12 * KiB, 'n3.bin', 26)]);
    await complete;
    await aTimeout(2200);
    const texts = changes.map((c) => c.text).filter(Boolean);
    expect(texts.join(' ')).to.contain('3 files added.').and.contain('n3.bin: Uploaded.');
    expect(texts.join(' ')).not.to.match(/\d\s?%/);
    const times = changes.filter((c) => c.text).map((c) => c.at);
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).to.be.at.least(950);
  });

  it('passes axe in light and dark, with rows in several states; respects reduced motion', async () => {
    const user = uniqueUser();
    const el = await fixture<OssUploader>(html`<oss-uploader token-url=${tokenUrl(user)} multiple accept=".bin" max-files="5"></oss-uploader>`);
    await expect(el).to.be.accessible();
    el.keyFor = (f, t) => (f.name === 'bad.bin' ? 'elsewhere/bad.bin' : t.keyPrefix + f.name);
    pick(el, [makeFile(3 * KiB, 'ok.bin', 27), makeFile(3 * KiB, 'bad.bin', 28)]);
    pick(el, [textFile('wrong.txt', 3, 'text/plain')]);
    await el.updateComplete;
    const complete = once(el, 'oss-complete');
    button(el, 'Upload 2 files').click();
    await complete;
    pick(el, [makeFile(3 * KiB, 'waiting.bin', 29)]);
    await el.updateComplete;
    expect(el.uploads.map((u) => u.state)).to.deep.equal(['done', 'failed', 'idle']);
    await expect(el).to.be.accessible();
    await emulateMedia({ colorScheme: 'dark' });
    await aTimeout(400); // the colour transition
    expect(getComputedStyle(dropZone(el)).backgroundColor).to.equal('rgb(34, 37, 42)');
    await expect(el).to.be.accessible();

    const fill = root(el).querySelector('[part="progress-fill"]')!;
    expect(getComputedStyle(fill).transitionDuration).to.not.equal('0s');
    await emulateMedia({ reducedMotion: 'reduce' });
    expect(getComputedStyle(fill).transitionDuration).to.equal('0s');

    const bar = root(el).querySelector('[part~="item"] [role="progressbar"]')!;
    expect(bar.getAttribute('aria-label')).to.equal('Progress of ok.bin');
    expect(bar.getAttribute('aria-valuenow')).to.equal('100');
    expect(bar.getAttribute('aria-valuemin')).to.equal('0');
    expect(bar.getAttribute('aria-valuemax')).to.equal('100');
  });

  it('sets progress widths through the CSSOM (a strict CSP allows that, not style attributes)', async () => {
    const el = await fixture<OssUploader>(html`<oss-uploader token-url="/api/sts-token"></oss-uploader>`);
    pick(el, [textFile('p.bin', 10, '')]);
    await el.updateComplete;
    const fills = [...root(el).querySelectorAll<HTMLElement>('[part="progress-fill"]')];
    expect(fills).to.have.length(2);
    for (const f of fills) expect(f.style.getPropertyValue('--oss-fraction')).to.equal('0');
    expect(getComputedStyle(fills[0]!).transform).to.equal('matrix(0, 0, 0, 1, 0, 0)');
  });
});
