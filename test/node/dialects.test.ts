// The dialect port, in Node: each dialect's addressing, error meanings, checksum headers,
// forbid-overwrite and CORS advice; the one retry loop; object-key checks. The wire is
// exercised against the real local store in the browser tests and the SDK tests.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Addresser } from '../../src/core/addressing.js';
import { Clock } from '../../src/core/clock.js';
import type { DialectId, StorageDialect } from '../../src/core/dialect.js';
import { createDialect, DIALECT_IDS } from '../../src/core/dialects/index.js';
import { ossRegion } from '../../src/core/dialects/oss/dialect.js';
import { ErrorKind, UploadError } from '../../src/core/errors.js';
import { assertUsableKey, keyProblem } from '../../src/core/object-key.js';
import { backoffDelay, DEFAULT_RETRY, isRetryable, retrying } from '../../src/core/retry.js';
import { StoreClient } from '../../src/core/store-client.js';
import type { StoreTarget } from '../../src/core/target.js';
import { parseXml } from '../../src/core/xml.js';
import { numberedKey } from '../../src/core/key-policy.js';

const target: StoreTarget = { endpoint: 'https://store.example.com', bucket: 'b', region: 'cn-hangzhou', keyPrefix: '' };
const dialects = Object.fromEntries(await Promise.all(DIALECT_IDS.map(async (id) => [id, await createDialect(id)]))) as Record<DialectId, StorageDialect>;

function clientFor(dialect: StorageDialect, t: Partial<StoreTarget> = {}) {
  const credentials = { get: async () => ({ accessKeyId: 'AK', accessKeySecret: 'SK', securityToken: 'TOKEN' }), invalidate() {} };
  return new StoreClient({ dialect, credentials, clock: new Clock(), target: { ...target, ...t } });
}

function errorXml(code: string, extra = ''): string {
  return `<?xml version="1.0"?><Error><Code>${code}</Code><Message>m</Message><RequestId>R</RequestId>${extra}</Error>`;
}

test('the factory knows oss, obs and s3, and refuses anything else with a typed error', async () => {
  assert.deepEqual([...DIALECT_IDS].sort(), ['obs', 'oss', 's3']);
  for (const id of DIALECT_IDS) assert.equal(dialects[id].id, id);
  await assert.rejects(createDialect('gcs'), (e: unknown) => e instanceof UploadError && e.kind === ErrorKind.InvalidInput && /"oss", "obs", "s3"/.test(e.message));
  await assert.rejects(createDialect('oss', { signatureVersion: 'v2' as never }), /signature version/);
});

test('part floors: 100 KiB for OSS and OBS, 5 MiB for S3', () => {
  assert.equal(dialects.oss.limits.minPartSize, 100 * 1024);
  assert.equal(dialects.obs.limits.minPartSize, 100 * 1024);
  assert.equal(dialects.s3.limits.minPartSize, 5 * 1024 * 1024);
});

test('addressing: path for IP addresses, virtual for names, as-is when the host names the bucket, cname as given', () => {
  const at = (t: Partial<StoreTarget>, key: string, query: Record<string, string> = {}, d: StorageDialect = dialects.oss) =>
    new Addresser({ ...target, ...t }, d).locate(key, query);
  assert.deepEqual(at({ endpoint: 'http://127.0.0.1:9100' }, 'a b/c+d', { uploadId: 'X', partNumber: '1' }),
    { url: 'http://127.0.0.1:9100/b/a%20b/c%2Bd?uploadId=X&partNumber=1', host: '127.0.0.1:9100', path: '/b/a%20b/c%2Bd' });
  assert.equal(at({ endpoint: 'http://localhost:9100' }, 'k').url, 'http://b.localhost:9100/k');
  assert.deepEqual(at({ endpoint: 'https://oss-cn-hangzhou.aliyuncs.com' }, 'k', { uploads: '' }),
    { url: 'https://b.oss-cn-hangzhou.aliyuncs.com/k?uploads', host: 'b.oss-cn-hangzhou.aliyuncs.com', path: '/k' });
  assert.equal(at({ endpoint: 'https://b.oss-cn-hangzhou.aliyuncs.com' }, 'k').url, 'https://b.oss-cn-hangzhou.aliyuncs.com/k');
  assert.deepEqual(at({ endpoint: 'https://files.example.com', addressing: 'cname' }, 'dir/k'),
    { url: 'https://files.example.com/dir/k', host: 'files.example.com', path: '/dir/k' });
  assert.equal(at({ endpoint: 'https://s3.amazonaws.com', addressing: 'path' }, 'k', {}, dialects.s3).path, '/b/k');
  assert.throws(() => at({ endpoint: 'https://files.example.com', addressing: 'cname' }, 'k', {}, dialects.s3),
    (e: unknown) => e instanceof UploadError && e.kind === ErrorKind.InvalidInput && /does not support "cname"/.test(e.message));
});

