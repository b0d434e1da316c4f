// What loads on demand (issue 9): the Simplified Chinese strings and <oss-incomplete-uploads>'s
// code are separate modules, fetched the first time they are needed. This file runs in a page
// of its own, so neither has been fetched when it starts. When that fetch fails (offline: a
// service worker answers the module's request with a network error), the uploader speaks
// English and keeps uploading, the panel says it cannot connect; once the module can be
// fetched, both arrive and render.
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { setupWorker } from 'msw/browser';
import { http, HttpResponse } from 'msw';
import '../../src/define.js';
import { translationFor, type OssIncompleteUploads, type OssUploader } from '../../src/index.js';
import { makeFile, uniqueUser } from './helpers.js';
import { button, pick, root, succeeded, tokenUrl } from './element-helpers.js';

const worker = setupWorker();
before(() => worker.start({ serviceWorker: { url: '/mockServiceWorker.js' }, onUnhandledRequest: 'bypass', quiet: true }));
after(() => worker.stop());

/** The module requests matching `path` fail as a lost network would make them, until `back()`. */
function offlineFor(path: RegExp): { back(): void } {
  worker.use(http.get(path, () => HttpResponse.error()));
  return { back: () => worker.resetHandlers() };
}
const label = (el: OssUploader) => root(el).querySelector('[part="drop-label"]')!.textContent;

describe('loaded on demand', () => {
  it('Chinese: English while the strings cannot be fetched, uploads go on, Chinese once they arrive', async () => {
    expect(translationFor('zh-CN').$code, 'not fetched before an element asks').to.equal('en');
    let asked = 0;
    worker.use(http.get(/translations\/zh-cn\./, () => {
      asked++;
      return HttpResponse.error();
    }));
    const user = uniqueUser();
    const el = await fixture<OssUploader>(html`<oss-uploader token-url=${tokenUrl(user)} lang="zh-CN"></oss-uploader>`);
    expect(label(el)).to.equal('Choose a file');
    // The upload does not wait for the strings, and its many renders do not ask for them again and again.
    const done = succeeded(el);
    pick(el, [makeFile(300 * 1024, 'zh.bin', 7)]);
    await el.updateComplete;
    button(el, 'Upload 1 file').click();
    await done;
    expect(asked).to.equal(1);
    // Back online: asked for again, and rendered once more when the strings arrive.
    worker.resetHandlers();
    window.dispatchEvent(new Event('online'));
    await el.updateComplete;
    expect(label(el)).to.equal('选择文件');
    expect(root(el).querySelector('[part="state"]')!.textContent).to.equal('已上传');
    el.lang = 'en';
    await el.updateComplete;
    expect(label(el)).to.equal('Choose a file');
  });

  it('<oss-incomplete-uploads>: its code arrives when the first one connects; offline, it says so and refresh() tries again', async () => {
    const user = uniqueUser();
    const net = offlineFor(/incomplete-uploads\/incomplete-panel\./);
    const el = await fixture<OssIncompleteUploads>(html`<oss-incomplete-uploads
      token-url=${`/api/sts-token?user=${user}&scope=admin`}></oss-incomplete-uploads>`);
    await waitUntil(() => el.shadowRoot!.querySelector('[part="error"]'), 'no error shown', { timeout: 5000 });
    expect(el.shadowRoot!.querySelector('[part="error"]')!.textContent).to.equal('Could not reach the storage service. Check your connection, then retry.');
    expect(el.shadowRoot!.querySelector('table')).to.equal(null);
    net.back();
    await el.refresh();
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('[part="caption"]')!.textContent).to.equal('Incomplete uploads');
    expect(el.shadowRoot!.querySelector('[part="error"]')).to.equal(null);
  });

  it('<oss-incomplete-uploads>: refresh() before it is on the page lists, and once connected it renders with its styles', async () => {
    const user = uniqueUser();
    const el = document.createElement('oss-incomplete-uploads');
    el.tokenUrl = `/api/sts-token?user=${user}&scope=admin`;
    await el.refresh();
    const wrapper = await fixture<HTMLDivElement>(html`<div></div>`);
    wrapper.append(el);
    await el.updateComplete;
    await waitUntil(() => el.shadowRoot!.querySelector('table[aria-busy="false"]'), 'still loading', { timeout: 10_000 });
    expect(el.shadowRoot!.querySelector('[part="caption"]')!.textContent).to.equal('Incomplete uploads');
    expect(getComputedStyle(el.shadowRoot!.querySelector('table')!).borderCollapse, 'the panel styles apply').to.equal('collapse');
  });
});
