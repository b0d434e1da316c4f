// The engine against the real local store, in Chromium: what lands is compared byte for byte.
import { expect } from '@open-wc/testing';
import { UploadError, type UploadState } from '../../src/core/index.js';
import { clientFor, FetchSpy, getObject, makeFile, sha256Hex, uniqueUser } from './helpers.js';

const KiB = 1024;

describe('engine: uploading', () => {
  it('puts a small file with one PutObject, and the bytes land intact', async () => {
    const user = uniqueUser();
    const spy = new FetchSpy();
    const client = clientFor(user, { fetch: spy.fetch });
    const file = makeFile(50 * KiB, 'small.bin');
    const result = await client.createUpload(file).start();
    expect(result.key).to.equal(`uploads/${user}/small.bin`);
    expect(spy.count('PutObject')).to.equal(1);
    expect(spy.count('Initiate')).to.equal(0);
    const stored = await getObject(result.key);
    expect(stored.sha256).to.equal(await sha256Hex(file));
    expect(result.crc64).to.equal(stored.crc64);
    expect(result.verified).to.equal(true);
  });

  it('puts a 0-byte file with one PutObject', async () => {
    const client = clientFor(uniqueUser());
    const result = await client.createUpload(new File([], 'empty.txt', { type: 'text/plain' })).start();
    const stored = await getObject(result.key);
    expect(stored.size).to.equal(0);
    expect(stored.contentType).to.equal('text/plain');
    expect(result.crc64).to.equal('0');
  });

  it('uploads a multipart file in parallel parts; progress never goes back; states in order', async () => {
    const spy = new FetchSpy();
    const client = clientFor(uniqueUser(), { fetch: spy.fetch, partSize: 100 * KiB, concurrency: 3 });
    const file = makeFile(1024 * KiB + 77, 'multi.bin');
    const upload = client.createUpload(file);
    const states: UploadState[] = [];
    const committed: number[] = [];
    upload.addEventListener('statechange', (e) => states.push(e.state));
    upload.addEventListener('progress', (e) => committed.push(e.progress.committedBytes));
    const result = await upload.start();
    expect(spy.count('UploadPart')).to.equal(11);
    expect(spy.count('Complete')).to.equal(1);
    expect(states).to.deep.equal(['preparing', 'uploading', 'completing', 'verifying', 'done']);
    for (let i = 1; i < committed.length; i++) expect(committed[i]).to.be.at.least(committed[i - 1]!);
    expect(committed.at(-1)).to.equal(file.size);
    const stored = await getObject(result.key);
    expect(stored.sha256).to.equal(await sha256Hex(file));
    expect(result.crc64).to.equal(stored.crc64);
    expect(stored.storeCrc64).to.equal(result.crc64);
    expect(result.verified).to.equal(true);
  });

  it('sends Content-MD5 when asked, and the store accepts it', async () => {
    const client = clientFor(uniqueUser(), { partSize: 100 * KiB, contentMd5: true });
    const file = makeFile(250 * KiB, 'md5.bin');
    const result = await client.createUpload(file).start();
    expect((await getObject(result.key)).sha256).to.equal(await sha256Hex(file));
  });

  it('signs with OSS V1 as an option', async () => {
    const client = clientFor(uniqueUser(), { partSize: 100 * KiB, dialect: 'oss', dialectOptions: { signatureVersion: 'v1' } });
    const file = makeFile(300 * KiB, 'v1.bin');
    const result = await client.createUpload(file).start();
    expect((await getObject(result.key)).sha256).to.equal(await sha256Hex(file));
  });

  it('addresses the bucket virtual-hosted style (uploads.localhost) when the endpoint is a host name', async () => {
    const user = uniqueUser();
    const { endpoint } = await (await fetch(`/api/sts-token?user=${user}`)).json();
    const spy = new FetchSpy();
    const urls: string[] = [];
    const client = clientFor(user, {
      target: { endpoint: endpoint.replace('127.0.0.1', 'localhost') },
      partSize: 100 * KiB,
      fetch: (input, init) => { urls.push(String(input)); return spy.fetch(input, init); },
    });
    const file = makeFile(250 * KiB, 'virtual.bin');
    const result = await client.createUpload(file).start();
    // HEAD (is the name free?), Initiate, 3 parts, Complete.
    expect(urls.filter((u) => u.startsWith('http://uploads.localhost:')).length).to.equal(6);
    expect((await getObject(result.key)).sha256).to.equal(await sha256Hex(file));
  });

  it('fails fast with a typed error when the token endpoint is missing', async () => {
    const client = clientFor(uniqueUser(), { tokenPath: '/api/no-such-endpoint' });
    const error = await client.createUpload(makeFile(10)).start().then(() => undefined, (e) => e);
    expect(error).to.be.instanceOf(UploadError);
    expect(error.code).to.equal('CredentialsError');
  });

  it('rejects a key outside the token prefix with AccessDenied, carrying the request id', async () => {
    const client = clientFor(uniqueUser(), { keyFor: () => 'uploads/someone-else/x.bin' });
    const error = await client.createUpload(makeFile(10)).start().then(() => undefined, (e) => e);
    expect(error.code).to.equal('AccessDenied');
    expect(error.status).to.equal(403);
    expect(error.requestId).to.match(/^[0-9A-F]{24}$/);
  });
});
