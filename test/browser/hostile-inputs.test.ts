// Hostile inputs (issue 11) in the browser against the real store: file names and keys that
// break URLs, XML or the page; sizes on the part edges; a bucket whose CORS hides ETag. Each
// ends in a clear typed error before any store request, or in the exact bytes at the exact
// key — and nothing is left behind on the store.
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { ClientErrorCode, UploadError } from '../../src/core/index.js';
import '../../src/define.js';
import type { OssUploader } from '../../src/index.js';
import { clientFor, FetchSpy, getObject, listUploads, makeFile, sha256Hex, uniqueUser } from './helpers.js';
import { pick, root, succeeded, tokenUrl } from './element-helpers.js';

const KiB = 1024;
const PART = 100 * KiB; // the OSS floor, so multipart starts small

/** The store operations a spy saw (the token endpoint is not the store). */
const storeRequests = (spy: FetchSpy) => [...spy.counts].filter(([op]) => op !== 'Token').reduce((n, [, c]) => n + c, 0);

async function refusedBeforeAnyRequest(name: string | undefined, key?: string): Promise<UploadError> {
  const spy = new FetchSpy();
  const user = uniqueUser();
  const client = clientFor(user, { fetch: spy.fetch, partSize: PART });
  const upload = client.createUpload(makeFile(1000, name ?? 'x.bin'), key === undefined ? {} : { key: `uploads/${user}/${key}` });
  let error: unknown;
  await upload.start().catch((e: unknown) => { error = e; });
  expect(error, 'the upload must fail').to.be.instanceOf(UploadError);
  expect((error as UploadError).code).to.equal(ClientErrorCode.InvalidInput);
  expect(storeRequests(spy), 'no store request').to.equal(0);
  expect(upload.state).to.equal('failed');
  client.dispose();
  return error as UploadError;
}

async function uploadsExactly(name: string, size = 1000): Promise<string> {
  const user = uniqueUser();
  const client = clientFor(user, { partSize: PART });
  const file = makeFile(size, name, 77);
  const result = await client.createUpload(file).start();
  expect((await getObject(result.key)).sha256).to.equal(await sha256Hex(file));
  expect(await listUploads(`uploads/${user}/`)).to.deep.equal([]);
  client.dispose();
  return result.key.slice(`uploads/${user}/`.length);
}

describe('hostile inputs: names and keys', () => {
  it('a file named "../../etc/passwd" lands under the user\'s prefix, dot segments dropped', async () => {
    expect(await uploadsExactly('../../etc/passwd')).to.equal('etc/passwd');
  });

  it('a key with a ".." segment is refused before any request (InvalidInput)', async () => {
    expect((await refusedBeforeAnyRequest(undefined, 'a/../b.bin')).message).to.match(/"\.\."|segment/);
  });

  it('a key with a leading slash is refused before any request', async () => {
    const spy = new FetchSpy();
    const client = clientFor(uniqueUser(), { fetch: spy.fetch });
    const error = await client.createUpload(makeFile(10), { key: '/abs.bin' }).start().catch((e: UploadError) => e);
    expect((error as UploadError).code).to.equal(ClientErrorCode.InvalidInput);
    expect(storeRequests(spy)).to.equal(0);
    client.dispose();
  });

  it('Unicode and emoji in a name: the object is at exactly that key, byte for byte', async () => {
    expect(await uploadsExactly('写真 📷 café – naïve.bin')).to.equal('写真 📷 café – naïve.bin');
  });

  it('right-to-left text and a right-to-left override in a name: stored at exactly that key', async () => {
    const name = 'تقرير \u202Egnp.exe';
    expect(await uploadsExactly(name)).to.equal(name);
  });

  it('a name of more than 1023 bytes of UTF-8 is refused before any request, saying how long it is', async () => {
    const e = await refusedBeforeAnyRequest(`${'é'.repeat(600)}.bin`);
    expect(e.message).to.match(/bytes long in UTF-8; the limit is 1023/);
  });

  it('a name with a control character (U+0001) is refused before any request', async () => {
    expect((await refusedBeforeAnyRequest('a\u0001b.bin')).message).to.match(/control character/);
  });

  it('a name with a line break is refused before any request', async () => {
    expect((await refusedBeforeAnyRequest('line\nbreak.bin')).message).to.match(/control character/);
  });

  it('a lone surrogate (not valid Unicode): a File name cannot carry one (U+FFFD takes its place); a key with one is refused before any request', async () => {
    expect(await uploadsExactly('bad\uD800name.bin')).to.equal('bad\uFFFDname.bin');
    expect((await refusedBeforeAnyRequest(undefined, 'bad\uD800name.bin')).message).to.match(/surrogate/);
  });

  it('an HTML file name is shown as text by the element (no markup made of it) and uploaded under that literal name', async () => {
    const user = uniqueUser();
    const el = await fixture<OssUploader>(html`<oss-uploader token-url=${tokenUrl(user)} auto-start></oss-uploader>`);
    const name = '<img src=x onerror="window.__pwned=1">.png';
    const file = makeFile(2000, name, 9);
    const success = succeeded(el);
    pick(el, [file]);
    const { detail } = await success;
    expect(detail.key).to.equal(`uploads/${user}/${name}`);
    expect(root(el).querySelector('img')).to.equal(null);
    expect([...root(el).querySelectorAll('[part="name"]')].map((n) => n.textContent)).to.include(name);
    expect((window as unknown as { __pwned?: number }).__pwned).to.equal(undefined);
    expect((await getObject(detail.key)).sha256).to.equal(await sha256Hex(file));
  });
});

