// The local store speaking OBS (requests signed `OBS …`): its request ids, namespace, error
// codes and bodies, no CRC, forbid-overwrite, AbortMultipartUpload's own rules, and custom
// domains — what esdk-obs-nodejs (obs-sdk.test.ts) does not reach.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { obsStringToSign } from '../../src/core/dialects/obs/signer.js';
import type { RamPolicy } from '../../server/sts/ram-policy.js';
import { signedHeaders } from '../support/signed-fetch.js';
import { completeXml, startFixture, TEST_BUCKET, TEST_ROOT, xmlValue, xmlValues, type StoreFixture } from '../support/store-fixture.js';

const OBS = 'obs' as const;
const KiB = 1024;
const TEXT = { 'Content-Type': 'text/plain' };

async function errorOf(res: Response): Promise<{ status: number; code: string | undefined; xml: string }> {
  const xml = await res.text();
  assert.match(res.headers.get('x-obs-request-id') ?? '', /^[0-9A-F]{24}$/);
  assert.ok(res.headers.get('x-obs-id-2'));
  assert.equal(res.headers.get('x-oss-request-id'), null);
  if (xml) {
    assert.equal(xmlValue(xml, 'RequestId'), res.headers.get('x-obs-request-id'));
    assert.equal(xmlValue(xml, 'EC'), undefined, 'no OSS EC in OBS errors');
  }
  return { status: res.status, code: xmlValue(xml, 'Code'), xml };
}

const userPolicy = (prefix: string): RamPolicy => ({
  Version: '1',
  Statement: [{
    Effect: 'Allow',
    Action: ['oss:PutObject', 'oss:GetObject', 'oss:AbortMultipartUpload', 'oss:ListParts'],
    Resource: [`acs:oss:*:*:${TEST_BUCKET}/${prefix}*`],
  }],
});

/** A token for `user`, as the token endpoint mints it (its subject is the user). */
function tokenFor(s: StoreFixture, user: string, policy = userPolicy('users/')) {
  const c = s.sts.mint(policy, 3600, Date.now(), user);
  return { accessKeyId: c.AccessKeyId, accessKeySecret: c.AccessKeySecret, securityToken: c.SecurityToken };
}

async function initiate(s: StoreFixture, key: string, creds = TEST_ROOT, headers: Record<string, string> = {}) {
  const res = await s.send({ method: 'POST', bucket: TEST_BUCKET, key, query: { uploads: '' }, headers: { ...TEXT, ...headers }, version: OBS }, creds);
  const xml = await res.text();
  assert.equal(res.status, 200, xml);
  return { uploadId: xmlValue(xml, 'UploadId')!, xml };
}

test('OBS answers: x-obs-request-id, the OBS namespace, lower-case ETags, no CRC anywhere', async (t) => {
  const s = await startFixture();
  t.after(() => s.close());
  const put = await s.send({ method: 'PUT', bucket: TEST_BUCKET, key: 'a.txt', body: 'hello', headers: TEXT, version: OBS });
  assert.equal(put.status, 200, await put.text());
  assert.equal(put.headers.get('etag'), '"5d41402abc4b2a76b9719d911017c592"');
  assert.equal(put.headers.get('x-oss-hash-crc64ecma'), null);
  assert.match(put.headers.get('x-obs-request-id') ?? '', /^[0-9A-F]{24}$/);

  const { uploadId, xml } = await initiate(s, 'big.bin');
  assert.match(xml, /<InitiateMultipartUploadResult xmlns="http:\/\/obs\.myhwclouds\.com\/doc\/2015-06-30\/">/);
  const part = await s.send({ method: 'PUT', bucket: TEST_BUCKET, key: 'big.bin', query: { partNumber: '1', uploadId }, body: 'p', headers: TEXT, version: OBS });
  assert.equal(part.status, 200);
  assert.equal(part.headers.get('x-oss-hash-crc64ecma'), null);
  const list = await s.send({ method: 'GET', bucket: TEST_BUCKET, key: 'big.bin', query: { uploadId }, version: OBS });
  const listXml = await list.text();
  assert.match(listXml, /<ListPartsResult xmlns="http:\/\/obs\.myhwclouds\.com\/doc\/2015-06-30\/">/);
  assert.match(listXml, /<Part><PartNumber>1<\/PartNumber><LastModified>[^<]+<\/LastModified><ETag>"[0-9a-f]{32}"<\/ETag><Size>1<\/Size><\/Part>/);
  assert.doesNotMatch(listXml, /Crc64/i);
  const head = await s.send({ method: 'HEAD', bucket: TEST_BUCKET, key: 'a.txt', version: OBS });
  assert.equal(head.headers.get('x-oss-hash-crc64ecma'), null);
  assert.equal(head.headers.get('x-oss-object-type'), null);
});

