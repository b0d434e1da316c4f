// <oss-incomplete-uploads> against the real store: it lists open multipart uploads a page at
// a time with an administrative token, aborts them, and refuses to work with an ordinary one.
// Also: speed and time left appear on a running row; Intl formatting in both languages.
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../src/define.js';
import { formatBytes, formatDuration, type OssIncompleteUploads, type OssUploader } from '../../src/index.js';
import { clientFor, listUploads, makeFile, uniqueUser } from './helpers.js';

const KiB = 1024;

function nameOf(b: Element): string {
  return (b.getAttribute('aria-label') ?? b.textContent ?? '').replace(/\s+/g, ' ').trim();
}

function button(el: HTMLElement, name: string): HTMLButtonElement {
  const found = [...el.shadowRoot!.querySelectorAll('button')].find((b) => nameOf(b) === name);
  if (!found) throw new Error(`no button named "${name}"`);
  return found;
}

function listedKeys(el: OssIncompleteUploads): string[] {
  return [...el.shadowRoot!.querySelectorAll('[part~="key"] > span:first-child')].map((k) => k.textContent!);
}

/** Opens multipart uploads on the store for `user` (as abandoned uploads would leave). */
async function openUploads(user: string, names: string[]): Promise<void> {
  const client = clientFor(user);
  const target = await client.target();
  const { ops } = await client.destination();
  for (const n of names) await ops.initiate(target.keyPrefix + n, 'application/octet-stream', { forbidOverwrite: false });
  client.dispose();
}

async function settled(el: OssIncompleteUploads): Promise<void> {
  await el.updateComplete;
  await waitUntil(() => !el.shadowRoot!.querySelector('table[aria-busy="true"]'), 'still loading', { timeout: 10_000 });
  await el.updateComplete;
}

describe('<oss-incomplete-uploads>', () => {
  it('lists open uploads a page at a time and aborts one, then every stale one', async () => {
    const user = uniqueUser();
    await openUploads(user, ['a.bin', 'b.bin', 'c.bin']);
    const el = await fixture<OssIncompleteUploads>(html`<oss-incomplete-uploads
      token-url=${`/api/sts-token?user=${user}&scope=admin`} page-size="2" stale-after="0"></oss-incomplete-uploads>`);
    await settled(el);
    const prefix = `uploads/${user}/`;
    expect(listedKeys(el)).to.deep.equal([`${prefix}a.bin`, `${prefix}b.bin`]);
    expect(button(el, 'Previous page').disabled).to.equal(true);
    button(el, 'Next page').click();
    await settled(el);
    expect(listedKeys(el)).to.deep.equal([`${prefix}c.bin`]);
    expect(el.shadowRoot!.querySelector('[part="page"]')!.textContent).to.equal('Page 2');
    expect(button(el, 'Next page').disabled).to.equal(true);
    await expect(el).to.be.accessible();

    const aborted = new Promise<CustomEvent>((ok) => el.addEventListener('oss-incomplete-abort', ok, { once: true }));
    // Abort asks first, in the row; answered with the keyboard.
    button(el, 'Abort').focus();
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    const question = el.shadowRoot!.querySelector('[part="confirm-question"]')!;
    expect(question.textContent).to.equal(`Abort “${prefix}c.bin”? Its parts are deleted and it cannot be resumed.`);
    expect(nameOf(el.shadowRoot!.activeElement!)).to.equal('Keep');
    await expect(el).to.be.accessible();
    await sendKeys({ press: 'Escape' });
    await el.updateComplete;
    expect(nameOf(el.shadowRoot!.activeElement!)).to.equal('Abort');
    expect(await listUploads(prefix)).to.have.length(3);
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    button(el, 'Abort upload').focus();
    await sendKeys({ press: 'Enter' });
    const { detail } = await aborted;
    expect(detail.key).to.equal(`${prefix}c.bin`);
    expect(detail.confirmed).to.equal(true);
    expect((await listUploads(prefix)).map((u) => u.key).sort()).to.deep.equal([`${prefix}a.bin`, `${prefix}b.bin`]);
    await settled(el);

    // "Abort all stale uploads" asks too; Keep leaves them.
    button(el, 'Abort all stale uploads').click();
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('[part="confirm-question"]')!.textContent)
      .to.equal('Abort every stale upload? Their parts are deleted and they cannot be resumed.');
    expect(nameOf(el.shadowRoot!.activeElement!)).to.equal('Keep');
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    expect(nameOf(el.shadowRoot!.activeElement!)).to.equal('Abort all stale uploads');
    expect(await listUploads(prefix)).to.have.length(2);
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    const staleAborted = new Promise<void>((ok) => {
      let n = 0;
      el.addEventListener('oss-incomplete-abort', () => { if (++n === 2) ok(); });
    });
    button(el, 'Abort upload').click();
    await staleAborted;
    await settled(el);
    expect(await el.abortStale(), 'the method itself does not ask (the page calls it)').to.equal(0);
    await settled(el);
    expect(await listUploads(prefix)).to.deep.equal([]);
    expect(el.shadowRoot!.querySelector('[part="empty"]')!.textContent).to.equal('No incomplete uploads.');
  });

  it('keeps young uploads out of "stale"; an ordinary token lists its own user\'s uploads only', async () => {
    const user = uniqueUser();
    await openUploads(user, ['young.bin']);
    const admin = await fixture<OssIncompleteUploads>(html`<oss-incomplete-uploads
      token-url=${`/api/sts-token?user=${user}&scope=admin`}></oss-incomplete-uploads>`);
    await settled(admin);
    expect(listedKeys(admin)).to.have.length(1);
    expect(admin.shadowRoot!.querySelector('[part~="stale"]')).to.equal(null);
    expect(await admin.abortStale()).to.equal(0);
    expect(await listUploads(`uploads/${user}/`)).to.have.length(1);

    const ordinary = await fixture<OssIncompleteUploads>(html`<oss-incomplete-uploads token-url=${`/api/sts-token?user=${user}`}></oss-incomplete-uploads>`);
    await settled(ordinary);
    expect(listedKeys(ordinary)).to.have.length(1);
    const other = await fixture<OssIncompleteUploads>(html`<oss-incomplete-uploads token-url=${`/api/sts-token?user=${uniqueUser()}`}></oss-incomplete-uploads>`);
    await settled(other);
    expect(listedKeys(other)).to.have.length(0);
  });
});

