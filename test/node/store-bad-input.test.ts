// The local OSS store under bad input: each case gets its OSS error code, and afterwards the
// data dir holds exactly what it held before, and earlier objects and parts are intact.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { OSS_MIN_PART_SIZE } from '../../src/core/dialects/oss/dialect.js';
import { uriEncode } from '../../src/core/signing/request.js';
import { rawFetch, socketExchange } from '../support/raw-http.js';
import { signedHeaders } from '../support/signed-fetch.js';
import {
  completeXml, eventually, startFixture, TEST_BUCKET, TEST_ROOT, xmlValue, xmlValues, type StoreFixture,
} from '../support/store-fixture.js';

const OCTETS = { 'Content-Type': 'application/octet-stream' };

interface Baseline {
  files: string[];
  object: Buffer;
  uploadId: string;
  etags: string[];
}

/** An object and an upload with two parts, and the data dir as they leave it. */
async function baseline(s: StoreFixture): Promise<Baseline> {
  const object = randomBytes(50_000);
  assert.equal((await s.send({ method: 'PUT', bucket: TEST_BUCKET, key: 'keep/object', body: object, headers: OCTETS })).status, 200);
  const init = await s.send({ method: 'POST', bucket: TEST_BUCKET, key: 'keep/upload', query: { uploads: '' }, headers: OCTETS });
  const uploadId = xmlValue(await init.text(), 'UploadId')!;
  const etags: string[] = [];
  for (const n of [1, 2]) {
    const res = await s.send({ method: 'PUT', bucket: TEST_BUCKET, key: 'keep/upload', query: { partNumber: String(n), uploadId }, body: randomBytes(OSS_MIN_PART_SIZE), headers: OCTETS });
    etags.push(res.headers.get('etag')!);
  }
  return { files: s.files(), object, uploadId, etags };
}

/** Nothing extra on disk, nothing lost, nothing changed. */
async function assertIntact(s: StoreFixture, b: Baseline): Promise<void> {
  await eventually(() => JSON.stringify(s.files()) === JSON.stringify(b.files)).catch(() => undefined);
  assert.deepEqual(s.files(), b.files);
  const get = await s.send({ method: 'GET', bucket: TEST_BUCKET, key: 'keep/object' });
  assert.ok(Buffer.from(await get.arrayBuffer()).equals(b.object));
  const parts = await (await s.send({ method: 'GET', bucket: TEST_BUCKET, key: 'keep/upload', query: { uploadId: b.uploadId } })).text();
  assert.deepEqual(xmlValues(parts, 'ETag'), b.etags);
}

async function codeOf(res: Response): Promise<string> {
  const text = await res.text();
  assert.match(res.headers.get('x-oss-request-id') ?? '', /^[0-9A-F]{24}$/);
  return `${res.status} ${xmlValue(text, 'Code')}`;
}

/** The raw HTTP/1.1 request head for a signed request with a declared Content-Length. */
async function rawHead(s: StoreFixture, method: string, key: string, query: Record<string, string>, length: number): Promise<string> {
  const headers = await signedHeaders(TEST_ROOT, { method, bucket: TEST_BUCKET, key, query, headers: OCTETS });
  const qs = Object.entries(query).map(([k, v]) => `${k}=${uriEncode(v)}`).join('&');
  const lines = [`${method} /${TEST_BUCKET}/${uriEncode(key, true)}${qs ? '?' + qs : ''} HTTP/1.1`, `Host: ${new URL(s.url).host}`];
  for (const [k, v] of Object.entries(headers)) lines.push(`${k}: ${v}`);
  lines.push(`Content-Length: ${length}`);
  return lines.join('\r\n') + '\r\n\r\n';
}

test('malformed Complete XML, bad part numbers, wrong ETags, bad Content-MD5', async (t) => {
  const s = await startFixture();
  t.after(() => s.close());
  const b = await baseline(s);
  const complete = (body: string) => s.send({ method: 'POST', bucket: TEST_BUCKET, key: 'keep/upload', query: { uploadId: b.uploadId }, body, headers: { 'Content-Type': 'application/xml' } });

  for (const body of ['<CompleteMultipartUpload><Part><PartNumber>1</PartNumber>', 'not xml at all', '<CompleteMultipartUpload><Part><PartNumber>x</PartNumber><ETag>"A"</ETag></Part></CompleteMultipartUpload>',
    '<!DOCTYPE x [<!ENTITY a "b">]><CompleteMultipartUpload/>', '']) {
    assert.equal(await codeOf(await complete(body)), '400 MalformedXML', body);
    await assertIntact(s, b);
  }
  assert.equal(await codeOf(await complete(completeXml([{ partNumber: 1, etag: '"00000000000000000000000000000000"' }]))), '400 InvalidPart');
  await assertIntact(s, b);

  for (const n of ['0', '10001', 'abc', '-1', '1.5', '']) {
    const res = await s.send({ method: 'PUT', bucket: TEST_BUCKET, key: 'keep/upload', query: { partNumber: n, uploadId: b.uploadId }, body: 'x', headers: OCTETS });
    assert.equal(await codeOf(res), '400 InvalidArgument', `partNumber=${n}`);
    await assertIntact(s, b);
  }
  const md5 = createHash('md5').update('other').digest('base64');
  const digest = await s.send({ method: 'PUT', bucket: TEST_BUCKET, key: 'keep/upload', query: { partNumber: '1', uploadId: b.uploadId }, body: randomBytes(1000), headers: { ...OCTETS, 'Content-MD5': md5 } });
  assert.equal(await codeOf(digest), '400 InvalidDigest');
  const digest2 = await s.send({ method: 'PUT', bucket: TEST_BUCKET, key: 'keep/object', body: 'x', headers: { ...OCTETS, 'Content-MD5': 'not-base64!' } });
  assert.equal(await codeOf(digest2), '400 InvalidDigest');
  await assertIntact(s, b);
  const noUpload = await s.send({ method: 'PUT', bucket: TEST_BUCKET, key: 'keep/upload', query: { partNumber: '1', uploadId: 'NOPE' }, body: 'x', headers: OCTETS });
  assert.equal(await codeOf(noUpload), '404 NoSuchUpload');
  await assertIntact(s, b);
});

