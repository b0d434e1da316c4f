// Faults: expiring credentials, a skewed clock, CORS that hides ETag — all from the real
// store — and, through msw, the faults a healthy store will not produce on demand:
// corrupted CRCs, 503s, a token endpoint answering garbage.
import { expect } from '@open-wc/testing';
import { setupWorker } from 'msw/browser';
import { bypass, http, HttpResponse } from 'msw';
import { Clock, UploadError, type Credentials, type CredentialsProvider } from '../../src/core/index.js';
import { TokenEndpointCredentials } from '../../src/core/token-endpoint-credentials.js';
import { clientFor, FetchSpy, getObject, listUploads, makeFile, sha256Hex, uniqueUser } from './helpers.js';

const KiB = 1024;
const worker = setupWorker();

before(async () => {
  await worker.start({ serviceWorker: { url: '/mockServiceWorker.js' }, onUnhandledRequest: 'bypass', quiet: true });
});
afterEach(() => worker.resetHandlers());
after(() => worker.stop());

/** Passes the request to the real store, then lets `edit` change the answer. */
function tamper(predicate: (url: URL, method: string) => boolean, edit: (res: Response, n: number) => Response | Promise<Response>) {
  let n = 0;
  return http.all(/.*/, async ({ request }) => {
    const url = new URL(request.url);
    if (!predicate(url, request.method)) return undefined;
    const real = await fetch(bypass(request));
    return edit(real, ++n);
  });
}

const isPart = (url: URL) => url.searchParams.has('partNumber');

