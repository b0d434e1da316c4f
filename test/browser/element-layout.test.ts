// <oss-uploader> looked at as a person does: in narrow containers (a phone, a sidebar) no
// text runs under a button and names keep a readable width; rows are compact; states read
// by shape as well as colour; bars and focus survive forced colours; previews and icons.
import { aTimeout, expect, fixture, html, waitUntil } from '@open-wc/testing';
import { executeServerCommand, sendKeys } from '@web/test-runner-commands';
import '../../src/define.js';
import type { OssUploader } from '../../src/index.js';
import { makeFile, uniqueUser } from './helpers.js';
import { button, once, pick, root, row, stateOf, tokenUrl } from './element-helpers.js';

const KiB = 1024;

function emulate(features: { name: string; value: string }[]): Promise<unknown> {
  return executeServerCommand('media:emulate', { features });
}

function overlaps(a: DOMRect, b: DOMRect): boolean {
  return a.width > 0 && a.height > 0 && b.width > 0 && b.height > 0
    && a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5;
}

/** Every text box in the rows and summary that must not sit under a control. */
function textBoxes(el: OssUploader): { what: string; rect: DOMRect }[] {
  const selectors = '[part="name"], [part="state"], [part="size"], [part="speed"], [part="eta"], [part="error-text"], [part="summary-text"], [part="confirm-question"]';
  return [...root(el).querySelectorAll<HTMLElement>(selectors)].map((e) => ({ what: `${e.getAttribute('part')} "${e.textContent!.trim()}"`, rect: e.getBoundingClientRect() }));
}

function controlBoxes(el: OssUploader): { what: string; rect: DOMRect }[] {
  return [...root(el).querySelectorAll<HTMLElement>('button, [role="progressbar"]')]
    .map((e) => ({ what: `${e.getAttribute('part')} "${e.textContent!.trim()}"`, rect: e.getBoundingClientRect() }));
}

/** A picture as a PNG file, drawn here (no fixture files). */
async function pngFile(name: string, width = 320, height = 200): Promise<File> {
  const canvas = new OffscreenCanvas(width, height);
  const ctx = canvas.getContext('2d')!;
  ctx.fillStyle = '#1a73e8';
  ctx.fillRect(0, 0, width, height);
  ctx.fillStyle = '#fbbc04';
  ctx.fillRect(width / 2, 0, width / 2, height);
  return new File([await canvas.convertToBlob({ type: 'image/png' })], name, { type: 'image/png' });
}

/** An element in a container `width` px wide with rows done, failed, paused and idle. */
async function rowsInEveryState(width: number): Promise<OssUploader> {
  const user = uniqueUser();
  const wrapper = await fixture<HTMLDivElement>(html`<div style="width: ${width}px">
    <oss-uploader token-url=${tokenUrl(user)} multiple part-size="100KiB" concurrency="1"></oss-uploader>
  </div>`);
  const el = wrapper.querySelector('oss-uploader')!;
  el.keyFor = (f, t) => (f.name === 'denied-by-policy.bin' ? 'elsewhere/x.bin' : t.keyPrefix + f.name);
  const complete = once(el, 'oss-complete');
  pick(el, [makeFile(3 * KiB, 'quarterly-report-final.pdf', 1), makeFile(2 * KiB, 'denied-by-policy.bin', 2)]);
  await el.updateComplete;
  button(el, 'Upload 2 files').click();
  await complete;
  // A paused one: cancelled after its first part.
  el.addEventListener('oss-progress', (e) => {
    if (e.detail.file.name === 'big-200m.bin') row(el, 'big-200m.bin').querySelector<HTMLButtonElement>('[part~="button-cancel"]')?.click();
  });
  pick(el, [makeFile(1200 * KiB, 'big-200m.bin', 3)]);
  await el.updateComplete;
  button(el, 'Upload 1 file').click();
  await waitUntil(() => stateOf(el, 'big-200m.bin') === 'cancelled', 'never paused', { timeout: 20_000 });
  pick(el, [makeFile(1 * KiB, 'a-file-with-a-rather-long-name-that-has-to-wrap-somewhere.bin', 4)]);
  await el.updateComplete;
  await aTimeout(300); // bars' transitions
  return el;
}

