// The local OSS store: authentication (V1, V4, STS tokens) and RAM-policy authorization,
// with OSS's error codes and error-body fields.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { v1StringToSign } from '../../src/core/dialects/oss/signer-v1.js';
import { startFixture, TEST_BUCKET, TEST_ROOT, xmlValue } from '../support/store-fixture.js';
import { signedHeaders, requestUrl } from '../support/signed-fetch.js';
import type { RamPolicy } from '../../server/sts/ram-policy.js';

const TEXT = { 'Content-Type': 'text/plain' };

async function errorOf(res: Response): Promise<{ status: number; code: string | undefined; xml: string }> {
  const xml = await res.text();
  assert.match(res.headers.get('x-oss-request-id') ?? '', /^[0-9A-F]{24}$/);
  if (xml) assert.equal(xmlValue(xml, 'RequestId'), res.headers.get('x-oss-request-id'));
  return { status: res.status, code: xmlValue(xml, 'Code'), xml };
}

const userPolicy = (prefix: string): RamPolicy => ({
  Version: '1',
  Statement: [
    {
      Effect: 'Allow',
      Action: ['oss:PutObject', 'oss:GetObject', 'oss:AbortMultipartUpload', 'oss:ListParts'],
      Resource: [`acs:oss:*:*:${TEST_BUCKET}/${prefix}*`],
    },
    {
      Effect: 'Allow',
      Action: ['oss:ListMultipartUploads'],
      Resource: [`acs:oss:*:*:${TEST_BUCKET}`],
      Condition: { StringLike: { 'oss:Prefix': [`${prefix}*`] } },
    },
  ],
});

test('the root key works with V1 and V4', async (t) => {
  const s = await startFixture();
  t.after(() => s.close());
  for (const version of ['v1', 'v4'] as const) {
    const put = await s.send({ method: 'PUT', bucket: TEST_BUCKET, key: `k-${version}`, body: 'x', headers: TEXT, version });
    assert.equal(put.status, 200, await put.text());
    const list = await s.send({ method: 'GET', bucket: TEST_BUCKET, query: { uploads: '', prefix: 'k-', 'max-uploads': '10' }, version });
    assert.equal(list.status, 200, await list.text());
  }
});

test('a token may do what its policy allows, under its prefix only', async (t) => {
  const s = await startFixture();
  t.after(() => s.close());
  const creds = s.token(userPolicy('users/ann/'));
  for (const version of ['v1', 'v4'] as const) {
    const ok = await s.send({ method: 'PUT', bucket: TEST_BUCKET, key: `users/ann/${version}.txt`, body: 'hi', headers: TEXT, version }, creds);
    assert.equal(ok.status, 200, await ok.text());
    const get = await s.send({ method: 'GET', bucket: TEST_BUCKET, key: `users/ann/${version}.txt`, version }, creds);
    assert.equal(await get.text(), 'hi');
  }
  const other = await errorOf(await s.send({ method: 'PUT', bucket: TEST_BUCKET, key: 'users/bob/x', body: 'x', headers: TEXT }, creds));
  assert.deepEqual([other.status, other.code], [403, 'AccessDenied']);
  // DeleteObject is not in the policy.
  const del = await errorOf(await s.send({ method: 'DELETE', bucket: TEST_BUCKET, key: 'users/ann/v1.txt' }, creds));
  assert.deepEqual([del.status, del.code], [403, 'AccessDenied']);
  // Multipart under the prefix: Initiate, UploadPart, ListParts, Abort.
  const init = await s.send({ method: 'POST', bucket: TEST_BUCKET, key: 'users/ann/big', query: { uploads: '' }, headers: TEXT }, creds);
  const uploadId = xmlValue(await init.text(), 'UploadId')!;
  assert.ok(uploadId);
  const part = await s.send({ method: 'PUT', bucket: TEST_BUCKET, key: 'users/ann/big', query: { partNumber: '1', uploadId }, body: 'p', headers: TEXT }, creds);
  assert.equal(part.status, 200);
  assert.equal((await s.send({ method: 'GET', bucket: TEST_BUCKET, key: 'users/ann/big', query: { uploadId } }, creds)).status, 200);
  // ListMultipartUploads: only with the token's prefix (the oss:Prefix condition).
  const mine = await s.send({ method: 'GET', bucket: TEST_BUCKET, query: { uploads: '', prefix: 'users/ann/' } }, creds);
  assert.equal(mine.status, 200);
  assert.equal(xmlValue(await mine.text(), 'UploadId'), uploadId);
  const all = await errorOf(await s.send({ method: 'GET', bucket: TEST_BUCKET, query: { uploads: '' } }, creds));
  assert.deepEqual([all.status, all.code], [403, 'AccessDenied']);
  const abort = await s.send({ method: 'DELETE', bucket: TEST_BUCKET, key: 'users/ann/big', query: { uploadId } }, creds);
  assert.equal(abort.status, 204);
  // Bucket configuration is for the root key.
  const cors = await errorOf(await s.send({
    method: 'PUT', bucket: TEST_BUCKET, query: { cors: '' }, headers: { 'Content-Type': 'application/xml' },
    body: '<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod></CORSRule></CORSConfiguration>',
  }, creds));
  assert.deepEqual([cors.status, cors.code], [403, 'AccessDenied']);
});