describe('hostile inputs: sizes on the edges', () => {
  const cases: [string, number, string][] = [
    ['0 B', 0, 'PutObject'],
    ['one byte less than a part', PART - 1, 'PutObject'],
    ['exactly one part', PART, 'PutObject'],
    ['one byte more than a part (a 1-byte last part)', PART + 1, 'UploadPart'],
    ['two parts and one byte', 2 * PART + 1, 'UploadPart'],
  ];
  for (const [label, size, op] of cases) {
    it(`${label} (${size} B): ${op === 'PutObject' ? 'one PutObject' : 'multipart'}, byte-identical, nothing left open`, async () => {
      const spy = new FetchSpy();
      const user = uniqueUser();
      const client = clientFor(user, { fetch: spy.fetch, partSize: PART });
      const file = makeFile(size, `edge-${size}.bin`, size + 3);
      const result = await client.createUpload(file).start();
      expect(spy.count(op)).to.be.at.least(1);
      if (op === 'UploadPart') expect(spy.count('UploadPart')).to.equal(Math.ceil(size / PART));
      else expect(spy.count('UploadPart') + spy.count('Initiate')).to.equal(0);
      const stored = await getObject(result.key);
      expect([stored.size, stored.sha256]).to.deep.equal([size, await sha256Hex(file)]);
      expect(await listUploads(`uploads/${user}/`)).to.deep.equal([]);
      client.dispose();
    });
  }
});

describe('hostile inputs: store answers', () => {
  it('a bucket whose CORS hides ETag: CorsExposeHeaders naming the header and the fix; the abort then leaves nothing', async () => {
    const user = uniqueUser();
    const client = clientFor(user, { tokenPath: '/api/sts-token-noetag', partSize: PART });
    const upload = client.createUpload(makeFile(3 * PART, 'hidden-etag.bin', 5));
    const error = await upload.start().catch((e: UploadError) => e);
    expect((error as UploadError).code).to.equal(ClientErrorCode.CorsExposeHeaders);
    expect((error as UploadError).message).to.match(/ETag/);
    expect(await upload.abort()).to.deep.equal({ confirmed: true, objectExists: false });
    expect(await listUploads(`uploads/${user}/`, 'noetag')).to.deep.equal([]);
    client.dispose();
  });

  it('the element shows a failed upload\'s store message as text, whatever it contains', async () => {
    const user = uniqueUser();
    const el = await fixture<OssUploader>(html`<oss-uploader token-url=${`/api/sts-token-noetag?user=${user}`} part-size="100KiB" auto-start></oss-uploader>`);
    const failed = new Promise<void>((r) => el.addEventListener('oss-error', () => r(), { once: true }));
    pick(el, [makeFile(3 * PART, '<b>bold</b>.bin', 6)]);
    await failed;
    await waitUntil(() => root(el).querySelector('[part="error"]'));
    expect(root(el).querySelector('b')).to.equal(null);
    el.clear();
  });
});