describe('<oss-uploader>: speed, time left and Intl', () => {
  it('shows speed and time left on a running row', async () => {
    const user = uniqueUser();
    const el = await fixture<OssUploader>(html`<oss-uploader token-url=${`/api/sts-token?user=${user}`} part-size="100KiB" concurrency="1" auto-start></oss-uploader>`);
    const seen = { speed: '', eta: '' };
    new MutationObserver(() => {
      seen.speed ||= el.shadowRoot!.querySelector('[part="speed"]')?.textContent ?? '';
      seen.eta ||= el.shadowRoot!.querySelector('[part="eta"]')?.textContent ?? '';
    }).observe(el.shadowRoot!, { subtree: true, childList: true, characterData: true });
    const done = new Promise((ok) => el.addEventListener('oss-complete', ok, { once: true }));
    const input = el.shadowRoot!.querySelector('input')!;
    const dt = new DataTransfer();
    dt.items.add(makeFile(3000 * KiB, 'timed.bin', 31));
    input.files = dt.files;
    input.dispatchEvent(new Event('change'));
    await done;
    expect(seen.speed).to.match(/^[\d.]+ (kB|MB|GB)\/s$/);
    expect(seen.eta).to.match(/ left$/);
  });

  it('formats sizes, rates and durations with Intl in the element’s language', () => {
    expect(formatBytes(999, 'en')).to.equal('999 bytes');
    expect(formatBytes(1, 'en')).to.equal('1 byte');
    expect(formatBytes(1500, 'en')).to.equal('1.5 kB');
    expect(formatBytes(12_600_000, 'en', true)).to.equal('12.6 MB/s');
    expect(formatBytes(2_000_000_000, 'zh-CN')).to.equal('2 GB');
    expect(formatDuration(200, 'en')).to.equal('3 min, 20 sec');
    expect(formatDuration(3700, 'en')).to.equal('1 hr, 1 min');
    expect(formatDuration(8, 'zh-CN')).to.equal('8秒');
    expect(formatDuration(200, 'zh-CN')).to.equal('3分钟20秒');
  });
});