test('each dialect signs with its own scheme and headers, over the host and path the browser sends', async () => {
  const request = { method: 'PUT', host: '127.0.0.1:9100', path: '/b/k', bucket: 'b', key: 'k', query: { partNumber: '1', uploadId: 'U' }, headers: { 'Content-Type': 'application/octet-stream' } };
  const credentials = { accessKeyId: 'AK', accessKeySecret: 'SK', securityToken: 'TOKEN' };
  const now = new Date(Date.UTC(2026, 11, 2, 1, 2, 3));
  const oss = await dialects.oss.sign({ request, credentials, region: 'oss-cn-hangzhou', now });
  assert.match(oss['Authorization']!, /^OSS4-HMAC-SHA256 Credential=AK\/20261202\/cn-hangzhou\/oss\/aliyun_v4_request,Signature=[0-9a-f]{64}$/);
  assert.equal(oss['x-oss-security-token'], 'TOKEN');
  const obs = await dialects.obs.sign({ request, credentials, region: 'r', now });
  assert.match(obs['Authorization']!, /^OBS AK:[A-Za-z0-9+/]+=*$/);
  assert.equal(obs['x-obs-date'], 'Wed, 02 Dec 2026 01:02:03 GMT');
  assert.equal(obs['x-obs-security-token'], 'TOKEN');
  const s3 = await dialects.s3.sign({ request, credentials, region: 'us-east-1', now });
  assert.match(s3['authorization']!, /^AWS4-HMAC-SHA256 Credential=AK\/20261202\/us-east-1\/s3\/aws4_request, SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date;x-amz-security-token, Signature=[0-9a-f]{64}$/);
  assert.equal(s3['x-amz-content-sha256'], 'UNSIGNED-PAYLOAD');
  assert.equal(ossRegion('oss-cn-hangzhou'), 'cn-hangzhou');
  assert.equal(ossRegion('cn-hangzhou'), 'cn-hangzhou');
});

test('what each dialect\'s error codes mean', () => {
  const kind = (id: DialectId, code: string, status: number, operation = 'UploadPart') =>
    clientFor(dialects[id]).errorFrom({ operation: operation as never }, { status, headers: new Headers() }, errorXml(code), undefined).kind;
  assert.equal(kind('oss', 'SecurityTokenExpired', 403), ErrorKind.ExpiredCredentials);
  assert.equal(kind('s3', 'ExpiredToken', 400), ErrorKind.ExpiredCredentials);
  assert.equal(kind('s3', 'InvalidToken', 400), ErrorKind.ExpiredCredentials);
  for (const id of DIALECT_IDS) {
    assert.equal(kind(id, 'InvalidAccessKeyId', 403), ErrorKind.ExpiredCredentials);
    assert.equal(kind(id, 'RequestTimeTooSkewed', 403), ErrorKind.ClockSkew);
    assert.equal(kind(id, 'NoSuchUpload', 404), ErrorKind.UploadGone);
    assert.equal(kind(id, 'AccessDenied', 403), ErrorKind.AccessDenied);
    assert.equal(kind(id, 'InvalidPartOrder', 400), ErrorKind.InvalidPartList);
    assert.equal(kind(id, 'SlowDown', 503), ErrorKind.Throttled);
    assert.equal(kind(id, 'SomethingNew', 503), ErrorKind.Unavailable);
    assert.equal(kind(id, 'SomethingNew', 429), ErrorKind.Throttled);
    assert.equal(kind(id, 'SomethingNew', 400), ErrorKind.Unknown);
    // Ceph RGW answers NoSuchKey to ListParts of an aborted upload; HeadObject's NoSuchKey is a missing object.
    assert.equal(kind(id, 'NoSuchKey', 404, 'ListParts'), ErrorKind.UploadGone);
    assert.equal(kind(id, 'NoSuchKey', 404, 'HeadObject'), ErrorKind.NotFound);
  }
  assert.equal(kind('oss', 'InvalidDigest', 400), ErrorKind.BadDigest);
  assert.equal(kind('obs', 'BadDigest', 400), ErrorKind.BadDigest);
  assert.equal(kind('s3', 'BadDigest', 400), ErrorKind.BadDigest);
  assert.equal(kind('oss', 'FileAlreadyExists', 409, 'PutObject'), ErrorKind.ObjectExists);
  assert.equal(kind('s3', 'PreconditionFailed', 412, 'PutObject'), ErrorKind.ObjectExists);
});

