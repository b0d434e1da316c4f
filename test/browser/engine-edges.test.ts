// Awkward moments: cancel as the upload begins or while Complete is on its way, abort twice,
// the same file sent to another key, and what an error may carry.
import { expect } from '@open-wc/testing';
import { TokenEndpointCredentials, type Credentials, type CredentialsProvider } from '../../src/core/index.js';
import { clientFor, FetchSpy, getObject, listParts, makeFile, sha256Hex, uniqueUser } from './helpers.js';

const KiB = 1024;

describe('engine: awkward moments', () => {
  it('cancel from a "preparing" listener stops the upload before any request', async () => {
    const spy = new FetchSpy();
    const client = clientFor(uniqueUser(), { fetch: spy.fetch, partSize: 100 * KiB });
    const up = client.createUpload(makeFile(300 * KiB, 'early.bin'));
    up.addEventListener('statechange', (e) => { if (e.state === 'preparing') void up.cancel(); });
    const error = await up.start().then(() => undefined, (e) => e);
    expect(error.code).to.equal('Cancelled');
    expect(up.state).to.equal('cancelled');
    expect(spy.count('Initiate') + spy.count('UploadPart') + spy.count('PutObject')).to.equal(0);
  });

  it('cancel while Complete is on its way lets it finish: the upload is done, not cancelled', async () => {
    const spy = new FetchSpy();
    spy.completeDelayMs = 300;
    const client = clientFor(uniqueUser(), { fetch: spy.fetch, partSize: 100 * KiB });
    const file = makeFile(300 * KiB, 'completing.bin');
    const up = client.createUpload(file);
    up.addEventListener('statechange', (e) => { if (e.state === 'completing') setTimeout(() => void up.cancel(), 50); });
    const result = await up.start();
    expect(up.state).to.equal('done');
    expect((await getObject(result.key)).sha256).to.equal(await sha256Hex(file));
  });

  it('abort called twice answers both calls with the one outcome', async () => {
    const spy = new FetchSpy();
    spy.partDelayMs = 100;
    const client = clientFor(uniqueUser(), { fetch: spy.fetch, partSize: 100 * KiB });
    const up = client.createUpload(makeFile(500 * KiB, 'twice.bin'));
    const p = up.start().catch(() => undefined);
    await new Promise<void>((r) => up.addEventListener('statechange', (e) => e.state === 'uploading' && r()));
    const [a, b] = await Promise.all([up.abort(), up.abort()]);
    await p;
    expect(a).to.deep.equal({ confirmed: true, objectExists: false });
    expect(b).to.deep.equal(a);
    expect(await up.abort()).to.deep.equal(a);
    expect(spy.count('Abort')).to.equal(1);
    expect((await listParts(up.key!, up.uploadId!)).code).to.equal('NoSuchUpload');
  });

  it('an interrupted upload of a file is not continued under another key', async () => {
    const user = uniqueUser();
    const { MemoryResumeStore } = await import('../../src/core/index.js');
    const records = new MemoryResumeStore();
    const client = clientFor(user, { partSize: 100 * KiB, resumeStore: records });
    const file = makeFile(300 * KiB, 'two-keys.bin');
    const first = client.createUpload(file, { key: `uploads/${user}/a.bin` });
    const p = first.start().catch(() => undefined);
    await new Promise<void>((r) => first.addEventListener('progress', (e) => e.progress.partsDone >= 1 && r()));
    await first.cancel();
    await p;
    const second = client.createUpload(file, { key: `uploads/${user}/b.bin` });
    const result = await second.start();
    expect(result.key).to.equal(`uploads/${user}/b.bin`);
    expect(second.uploadId).to.not.equal(first.uploadId);
    expect((await records.list()).map((r) => r.uploadId)).to.deep.equal([first.uploadId]);
    expect((await getObject(result.key)).sha256).to.equal(await sha256Hex(file));
  });

  it('progress never passes the total, even when the store lost the upload and it starts over', async () => {
    const client = clientFor(uniqueUser(), { partSize: 100 * KiB });
    const up = client.createUpload(makeFile(300 * KiB, 'over.bin'));
    const p = up.start().catch(() => undefined);
    await new Promise<void>((r) => up.addEventListener('progress', (e) => e.progress.partsDone >= 2 && r()));
    await up.cancel();
    await p;
    await (await client.destination()).ops.abort(up.key!, up.uploadId!);
    const seen: { bytes: number; parts: number }[] = [];
    up.addEventListener('progress', (e) => seen.push({ bytes: e.progress.committedBytes, parts: e.progress.partsDone }));
    await up.resume();
    for (const s of seen) {
      expect(s.bytes).to.be.at.most(300 * KiB);
      expect(s.parts).to.be.at.most(3);
    }
    expect(seen.at(-1)).to.deep.equal({ bytes: 300 * KiB, parts: 3 });
  });

  it('a SignatureDoesNotMatch error carries the StringToSign without the security token', async () => {
    const user = uniqueUser();
    const real = new TokenEndpointCredentials({ url: `/api/sts-token?user=${user}` });
    let token = '';
    const wrongSecret: CredentialsProvider = {
      async get(signal) {
        const c = await real.get(signal);
        token = c.securityToken!;
        return { ...c, accessKeySecret: 'not-the-secret' } satisfies Credentials;
      },
      invalidate: (c) => real.invalidate(c),
      target: (signal) => real.target(signal),
    };
    const client = clientFor(user, { credentials: wrongSecret, dialect: 'oss', dialectOptions: { signatureVersion: 'v1' } });
    const error = await client.createUpload(makeFile(10, 'sig.bin')).start().then(() => undefined, (e) => e);
    expect(error.code).to.equal('SignatureDoesNotMatch');
    expect(error.details.StringToSign).to.contain('x-oss-security-token:<redacted>');
    expect(JSON.stringify(error.details)).to.not.contain(token);
    expect(error.details.StringToSignBytes).to.equal(undefined);
  });
});
