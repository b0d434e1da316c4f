// The local OSS store: multipart uploads (Initiate, UploadPart, Complete, Abort, ListParts,
// ListMultipartUploads), their rules and integrity values, concurrency and restarts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc64 } from 'hash-wasm';
import { OSS_MIN_PART_SIZE } from '../../src/core/dialects/oss/dialect.js';
import { completeXml, startFixture, TEST_BUCKET, xmlValue, xmlValues, type StoreFixture } from '../support/store-fixture.js';

const crcOf = async (b: Uint8Array) => BigInt('0x' + (await crc64(b))).toString();
const md5Hex = (b: Uint8Array) => createHash('md5').update(b).digest('hex').toUpperCase();
const OCTETS = { 'Content-Type': 'application/octet-stream' };

async function initiate(s: StoreFixture, key: string, headers: Record<string, string> = OCTETS): Promise<string> {
  const res = await s.send({ method: 'POST', bucket: TEST_BUCKET, key, query: { uploads: '' }, headers });
  const xml = await res.text();
  assert.equal(res.status, 200, xml);
  assert.equal(xmlValue(xml, 'Key'), key);
  return xmlValue(xml, 'UploadId')!;
}

function uploadPart(s: StoreFixture, key: string, uploadId: string, partNumber: number, body: BodyInit, headers: Record<string, string> = OCTETS) {
  return s.send({ method: 'PUT', bucket: TEST_BUCKET, key, query: { partNumber: String(partNumber), uploadId }, body, headers });
}

function complete(s: StoreFixture, key: string, uploadId: string, parts: { partNumber: number; etag: string }[] | string) {
  return s.send({
    method: 'POST', bucket: TEST_BUCKET, key, query: { uploadId },
    body: typeof parts === 'string' ? parts : completeXml(parts), headers: { 'Content-Type': 'application/xml' },
  });
}

test('a multipart upload: part ETags and CRCs, the OSS multipart ETag, the folded CRC, the bytes', async (t) => {
  const s = await startFixture();
  t.after(() => s.close());
  const key = 'big/file.bin';
  const uploadId = await initiate(s, key, { 'Content-Type': 'video/mp4', 'x-oss-meta-user': 'u1' });
  assert.match(uploadId, /^[0-9A-F]{32}$/);
  const parts = [randomBytes(OSS_MIN_PART_SIZE), randomBytes(OSS_MIN_PART_SIZE + 7), randomBytes(123)];
  const etags: string[] = [];
  // Out of order on purpose: parts may arrive in any order.
  for (const i of [2, 0, 1]) {
    const res = await uploadPart(s, key, uploadId, i + 1, parts[i]!);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('etag'), `"${md5Hex(parts[i]!)}"`);
    assert.equal(res.headers.get('x-oss-hash-crc64ecma'), await crcOf(parts[i]!));
    etags[i] = res.headers.get('etag')!;
  }
  const res = await complete(s, key, uploadId, etags.map((etag, i) => ({ partNumber: i + 1, etag })));
  const xml = await res.text();
  assert.equal(res.status, 200, xml);
  const whole = Buffer.concat(parts);
  assert.equal(res.headers.get('x-oss-hash-crc64ecma'), await crcOf(whole));
  const md5s = createHash('md5');
  for (const p of parts) md5s.update(createHash('md5').update(p).digest());
  assert.equal(xmlValue(xml, 'ETag'), `"${md5s.digest('hex').toUpperCase()}-3"`);
  assert.equal(xmlValue(xml, 'Bucket'), TEST_BUCKET);
  assert.equal(xmlValue(xml, 'Key'), key);
  assert.equal(xmlValue(xml, 'Location'), `http://${new URL(s.url).host}/${TEST_BUCKET}/big/file.bin`);

  const get = await s.send({ method: 'GET', bucket: TEST_BUCKET, key });
  assert.ok(Buffer.from(await get.arrayBuffer()).equals(whole));
  assert.equal(get.headers.get('content-type'), 'video/mp4');
  assert.equal(get.headers.get('x-oss-meta-user'), 'u1');
  assert.equal(get.headers.get('x-oss-object-type'), 'Multipart');
  assert.equal(get.headers.get('etag'), xmlValue(xml, 'ETag'));
  assert.equal(get.headers.get('x-oss-hash-crc64ecma'), await crcOf(whole));

  // A range across the boundary of parts 1 and 2.
  const from = OSS_MIN_PART_SIZE - 10;
  const ranged = await s.send({ method: 'GET', bucket: TEST_BUCKET, key, headers: { Range: `bytes=${from}-${from + 19}` } });
  assert.equal(ranged.status, 206);
  assert.ok(Buffer.from(await ranged.arrayBuffer()).equals(whole.subarray(from, from + 20)));

  // The upload is gone, and nothing but the object's files remains.
  const again = await uploadPart(s, key, uploadId, 1, parts[0]!);
  assert.equal(again.status, 404);
  assert.equal(xmlValue(await again.text(), 'Code'), 'NoSuchUpload');
  const files = s.files();
  assert.equal(files.filter((f) => f.includes('/uploads/')).length, 0);
  assert.equal(files.filter((f) => f.startsWith('store/blobs/')).length, 3);
  assert.equal(files.filter((f) => f.startsWith('store/tmp/')).length, 0);
});

