// What `npm run soak` found (scripts/soak/), each reproduced on its own against the real store.
// A wrapped `fetch` plays the network and the page going away: a request reaches the store
// in full while the page never hears back, or the page hears something else than was sent.
import { expect } from '@open-wc/testing';
import { IndexedDbResumeStore, MemoryResumeStore, type UploadClient } from '../../src/core/index.js';
import { clientFor, getObject, listParts, listUploads, makeFile, ScriptedNetwork, sha256Hex, storeOp, uniqueUser, until } from './helpers.js';

const KiB = 1024;

/** A request the network holds until its page lets go of it (its signal aborts). */
const held = (init?: RequestInit) => new Promise<Response>((_, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal!.reason)));

/**
 * A network on which the browser itself re-sends every Initiate (as Chromium does after a
 * kept-alive connection closes before any answer byte): the store creates two uploads, the
 * page hears of the second only. `then` plays the rest of the network (default: the store).
 */
const resendingInitiate = (then: (op: string, input: RequestInfo | URL, init?: RequestInit) => Promise<Response> = (_op, input, init) => fetch(input, init)): typeof fetch =>
  async (input, init) => {
    const op = storeOp(input, init);
    if (op !== 'Initiate') return then(op, input, init);
    await (await fetch(input, init)).text(); // the twin, its answer lost below fetch
    return fetch(input, init);
  };

/**
 * A page (a client on the IndexedDB `db`) that sends the Initiate of `file`, which reaches the
 * store, and has not heard the answer when this resolves. Dispose it to close the page.
 */
async function initiateUnanswered(user: string, db: string, file: File, key?: string): Promise<UploadClient> {
  const net = new ScriptedNetwork();
  net.never('Initiate');
  const page = clientFor(user, { fetch: net.fetch, partSize: 100 * KiB, resumeStore: new IndexedDbResumeStore(db) });
  page.createUpload(file, key ? { key } : {}).start().catch(() => undefined);
  await until(() => net.count('Initiate') > 0);
  await net.settled(); // the store created the upload; the page never heard
  return page;
}


