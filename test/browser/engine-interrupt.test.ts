// Cancel (the interrupt), resume — in the page and after a reload — and abort, against the
// real store: the store's own listings say what is left.
import { expect } from '@open-wc/testing';
import { IndexedDbResumeStore, UploadError } from '../../src/core/index.js';
import { clientFor, FetchSpy, getObject, listParts, listUploads, makeFile, sha256Hex, uniqueUser } from './helpers.js';

const KiB = 1024;

function untilState(upload: { addEventListener: EventTarget['addEventListener']; state: string }, wanted: (s: string) => boolean): Promise<void> {
  return new Promise((resolve) => {
    if (wanted(upload.state)) return resolve();
    upload.addEventListener('statechange', () => wanted(upload.state) && resolve());
  });
}

function afterParts(upload: EventTarget, n: number): Promise<void> {
  return new Promise((resolve) => {
    upload.addEventListener('progress', (e) => (e as unknown as { progress: { partsDone: number } }).progress.partsDone >= n && resolve());
  });
}

describe('engine: cancel, resume, abort', () => {
  it('cancel stops the requests in flight at once and keeps the uploadId; resume sends only missing parts', async () => {
    const user = uniqueUser();
    const spy = new FetchSpy();
    spy.partDelayMs = 150;
    const client = clientFor(user, { fetch: spy.fetch, partSize: 100 * KiB, concurrency: 2 });
    const file = makeFile(1000 * KiB, 'cancel-me.bin');
    const upload = client.createUpload(file);
    const started = upload.start();
    await afterParts(upload, 3);
    const t0 = performance.now();
    await upload.cancel();
    const settledMs = performance.now() - t0;
    expect(await started.then(() => 'done', (e: UploadError) => e.code)).to.equal('Cancelled');
    expect(upload.state).to.equal('cancelled');
    expect(settledMs).to.be.below(1000);
    const uploadId = upload.uploadId!;
    // A part whose bytes were all sent before the cancel may still be committed by the store
    // just after (OSS does the same): wait until the store's list stops changing.
    let onStore = await listParts(upload.key!, uploadId);
    for (let i = 0; i < 20; i++) {
      await new Promise((r) => setTimeout(r, 100));
      const again = await listParts(upload.key!, uploadId);
      if (again.parts!.length === onStore.parts!.length) break;
      onStore = again;
    }
    expect(onStore.parts!.length).to.be.at.least(3);
    const sentBefore = spy.count('UploadPart');

    spy.partDelayMs = 0;
    const result = await upload.resume();
    expect(upload.uploadId).to.equal(uploadId);
    expect(spy.count('UploadPart') - sentBefore).to.equal(10 - onStore.parts!.length);
    expect((await getObject(result.key)).sha256).to.equal(await sha256Hex(file));
  });

  it('cancelling one upload leaves the others running', async () => {
    const client = clientFor(uniqueUser(), { partSize: 100 * KiB });
    const a = client.createUpload(makeFile(500 * KiB, 'a.bin', 1));
    const b = client.createUpload(makeFile(500 * KiB, 'b.bin', 2));
    const pa = a.start().catch((e) => e);
    const pb = b.start();
    await a.cancel();
    expect((await pa).code).to.equal('Cancelled');
    expect((await pb).size).to.equal(500 * KiB);
  });

  it('resumes after a reload: the same file picked again continues the same uploadId', async () => {
    const user = uniqueUser();
    const db = `oss-uploader-test-${user}`;
    const spy = new FetchSpy();
    spy.partDelayMs = 100;
    const first = clientFor(user, { fetch: spy.fetch, partSize: 100 * KiB, concurrency: 2, resumeStore: new IndexedDbResumeStore(db) });
    const bytes = makeFile(800 * KiB, 'reload.bin', 7);
    const upload = first.createUpload(bytes);
    const started = upload.start().catch(() => undefined);
    await afterParts(upload, 2);
    await upload.cancel();
    await started;
    const uploadId = upload.uploadId!;
    first.dispose();

    // "Reload": a new client, a new File object with the same name, size, date and bytes.
    const spy2 = new FetchSpy();
    const second = clientFor(user, { fetch: spy2.fetch, partSize: 100 * KiB, resumeStore: new IndexedDbResumeStore(db) });
    const again = new File([await bytes.arrayBuffer()], 'reload.bin', { lastModified: bytes.lastModified });
    expect((await second.findResumable(again))?.uploadId).to.equal(uploadId);
    const up2 = second.createUpload(again);
    const result = await up2.start();
    expect(up2.uploadId).to.equal(uploadId);
    expect(spy2.count('Initiate')).to.equal(0);
    expect(spy2.count('UploadPart')).to.be.below(8);
    expect((await getObject(result.key)).sha256).to.equal(await sha256Hex(bytes));
    expect(await second.findResumable(again)).to.equal(undefined);
  });

  it('a different file with the same name, size and date is not taken for the interrupted one', async () => {
    const user = uniqueUser();
    const db = `oss-uploader-test-${user}`;
    const first = clientFor(user, { partSize: 100 * KiB, resumeStore: new IndexedDbResumeStore(db) });
    const up = first.createUpload(makeFile(300 * KiB, 'same.bin', 1));
    const p = up.start().catch(() => undefined);
    await untilState(up, (s) => s === 'uploading');
    await up.cancel();
    await p;
    const second = clientFor(user, { partSize: 100 * KiB, resumeStore: new IndexedDbResumeStore(db) });
    expect(await second.findResumable(makeFile(300 * KiB, 'same.bin', 2))).to.equal(undefined);
  });

  it('a record whose uploadId is gone starts over cleanly', async () => {
    const user = uniqueUser();
    const db = `oss-uploader-test-${user}`;
    const first = clientFor(user, { partSize: 100 * KiB, resumeStore: new IndexedDbResumeStore(db) });
    const file = makeFile(300 * KiB, 'gone.bin', 3);
    const up = first.createUpload(file);
    const p = up.start().catch(() => undefined);
    await afterParts(up, 1);
    await up.cancel();
    await p;
    const oldId = up.uploadId!;
    // Someone else aborts it behind our back (say, the admin panel).
    await (await first.destination()).ops.abort(up.key!, oldId);

    const second = clientFor(user, { partSize: 100 * KiB, resumeStore: new IndexedDbResumeStore(db) });
    const up2 = second.createUpload(file);
    const result = await up2.start();
    expect(up2.uploadId).to.not.equal(oldId);
    expect((await getObject(result.key)).sha256).to.equal(await sha256Hex(file));
  });

  it('abort while parts are in flight leaves nothing on the store, 20 times over', async () => {
    const user = uniqueUser();
    const spy = new FetchSpy();
    const client = clientFor(user, { fetch: spy.fetch, partSize: 100 * KiB, concurrency: 4 });
    for (let i = 0; i < 20; i++) {
      spy.partDelayMs = i % 2 === 0 ? 0 : 30;
      const up = client.createUpload(makeFile(1000 * KiB, `abort-${i}.bin`, i + 1));
      const p = up.start().catch((e) => e);
      await afterParts(up, 1 + (i % 3));
      const outcome = await up.abort();
      expect(outcome.confirmed).to.equal(true);
      expect(up.state).to.equal('aborted');
      expect((await p).code).to.equal('Cancelled');
      expect((await listParts(up.key!, up.uploadId!)).code).to.equal('NoSuchUpload');
    }
    expect(await listUploads(`uploads/${user}/`)).to.deep.equal([]);
  });

  it('a small file whose PutObject finished is done, even if cancel comes after', async () => {
    const client = clientFor(uniqueUser());
    const up = client.createUpload(makeFile(20 * KiB, 'quick.bin'));
    const result = await up.start();
    await up.cancel();
    expect(up.state).to.equal('done');
    expect(result.size).to.equal(20 * KiB);
  });
});
