// The local store speaking S3 (requests signed `AWS4-HMAC-SHA256`): request ids, error codes
// and bodies, the 5 MiB part floor, checksums and payload hashes, If-None-Match — what the
// AWS SDK (s3-sdk.test.ts) does not reach.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { crc64 } from 'hash-wasm';
import type { RamPolicy } from '../../server/sts/ram-policy.js';
import { completeXml, startFixture, TEST_BUCKET, TEST_ROOT, xmlValue, type StoreFixture } from '../support/store-fixture.js';

const S3 = 's3' as const;
const KiB = 1024;
const MiB = 1024 * KiB;
const TEXT = { 'Content-Type': 'text/plain' };
const nvme = async (b: Buffer) => Buffer.from(await crc64(b, '9a6c9329ac4bc9b5'), 'hex').toString('base64');

async function errorOf(res: Response): Promise<{ status: number; code: string | undefined; xml: string }> {
  const xml = await res.text();
  assert.match(res.headers.get('x-amz-request-id') ?? '', /^[0-9A-F]{24}$/);
  assert.equal(res.headers.get('x-oss-request-id'), null);
  assert.equal(res.headers.get('x-oss-ec'), null);
  if (xml) assert.equal(xmlValue(xml, 'RequestId'), res.headers.get('x-amz-request-id'));
  return { status: res.status, code: xmlValue(xml, 'Code'), xml };
}

const policy: RamPolicy = {
  Version: '1',
  Statement: [{ Effect: 'Allow', Action: ['oss:PutObject', 'oss:GetObject'], Resource: [`acs:oss:*:*:${TEST_BUCKET}/*`] }],
};

async function upload(s: StoreFixture, key: string, parts: Uint8Array<ArrayBuffer>[], initHeaders: Record<string, string> = {}) {
  const init = await s.send({ method: 'POST', bucket: TEST_BUCKET, key, query: { uploads: '' }, headers: { ...TEXT, ...initHeaders }, version: S3 });
  const initXml = await init.text();
  assert.equal(init.status, 200, initXml);
  assert.match(initXml, /<InitiateMultipartUploadResult xmlns="http:\/\/s3\.amazonaws\.com\/doc\/2006-03-01\/">/);
  const uploadId = xmlValue(initXml, 'UploadId')!;
  const etags = [];
  for (const [i, body] of parts.entries()) {
    const res = await s.send({ method: 'PUT', bucket: TEST_BUCKET, key, query: { partNumber: String(i + 1), uploadId }, body, headers: TEXT, version: S3 });
    assert.equal(res.status, 200, await res.text());
    etags.push({ partNumber: i + 1, etag: res.headers.get('etag')! });
  }
  return { uploadId, init, etags };
}

const complete = (s: StoreFixture, key: string, uploadId: string, etags: { partNumber: number; etag: string }[], headers: Record<string, string> = {}) =>
  s.send({ method: 'POST', bucket: TEST_BUCKET, key, query: { uploadId }, body: completeXml(etags), headers: { 'Content-Type': 'application/xml', ...headers }, version: S3 });

