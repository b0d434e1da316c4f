// A page that switches its language after the element first rendered (in a page of its own, so
// the Chinese strings have not been fetched yet): the element fetches them and renders in
// Chinese, with nobody awaiting `updateComplete`.
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../../src/define.js';
import type { OssUploader } from '../../src/index.js';
import { root, tokenUrl } from './element-helpers.js';
import { uniqueUser } from './helpers.js';

const label = (el: OssUploader) => root(el).querySelector('[part="drop-label"]')!.textContent;

describe('<oss-uploader>: a language switch after the first render', () => {
  it('English first; lang="zh-CN" set later: the strings are fetched and it renders in Chinese', async () => {
    const el = await fixture<OssUploader>(html`<oss-uploader token-url=${tokenUrl(uniqueUser())} lang="en"></oss-uploader>`);
    expect(label(el)).to.equal('Choose a file');
    el.setAttribute('lang', 'zh-CN');
    await waitUntil(() => label(el) === '选择文件', 'still English after the switch', { timeout: 5000 });
  });
});