test('Complete checks: InvalidPartOrder, InvalidPart, EntityTooSmall, MalformedXML; unlisted parts are dropped', async (t) => {
  const s = await startFixture();
  t.after(() => s.close());
  const key = 'rules';
  const uploadId = await initiate(s, key);
  const small = randomBytes(1000);
  const big = randomBytes(OSS_MIN_PART_SIZE);
  const e1 = (await uploadPart(s, key, uploadId, 1, small)).headers.get('etag')!;
  const e2 = (await uploadPart(s, key, uploadId, 2, big)).headers.get('etag')!;
  const e3 = (await uploadPart(s, key, uploadId, 3, small)).headers.get('etag')!;
  const code = async (res: Response) => {
    const xml = await res.text();
    return `${res.status} ${xmlValue(xml, 'Code')}`;
  };

  assert.equal(await code(await complete(s, key, uploadId, [{ partNumber: 2, etag: e2 }, { partNumber: 1, etag: e1 }])), '400 InvalidPartOrder');
  assert.equal(await code(await complete(s, key, uploadId, [{ partNumber: 1, etag: e1 }, { partNumber: 1, etag: e1 }])), '400 InvalidPartOrder');
  assert.equal(await code(await complete(s, key, uploadId, [{ partNumber: 1, etag: e2 }])), '400 InvalidPart');
  assert.equal(await code(await complete(s, key, uploadId, [{ partNumber: 4, etag: e1 }])), '400 InvalidPart');
  const tooSmall = await complete(s, key, uploadId, [{ partNumber: 1, etag: e1 }, { partNumber: 2, etag: e2 }]);
  const tooSmallXml = await tooSmall.text();
  assert.equal(xmlValue(tooSmallXml, 'Code'), 'EntityTooSmall');
  assert.equal(xmlValue(tooSmallXml, 'PartNumber'), '1');
  assert.equal(await code(await complete(s, key, uploadId, '<CompleteMultipartUpload><Part>')), '400 MalformedXML');
  assert.equal(await code(await complete(s, key, uploadId, '<CompleteMultipartUpload></CompleteMultipartUpload>')), '400 MalformedXML');
  assert.equal(await code(await complete(s, key, uploadId, '<Other/>')), '400 MalformedXML');

  // Gaps are allowed; the ETag may come without quotes or in lower case; part 1 is dropped.
  const xml = '<?xml version="1.0" encoding="UTF-8"?>\n<CompleteMultipartUpload xmlns="http://doc.oss-cn-hangzhou.aliyuncs.com">' +
    `<Part><PartNumber>2</PartNumber><ETag>${e2}</ETag></Part>` +
    `<Part><PartNumber>3</PartNumber><ETag>&quot;${e3.replace(/"/g, '').toLowerCase()}&quot;</ETag></Part></CompleteMultipartUpload>`;
  const ok = await complete(s, key, uploadId, xml);
  assert.equal(ok.status, 200, await ok.clone().text());
  const get = await s.send({ method: 'GET', bucket: TEST_BUCKET, key });
  assert.ok(Buffer.from(await get.arrayBuffer()).equals(Buffer.concat([big, small])));
  assert.equal(s.files().filter((f) => f.startsWith('store/blobs/')).length, 2);
});