test('error answers: request id, OBS JSON bodies, gateway pages, huge messages, echoed tokens', () => {
  const c = clientFor(dialects.obs);
  const json = c.errorFrom({ operation: 'AbortMultipartUpload' }, { status: 403, headers: new Headers() }, '{"code":"AccessDenied","message":"not the initiator","request_id":"J1"}', undefined);
  assert.deepEqual([json.code, json.kind, json.requestId, json.message], ['AccessDenied', ErrorKind.AccessDenied, 'J1', 'AbortMultipartUpload: not the initiator']);
  const html = c.errorFrom({ operation: 'UploadPart' }, { status: 502, headers: new Headers() }, '<html><body>Bad Gateway<br></body></html>', undefined);
  assert.deepEqual([html.code, html.kind, isRetryable(html)], ['ServiceUnavailable', ErrorKind.Unavailable, true]);
  const long = 'x'.repeat(1_000_000);
  const big = c.errorFrom({ operation: 'UploadPart' }, { status: 400, headers: new Headers() }, errorXml('InvalidArgument').replace('<Message>m</Message>', `<Message>${long}</Message>`), undefined);
  assert.ok(big.message.length < 400);
  assert.equal(big.details['Message']!.length, 1_000_000);
  const echoed = clientFor(dialects.oss).errorFrom({ operation: 'UploadPart' }, { status: 403, headers: new Headers() },
    errorXml('SignatureDoesNotMatch', '<StringToSign>PUT\nx-oss-security-token:SECRET-TOKEN\n/b/k</StringToSign><StringToSignBytes>50 55</StringToSignBytes>'), undefined, 'SECRET-TOKEN');
  assert.doesNotMatch(JSON.stringify(echoed.details), /SECRET-TOKEN|StringToSignBytes/);
});

test('a bodiless OSS error is read from the x-oss-err header', () => {
  const headers = new Headers({ 'x-oss-err': btoa(errorXml('SecurityTokenExpired')) });
  const e = clientFor(dialects.oss).errorFrom({ operation: 'HeadObject' }, { status: 403, headers }, '', undefined);
  assert.deepEqual([e.code, e.kind], ['SecurityTokenExpired', ErrorKind.ExpiredCredentials]);
});

test('checksums: OSS reads its CRC-64 from headers and ListParts; S3 sends CRC-64/NVME and reads it back; OBS has none', () => {
  const oss = dialects.oss.integrity.checksum!;
  assert.equal(oss.fromHeaders(new Headers({ 'x-oss-hash-crc64ecma': '11051210869376104954' })), 11051210869376104954n);
  assert.equal(oss.fromListedPart(parseXml('<Part><HashCrc64ecma>42</HashCrc64ecma></Part>')), 42n);
  assert.equal(oss.sentWithRequest, false);
  const s3 = dialects.s3.integrity.checksum!;
  assert.deepEqual(s3.requestHeaders(0xae8b14860a799888n), { 'x-amz-checksum-crc64nvme': 'rosUhgp5mIg=' });
  assert.equal(s3.fromHeaders(new Headers({ 'x-amz-checksum-crc64nvme': 'rosUhgp5mIg=' })), 0xae8b14860a799888n);
  assert.equal(s3.acceptedAtInitiate(new Headers({ 'x-amz-checksum-algorithm': 'CRC64NVME' })), true);
  assert.equal(s3.acceptedAtInitiate(new Headers()), false);
  assert.equal(dialects.s3.integrity.contentMd5, 'unless-checksum');
  assert.equal(dialects.obs.integrity.checksum, undefined);
  assert.equal(dialects.obs.integrity.contentMd5, 'always');
  assert.equal(dialects.obs.integrity.etagIsPartMd5, true);
});