test('OBS authentication failures: SignatureDoesNotMatch with the StringToSign, skew, unknown key, expired token', async (t) => {
  const s = await startFixture();
  t.after(() => s.close());
  const wrong = { ...TEST_ROOT, accessKeySecret: 'not-the-secret' };
  const r = { method: 'PUT', bucket: TEST_BUCKET, key: "dir/ü (1)!.txt", query: { partNumber: '1', uploadId: 'X', 'max-parts': '5' }, headers: TEXT, version: OBS };
  const now = new Date();
  const bad = await errorOf(await s.send({ ...r, body: 'x', now }, wrong));
  assert.deepEqual([bad.status, bad.code], [403, 'SignatureDoesNotMatch']);
  const sent = await signedHeaders(wrong, { ...r, now });
  const lower = Object.fromEntries(Object.entries(sent).map(([k, v]) => [k.toLowerCase(), v]));
  assert.equal(xmlValue(bad.xml, 'StringToSign'), obsStringToSign({ ...r, headers: lower }));
  assert.match(xmlValue(bad.xml, 'StringToSign')!, /\n\/test-bucket\/dir\/%C3%BC%20%281%29%21\.txt\?partNumber=1&uploadId=X$/);
  assert.equal(xmlValue(bad.xml, 'AccessKeyId'), TEST_ROOT.accessKeyId);

  const skewed = await errorOf(await s.send({ method: 'GET', bucket: TEST_BUCKET, key: 'x', version: OBS, now: new Date(Date.now() - 16 * 60_000) }));
  assert.deepEqual([skewed.status, skewed.code], [403, 'RequestTimeTooSkewed']);
  assert.ok(xmlValue(skewed.xml, 'ServerTime'));

  const unknown = await errorOf(await s.send({ method: 'GET', bucket: TEST_BUCKET, key: 'x', version: OBS }, { accessKeyId: 'nobody', accessKeySecret: 's' }));
  assert.deepEqual([unknown.status, unknown.code], [403, 'InvalidAccessKeyId']);
  const c = s.sts.mint(userPolicy(''), 60, Date.now() - 120_000);
  const expired = await errorOf(await s.send({ method: 'GET', bucket: TEST_BUCKET, key: 'x', version: OBS },
    { accessKeyId: c.AccessKeyId, accessKeySecret: c.AccessKeySecret, securityToken: c.SecurityToken }));
  assert.deepEqual([expired.status, expired.code], [400, 'ExpiredToken']);
  // The token must come in x-obs-security-token: an OSS token header is not read.
  const tok = tokenFor(s, 'ann');
  const headers = await signedHeaders(tok, { method: 'GET', bucket: TEST_BUCKET, key: 'users/x', version: OBS });
  const moved = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k === 'x-obs-security-token' ? 'x-oss-security-token' : k, v]));
  const res = await errorOf(await fetch(`${s.url}/${TEST_BUCKET}/users/x`, { headers: moved }));
  assert.deepEqual([res.status, res.code], [403, 'InvalidAccessKeyId']);
});

test('OBS integrity is Content-MD5: a mismatch is BadDigest', async (t) => {
  const s = await startFixture();
  t.after(() => s.close());
  const res = await errorOf(await s.send({
    method: 'PUT', bucket: TEST_BUCKET, key: 'a', body: 'hello', version: OBS,
    headers: { ...TEXT, 'Content-MD5': '1B2M2Y8AsgTpgAmY7PhCfg==' },
  }));
  assert.deepEqual([res.status, res.code], [400, 'BadDigest']);
});

test('x-obs-forbid-overwrite: true refuses an existing object on PutObject and at Complete (FileAlreadyExists 409)', async (t) => {
  const s = await startFixture();
  t.after(() => s.close());
  const forbid = { ...TEXT, 'x-obs-forbid-overwrite': 'true' };
  assert.equal((await s.send({ method: 'PUT', bucket: TEST_BUCKET, key: 'k', body: '1', headers: forbid, version: OBS })).status, 200);
  const again = await errorOf(await s.send({ method: 'PUT', bucket: TEST_BUCKET, key: 'k', body: '2', headers: forbid, version: OBS }));
  assert.deepEqual([again.status, again.code], [409, 'FileAlreadyExists']);
  // The OSS header means nothing to OBS.
  const ossHeader = await s.send({ method: 'PUT', bucket: TEST_BUCKET, key: 'k', body: '3', headers: { ...TEXT, 'x-oss-forbid-overwrite': 'true' }, version: OBS });
  assert.equal(ossHeader.status, 200);

  const { uploadId } = await initiate(s, 'm');
  const part = await s.send({ method: 'PUT', bucket: TEST_BUCKET, key: 'm', query: { partNumber: '1', uploadId }, body: 'p', headers: TEXT, version: OBS });
  const etag = part.headers.get('etag')!;
  assert.equal((await s.send({ method: 'PUT', bucket: TEST_BUCKET, key: 'm', body: 'exists', headers: TEXT, version: OBS })).status, 200);
  const complete = await errorOf(await s.send({
    method: 'POST', bucket: TEST_BUCKET, key: 'm', query: { uploadId }, body: completeXml([{ partNumber: 1, etag }]),
    headers: { 'Content-Type': 'application/xml', 'x-obs-forbid-overwrite': 'true' }, version: OBS,
  }));
  assert.deepEqual([complete.status, complete.code], [409, 'FileAlreadyExists']);
});