describe('engine: faults', () => {
  it('credentials that expire during the upload are refreshed, and the upload completes', async () => {
    const spy = new FetchSpy();
    spy.partDelayMs = 250;
    const client = clientFor(uniqueUser(), { fetch: spy.fetch, ttl: 2, partSize: 100 * KiB, concurrency: 1 });
    const file = makeFile(1000 * KiB, 'long.bin');
    const result = await client.createUpload(file).start();
    expect(spy.count('Token')).to.be.at.least(2);
    expect((await getObject(result.key)).sha256).to.equal(await sha256Hex(file));
  });

  it('on SecurityTokenExpired it refreshes once, re-signs and retries', async () => {
    const user = uniqueUser();
    const real = new TokenEndpointCredentials({ url: `/api/sts-token?user=${user}` });
    let handedStale = false;
    let fetches = 0;
    const stale: CredentialsProvider = {
      async get(signal) {
        if (!handedStale) {
          handedStale = true;
          const c = await new TokenEndpointCredentials({ url: `/api/sts-token?user=${user}&ttl=1` }).get(signal);
          await new Promise((r) => setTimeout(r, 1500));
          return c; // expired by now, though it does not know
        }
        fetches++;
        return real.get(signal);
      },
      invalidate: (c: Credentials) => real.invalidate(c),
      target: (signal) => real.target(signal),
    };
    const client = clientFor(user, { credentials: stale });
    const result = await client.createUpload(makeFile(10 * KiB, 'stale.bin')).start();
    expect(fetches).to.be.at.least(1);
    expect((await getObject(result.key)).size).to.equal(10 * KiB);
  });

  it('a clock 20 minutes slow is corrected from the store\'s ServerTime', async () => {
    const clock = new Clock(() => Date.now() - 20 * 60_000);
    const client = clientFor(uniqueUser(), { clock, partSize: 100 * KiB });
    const file = makeFile(300 * KiB, 'skew.bin');
    const result = await client.createUpload(file).start();
    expect(Math.abs(clock.offset - 20 * 60_000)).to.be.below(5000);
    expect((await getObject(result.key)).sha256).to.equal(await sha256Hex(file));
  });

  it('CORS rules that hide ETag fail fast with a typed error naming the rule to add', async () => {
    const user = uniqueUser();
    const client = clientFor(user, { tokenPath: '/api/sts-token-noetag', partSize: 100 * KiB });
    const error = await client.createUpload(makeFile(300 * KiB, 'cors.bin')).start().then(() => undefined, (e) => e);
    expect(error).to.be.instanceOf(UploadError);
    expect(error.code).to.equal('CorsExposeHeaders');
    expect(error.message).to.contain('<ExposeHeader>ETag</ExposeHeader>');
  });

  it('with etagFromListParts, ETags hidden by CORS are read from ListParts and the upload completes', async () => {
    const client = clientFor(uniqueUser(), { tokenPath: '/api/sts-token-noetag', partSize: 100 * KiB, etagFromListParts: true });
    const file = makeFile(300 * KiB, 'cors-ok.bin');
    const result = await client.createUpload(file).start();
    expect((await getObject(result.key, 'noetag')).sha256).to.equal(await sha256Hex(file));
  });

  it('a part whose CRC the store reports differently is uploaded again', async () => {
    worker.use(tamper((u, m) => m === 'PUT' && isPart(u) && u.searchParams.get('partNumber') === '2', (res, n) => {
      if (n > 1) return res;
      const headers = new Headers(res.headers);
      headers.set('x-oss-hash-crc64ecma', '12345');
      return new Response(res.body, { status: res.status, headers });
    }));
    const spy = new FetchSpy();
    const client = clientFor(uniqueUser(), { fetch: spy.fetch, partSize: 100 * KiB });
    const file = makeFile(300 * KiB, 'crc.bin');
    const result = await client.createUpload(file).start();
    expect(spy.count('UploadPart')).to.equal(4);
    expect((await getObject(result.key)).sha256).to.equal(await sha256Hex(file));
  });

  it('an object CRC from Complete that disagrees with the parts fails the upload loudly', async () => {
    // Complete's header and the object's own (HEAD) both disagree: a damaged header alone is
    // overruled by HEAD (engine-soak-findings.test.ts).
    worker.use(tamper((u, m) => (m === 'POST' && u.searchParams.has('uploadId')) || m === 'HEAD', (res) => {
      const headers = new Headers(res.headers);
      headers.set('x-oss-hash-crc64ecma', '1');
      return new Response(res.body, { status: res.status, headers });
    }));
    const client = clientFor(uniqueUser(), { partSize: 100 * KiB });
    const error = await client.createUpload(makeFile(300 * KiB, 'bad-object.bin')).start().then(() => undefined, (e) => e);
    expect(error.code).to.equal('CrcMismatch');
  });

  it('a part the store finds corrupted (InvalidDigest) is read and sent again', async () => {
    let refused = 0;
    worker.use(http.put(/.*/, ({ request }) => {
      const url = new URL(request.url);
      if (url.searchParams.get('partNumber') !== '2' || refused++ > 0) return undefined;
      return new HttpResponse('<?xml version="1.0"?><Error><Code>InvalidDigest</Code><Message>The Content-MD5 you specified was invalid.</Message><RequestId>FAKE</RequestId></Error>', { status: 400 });
    }));
    const spy = new FetchSpy();
    const client = clientFor(uniqueUser(), { fetch: spy.fetch, partSize: 100 * KiB, contentMd5: true });
    const file = makeFile(300 * KiB, 'digest.bin');
    const result = await client.createUpload(file).start();
    expect(refused).to.equal(2);
    expect(spy.count('UploadPart')).to.equal(4);
    expect((await getObject(result.key)).sha256).to.equal(await sha256Hex(file));
  });

  it('Complete answering InvalidPart makes the engine rebuild its list from ListParts and complete once more', async () => {
    let refused = 0;
    worker.use(http.post(/.*/, ({ request }) => {
      if (!new URL(request.url).searchParams.has('uploadId') || refused++ > 0) return undefined;
      return new HttpResponse('<?xml version="1.0"?><Error><Code>InvalidPart</Code><Message>One or more of the specified parts could not be found.</Message><RequestId>FAKE</RequestId></Error>', { status: 400 });
    }));
    const spy = new FetchSpy();
    const client = clientFor(uniqueUser(), { fetch: spy.fetch, partSize: 100 * KiB });
    const file = makeFile(300 * KiB, 'invalid-part.bin');
    const result = await client.createUpload(file).start();
    expect(spy.count('Complete')).to.equal(2);
    expect(spy.count('ListParts')).to.be.at.least(1);
    expect((await getObject(result.key)).sha256).to.equal(await sha256Hex(file));
  });

  it('503 SlowDown answers are retried with backoff', async () => {
    worker.use(tamper((u, m) => m === 'PUT' && isPart(u), (res, n) => (n <= 2
      ? new HttpResponse('<?xml version="1.0"?><Error><Code>SlowDown</Code><Message>Reduce your request rate.</Message><RequestId>FAKE</RequestId></Error>', { status: 503, headers: { 'x-oss-request-id': 'FAKE' } })
      : res)));
    const client = clientFor(uniqueUser(), { partSize: 100 * KiB, retry: { baseDelayMs: 10 } });
    const file = makeFile(300 * KiB, 'slow.bin');
    const result = await client.createUpload(file).start();
    expect((await getObject(result.key)).sha256).to.equal(await sha256Hex(file));
  });

  it('a token endpoint that blips (503) is retried, and the upload goes on', async () => {
    worker.use(http.get('/api/sts-token', () => new HttpResponse('busy', { status: 503 }), { once: true }));
    const spy = new FetchSpy();
    const client = clientFor(uniqueUser(), { fetch: spy.fetch, retry: { baseDelayMs: 5 } });
    const result = await client.createUpload(makeFile(10 * KiB, 'blip.bin')).start();
    expect(spy.count('Token')).to.equal(2);
    expect((await getObject(result.key)).size).to.equal(10 * KiB);
  });

  it('a token endpoint answering malformed JSON is a CredentialsError', async () => {
    worker.use(http.get('/api/sts-token', () => new HttpResponse('<html>login</html>', { headers: { 'content-type': 'text/html' } })));
    const error = await clientFor(uniqueUser()).createUpload(makeFile(10)).start().then(() => undefined, (e) => e);
    expect(error.code).to.equal('CredentialsError');
  });

  it('a network failure that outlasts the retries is a NetworkError, not a hang', async () => {
    worker.use(http.put(/.*/, () => HttpResponse.error()));
    const client = clientFor(uniqueUser(), { retry: { maxAttempts: 3, baseDelayMs: 5 } });
    const error = await client.createUpload(makeFile(10)).start().then(() => undefined, (e) => e);
    expect(error.code).to.equal('NetworkError');
  });

  it('an abort that cannot reach the store is journaled and finished on the next load', async () => {
    const user = uniqueUser();
    const { MemoryResumeStore } = await import('../../src/core/index.js');
    const records = new MemoryResumeStore();
    const client = clientFor(user, { partSize: 100 * KiB, resumeStore: records, retry: { maxAttempts: 2, baseDelayMs: 5 } });
    const up = client.createUpload(makeFile(500 * KiB, 'offline.bin'));
    const p = up.start().catch(() => undefined);
    await new Promise<void>((r) => up.addEventListener('progress', (e) => e.progress.partsDone >= 1 && r()));
    // Offline for everything about this upload id (msw matches paths, so test the query here).
    worker.use(http.all(/.*/, ({ request }) => (new URL(request.url).searchParams.has('uploadId') ? HttpResponse.error() : undefined)));
    const outcome = await up.abort();
    await p;
    expect(outcome.confirmed).to.equal(false);
    expect((await records.pendingAborts()).map((a) => a.uploadId)).to.deep.equal([up.uploadId]);
    worker.resetHandlers();

    const next = clientFor(user, { resumeStore: records });
    expect(await next.finishPendingAborts()).to.equal(1);
    expect(await records.pendingAborts()).to.deep.equal([]);
    expect(await listUploads(`uploads/${user}/`)).to.deep.equal([]);
  });
});

describe('engine: a hasher that fails', () => {
  it('a checksum that cannot be computed fails the upload with HashFailed (typed, said plainly), never completes it unverified', async () => {
    const user = uniqueUser();
    const spy = new FetchSpy();
    const hasher = { digest: () => Promise.reject(new Error('the hash worker did not answer')), dispose() {} };
    const client = clientFor(user, { fetch: spy.fetch, partSize: 100 * KiB, hasher });
    const error = await client.createUpload(makeFile(250 * KiB, 'unhashable.bin', 41)).start().then(() => undefined, (e: unknown) => e);
    expect(error).to.be.instanceOf(UploadError);
    expect((error as UploadError).code).to.equal('HashFailed');
    expect((error as UploadError).message).to.contain('unhashable.bin').and.to.contain('the hash worker did not answer');
    expect(spy.count('Complete')).to.equal(0);
    expect((await getObject(`uploads/${user}/unhashable.bin`)).missing).to.equal(true);
  });
});