test('an expired token is SecurityTokenExpired; an unknown key is InvalidAccessKeyId', async (t) => {
  const s = await startFixture();
  t.after(() => s.close());
  const c = s.sts.mint(userPolicy(''), 60, Date.now() - 120_000);
  const expired = { accessKeyId: c.AccessKeyId, accessKeySecret: c.AccessKeySecret, securityToken: c.SecurityToken };
  const e1 = await errorOf(await s.send({ method: 'GET', bucket: TEST_BUCKET, key: 'x' }, expired));
  assert.deepEqual([e1.status, e1.code], [403, 'SecurityTokenExpired']);
  const e2 = await errorOf(await s.send({ method: 'GET', bucket: TEST_BUCKET, key: 'x' }, { accessKeyId: 'LTAInobody', accessKeySecret: 's' }));
  assert.deepEqual([e2.status, e2.code], [403, 'InvalidAccessKeyId']);
  // A token that is not the key's.
  const a = s.token(userPolicy(''));
  const b = s.token(userPolicy(''));
  const e3 = await errorOf(await s.send({ method: 'GET', bucket: TEST_BUCKET, key: 'x' }, { ...a, securityToken: b.securityToken }));
  assert.deepEqual([e3.status, e3.code], [403, 'InvalidAccessKeyId']);
});

test('a bad signature is SignatureDoesNotMatch with the server StringToSign (V1) and CanonicalRequest (V4)', async (t) => {
  const s = await startFixture();
  t.after(() => s.close());
  const wrong = { ...TEST_ROOT, accessKeySecret: 'not-the-secret' };
  const now = new Date();
  const r = { method: 'PUT', bucket: TEST_BUCKET, key: 'dir/ü.txt', query: { partNumber: '1', uploadId: 'X', 'max-parts': '5' }, headers: TEXT, now } as const;
  const v1 = await errorOf(await s.send({ ...r, version: 'v1', body: 'x' }, wrong));
  assert.deepEqual([v1.status, v1.code], [403, 'SignatureDoesNotMatch']);
  const sent = await signedHeaders(wrong, { ...r, version: 'v1' });
  const expected = v1StringToSign({ method: 'PUT', bucket: TEST_BUCKET, key: 'dir/ü.txt', query: r.query, headers: sent });
  assert.equal(xmlValue(v1.xml, 'StringToSign'), expected);
  assert.equal(xmlValue(v1.xml, 'OSSAccessKeyId'), TEST_ROOT.accessKeyId);
  assert.match(xmlValue(v1.xml, 'StringToSignBytes')!, /^50 55 54 0A/);

  const v4 = await errorOf(await s.send({ ...r, version: 'v4', body: 'x' }, wrong));
  assert.deepEqual([v4.status, v4.code], [403, 'SignatureDoesNotMatch']);
  assert.match(xmlValue(v4.xml, 'StringToSign')!, /^OSS4-HMAC-SHA256\n\d{8}T\d{6}Z\n\d{8}\/cn-hangzhou\/oss\/aliyun_v4_request\n[0-9a-f]{64}$/);
  assert.match(xmlValue(v4.xml, 'CanonicalRequest')!, /^PUT\n\/test-bucket\/dir\/%C3%BC\.txt\nmax-parts=5&partNumber=1&uploadId=X\n/);

  // A header changed after signing is a mismatch too.
  const headers = await signedHeaders(TEST_ROOT, { method: 'GET', bucket: TEST_BUCKET, key: 'a' });
  const tampered = await fetch(requestUrl(s.url, { bucket: TEST_BUCKET, key: 'b' }), { headers });
  assert.equal((await errorOf(tampered)).code, 'SignatureDoesNotMatch');
});