test('forbid-overwrite: each dialect its own header, on the operations that create the object', () => {
  assert.deepEqual(dialects.oss.forbidOverwrite('PutObject'), { 'x-oss-forbid-overwrite': 'true' });
  assert.deepEqual(dialects.obs.forbidOverwrite('CompleteMultipartUpload'), { 'x-obs-forbid-overwrite': 'true' });
  assert.deepEqual(dialects.s3.forbidOverwrite('CompleteMultipartUpload'), { 'If-None-Match': '*' });
  assert.deepEqual(dialects.s3.forbidOverwrite('InitiateMultipartUpload'), {});
  assert.deepEqual(dialects.oss.forbidOverwrite('UploadPart'), {});
});

test('CORS advice names the vendor\'s console and every header to expose', () => {
  for (const id of DIALECT_IDS) {
    const advice = dialects[id].corsAdvice('https://app.example.com', ['ETag']);
    for (const h of dialects[id].exposeHeaders) assert.ok(advice.includes(h), `${id} names ${h}`);
    assert.ok(advice.includes('https://app.example.com'));
  }
  assert.match(dialects.oss.corsAdvice('o', ['ETag']), /OSS console/);
  assert.match(dialects.obs.corsAdvice('o', ['ETag']), /OBS console/);
  assert.match(dialects.s3.corsAdvice('o', ['ETag']), /AWS console/);
});

test('object keys the browser would rewrite or cannot encode are refused before any request', () => {
  for (const bad of ['a/./b', 'a/../c.txt', '..', 'x/..', '', '/abs', 'bad\uD800', 'tab\there', 'é'.repeat(512)]) {
    assert.throws(() => assertUsableKey(bad), (e: unknown) => e instanceof UploadError && e.kind === ErrorKind.InvalidInput, JSON.stringify(bad.slice(0, 20)));
  }
  for (const good of ['a/b.c', 'uploads/u/..hidden', 'sp ace ', '中文/😀.png', 'é'.repeat(511)]) assert.equal(keyProblem(good), undefined, good);
});

test('retry: backoff grows, is capped and jittered; transient kinds are retried, the others not', async () => {
  assert.equal(backoffDelay(1, DEFAULT_RETRY, () => 0.999), 299);
  assert.equal(backoffDelay(30, DEFAULT_RETRY, () => 0.999), 14_985);
  assert.equal(backoffDelay(3, DEFAULT_RETRY, () => 0), 0);
  const e = (kind: ErrorKind) => new UploadError('X', 'x', { kind });
  for (const k of [ErrorKind.Network, ErrorKind.Timeout, ErrorKind.Throttled, ErrorKind.Unavailable]) assert.ok(isRetryable(e(k)), k);
  for (const k of [ErrorKind.AccessDenied, ErrorKind.UploadGone, ErrorKind.InvalidInput, ErrorKind.BadDigest, ErrorKind.ExpiredCredentials]) assert.ok(!isRetryable(e(k)), k);

  let calls = 0;
  const result = await retrying(async () => {
    if (++calls < 3) throw e(ErrorKind.Unavailable);
    return 'ok';
  }, { policy: { baseDelayMs: 1 } });
  assert.deepEqual([result, calls], ['ok', 3]);

  calls = 0;
  let recovered = 0;
  await assert.rejects(retrying(async () => {
    calls++;
    throw e(ErrorKind.ExpiredCredentials);
  }, { policy: { baseDelayMs: 1 }, recover: () => recovered++ < 1 }), /x/);
  assert.deepEqual([calls, recovered], [2, 2], 'one recovery, then the error');

  calls = 0;
  await assert.rejects(retrying(async () => {
    calls++;
    throw e(ErrorKind.Network);
  }, { policy: { baseDelayMs: 1, maxAttempts: 4 } }));
  assert.equal(calls, 4);

  const controller = new AbortController();
  const pending = retrying(async () => {
    throw e(ErrorKind.Network);
  }, { policy: { baseDelayMs: 10_000 }, signal: controller.signal });
  controller.abort();
  await assert.rejects(pending, (err: unknown) => UploadError.isCancel(err));
});

test('numbered names for a taken key keep the folder and every extension', () => {
  assert.equal(numberedKey('uploads/u/photo.jpg', 1), 'uploads/u/photo (1).jpg');
  assert.equal(numberedKey('uploads/u/archive.tar.gz', 2), 'uploads/u/archive (2).tar.gz');
  assert.equal(numberedKey('uploads/u/.env', 1), 'uploads/u/.env (1)');
  assert.equal(numberedKey('uploads/u/README', 3), 'uploads/u/README (3)');
  assert.equal(numberedKey('uploads/v1.2/notes', 1), 'uploads/v1.2/notes (1)');
});
