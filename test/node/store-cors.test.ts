// The local OSS store: bucket CORS (preflights, headers on answers and errors, rules that
// forget ETag, PutBucketCors/GetBucketCors persisted across restarts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_CORS_RULES, type CorsRule } from '../../server/store/index.js';
import { startFixture, TEST_BUCKET, xmlValue, xmlValues } from '../support/store-fixture.js';

/** What every dialect's uploads need to read (protocol.md §5). */
const EXPOSED = [
  'ETag', 'x-oss-request-id', 'x-oss-hash-crc64ecma', 'x-oss-err', 'x-obs-request-id', 'x-obs-id-2',
  'x-amz-request-id', 'x-amz-checksum-crc64nvme', 'x-amz-checksum-algorithm', 'x-amz-checksum-type', 'x-amz-version-id',
].join(', ');
const EXPOSED_BUT_ETAG = EXPOSED.replace('ETag, ', '');

const ORIGIN = 'https://app.example.com';

function preflight(url: string, bucket: string, headers: Record<string, string>) {
  return fetch(`${url}/${bucket}/some/key`, { method: 'OPTIONS', headers });
}

test('preflights are answered from the default rules', async (t) => {
  const s = await startFixture();
  t.after(() => s.close());
  const res = await preflight(s.url, TEST_BUCKET, {
    Origin: ORIGIN, 'Access-Control-Request-Method': 'PUT',
    'Access-Control-Request-Headers': 'authorization, content-type, x-oss-date, x-oss-security-token',
  });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('access-control-allow-origin'), '*');
  assert.equal(res.headers.get('access-control-allow-methods'), 'GET, PUT, POST, DELETE, HEAD');
  assert.equal(res.headers.get('access-control-allow-headers'), 'authorization, content-type, x-oss-date, x-oss-security-token');
  assert.equal(res.headers.get('access-control-expose-headers'), EXPOSED);
  assert.equal(res.headers.get('vary'), 'Origin');
  assert.match(res.headers.get('x-oss-request-id') ?? '', /^[0-9A-F]{24}$/);

  const put = await s.send({ method: 'PUT', bucket: TEST_BUCKET, key: 'k', body: 'x', headers: { 'Content-Type': 'text/plain', Origin: ORIGIN } });
  assert.equal(put.status, 200);
  assert.equal(put.headers.get('access-control-allow-origin'), '*');
  assert.equal(put.headers.get('access-control-expose-headers'), EXPOSED);
  // Error answers carry them too, so the browser can read the error.
  const missing = await s.send({ method: 'GET', bucket: TEST_BUCKET, key: 'none', headers: { Origin: ORIGIN } });
  assert.equal(missing.status, 404);
  assert.equal(missing.headers.get('access-control-allow-origin'), '*');
  assert.equal(missing.headers.get('access-control-expose-headers'), EXPOSED);
});

test('a preflight no rule allows is 403 AccessForbidden', async (t) => {
  const rules: CorsRule[] = [{
    AllowedOrigin: ['https://*.example.com'], AllowedMethod: ['PUT', 'GET'], AllowedHeader: ['x-oss-*', 'content-type', 'authorization'],
    ExposeHeader: ['ETag'], MaxAgeSeconds: 600,
  }];
  const s = await startFixture({ buckets: [{ name: TEST_BUCKET, cors: rules }] });
  t.after(() => s.close());
  const ok = await preflight(s.url, TEST_BUCKET, { Origin: ORIGIN, 'Access-Control-Request-Method': 'PUT', 'Access-Control-Request-Headers': 'X-OSS-Date,Content-Type' });
  assert.equal(ok.status, 200);
  assert.equal(ok.headers.get('access-control-allow-origin'), ORIGIN);
  assert.equal(ok.headers.get('access-control-max-age'), '600');
  assert.equal(ok.headers.get('access-control-allow-headers'), 'x-oss-date, content-type');

  const refused: Record<string, string>[] = [
    { Origin: 'https://evil.test', 'Access-Control-Request-Method': 'PUT' },
    { Origin: ORIGIN, 'Access-Control-Request-Method': 'DELETE' },
    { Origin: ORIGIN, 'Access-Control-Request-Method': 'PUT', 'Access-Control-Request-Headers': 'x-custom' },
    { 'Access-Control-Request-Method': 'PUT' },
  ];
  for (const headers of refused) {
    const res = await preflight(s.url, TEST_BUCKET, headers);
    assert.equal(res.status, 403, JSON.stringify(headers));
    const xml = await res.text();
    assert.equal(xmlValue(xml, 'Code'), 'AccessForbidden');
    assert.equal(xmlValue(xml, 'RequestId'), res.headers.get('x-oss-request-id'));
    assert.equal(res.headers.get('access-control-allow-origin'), null);
  }
  // An actual request from a foreign origin gets no CORS headers (the browser will block it).
  const foreign = await s.send({ method: 'GET', bucket: TEST_BUCKET, key: 'x', headers: { Origin: 'https://evil.test' } });
  assert.equal(foreign.headers.get('access-control-allow-origin'), null);
});

