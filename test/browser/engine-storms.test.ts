// Throttling storms through msw (a healthy local store never says SlowDown): the shared
// concurrency limiter shrinks under 429 / 503 SlowDown, the upload still completes, and
// the limit grows back once the store takes parts again.
import { expect } from '@open-wc/testing';
import { setupWorker } from 'msw/browser';
import { bypass, http, HttpResponse } from 'msw';
import { clientFor, getObject, makeFile, sha256Hex, uniqueUser } from './helpers.js';

const KiB = 1024;
const worker = setupWorker();

before(async () => {
  await worker.start({ serviceWorker: { url: '/mockServiceWorker.js' }, onUnhandledRequest: 'bypass', quiet: true });
});
afterEach(() => worker.resetHandlers());
after(() => worker.stop());

const slowDown = () => new HttpResponse('<?xml version="1.0"?><Error><Code>SlowDown</Code><Message>Reduce your request rate.</Message><RequestId>FAKE</RequestId></Error>', { status: 503, headers: { 'x-oss-request-id': 'FAKE' } });
const tooMany = () => new HttpResponse('Too Many Requests', { status: 429 });

/** UploadPart answers `storm()` while `raging()`, else the real store's. */
function stormOnParts(raging: () => boolean, storm: (n: number) => Response) {
  let n = 0;
  return http.put(/.*/, async ({ request }) => {
    if (!new URL(request.url).searchParams.has('partNumber')) return undefined;
    if (raging()) return storm(++n);
    return fetch(bypass(request));
  });
}

describe('engine: throttling storms', function () {
  this.timeout(60_000);

  it('429 and 503 SlowDown shrink the concurrency, the upload completes, and the concurrency grows back', async () => {
    let raging = false;
    let stormed = 0;
    worker.use(stormOnParts(() => raging, (n) => { stormed = n; return n % 2 ? slowDown() : tooMany(); }));
    const client = clientFor(uniqueUser(), { partSize: 256 * KiB, concurrency: 4, retry: { baseDelayMs: 100, maxAttempts: 10 } });
    const file = makeFile(6 * 1024 * KiB, 'storm.bin', 41);
    const upload = client.createUpload(file);
    const limits: number[] = [];
    let partsAtCalm = 0;
    upload.addEventListener('progress', (e) => {
      limits.push(client.limiter.limit);
      if (e.progress.partsDone === 3 && !raging && stormed === 0) {
        raging = true;
        // The storm lasts 2.5 s, then the store takes parts again.
        setTimeout(() => { raging = false; partsAtCalm = upload.progress.partsDone; }, 2500);
      }
    });
    const result = await upload.start();
    const lowest = client.limiter.lowestLimit;
    console.log(`storm: ${stormed} throttled answers, lowest limit ${lowest}, limits seen ${limits.join(',')}, parts done at calm ${partsAtCalm}`);
    expect(stormed).to.be.at.least(2);
    expect(lowest).to.be.at.most(2);
    expect(Math.max(...limits.slice(limits.length - 5))).to.be.above(lowest);
    expect((await getObject(result.key)).sha256).to.equal(await sha256Hex(file));
  });
});