test('S3 authentication failures: SignatureDoesNotMatch with the CanonicalRequest, region, skew, unknown key, expired token', async (t) => {
  const s = await startFixture();
  t.after(() => s.close());
  const wrong = { ...TEST_ROOT, accessKeySecret: 'not-the-secret' };
  const bad = await errorOf(await s.send({ method: 'PUT', bucket: TEST_BUCKET, key: 'dir/ü.txt', query: { partNumber: '1', uploadId: 'X' }, body: 'x', headers: TEXT, version: S3 }, wrong));
  assert.deepEqual([bad.status, bad.code], [403, 'SignatureDoesNotMatch']);
  assert.equal(xmlValue(bad.xml, 'AWSAccessKeyId'), TEST_ROOT.accessKeyId);
  assert.match(xmlValue(bad.xml, 'CanonicalRequest')!, /^PUT\n\/test-bucket\/dir\/%C3%BC\.txt\npartNumber=1&uploadId=X\n/);
  assert.match(xmlValue(bad.xml, 'StringToSign')!, /^AWS4-HMAC-SHA256\n\d{8}T\d{6}Z\n\d{8}\/cn-hangzhou\/s3\/aws4_request\n[0-9a-f]{64}$/);

  const region = await errorOf(await s.send({ method: 'GET', bucket: TEST_BUCKET, key: 'x', version: S3, region: 'us-east-1' }));
  assert.deepEqual([region.status, region.code, xmlValue(region.xml, 'Region')], [400, 'AuthorizationHeaderMalformed', 'cn-hangzhou']);

  const before = Date.now();
  const skewed = await errorOf(await s.send({ method: 'GET', bucket: TEST_BUCKET, key: 'x', version: S3, now: new Date(before + 16 * 60_000) }));
  assert.deepEqual([skewed.status, skewed.code], [403, 'RequestTimeTooSkewed']);
  assert.ok(Math.abs(Date.parse(xmlValue(skewed.xml, 'ServerTime')!) - before) < 5000);

  const unknown = await errorOf(await s.send({ method: 'GET', bucket: TEST_BUCKET, key: 'x', version: S3 }, { accessKeyId: 'AKIDnobody', accessKeySecret: 's' }));
  assert.deepEqual([unknown.status, unknown.code], [403, 'InvalidAccessKeyId']);
  const c = s.sts.mint(policy, 60, Date.now() - 120_000);
  const expired = await errorOf(await s.send({ method: 'GET', bucket: TEST_BUCKET, key: 'x', version: S3 },
    { accessKeyId: c.AccessKeyId, accessKeySecret: c.AccessKeySecret, securityToken: c.SecurityToken }));
  assert.deepEqual([expired.status, expired.code], [400, 'ExpiredToken']);

  // A HEAD error has no body, and no OSS x-oss-err.
  const head = await s.send({ method: 'HEAD', bucket: TEST_BUCKET, key: 'missing', version: S3 });
  assert.equal(head.status, 404);
  assert.equal(head.headers.get('x-oss-err'), null);
  assert.ok(head.headers.get('x-amz-request-id'));
});

test('the S3 part floor is 5 MiB at Complete (last part exempt); OSS keeps 100 KiB for the same upload', async (t) => {
  const s = await startFixture();
  t.after(() => s.close());
  const { uploadId, etags } = await upload(s, 'floor.bin', [randomBytes(5 * MiB - 1), randomBytes(10)]);
  const small = await errorOf(await complete(s, 'floor.bin', uploadId, etags));
  assert.deepEqual([small.status, small.code, xmlValue(small.xml, 'MinSizeAllowed')], [400, 'EntityTooSmall', String(5 * MiB)]);
  // The floor is the dialect's, not the upload's: completed in OSS the same parts are fine.
  const oss = await s.send({ method: 'POST', bucket: TEST_BUCKET, key: 'floor.bin', query: { uploadId }, body: completeXml(etags), headers: { 'Content-Type': 'application/xml' } });
  assert.equal(oss.status, 200, await oss.text());

  const exact = await upload(s, 'exact.bin', [randomBytes(5 * MiB), randomBytes(1)]);
  const ok = await complete(s, 'exact.bin', exact.uploadId, exact.etags);
  const xml = await ok.text();
  assert.equal(ok.status, 200, xml);
  assert.match(xml, /^<\?xml[^>]*>\n<CompleteMultipartUploadResult xmlns="http:\/\/s3\.amazonaws\.com\/doc\/2006-03-01\/">/);
  assert.match(xmlValue(xml, 'ETag')!, /^"[0-9a-f]{32}-2"$/);
});