describe('soak findings', () => {
  it('a page closed while Initiate is in flight: the next load adopts the upload the store created (no orphan, no second Initiate)', async () => {
    const user = uniqueUser();
    const db = `oss-uploader-test-${user}`;
    const file = makeFile(250 * KiB, 'initiate-reload.bin', 21);
    (await initiateUnanswered(user, db, file)).dispose(); // "reload"
    expect((await listUploads(`uploads/${user}/`)).length).to.equal(1);

    const again = new ScriptedNetwork();
    const b = clientFor(user, { fetch: again.fetch, partSize: 100 * KiB, resumeStore: new IndexedDbResumeStore(db) });
    const result = await b.createUpload(file).start();
    expect(again.count('Initiate')).to.equal(0);
    expect((await getObject(result.key)).sha256).to.equal(await sha256Hex(file));
    expect(await listUploads(`uploads/${user}/`)).to.deep.equal([]);
    expect(await new IndexedDbResumeStore(db).list()).to.deep.equal([]);
    b.dispose();
  });

  it('a browser\'s own re-send of Initiate, then a reload before the engine looked for its twin: the next load looks again and aborts it', async () => {
    const user = uniqueUser();
    const db = `oss-uploader-test-${user}`;
    // Chromium re-sends a POST below fetch when a kept-alive connection closes before any
    // answer byte: the store makes two uploads, the page hears of the second only.
    let listingHeld = true;
    // The page goes before the look.
    const first = resendingInitiate((op, input, init) => (op === 'ListUploads' && listingHeld ? held(init) : fetch(input, init)));
    const a = clientFor(user, { fetch: first, partSize: 100 * KiB, concurrency: 1, resumeStore: new IndexedDbResumeStore(db) });
    const file = makeFile(350 * KiB, 'twin-reload.bin', 29);
    const upload = a.createUpload(file);
    upload.start().catch(() => undefined);
    await new Promise<void>((resolve) => upload.addEventListener('progress', (e) => e.progress.partsDone >= 1 && resolve()));
    expect((await listUploads(`uploads/${user}/`)).length).to.equal(2);
    a.dispose(); // "reload"
    listingHeld = false;

    const b = clientFor(user, { partSize: 100 * KiB, resumeStore: new IndexedDbResumeStore(db) });
    const result = await b.createUpload(file).start();
    expect(result.key).to.equal(upload.key);
    expect((await getObject(result.key)).sha256).to.equal(await sha256Hex(file));
    expect(await listUploads(`uploads/${user}/`)).to.deep.equal([]);
    b.dispose();
    indexedDB.deleteDatabase(db);
  });

  it('a browser\'s own re-send of Initiate, then Abort before the engine looked for its twin: the twin is aborted too', async () => {
    const user = uniqueUser();
    let release: () => void = () => undefined;
    const listingMayGo = new Promise<void>((r) => { release = r; });
    const net = resendingInitiate(async (op, input, init) => {
      if (op === 'ListUploads') await listingMayGo; // the look comes after the abort's DELETE
      const answer = await fetch(input, init);
      if (op === 'Abort') release();
      return answer;
    });
    const records = new MemoryResumeStore();
    const client = clientFor(user, { fetch: net, partSize: 100 * KiB, concurrency: 1, resumeStore: records });
    const upload = client.createUpload(makeFile(350 * KiB, 'twin-abort.bin', 30));
    upload.start().catch(() => undefined);
    await new Promise<void>((resolve) => upload.addEventListener('progress', (e) => e.progress.partsDone >= 1 && resolve()));
    expect((await listUploads(`uploads/${user}/`)).length).to.equal(2);
    expect(await upload.abort()).to.deep.equal({ confirmed: true, objectExists: false });
    await until(async () => (await listUploads(`uploads/${user}/`)).length === 0);
    expect(await listUploads(`uploads/${user}/`)).to.deep.equal([]);
    await new Promise((r) => setTimeout(r, 300)); // the look has ended
    expect(await records.list(), 'an aborted upload is not offered again').to.deep.equal([]);
    client.dispose();
  });

  it('discarding an upload whose Initiate went unanswered leaves alone the upload another tab is initiating at the same key', async () => {
    const user = uniqueUser();
    const db = `oss-uploader-test-${user}`;
    const key = `uploads/${user}/two-tabs.bin`;
    const file = makeFile(250 * KiB, 'two-tabs.bin', 35);
    (await initiateUnanswered(user, db, file, key)).dispose(); // that page is gone
    const left = await clientFor(user, { resumeStore: new IndexedDbResumeStore(db) }).findResumable(file);
    expect(left?.uploadId).to.equal('');

    // Another tab sends another file to that key; its Initiate has reached the store, its answer not the tab yet.
    const b = await initiateUnanswered(user, db, makeFile(260 * KiB, 'other.bin', 36), key);
    expect((await listUploads(`uploads/${user}/`)).length).to.equal(2);

    const c = clientFor(user, { partSize: 100 * KiB, resumeStore: new IndexedDbResumeStore(db) });
    expect(await c.discard(left!), 'not confirmed: the uploads cannot be told apart').to.equal(false);
    expect((await listUploads(`uploads/${user}/`)).length).to.equal(2);
    b.dispose();
    c.dispose();
  });

  it('discarding an upload whose Initiate was re-sent by the browser while the page closed aborts both uploads it created', async () => {
    const user = uniqueUser();
    const db = `oss-uploader-test-${user}`;
    let sent = 0;
    const first: typeof fetch = async (input, init) => {
      if (storeOp(input, init) !== 'Initiate') return fetch(input, init);
      await (await fetch(input, init)).text(); // created; its answer lost below fetch
      await (await fetch(input, init)).text(); // the browser's re-send: created too
      sent = 2;
      return new Promise(() => undefined); // and the page is gone before it hears
    };
    const a = clientFor(user, { fetch: first, partSize: 100 * KiB, resumeStore: new IndexedDbResumeStore(db) });
    const file = makeFile(250 * KiB, 'twin-discard.bin', 33);
    a.createUpload(file).start().catch(() => undefined);
    await until(() => sent === 2);
    a.dispose();
    expect((await listUploads(`uploads/${user}/`)).length).to.equal(2);

    const b = clientFor(user, { partSize: 100 * KiB, resumeStore: new IndexedDbResumeStore(db) });
    const record = await b.findResumable(file);
    expect(record?.uploadId).to.equal('');
    expect(await b.discard(record!)).to.equal(true);
    expect(await listUploads(`uploads/${user}/`)).to.deep.equal([]);
    expect(await new IndexedDbResumeStore(db).list()).to.deep.equal([]);
    b.dispose();
    indexedDB.deleteDatabase(db);
  });

  it('discarding an upload whose page closed before it looked for its Initiate\'s twin aborts the twin too', async () => {
    const user = uniqueUser();
    const db = `oss-uploader-test-${user}`;
    const first = resendingInitiate((op, input, init) => (op === 'ListUploads' ? held(init) : fetch(input, init))); // the page goes before the look
    const a = clientFor(user, { fetch: first, partSize: 100 * KiB, concurrency: 1, resumeStore: new IndexedDbResumeStore(db) });
    const file = makeFile(350 * KiB, 'twin-discard-later.bin', 34);
    const upload = a.createUpload(file);
    upload.start().catch(() => undefined);
    await new Promise<void>((resolve) => upload.addEventListener('progress', (e) => e.progress.partsDone >= 1 && resolve()));
    a.dispose();
    expect((await listUploads(`uploads/${user}/`)).length).to.equal(2);

    const b = clientFor(user, { partSize: 100 * KiB, resumeStore: new IndexedDbResumeStore(db) });
    const record = await b.findResumable(file);
    expect(record?.uploadId).to.equal(upload.uploadId);
    expect(await b.discard(record!)).to.equal(true);
    expect(await listUploads(`uploads/${user}/`)).to.deep.equal([]);
    b.dispose();
    indexedDB.deleteDatabase(db);
  });

  it('discarding such an interrupted upload aborts what the lost Initiate created', async () => {
    const user = uniqueUser();
    const db = `oss-uploader-test-${user}`;
    const file = makeFile(250 * KiB, 'initiate-discard.bin', 22);
    (await initiateUnanswered(user, db, file)).dispose();

    const b = clientFor(user, { partSize: 100 * KiB, resumeStore: new IndexedDbResumeStore(db) });
    const record = await b.findResumable(file);
    expect(record?.uploadId).to.equal('');
    expect(await b.storedBytes(record!)).to.equal(0);
    expect(await b.discard(record!)).to.equal(true);
    expect(await listUploads(`uploads/${user}/`)).to.deep.equal([]);
    b.dispose();
  });

  it('a Complete whose checksum header arrives damaged: the object decides (HEAD), and the upload succeeds verified', async () => {
    const net = new ScriptedNetwork();
    net.answer('Complete', async (r) => {
      const headers = new Headers(r.headers);
      headers.set('x-oss-hash-crc64ecma', '12345');
      return new Response(await r.text(), { status: r.status, headers });
    });
    const client = clientFor(uniqueUser(), { fetch: net.fetch, partSize: 100 * KiB });
    const file = makeFile(250 * KiB, 'damaged-header.bin', 23);
    const result = await client.createUpload(file).start();
    expect(result.verified).to.equal(true);
    expect((await getObject(result.key)).sha256).to.equal(await sha256Hex(file));
    client.dispose();
  });

  it('Abort pressed as a small file\'s PutObject answers with a damaged checksum: the abort finds the object there and says so, never "confirmed"', async () => {
    const net = new ScriptedNetwork();
    const client = clientFor(uniqueUser(), { fetch: net.fetch, partSize: 1024 * KiB });
    const file = makeFile(300 * KiB, 'abort-damaged-put.bin', 28);
    const upload = client.createUpload(file);
    let outcome: Promise<{ confirmed: boolean; objectExists: boolean }> | undefined;
    net.answer('PutObject', async (r) => {
      outcome = upload.abort(); // pressed while the answer is on its way
      const headers = new Headers(r.headers);
      headers.set('x-oss-hash-crc64ecma', '12345');
      return new Response(await r.text(), { status: r.status, headers });
    });
    await upload.start().catch(() => undefined);
    await until(() => outcome !== undefined);
    const said = await outcome!;
    // The store holds our bytes (only the answer's header was damaged): the upload is done.
    expect(said).to.deep.equal({ confirmed: false, objectExists: true });
    expect(upload.state).to.equal('done');
    expect((await getObject(upload.key!)).sha256).to.equal(await sha256Hex(file));
    client.dispose();
  });

  it('a retry after a Complete that landed but answered an error finds the object: no new upload, no second Complete', async () => {
    const user = uniqueUser();
    const net = new ScriptedNetwork();
    net.answer('Complete', () => new Response('<?xml version="1.0"?><Error><Code>AccessDenied</Code><Message>made up</Message></Error>', {
      status: 403, headers: { 'Content-Type': 'application/xml' },
    }));
    const client = clientFor(user, { fetch: net.fetch, partSize: 100 * KiB });
    const file = makeFile(250 * KiB, 'landed-then-failed.bin', 24);
    const upload = client.createUpload(file);
    await upload.start().then(() => expect.fail('should fail'), () => undefined);
    expect(upload.state).to.equal('failed');
    await net.settled();
    const before = ['Initiate', 'UploadPart', 'Complete'].map((op) => net.count(op));
    const result = await upload.resume();
    expect(['Initiate', 'UploadPart', 'Complete'].map((op) => net.count(op))).to.deep.equal(before);
    expect((await getObject(result.key)).sha256).to.equal(await sha256Hex(file));
    client.dispose();
  });

  it('a lost Complete answer: HEAD finds the object, and Complete is not sent a second time', async () => {
    const net = new ScriptedNetwork();
    net.answer('Complete', () => { throw new TypeError('Failed to fetch'); });
    const client = clientFor(uniqueUser(), { fetch: net.fetch, partSize: 100 * KiB });
    const file = makeFile(250 * KiB, 'lost-complete.bin', 26);
    const result = await client.createUpload(file).start();
    expect(net.count('Complete')).to.equal(1);
    expect(result.verified).to.equal(true);
    expect((await getObject(result.key)).sha256).to.equal(await sha256Hex(file));
    client.dispose();
  });

  it('a Complete refused with 503 before it reached the store: sent again once HEAD finds no object', async () => {
    const user = uniqueUser();
    const net = new ScriptedNetwork();
    net.refuse('Complete', () => new Response('<Error><Code>ServiceUnavailable</Code><Message>busy</Message></Error>', { status: 503 }));
    const client = clientFor(user, { fetch: net.fetch, partSize: 100 * KiB, retry: { baseDelayMs: 10 } });
    const file = makeFile(250 * KiB, 'busy-complete.bin', 27);
    const result = await client.createUpload(file).start();
    expect(net.count('Complete')).to.equal(2);
    expect((await getObject(result.key)).sha256).to.equal(await sha256Hex(file));
    expect(await listUploads(`uploads/${user}/`)).to.deep.equal([]);
    client.dispose();
  });

  it('an abort is journaled before it is tried: a page closed mid-abort leaves it to the next load, which finishes it', async () => {
    const user = uniqueUser();
    const db = `oss-uploader-test-${user}`;
    const store = new IndexedDbResumeStore(db);
    const net = new ScriptedNetwork();
    const client = clientFor(user, { fetch: net.fetch, partSize: 100 * KiB, concurrency: 1, resumeStore: store });
    const upload = client.createUpload(makeFile(350 * KiB, 'abort-reload.bin', 25));
    upload.start().catch(() => undefined);
    await new Promise<void>((resolve) => upload.addEventListener('progress', (e) => e.progress.partsDone >= 1 && resolve()));
    net.never('Abort');
    upload.abort().catch(() => undefined);
    await until(() => net.count('Abort') > 0);
    const owed = await store.pendingAborts();
    expect(owed.map((p) => p.uploadId)).to.deep.equal([upload.uploadId]);
    client.dispose(); // "reload" before the DELETE was answered

    const later = clientFor(user, { partSize: 100 * KiB, resumeStore: new IndexedDbResumeStore(db) });
    expect(await later.finishPendingAborts()).to.equal(1);
    expect((await listParts(upload.key!, upload.uploadId!)).code).to.equal('NoSuchUpload');
    expect(await new IndexedDbResumeStore(db).pendingAborts()).to.deep.equal([]);
    later.dispose();
  });

  it('an abort owed by another user (same browser, another prefix) stays owed to them: another user\'s page neither tries nor drops it', async () => {
    const owner = uniqueUser();
    const other = uniqueUser();
    const db = `oss-uploader-test-${owner}`;
    const net = new ScriptedNetwork();
    const a = clientFor(owner, { fetch: net.fetch, partSize: 100 * KiB, concurrency: 1, resumeStore: new IndexedDbResumeStore(db) });
    const upload = a.createUpload(makeFile(350 * KiB, 'owed-by-owner.bin', 26));
    upload.start().catch(() => undefined);
    await new Promise<void>((resolve) => upload.addEventListener('progress', (e) => e.progress.partsDone >= 1 && resolve()));
    net.never('Abort');
    upload.abort().catch(() => undefined);
    await until(() => net.count('Abort') > 0);
    a.dispose();

    const theirs = clientFor(other, { resumeStore: new IndexedDbResumeStore(db) });
    expect(await theirs.finishPendingAborts()).to.equal(0);
    expect((await new IndexedDbResumeStore(db).pendingAborts()).map((p) => p.uploadId)).to.deep.equal([upload.uploadId]);
    theirs.dispose();

    const mine = clientFor(owner, { resumeStore: new IndexedDbResumeStore(db) });
    expect(await mine.finishPendingAborts()).to.equal(1);
    expect((await listParts(upload.key!, upload.uploadId!)).code).to.equal('NoSuchUpload');
    mine.dispose();
    indexedDB.deleteDatabase(db);
  });
});