test('UploadPart: a part number re-uploaded replaces the part; concurrent uploads of one number stay consistent', async (t) => {
  const s = await startFixture();
  t.after(() => s.close());
  const key = 'replace';
  const uploadId = await initiate(s, key);
  await uploadPart(s, key, uploadId, 1, randomBytes(500));
  const second = randomBytes(700);
  const res = await uploadPart(s, key, uploadId, 1, second);
  const list = await (await s.send({ method: 'GET', bucket: TEST_BUCKET, key, query: { uploadId } })).text();
  assert.deepEqual(xmlValues(list, 'PartNumber'), ['1']);
  assert.equal(xmlValue(list, 'ETag'), res.headers.get('etag'));
  assert.equal(xmlValue(list, 'Size'), '700');
  assert.equal(xmlValue(list, 'HashCrc64ecma'), await crcOf(second));

  const bodies = Array.from({ length: 6 }, () => randomBytes(200_000));
  const answers = await Promise.all(bodies.map((b) => uploadPart(s, key, uploadId, 2, b)));
  assert.ok(answers.every((a) => a.status === 200));
  const listed = await (await s.send({ method: 'GET', bucket: TEST_BUCKET, key, query: { uploadId } })).text();
  const etag2 = xmlValues(listed, 'ETag')[1]!;
  const winner = bodies.find((b) => `"${md5Hex(b)}"` === etag2);
  assert.ok(winner, 'the listed part is one of the uploads, whole');
  // Data and metadata agree: completing with the listed ETag yields the winner's bytes.
  const e1 = xmlValues(listed, 'ETag')[0]!;
  const done = await complete(s, key, uploadId, [{ partNumber: 1, etag: e1 }, { partNumber: 2, etag: etag2 }]);
  assert.equal(done.status, 400); // part 1 (700 bytes) is too small to be followed by another
  const solo = await complete(s, key, uploadId, [{ partNumber: 2, etag: etag2 }]);
  assert.equal(solo.status, 200);
  const get = await s.send({ method: 'GET', bucket: TEST_BUCKET, key });
  assert.ok(Buffer.from(await get.arrayBuffer()).equals(winner));
  assert.equal(s.files().filter((f) => f.startsWith('store/blobs/')).length, 1);
});

test('AbortMultipartUpload: 204, then NoSuchUpload; an abort racing an UploadPart leaves no files', async (t) => {
  const s = await startFixture();
  t.after(() => s.close());
  const key = 'abort';
  const uploadId = await initiate(s, key);
  await uploadPart(s, key, uploadId, 1, randomBytes(1000));

  // A part whose body is still arriving when the abort lands.
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      controller.enqueue(randomBytes(64 * 1024));
      await new Promise((r) => setTimeout(r, 150));
      controller.enqueue(randomBytes(64 * 1024));
      controller.close();
    },
  });
  const racing = uploadPart(s, key, uploadId, 2, stream);
  await new Promise((r) => setTimeout(r, 50));
  const abort = await s.send({ method: 'DELETE', bucket: TEST_BUCKET, key, query: { uploadId } });
  assert.equal(abort.status, 204);
  const late = await racing;
  assert.equal(late.status, 404);
  assert.equal(xmlValue(await late.text(), 'Code'), 'NoSuchUpload');

  const again = await s.send({ method: 'DELETE', bucket: TEST_BUCKET, key, query: { uploadId } });
  assert.equal(again.status, 404);
  assert.equal(xmlValue(await again.text(), 'Code'), 'NoSuchUpload');
  const list = await s.send({ method: 'GET', bucket: TEST_BUCKET, key, query: { uploadId } });
  assert.equal(list.status, 404);
  assert.deepEqual(s.files(), []);
});

