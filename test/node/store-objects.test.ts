// The local OSS store: single objects (Put, Get with Range, Head, Delete), addressing,
// integrity headers, and restart persistence.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { crc64 } from 'hash-wasm';
import { startFixture, TEST_BUCKET, xmlValue } from '../support/store-fixture.js';

const crcOf = async (b: Uint8Array) => BigInt('0x' + (await crc64(b))).toString();
const md5Hex = (b: Uint8Array) => createHash('md5').update(b).digest('hex').toUpperCase();
const md5B64 = (b: Uint8Array) => createHash('md5').update(b).digest('base64');
const bytes = async (res: Response) => new Uint8Array(await res.arrayBuffer());

test('PutObject, GetObject, HeadObject, DeleteObject', async (t) => {
  const s = await startFixture();
  t.after(() => s.close());
  const body = randomBytes(300_000);
  const put = await s.send({
    method: 'PUT', bucket: TEST_BUCKET, key: 'dir/photo 1.jpg', body,
    headers: { 'Content-Type': 'image/jpeg', 'x-oss-meta-owner': 'ann', 'Content-Disposition': 'attachment' },
  });
  assert.equal(put.status, 200);
  assert.equal(put.headers.get('etag'), `"${md5Hex(body)}"`);
  assert.equal(put.headers.get('x-oss-hash-crc64ecma'), await crcOf(body));
  assert.match(put.headers.get('x-oss-request-id') ?? '', /^[0-9A-F]{24}$/);

  const get = await s.send({ method: 'GET', bucket: TEST_BUCKET, key: 'dir/photo 1.jpg' });
  assert.equal(get.status, 200);
  assert.deepEqual(await bytes(get), new Uint8Array(body));
  assert.equal(get.headers.get('content-type'), 'image/jpeg');
  assert.equal(get.headers.get('content-length'), String(body.length));
  assert.equal(get.headers.get('x-oss-hash-crc64ecma'), await crcOf(body));
  assert.equal(get.headers.get('x-oss-meta-owner'), 'ann');
  assert.equal(get.headers.get('content-disposition'), 'attachment');
  assert.equal(get.headers.get('x-oss-object-type'), 'Normal');
  assert.equal(get.headers.get('content-md5'), md5B64(body));

  const head = await s.send({ method: 'HEAD', bucket: TEST_BUCKET, key: 'dir/photo 1.jpg' });
  assert.equal(head.status, 200);
  assert.equal(head.headers.get('content-length'), String(body.length));
  assert.equal(head.headers.get('etag'), `"${md5Hex(body)}"`);

  const del = await s.send({ method: 'DELETE', bucket: TEST_BUCKET, key: 'dir/photo 1.jpg' });
  assert.equal(del.status, 204);
  const gone = await s.send({ method: 'GET', bucket: TEST_BUCKET, key: 'dir/photo 1.jpg' });
  assert.equal(gone.status, 404);
  const xml = await gone.text();
  assert.equal(xmlValue(xml, 'Code'), 'NoSuchKey');
  assert.equal(xmlValue(xml, 'RequestId'), gone.headers.get('x-oss-request-id'));
  assert.equal(xmlValue(xml, 'EC'), '0026-00000001');
  assert.ok(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<Error>'));

  // Deleting what is not there is still 204, as on OSS.
  assert.equal((await s.send({ method: 'DELETE', bucket: TEST_BUCKET, key: 'never' })).status, 204);
  // Nothing is left on disk.
  assert.deepEqual(s.files(), []);
});

test('HEAD errors carry the XML base64 in x-oss-err; missing bucket is NoSuchBucket', async (t) => {
  const s = await startFixture();
  t.after(() => s.close());
  const head = await s.send({ method: 'HEAD', bucket: TEST_BUCKET, key: 'nope' });
  assert.equal(head.status, 404);
  const xml = Buffer.from(head.headers.get('x-oss-err') ?? '', 'base64').toString('utf8');
  assert.equal(xmlValue(xml, 'Code'), 'NoSuchKey');
  assert.equal(xmlValue(xml, 'RequestId'), head.headers.get('x-oss-request-id'));

  const nb = await s.send({ method: 'GET', bucket: 'no-such-bucket', key: 'k' });
  assert.equal(nb.status, 404);
  assert.equal(xmlValue(await nb.text(), 'Code'), 'NoSuchBucket');
});

test('Range: a-b, a-, -n; unsatisfiable ranges as OSS (ignored by default, 416 in standard mode)', async (t) => {
  const s = await startFixture();
  t.after(() => s.close());
  const body = randomBytes(1000);
  await s.send({ method: 'PUT', bucket: TEST_BUCKET, key: 'r', body, headers: { 'Content-Type': 'application/octet-stream' } });
  const get = (range: string, standard = false) => s.send({
    method: 'GET', bucket: TEST_BUCKET, key: 'r',
    headers: { Range: range, ...(standard ? { 'x-oss-range-behavior': 'standard' } : {}) },
  });

  let res = await get('bytes=10-19');
  assert.equal(res.status, 206);
  assert.equal(res.headers.get('content-range'), 'bytes 10-19/1000');
  assert.deepEqual(await bytes(res), new Uint8Array(body.subarray(10, 20)));
  res = await get('bytes=990-');
  assert.equal(res.status, 206);
  assert.deepEqual(await bytes(res), new Uint8Array(body.subarray(990)));
  res = await get('bytes=-5');
  assert.equal(res.status, 206);
  assert.equal(res.headers.get('content-range'), 'bytes 995-999/1000');
  assert.deepEqual(await bytes(res), new Uint8Array(body.subarray(995)));

  // Default OSS behaviour: an out-of-range Range is ignored.
  res = await get('bytes=1000-2000');
  assert.equal(res.status, 200);
  assert.equal((await bytes(res)).length, 1000);
  res = await get('bytes=500-2000');
  assert.equal(res.status, 200);
  await res.arrayBuffer();

  // x-oss-range-behavior: standard
  res = await get('bytes=500-2000', true);
  assert.equal(res.status, 206);
  assert.equal(res.headers.get('content-range'), 'bytes 500-999/1000');
  await res.arrayBuffer();
  res = await get('bytes=1000-', true);
  assert.equal(res.status, 416);
  assert.equal(res.headers.get('content-range'), 'bytes */1000');
  assert.equal(xmlValue(await res.text(), 'Code'), 'InvalidRange');
});

test('Content-MD5 is checked (InvalidDigest); x-oss-forbid-overwrite answers FileAlreadyExists', async (t) => {
  const s = await startFixture();
  t.after(() => s.close());
  const body = Buffer.from('hello');
  const ok = await s.send({ method: 'PUT', bucket: TEST_BUCKET, key: 'k', body, headers: { 'Content-Type': 'text/plain', 'Content-MD5': md5B64(body) } });
  assert.equal(ok.status, 200);
  const filesBefore = s.files();
  const bad = await s.send({ method: 'PUT', bucket: TEST_BUCKET, key: 'k', body: 'other', headers: { 'Content-Type': 'text/plain', 'Content-MD5': md5B64(body) } });
  assert.equal(bad.status, 400);
  assert.equal(xmlValue(await bad.text(), 'Code'), 'InvalidDigest');
  const forbid = await s.send({ method: 'PUT', bucket: TEST_BUCKET, key: 'k', body: 'other', headers: { 'Content-Type': 'text/plain', 'x-oss-forbid-overwrite': 'true' } });
  assert.equal(forbid.status, 409);
  assert.equal(xmlValue(await forbid.text(), 'Code'), 'FileAlreadyExists');
  assert.deepEqual(s.files(), filesBefore);
  assert.equal(await (await s.send({ method: 'GET', bucket: TEST_BUCKET, key: 'k' })).text(), 'hello');
});

test('virtual-hosted addressing (Host: <bucket>.localhost:<port>), V1 and V4', async (t) => {
  const s = await startFixture();
  t.after(() => s.close());
  for (const version of ['v1', 'v4'] as const) {
    const key = `vh/${version}/a+b c.txt`;
    const put = await s.send({ method: 'PUT', bucket: TEST_BUCKET, key, body: version, headers: { 'Content-Type': 'text/plain' }, virtualHost: true, version });
    assert.equal(put.status, 200, await put.text());
    const get = await s.send({ method: 'GET', bucket: TEST_BUCKET, key, version });
    assert.equal(await get.text(), version);
    const vget = await s.send({ method: 'GET', bucket: TEST_BUCKET, key, virtualHost: true, version });
    assert.equal(await vget.text(), version);
  }
});

test('Content-Type is guessed from the extension when not given', async (t) => {
  const s = await startFixture();
  t.after(() => s.close());
  await s.send({ method: 'PUT', bucket: TEST_BUCKET, key: 'a.png', body: new Uint8Array(0), headers: { 'Content-Type': '' } });
  const head = await s.send({ method: 'HEAD', bucket: TEST_BUCKET, key: 'a.png' });
  assert.equal(head.headers.get('content-type'), 'image/png');
  assert.equal(head.headers.get('content-length'), '0');
  const get = await s.send({ method: 'GET', bucket: TEST_BUCKET, key: 'a.png' });
  assert.equal(get.status, 200);
  assert.equal((await bytes(get)).length, 0);
});

test('a GetObject racing an overwrite reads the whole old version', async (t) => {
  const s = await startFixture();
  t.after(() => s.close());
  const v1 = randomBytes(8 * 1024 * 1024);
  const v2 = randomBytes(1000);
  await s.send({ method: 'PUT', bucket: TEST_BUCKET, key: 'race', body: v1, headers: { 'Content-Type': 'application/octet-stream' } });
  const get = await s.send({ method: 'GET', bucket: TEST_BUCKET, key: 'race' });
  const reader = get.body!.getReader();
  const first = await reader.read(); // the answer has started
  const put = await s.send({ method: 'PUT', bucket: TEST_BUCKET, key: 'race', body: v2, headers: { 'Content-Type': 'application/octet-stream' } });
  assert.equal(put.status, 200);
  const chunks = [first.value!];
  for (let r = await reader.read(); !r.done; r = await reader.read()) chunks.push(r.value);
  assert.ok(Buffer.concat(chunks).equals(v1));
  const now = await s.send({ method: 'GET', bucket: TEST_BUCKET, key: 'race' });
  assert.ok(Buffer.from(await now.arrayBuffer()).equals(v2));
  // The old blob is gone once its reader finished.
  assert.equal(s.files().filter((f) => f.startsWith('store/blobs/')).length, 1);
});

test('objects survive a restart', async (t) => {
  const s = await startFixture();
  t.after(() => s.close());
  const body = randomBytes(5000);
  await s.send({ method: 'PUT', bucket: TEST_BUCKET, key: 'keep/me', body, headers: { 'Content-Type': 'application/x-test' } });
  await s.restart();
  const get = await s.send({ method: 'GET', bucket: TEST_BUCKET, key: 'keep/me' });
  assert.equal(get.status, 200);
  assert.equal(get.headers.get('content-type'), 'application/x-test');
  assert.deepEqual(await bytes(get), new Uint8Array(body));
});

test('service-level GET / lists the buckets', async (t) => {
  const s = await startFixture();
  t.after(() => s.close());
  const res = await s.send({ method: 'GET', bucket: '' });
  assert.equal(res.status, 200);
  assert.equal(xmlValue(await res.text(), 'Name'), TEST_BUCKET);
});