test('OBS AbortMultipartUpload: 204 for the initiator and the owner; 403 AccessDenied for others and for bad signatures; 404 NoSuchBucket', async (t) => {
  const s = await startFixture();
  t.after(() => s.close());
  const ann = tokenFor(s, 'ann');
  const annAgain = tokenFor(s, 'ann');
  const bob = tokenFor(s, 'bob'); // the same policy (users/*): only the initiator rule stops him
  const abort = (key: string, uploadId: string, creds = TEST_ROOT, bucket = TEST_BUCKET) =>
    s.send({ method: 'DELETE', bucket, key, query: { uploadId }, version: OBS }, creds);

  const first = await initiate(s, 'users/ann/a.bin', ann);
  const byBob = await errorOf(await abort('users/ann/a.bin', first.uploadId, bob));
  assert.deepEqual([byBob.status, byBob.code], [403, 'AccessDenied']);
  const badSignature = await errorOf(await abort('users/ann/a.bin', first.uploadId, { ...ann, accessKeySecret: 'wrong' }));
  assert.deepEqual([badSignature.status, badSignature.code], [403, 'AccessDenied']);
  const badKey = await errorOf(await abort('users/ann/a.bin', first.uploadId, { accessKeyId: 'nobody', accessKeySecret: 'x' }));
  assert.deepEqual([badKey.status, badKey.code], [403, 'AccessDenied']);
  // Another token of the same user is the initiator too.
  const ok = await abort('users/ann/a.bin', first.uploadId, annAgain);
  assert.equal(ok.status, 204);
  assert.equal(await ok.text(), '');

  const second = await initiate(s, 'users/ann/b.bin', ann);
  assert.equal((await abort('users/ann/b.bin', second.uploadId)).status, 204, 'the root key is the bucket owner');
  const gone = await errorOf(await abort('users/ann/b.bin', second.uploadId));
  assert.deepEqual([gone.status, gone.code], [404, 'NoSuchUpload']);
  const noBucket = await errorOf(await abort('users/ann/b.bin', second.uploadId, TEST_ROOT, 'no-such-bucket'));
  assert.deepEqual([noBucket.status, noBucket.code], [404, 'NoSuchBucket']);

  // The initiator rule is OBS's: an OSS-signed abort by bob (allowed by policy) succeeds.
  const third = await initiate(s, 'users/ann/c.bin', ann);
  const oss = await s.send({ method: 'DELETE', bucket: TEST_BUCKET, key: 'users/ann/c.bin', query: { uploadId: third.uploadId } }, bob);
  assert.equal(oss.status, 204);
});

test('a custom domain addresses its bucket; OSS and OBS signatures still name the bucket, SigV4 signs the wire path', async (t) => {
  const s = await startFixture({ customDomains: { 'files.localhost': TEST_BUCKET } });
  t.after(() => s.close());
  const body = randomBytes(10 * KiB);
  for (const version of ['v1', 'v4', 'obs', 's3'] as const) {
    const put = await s.send({ method: 'PUT', bucket: TEST_BUCKET, key: `cd/${version} x.bin`, body, headers: TEXT, version, customDomain: 'files.localhost' });
    assert.equal(put.status, 200, `${version}: ${await put.text()}`);
    const get = await s.send({ method: 'GET', bucket: TEST_BUCKET, key: `cd/${version} x.bin`, version });
    assert.ok(Buffer.from(await get.arrayBuffer()).equals(body), version);
  }
  const { uploadId } = await initiate(s, 'cd/m.bin');
  const part = await s.send({ method: 'PUT', bucket: TEST_BUCKET, key: 'cd/m.bin', query: { partNumber: '1', uploadId }, body, headers: TEXT, version: OBS, customDomain: 'files.localhost' });
  const done = await s.send({
    method: 'POST', bucket: TEST_BUCKET, key: 'cd/m.bin', query: { uploadId }, version: OBS, customDomain: 'files.localhost',
    body: completeXml([{ partNumber: 1, etag: part.headers.get('etag')! }]), headers: { 'Content-Type': 'application/xml' },
  });
  const xml = await done.text();
  assert.equal(done.status, 200, xml);
  assert.equal(xmlValue(xml, 'Bucket'), TEST_BUCKET);
  assert.match(xmlValue(xml, 'Location')!, /^http:\/\/files\.localhost:\d+\/cd\/m\.bin$/);
  assert.deepEqual(xmlValues(xml, 'Key'), ['cd/m.bin']);
  // A host that is neither bound nor `<bucket>.localhost` is not a bucket of this store.
  const other = await s.send({ method: 'GET', bucket: TEST_BUCKET, key: 'cd/obs x.bin', version: OBS, customDomain: 'other.localhost' });
  assert.equal(other.status, 404);
});