describe('<oss-uploader>: layout', () => {
  afterEach(() => emulate([]));

  for (const width of [320, 375, 768]) {
    it(`at ${width} px no text overlaps a control, names keep a readable width, rows stay compact`, async () => {
      const el = await rowsInEveryState(width);
      expect(el.uploads.map((u) => u.state)).to.deep.equal(['done', 'failed', 'cancelled', 'idle']);
      // An Abort confirmation open too: it must fit as well.
      button(el, 'Abort', row(el, 'big-200m.bin')).click();
      await el.updateComplete;
      const texts = textBoxes(el);
      const controls = controlBoxes(el);
      expect(texts.length).to.be.greaterThan(8);
      for (const t of texts) {
        for (const c of controls) expect(overlaps(t.rect, c.rect), `${t.what} overlaps ${c.what}`).to.equal(false);
        expect(t.rect.right, `${t.what} stays inside`).to.be.at.most(el.getBoundingClientRect().right + 0.5);
      }
      for (const name of root(el).querySelectorAll('[part="name"]')) {
        expect(name.getBoundingClientRect().width, `${name.textContent} is readable`).to.be.at.least(Math.min(200, width * 0.6));
      }
      // Compact: a finished row is a line of name, a thin bar and a status line (and its button below, when narrow).
      const done = row(el, 'quarterly-report-final.pdf').getBoundingClientRect().height;
      expect(done).to.be.at.most(width >= 600 ? 76 : 116);
      // No button is squeezed under its own text.
      for (const b of root(el).querySelectorAll('button')) {
        if (b.getBoundingClientRect().width === 0) continue;
        expect(b.scrollWidth, `${b.textContent!.trim()} fits`).to.be.at.most(b.clientWidth + 1);
      }
    });
  }

  it('tells states apart by an icon as well as by colour; a paused upload reads as resumable, with a striped bar', async () => {
    const el = await rowsInEveryState(600);
    const icons = ['quarterly-report-final.pdf', 'denied-by-policy.bin', 'big-200m.bin'].map((n) => row(el, n).querySelector('[part="state-icon"] path')!.getAttribute('d'));
    expect(new Set(icons).size, 'one shape per state').to.equal(3);
    expect(row(el, 'big-200m.bin').querySelector('[part="state"]')!.textContent).to.equal('Paused, can be resumed');
    const fill = row(el, 'big-200m.bin').querySelector('[part="progress-fill"]')!;
    expect(getComputedStyle(fill).backgroundImage).to.contain('repeating-linear-gradient');
    expect(getComputedStyle(row(el, 'big-200m.bin')).borderTopStyle).to.equal('dashed');
    await expect(el).to.be.accessible();
  });

  it('keeps bars, their fill and focus rings visible in forced colours (Windows High Contrast)', async () => {
    const el = await rowsInEveryState(500);
    await emulate([{ name: 'forced-colors', value: 'active' }]);
    await aTimeout(200);
    expect(matchMedia('(forced-colors: active)').matches).to.equal(true);
    const bar = row(el, 'quarterly-report-final.pdf').querySelector<HTMLElement>('[role="progressbar"]')!;
    const fill = bar.querySelector<HTMLElement>('[part="progress-fill"]')!;
    const fillStyle = getComputedStyle(fill);
    expect(fillStyle.backgroundColor, 'the fill keeps a system colour').to.not.equal('rgba(0, 0, 0, 0)');
    expect(fillStyle.backgroundColor).to.not.equal(getComputedStyle(bar).backgroundColor);
    expect(fill.getBoundingClientRect().width).to.be.closeTo(bar.getBoundingClientRect().width, 3);
    expect(getComputedStyle(bar).borderTopStyle, 'the track is outlined').to.equal('solid');
    const overall = root(el).querySelector<HTMLElement>('[part~="overall-progress"] [part="progress-fill"]')!;
    expect(getComputedStyle(overall).backgroundColor).to.not.equal('rgba(0, 0, 0, 0)');
    // Focus, reached with the keyboard.
    root(el).querySelector<HTMLElement>('[part~="drop-zone"]')!.focus();
    await sendKeys({ press: 'Tab' });
    const focused = root(el).activeElement!;
    const ring = getComputedStyle(focused);
    expect(ring.outlineStyle).to.equal('solid');
    expect(ring.outlineColor).to.not.equal('rgba(0, 0, 0, 0)');
    await expect(el).to.be.accessible();
  });

  it('shows a thumbnail for an image (a blob: URL, revoked when the row goes) and a file-type icon for the rest', async () => {
    const el = await fixture<OssUploader>(html`<oss-uploader token-url="/api/sts-token" multiple></oss-uploader>`);
    pick(el, [await pngFile('photo.png'), makeFile(2 * KiB, 'archive.zip', 5), new File(['%PDF-1.4'], 'paper.pdf', { type: 'application/pdf' })]);
    await el.updateComplete;
    await waitUntil(() => row(el, 'photo.png').querySelector('img[part="thumbnail"]'), 'no thumbnail', { timeout: 10_000 });
    const img = row(el, 'photo.png').querySelector<HTMLImageElement>('img[part="thumbnail"]')!;
    expect(img.src).to.match(/^blob:/);
    expect(img.alt, 'decorative: the name is beside it').to.equal('');
    await img.decode();
    expect(img.naturalWidth).to.equal(80);
    expect(img.getBoundingClientRect().width).to.equal(40);
    // Not images: an icon each, and a different one for an archive and a document.
    const zip = row(el, 'archive.zip').querySelector('[part="preview"] svg')!.innerHTML;
    const pdf = row(el, 'paper.pdf').querySelector('[part="preview"] svg')!.innerHTML;
    expect(zip).to.not.equal(pdf);
    await expect(el).to.be.accessible();
    const url = img.src;
    button(el, 'Remove', row(el, 'photo.png')).click();
    await el.updateComplete;
    let revoked = false;
    try {
      await fetch(url);
    } catch {
      revoked = true;
    }
    expect(revoked, 'the object URL was revoked').to.equal(true);
  });

  it('gives up on images over the size cap (an icon, no decode)', async () => {
    const el = await fixture<OssUploader>(html`<oss-uploader token-url="/api/sts-token"></oss-uploader>`);
    const huge = new File([new Uint8Array(26 * 1024 * 1024)], 'huge.png', { type: 'image/png' });
    pick(el, [huge]);
    await el.updateComplete;
    await aTimeout(200);
    expect(row(el, 'huge.png').querySelector('img')).to.equal(null);
    expect(row(el, 'huge.png').querySelector('[part="preview"] svg')).to.exist;
  });
});
