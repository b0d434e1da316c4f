// The races a fault soak found (issue 11), each reproduced on its own against the real
// store. A wrapped `fetch` plays the network: it lets a request reach the store in full
// while the page never hears back, as happens when a connection drops after the body went.
import { expect } from '@open-wc/testing';
import { IndexedDbResumeStore, MemoryResumeStore, type CredentialsProvider, type Credentials } from '../../src/core/index.js';
import { clientFor, getObject, listParts, listUploads, makeFile, ScriptedNetwork, sha256Hex, storeOp, uniqueUser } from './helpers.js';

const KiB = 1024;

describe('races found under faults', () => {
  it('an abort of a small file whose PUT reaches the store after the cancel reports the object, not "confirmed"', async () => {
    const net = new ScriptedNetwork();
    // The store commits the PUT 600 ms after the page gave up on it.
    net.lose('PutObject', 'cancel-only', 1, 600);
    const client = clientFor(uniqueUser(), { fetch: net.fetch });
    const file = makeFile(20 * KiB, 'small-abort.bin');
    const upload = client.createUpload(file);
    let succeeded = false;
    upload.addEventListener('success', () => { succeeded = true; });
    const started = upload.start();
    started.catch(() => undefined);
    while (net.count('PutObject') === 0) await new Promise((r) => setTimeout(r, 10));
    const outcome = await upload.abort();
    expect(outcome).to.deep.equal({ confirmed: false, objectExists: true });
    expect(upload.state).to.equal('done');
    expect(succeeded).to.equal(true);
    expect((await getObject(upload.key!)).sha256).to.equal(await sha256Hex(file));
    client.dispose();
  });

  it('an abort of a small file whose PUT never lands is confirmed only after watching the store', async () => {
    const client = clientFor(uniqueUser(), {
      // The PUT never reaches the store, and the page hears nothing until it cancels.
      fetch: (input, init) => (storeOp(input, init) === 'PutObject'
        ? new Promise((_, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal!.reason)))
        : fetch(input, init)),
    });
    const upload = client.createUpload(makeFile(20 * KiB, 'never-lands.bin'));
    upload.start().catch(() => undefined);
    await new Promise((r) => setTimeout(r, 300));
    const t0 = performance.now();
    const outcome = await upload.abort();
    expect(outcome).to.deep.equal({ confirmed: true, objectExists: false });
    expect(performance.now() - t0).to.be.at.least(2500);
    expect(upload.state).to.equal('aborted');
    expect((await getObject(upload.key!)).missing).to.equal(true);
    client.dispose();
  });

  it('a reload while Complete is in flight finds the object on the next load: no part and no Complete sent again', async () => {
    const user = uniqueUser();
    const db = `oss-uploader-test-${user}`;
    const net = new ScriptedNetwork();
    net.lose('Complete', 'never');
    const first = clientFor(user, { fetch: net.fetch, partSize: 100 * KiB, resumeStore: new IndexedDbResumeStore(db) });
    const file = makeFile(350 * KiB, 'complete-reload.bin', 5);
    first.createUpload(file).start().catch(() => undefined);
    while (net.count('Complete') === 0) await new Promise((r) => setTimeout(r, 10));
    await net.settled(); // the store finished the Complete; the page never heard
    first.dispose(); // "reload"

    const again = new ScriptedNetwork();
    const second = clientFor(user, { fetch: again.fetch, partSize: 100 * KiB, resumeStore: new IndexedDbResumeStore(db) });
    const result = await second.createUpload(file).start();
    expect([again.count('Initiate'), again.count('UploadPart'), again.count('Complete')]).to.deep.equal([0, 0, 0]);
    expect(result.verified).to.equal(true);
    expect((await getObject(result.key)).sha256).to.equal(await sha256Hex(file));
    expect(await new IndexedDbResumeStore(db).list()).to.deep.equal([]);
    second.dispose();
  });

  it('a lost Initiate answer leaves no orphan: the upload the store created is adopted', async () => {
    const user = uniqueUser();
    const net = new ScriptedNetwork();
    net.lose('Initiate', 'network-error');
    const client = clientFor(user, { fetch: net.fetch, partSize: 100 * KiB, retry: { baseDelayMs: 10 } });
    const file = makeFile(250 * KiB, 'lost-initiate.bin', 6);
    const result = await client.createUpload(file).start();
    expect(net.count('Initiate')).to.equal(1);
    // One listing to adopt, one after the Initiate to look for a browser-level re-send.
    expect(net.count('ListUploads')).to.equal(2);
    expect((await getObject(result.key)).sha256).to.equal(await sha256Hex(file));
    expect(await listUploads(`uploads/${user}/`)).to.deep.equal([]);
    client.dispose();
  });

  it('a listed upload whose key ends in a space is aborted at that key, not a trimmed one', async () => {
    const user = uniqueUser();
    const client = clientFor(user, { partSize: 100 * KiB, concurrency: 1 });
    const key = `uploads/${user}/trailing space `;
    const upload = client.createUpload(makeFile(300 * KiB, 'x.bin', 8), { key });
    const started = upload.start();
    started.catch(() => undefined);
    await new Promise<void>((resolve) => upload.addEventListener('progress', (e) => e.progress.partsDone >= 1 && resolve()));
    await upload.cancel();
    const listed = await client.listUploads();
    expect(listed.map((u) => u.key)).to.deep.equal([key]);
    expect(await client.abortListed(listed[0]!)).to.equal(true);
    expect((await listParts(key, upload.uploadId!)).code).to.equal('NoSuchUpload');
    client.dispose();
  });

  it('a bodiless error (HEAD) for an expired token is read from the exposed error header: credentials are refreshed', async () => {
    const user = uniqueUser();
    const fetchToken = async (ttl?: number): Promise<Credentials> => {
      const j = await (await fetch(`/api/sts-token?user=${user}${ttl ? `&ttl=${ttl}` : ''}`)).json();
      return { accessKeyId: j.AccessKeyId, accessKeySecret: j.AccessKeySecret, securityToken: j.SecurityToken, expiration: new Date(j.Expiration) };
    };
    const expired = await fetchToken(1);
    await new Promise((r) => setTimeout(r, 2100));
    let gets = 0;
    let invalidated = 0;
    let current: Credentials = expired;
    const provider: CredentialsProvider = {
      get: async () => { gets++; return current; },
      invalidate: (stale) => { if (stale === current) { invalidated++; current = undefined!; } },
      target: async () => {
        const j = await (await fetch(`/api/sts-token?user=${user}`)).json();
        return { endpoint: j.endpoint, bucket: j.bucket, region: j.region, keyPrefix: j.keyPrefix };
      },
    };
    const client = clientFor(user, { credentials: provider });
    const { ops } = await client.destination();
    const fresh = await fetchToken();
    const refreshing = { ...provider, get: async () => { gets++; return current ?? fresh; } };
    Object.assign(provider, refreshing);
    const head = await ops.head(`uploads/${user}/does-not-exist.bin`);
    expect(head).to.equal(undefined);
    expect(invalidated).to.equal(1);
    expect(gets).to.equal(2);
    client.dispose();
  });

  it('a PutObject whose answer is lost is sent again and finds its own object: done, not "object exists"', async () => {
    const user = uniqueUser();
    const net = new ScriptedNetwork();
    net.lose('PutObject', 'network-error');
    const client = clientFor(user, { fetch: net.fetch, retry: { baseDelayMs: 10 } });
    const file = makeFile(30 * KiB, 'lost-put-answer.bin', 41);
    const result = await client.createUpload(file).start();
    expect(result.key).to.equal(`uploads/${user}/lost-put-answer.bin`);
    expect(net.count('PutObject')).to.equal(2);
    expect((await getObject(result.key)).sha256).to.equal(await sha256Hex(file));
    client.dispose();
  });

  it('two files of one name in one drop, uploading at once, get two names and both land', async () => {
    const user = uniqueUser();
    const client = clientFor(user, { partSize: 100 * KiB });
    const files = [makeFile(300 * KiB, 'same.bin', 51), makeFile(300 * KiB, 'same.bin', 52), makeFile(20 * KiB, 'same.bin', 53), makeFile(20 * KiB, 'same.bin', 54)];
    const results = await Promise.all(files.map((f) => client.createUpload(f).start()));
    expect(new Set(results.map((r) => r.key)).size).to.equal(4);
    for (const [i, r] of results.entries()) expect((await getObject(r.key)).sha256).to.equal(await sha256Hex(files[i]!));
    client.dispose();
  });

  it('an abort the store refuses for good says why, leaves the upload resumable, and owes nothing', async () => {
    const alice = uniqueUser();
    const bob = uniqueUser();
    const token = async (user: string): Promise<Credentials> => {
      const j = await (await fetch(`/api/sts-token?user=${user}`)).json();
      return { accessKeyId: j.AccessKeyId, accessKeySecret: j.AccessKeySecret, securityToken: j.SecurityToken, expiration: new Date(j.Expiration) };
    };
    let current = await token(alice);
    const provider: CredentialsProvider = {
      get: async () => current,
      invalidate: () => undefined,
      target: async () => {
        const j = await (await fetch(`/api/sts-token?user=${alice}`)).json();
        return { endpoint: j.endpoint, bucket: j.bucket, region: j.region, keyPrefix: j.keyPrefix };
      },
    };
    const store = new MemoryResumeStore();
    const client = clientFor(alice, { credentials: provider, partSize: 100 * KiB, concurrency: 1, resumeStore: store });
    const upload = client.createUpload(makeFile(400 * KiB, 'refused.bin', 61));
    upload.start().catch(() => undefined);
    await new Promise<void>((resolve) => upload.addEventListener('progress', (e) => e.progress.partsDone >= 1 && resolve()));
    current = await token(bob); // the page now holds someone else's credentials
    const outcome = await upload.abort();
    expect(outcome.confirmed).to.equal(false);
    expect(outcome.error?.kind).to.equal('access-denied');
    expect(outcome.error?.message).to.match(/refused to abort.*only the credentials that started this upload/);
    expect(upload.state).to.equal('failed');
    expect(await store.pendingAborts()).to.deep.equal([]);
    expect((await listParts(upload.key!, upload.uploadId!)).parts!.length).to.be.at.least(1);
    current = await token(alice);
    await upload.resume();
    expect(upload.state).to.equal('done');
    client.dispose();
  });
});