test('a body shorter than its Content-Length: IncompleteBody when the client half-closes, cleaned up when it resets', async (t) => {
  const s = await startFixture();
  t.after(() => s.close());
  const b = await baseline(s);
  const cases: { method: string; key: string; query: Record<string, string> }[] = [
    { method: 'PUT', key: 'keep/object', query: {} },
    { method: 'PUT', key: 'keep/upload', query: { partNumber: '1', uploadId: b.uploadId } },
    { method: 'POST', key: 'keep/upload', query: { uploadId: b.uploadId } },
  ];
  for (const c of cases) {
    const head = await rawHead(s, c.method, c.key, c.query, 100_000);
    const answer = await socketExchange(s.url, Buffer.concat([Buffer.from(head), randomBytes(40_000)]), 'half-close');
    assert.match(answer, /^HTTP\/1\.1 400 /, answer);
    assert.equal(xmlValue(answer, 'Code'), 'IncompleteBody');
    assert.match(answer, /x-oss-request-id: [0-9A-F]{24}\r\n/i);
    await assertIntact(s, b);

    const reset = await socketExchange(s.url, Buffer.concat([Buffer.from(head), randomBytes(40_000)]), 'destroy');
    assert.equal(reset, '');
    await assertIntact(s, b);
  }
});

test('a stalled body answers RequestTimeout and leaves nothing behind', async (t) => {
  const s = await startFixture({ bodyTimeoutMs: 300 });
  t.after(() => s.close());
  const b = await baseline(s);
  const cases: { key: string; query: Record<string, string> }[] = [
    { key: 'keep/object', query: {} }, { key: 'keep/upload', query: { partNumber: '2', uploadId: b.uploadId } },
  ];
  for (const c of cases) {
    const head = await rawHead(s, 'PUT', c.key, c.query, 100_000);
    const answer = await socketExchange(s.url, Buffer.concat([Buffer.from(head), randomBytes(10_000)]), 'keep', 3000);
    assert.match(answer, /^HTTP\/1\.1 400 /, answer);
    assert.equal(xmlValue(answer, 'Code'), 'RequestTimeout');
    await assertIntact(s, b);
  }
});

test('bad object names are InvalidObjectName: "..", NUL, over 1023 bytes, a leading slash', async (t) => {
  const s = await startFixture();
  t.after(() => s.close());
  const b = await baseline(s);
  const host = new URL(s.url).host;
  const paths = [
    `/${TEST_BUCKET}/a/../keep/object`, `/${TEST_BUCKET}/..`, `/${TEST_BUCKET}/a/%2E%2E/b`, `/${TEST_BUCKET}/a%00b`,
    `/${TEST_BUCKET}/${'k'.repeat(1024)}`, `/${TEST_BUCKET}/${'%C3%A9'.repeat(512)}`, `/${TEST_BUCKET}//lead`,
  ];
  for (const path of paths) {
    const key = decodeURIComponent(path.slice(TEST_BUCKET.length + 2));
    const headers = await signedHeaders(TEST_ROOT, { method: 'PUT', bucket: TEST_BUCKET, key, headers: OCTETS });
    const res = await rawFetch({ method: 'PUT', connectTo: s.url, host, path, headers, body: 'evil' });
    assert.equal(await codeOf(res), '400 InvalidObjectName', path);
    await assertIntact(s, b);
  }
  // 1023 bytes is fine.
  const longest = 'é'.repeat(511) + 'k';
  const ok = await s.send({ method: 'PUT', bucket: TEST_BUCKET, key: longest, body: 'x', headers: OCTETS });
  assert.equal(ok.status, 200);
  const got = await s.send({ method: 'GET', bucket: TEST_BUCKET, key: longest });
  assert.equal(await got.text(), 'x');
  assert.equal((await s.send({ method: 'DELETE', bucket: TEST_BUCKET, key: longest })).status, 204);
  await assertIntact(s, b);
});

test('Authorization missing or malformed, on requests with bodies', async (t) => {
  const s = await startFixture();
  t.after(() => s.close());
  const b = await baseline(s);
  const url = `${s.url}/${TEST_BUCKET}/keep/object`;
  const body = randomBytes(200_000);
  assert.equal(await codeOf(await fetch(url, { method: 'PUT', body, headers: OCTETS })), '403 AccessDenied');
  await assertIntact(s, b);
  const date = new Date().toUTCString();
  for (const auth of ['OSS', 'OSS :', 'Basic Zm9vOmJhcg==', 'OSS4-HMAC-SHA256 Credential=a/b/c,Signature=d']) {
    const res = await fetch(url, { method: 'PUT', body, headers: { ...OCTETS, Authorization: auth, 'x-oss-date': date, 'x-oss-content-sha256': 'UNSIGNED-PAYLOAD' } });
    assert.equal(await codeOf(res), '400 InvalidArgument', auth);
    await assertIntact(s, b);
  }
  // Signed with a wrong secret: the body is refused before it is stored.
  const wrong = await s.send({ method: 'PUT', bucket: TEST_BUCKET, key: 'keep/object', body, headers: OCTETS }, { ...TEST_ROOT, accessKeySecret: 'nope' });
  assert.equal(await codeOf(wrong), '403 SignatureDoesNotMatch');
  await assertIntact(s, b);
});