test('clock skew over 15 minutes is RequestTimeTooSkewed with ServerTime, checked before the signature', async (t) => {
  const s = await startFixture();
  t.after(() => s.close());
  const wrong = { ...TEST_ROOT, accessKeySecret: 'not-the-secret' };
  for (const version of ['v1', 'v4'] as const) {
    const before = Date.now();
    const res = await errorOf(await s.send({ method: 'GET', bucket: TEST_BUCKET, key: 'x', version, now: new Date(before - 16 * 60_000) }, wrong));
    assert.deepEqual([res.status, res.code], [403, 'RequestTimeTooSkewed']);
    const serverTime = xmlValue(res.xml, 'ServerTime')!;
    assert.match(serverTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.ok(Math.abs(Date.parse(serverTime) - before) < 5000);
  }
  // 14 minutes is fine.
  const ok = await s.send({ method: 'PUT', bucket: TEST_BUCKET, key: 'x', body: 'x', headers: TEXT, now: new Date(Date.now() + 14 * 60_000) });
  assert.equal(ok.status, 200);
});

test('no Authorization is AccessDenied; a malformed one is InvalidArgument; V4 needs the right region', async (t) => {
  const s = await startFixture();
  t.after(() => s.close());
  const anonymous = await errorOf(await fetch(`${s.url}/${TEST_BUCKET}/x`));
  assert.deepEqual([anonymous.status, anonymous.code], [403, 'AccessDenied']);
  for (const auth of ['Bearer abc', 'OSS nocolon', 'OSS4-HMAC-SHA256 Signature=abc', 'OSS4-HMAC-SHA256 Credential=ak/20260101/cn-hangzhou/s3/aws4_request,Signature=ab']) {
    const res = await errorOf(await fetch(`${s.url}/${TEST_BUCKET}/x`, {
      headers: { Authorization: auth, 'x-oss-date': new Date().toUTCString(), 'x-oss-content-sha256': 'UNSIGNED-PAYLOAD' },
    }));
    assert.deepEqual([res.status, res.code], [400, 'InvalidArgument'], auth);
    assert.match(xmlValue(res.xml, 'Message')!, /Authorization header is invalid/);
  }
  const region = await errorOf(await s.send({ method: 'GET', bucket: TEST_BUCKET, key: 'x', region: 'cn-shanghai' }));
  assert.deepEqual([region.status, region.code], [400, 'InvalidArgument']);
  // V4 requires x-oss-content-sha256: UNSIGNED-PAYLOAD.
  const headers = await signedHeaders(TEST_ROOT, { method: 'GET', bucket: TEST_BUCKET, key: 'x' });
  delete headers['x-oss-content-sha256'];
  const sha = await errorOf(await fetch(`${s.url}/${TEST_BUCKET}/x`, { headers }));
  assert.deepEqual([sha.status, sha.code], [400, 'InvalidArgument']);
});