test('S3 integrity: Content-MD5, x-amz-checksum-crc64nvme and a hex x-amz-content-sha256 are checked', async (t) => {
  const s = await startFixture();
  t.after(() => s.close());
  const body = randomBytes(1000);
  const md5 = await errorOf(await s.send({ method: 'PUT', bucket: TEST_BUCKET, key: 'a', body, headers: { ...TEXT, 'Content-MD5': '1B2M2Y8AsgTpgAmY7PhCfg==' }, version: S3 }));
  assert.deepEqual([md5.status, md5.code], [400, 'BadDigest']);
  const crc = await errorOf(await s.send({ method: 'PUT', bucket: TEST_BUCKET, key: 'a', body, headers: { ...TEXT, 'x-amz-checksum-crc64nvme': await nvme(randomBytes(5)) }, version: S3 }));
  assert.deepEqual([crc.status, crc.code], [400, 'BadDigest']);
  const sha = await errorOf(await s.send({ method: 'PUT', bucket: TEST_BUCKET, key: 'a', body, headers: { ...TEXT, 'x-amz-content-sha256': createHash('sha256').update('other').digest('hex') }, version: S3 }));
  assert.deepEqual([sha.status, sha.code], [400, 'XAmzContentSHA256Mismatch']);
  const good = await s.send({
    method: 'PUT', bucket: TEST_BUCKET, key: 'a', body, version: S3,
    headers: { ...TEXT, 'x-amz-checksum-crc64nvme': await nvme(body), 'x-amz-content-sha256': createHash('sha256').update(body).digest('hex') },
  });
  assert.equal(good.status, 200, await good.text());
  assert.equal(good.headers.get('x-amz-checksum-crc64nvme'), await nvme(body));
  assert.equal(good.headers.get('x-oss-hash-crc64ecma'), null);
  // Only CRC64NVME is implemented: other checksums are refused, not ignored.
  const crc32 = await errorOf(await s.send({ method: 'PUT', bucket: TEST_BUCKET, key: 'a', body, headers: { ...TEXT, 'x-amz-checksum-crc32': 'AAAAAA==' }, version: S3 }));
  assert.deepEqual([crc32.status, crc32.code], [501, 'NotImplemented']);

  // A part of a CRC64NVME upload with a wrong checksum; a Complete whose upload chose none.
  const { uploadId } = await upload(s, 'm', [], { 'x-amz-checksum-algorithm': 'CRC64NVME' });
  const part = await errorOf(await s.send({ method: 'PUT', bucket: TEST_BUCKET, key: 'm', query: { partNumber: '1', uploadId }, body, headers: { ...TEXT, 'x-amz-checksum-crc64nvme': await nvme(Buffer.from('x')) }, version: S3 }));
  assert.deepEqual([part.status, part.code], [400, 'BadDigest']);
  const plain = await upload(s, 'p', [body]);
  const claim = await errorOf(await complete(s, 'p', plain.uploadId, plain.etags, { 'x-amz-checksum-crc64nvme': await nvme(body) }));
  assert.deepEqual([claim.status, claim.code], [400, 'InvalidRequest']);
});

test('If-None-Match: * refuses an existing object on PutObject and at Complete (PreconditionFailed 412)', async (t) => {
  const s = await startFixture();
  t.after(() => s.close());
  const creds = s.token(policy);
  const ifNone = { ...TEXT, 'If-None-Match': '*' };
  assert.equal((await s.send({ method: 'PUT', bucket: TEST_BUCKET, key: 'k', body: '1', headers: ifNone, version: S3 }, creds)).status, 200);
  const again = await errorOf(await s.send({ method: 'PUT', bucket: TEST_BUCKET, key: 'k', body: '2', headers: ifNone, version: S3 }, creds));
  assert.deepEqual([again.status, again.code, xmlValue(again.xml, 'Condition')], [412, 'PreconditionFailed', 'If-None-Match']);
  const oss = await s.send({ method: 'PUT', bucket: TEST_BUCKET, key: 'k', body: '3', headers: { ...TEXT, 'x-oss-forbid-overwrite': 'true' }, version: S3 }, creds);
  assert.equal(oss.status, 200, 'the OSS header means nothing to S3');

  const { uploadId, etags } = await upload(s, 'k', [Buffer.from('part')]);
  const refused = await errorOf(await complete(s, 'k', uploadId, etags, { 'If-None-Match': '*' }));
  assert.deepEqual([refused.status, refused.code], [412, 'PreconditionFailed']);
  const ok = await complete(s, 'k', uploadId, etags);
  assert.equal(ok.status, 200, await ok.text());
});