test('ListParts pages with max-parts and part-number-marker', async (t) => {
  const s = await startFixture();
  t.after(() => s.close());
  const key = 'paged';
  const uploadId = await initiate(s, key);
  for (const n of [1, 2, 3, 4, 5]) await uploadPart(s, key, uploadId, n, randomBytes(n * 10));
  const seen: string[] = [];
  let marker = '';
  for (let page = 0; page < 5; page++) {
    const query: Record<string, string> = { uploadId, 'max-parts': '2' };
    if (marker) query['part-number-marker'] = marker;
    const xml = await (await s.send({ method: 'GET', bucket: TEST_BUCKET, key, query })).text();
    const numbers = xmlValues(xml, 'PartNumber');
    seen.push(...numbers);
    assert.equal(xmlValue(xml, 'MaxParts'), '2');
    for (const part of xml.match(/<Part>.*?<\/Part>/g) ?? []) {
      assert.match(part, /<LastModified>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z<\/LastModified>/);
      assert.match(part, /<ETag>"[0-9A-F]{32}"<\/ETag>/);
      assert.match(part, /<HashCrc64ecma>\d+<\/HashCrc64ecma>/);
      assert.match(part, /<Size>\d+<\/Size>/);
    }
    if (xmlValue(xml, 'IsTruncated') !== 'true') break;
    marker = xmlValue(xml, 'NextPartNumberMarker')!;
    assert.equal(marker, numbers.at(-1));
  }
  assert.deepEqual(seen, ['1', '2', '3', '4', '5']);
  const bad = await s.send({ method: 'GET', bucket: TEST_BUCKET, key, query: { uploadId, 'max-parts': '1001' } });
  assert.equal(xmlValue(await bad.text(), 'Code'), 'InvalidArgument');
});

test('ListMultipartUploads: prefix, delimiter, paging by key then initiation', async (t) => {
  const s = await startFixture();
  t.after(() => s.close());
  const ids: Record<string, string[]> = {};
  for (const key of ['a/2', 'a/1', 'b/1', 'a/1', 'c', 'a/1']) (ids[key] ??= []).push(await initiate(s, key));
  const expected = [
    ...ids['a/1']!.map((id) => `a/1 ${id}`), `a/2 ${ids['a/2']![0]}`, `b/1 ${ids['b/1']![0]}`, `c ${ids['c']![0]}`,
  ];

  const seen: string[] = [];
  let keyMarker = '';
  let uploadIdMarker = '';
  for (let page = 0; page < 10; page++) {
    const query: Record<string, string> = { uploads: '', 'max-uploads': '2' };
    if (keyMarker) query['key-marker'] = keyMarker;
    if (uploadIdMarker) query['upload-id-marker'] = uploadIdMarker;
    const xml = await (await s.send({ method: 'GET', bucket: TEST_BUCKET, query })).text();
    const keys = xmlValues(xml, 'Key');
    const uploadIds = xmlValues(xml, 'UploadId');
    seen.push(...keys.map((k, i) => `${k} ${uploadIds[i]}`));
    assert.ok(keys.length <= 2);
    if (xmlValue(xml, 'IsTruncated') !== 'true') break;
    keyMarker = xmlValue(xml, 'NextKeyMarker')!;
    uploadIdMarker = xmlValue(xml, 'NextUploadIdMarker')!;
  }
  assert.deepEqual(seen, expected);

  const prefixed = await (await s.send({ method: 'GET', bucket: TEST_BUCKET, query: { uploads: '', prefix: 'a/' } })).text();
  assert.deepEqual(xmlValues(prefixed, 'Key'), ['a/1', 'a/1', 'a/1', 'a/2']);
  assert.match(prefixed, /<Initiated>\d{4}-\d\d-\d\dT[\d:.]+Z<\/Initiated>/);

  const grouped = await (await s.send({ method: 'GET', bucket: TEST_BUCKET, query: { uploads: '', delimiter: '/' } })).text();
  assert.deepEqual(xmlValues(grouped, 'Key'), ['c']);
  assert.deepEqual(xmlValues(grouped, 'Prefix').filter(Boolean), ['a/', 'b/']);

  const bad = await s.send({ method: 'GET', bucket: TEST_BUCKET, query: { uploads: '', 'max-uploads': '0' } });
  assert.equal(xmlValue(await bad.text(), 'Code'), 'InvalidArgument');
});

test('x-oss-complete-all completes with every part; Complete honours x-oss-forbid-overwrite', async (t) => {
  const s = await startFixture();
  t.after(() => s.close());
  const key = 'all';
  await s.send({ method: 'PUT', bucket: TEST_BUCKET, key, body: 'old', headers: { 'Content-Type': 'text/plain' } });
  const uploadId = await initiate(s, key);
  const a = randomBytes(OSS_MIN_PART_SIZE);
  const b = randomBytes(10);
  const ea = (await uploadPart(s, key, uploadId, 1, a)).headers.get('etag')!;
  await uploadPart(s, key, uploadId, 2, b);
  const forbidden = await s.send({
    method: 'POST', bucket: TEST_BUCKET, key, query: { uploadId }, body: completeXml([{ partNumber: 1, etag: ea }]),
    headers: { 'Content-Type': 'application/xml', 'x-oss-forbid-overwrite': 'true' },
  });
  assert.equal(forbidden.status, 409);
  assert.equal(xmlValue(await forbidden.text(), 'Code'), 'FileAlreadyExists');
  const res = await s.send({ method: 'POST', bucket: TEST_BUCKET, key, query: { uploadId }, headers: { 'x-oss-complete-all': 'yes' } });
  assert.equal(res.status, 200, await res.clone().text());
  const get = await s.send({ method: 'GET', bucket: TEST_BUCKET, key });
  assert.ok(Buffer.from(await get.arrayBuffer()).equals(Buffer.concat([a, b])));
});