test('a bucket whose rules forget ETag works, and does not expose it', async (t) => {
  const noEtag = DEFAULT_CORS_RULES.map((r) => ({ ...r, ExposeHeader: r.ExposeHeader.filter((h) => h !== 'ETag') }));
  const s = await startFixture({ buckets: [{ name: TEST_BUCKET, cors: noEtag }] });
  t.after(() => s.close());
  const pre = await preflight(s.url, TEST_BUCKET, { Origin: ORIGIN, 'Access-Control-Request-Method': 'PUT' });
  assert.equal(pre.status, 200);
  assert.equal(pre.headers.get('access-control-expose-headers'), EXPOSED_BUT_ETAG);
  const put = await s.send({ method: 'PUT', bucket: TEST_BUCKET, key: 'k', body: 'x', headers: { 'Content-Type': 'text/plain', Origin: ORIGIN } });
  assert.equal(put.status, 200);
  assert.ok(put.headers.get('etag'));
  assert.equal(put.headers.get('access-control-expose-headers'), EXPOSED_BUT_ETAG);
});

test('PutBucketCors / GetBucketCors, persisted across a restart', async (t) => {
  const s = await startFixture();
  t.after(() => s.close());
  const xml = '<?xml version="1.0" encoding="UTF-8"?><CORSConfiguration>' +
    '<CORSRule><AllowedOrigin>https://a.test</AllowedOrigin><AllowedMethod>PUT</AllowedMethod><AllowedMethod>GET</AllowedMethod>' +
    '<AllowedHeader>*</AllowedHeader><ExposeHeader>ETag</ExposeHeader><MaxAgeSeconds>100</MaxAgeSeconds></CORSRule>' +
    '<ResponseVary>false</ResponseVary></CORSConfiguration>';
  const put = await s.send({ method: 'PUT', bucket: TEST_BUCKET, query: { cors: '' }, body: xml, headers: { 'Content-Type': 'application/xml' } });
  assert.equal(put.status, 200, await put.text());
  await s.restart();
  const get = await s.send({ method: 'GET', bucket: TEST_BUCKET, query: { cors: '' } });
  const text = await get.text();
  assert.equal(get.status, 200, text);
  assert.deepEqual(xmlValues(text, 'AllowedOrigin'), ['https://a.test']);
  assert.deepEqual(xmlValues(text, 'AllowedMethod'), ['PUT', 'GET']);
  assert.equal(xmlValue(text, 'MaxAgeSeconds'), '100');
  const pre = await preflight(s.url, TEST_BUCKET, { Origin: ORIGIN, 'Access-Control-Request-Method': 'PUT' });
  assert.equal(pre.status, 403);
  const pre2 = await preflight(s.url, TEST_BUCKET, { Origin: 'https://a.test', 'Access-Control-Request-Method': 'PUT' });
  assert.equal(pre2.status, 200);

  const bad = await s.send({
    method: 'PUT', bucket: TEST_BUCKET, query: { cors: '' }, headers: { 'Content-Type': 'application/xml' },
    body: '<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>PATCH</AllowedMethod></CORSRule></CORSConfiguration>',
  });
  assert.equal(xmlValue(await bad.text(), 'Code'), 'InvalidArgument');
  const malformed = await s.send({ method: 'PUT', bucket: TEST_BUCKET, query: { cors: '' }, headers: { 'Content-Type': 'application/xml' }, body: '<CORSConfiguration>' });
  assert.equal(xmlValue(await malformed.text(), 'Code'), 'MalformedXML');

  assert.equal((await s.send({ method: 'DELETE', bucket: TEST_BUCKET, query: { cors: '' } })).status, 204);
  const none = await s.send({ method: 'GET', bucket: TEST_BUCKET, query: { cors: '' } });
  assert.equal(xmlValue(await none.text(), 'Code'), 'NoSuchCORSConfiguration');
});