test('uploads in progress and their parts survive a restart', async (t) => {
  const s = await startFixture();
  t.after(() => s.close());
  const key = 'resume/me';
  const uploadId = await initiate(s, key);
  const p1 = randomBytes(OSS_MIN_PART_SIZE);
  const e1 = (await uploadPart(s, key, uploadId, 1, p1)).headers.get('etag')!;
  await s.restart();
  const listed = await (await s.send({ method: 'GET', bucket: TEST_BUCKET, key, query: { uploadId } })).text();
  assert.deepEqual(xmlValues(listed, 'ETag'), [e1]);
  const uploads = await (await s.send({ method: 'GET', bucket: TEST_BUCKET, query: { uploads: '' } })).text();
  assert.deepEqual(xmlValues(uploads, 'UploadId'), [uploadId]);
  const p2 = randomBytes(99);
  const e2 = (await uploadPart(s, key, uploadId, 2, p2)).headers.get('etag')!;
  const done = await complete(s, key, uploadId, [{ partNumber: 1, etag: e1 }, { partNumber: 2, etag: e2 }]);
  assert.equal(done.status, 200);
  await s.restart();
  const get = await s.send({ method: 'GET', bucket: TEST_BUCKET, key });
  assert.ok(Buffer.from(await get.arrayBuffer()).equals(Buffer.concat([p1, p2])));
  assert.equal(get.headers.get('x-oss-hash-crc64ecma'), await crcOf(Buffer.concat([p1, p2])));
});

test('encoding-type=url percent-encodes keys in multipart answers', async (t) => {
  const s = await startFixture();
  t.after(() => s.close());
  const key = 'dir/ä b&c.txt';
  const res = await s.send({ method: 'POST', bucket: TEST_BUCKET, key, query: { uploads: '', 'encoding-type': 'url' }, headers: OCTETS });
  const xml = await res.text();
  assert.equal(xmlValue(xml, 'EncodingType'), 'url');
  assert.equal(decodeURIComponent(xmlValue(xml, 'Key')!), key);
  assert.ok(!xmlValue(xml, 'Key')!.includes(' '));
});

test('a restart clears what a killed process left: temp files, unreferenced blobs, half-removed uploads', async (t) => {
  const s = await startFixture();
  t.after(() => s.close());
  const key = 'survivor';
  const uploadId = await initiate(s, key);
  const part = randomBytes(1234);
  const etag = (await uploadPart(s, key, uploadId, 1, part)).headers.get('etag')!;
  await s.send({ method: 'PUT', bucket: TEST_BUCKET, key: 'obj', body: 'kept', headers: { 'Content-Type': 'text/plain' } });
  const good = s.files();
  const root = join(s.dataDir, 'store');
  writeFileSync(join(root, 'tmp', 'abc.body'), 'half a body');
  writeFileSync(join(root, 'blobs', 'feedfeedfeedfeedfeedfeedfeedfeed'), 'orphan');
  mkdirSync(join(root, 'buckets', TEST_BUCKET, 'uploads', 'DEADBEEF'));
  writeFileSync(join(root, 'buckets', TEST_BUCKET, 'uploads', 'DEADBEEF', 'part-1.json'), '{}');
  await s.restart();
  assert.deepEqual(s.files(), good);
  const listed = await (await s.send({ method: 'GET', bucket: TEST_BUCKET, key, query: { uploadId } })).text();
  assert.deepEqual(xmlValues(listed, 'ETag'), [etag]);
  assert.equal(await (await s.send({ method: 'GET', bucket: TEST_BUCKET, key: 'obj' })).text(), 'kept');
});
