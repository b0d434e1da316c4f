// Pure pieces of the engine, in Node: XML reading, part planning, URLs, backoff, refresh timing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseXml, childText, childrenNamed, leaves, escapeXml } from '../../src/core/xml.js';
import { planParts, partRange } from '../../src/core/part-plan.js';
import { needsRefresh } from '../../src/core/credentials.js';
import { UploadError } from '../../src/core/errors.js';
import { GiB, MiB, MAX_PART_NUMBER } from '../../src/core/limits.js';
import { OSS_MIN_PART_SIZE } from '../../src/core/dialects/oss/dialect.js';
import { defaultKeyFor } from '../../src/core/upload-client.js';

test('XML: reads an OSS error with entities and CDATA', () => {
  const el = parseXml('<?xml version="1.0" encoding="UTF-8"?>\n<Error>\n  <Code>SignatureDoesNotMatch</Code>\n  <Message>a &lt;b&gt; &amp; &#x4e2d;&#25991;</Message>\n  <StringToSign><![CDATA[PUT\n\n]]></StringToSign>\n</Error>');
  assert.equal(el.name, 'Error');
  assert.deepEqual(leaves(el), { Code: 'SignatureDoesNotMatch', Message: 'a <b> & 中文', StringToSign: 'PUT' });
});

test('XML: reads ListParts pages', () => {
  const el = parseXml('<ListPartsResult xmlns="x"><IsTruncated>true</IsTruncated><NextPartNumberMarker>2</NextPartNumberMarker><Part><PartNumber>1</PartNumber><ETag>"A"</ETag><Size>5</Size></Part><Part><PartNumber>2</PartNumber><ETag>&quot;B&quot;</ETag><Size>6</Size></Part><Empty/></ListPartsResult>');
  assert.equal(childText(el, 'IsTruncated'), 'true');
  assert.deepEqual(childrenNamed(el, 'Part').map((p) => childText(p, 'ETag')), ['"A"', '"B"']);
});

test('XML: rejects malformed documents', () => {
  for (const bad of ['<A><B></A>', '<A>', '<A></A><B></B>', 'plain text', '<A>x < y</A>']) {
    assert.throws(() => parseXml(bad), (e: unknown) => e instanceof UploadError && e.code === 'MalformedResponse', bad);
  }
});

test('XML: escapes what it writes', () => {
  assert.equal(escapeXml(`"E"<&>'`), '&quot;E&quot;&lt;&amp;&gt;&apos;');
});

test('part plan: respects the 100 KiB floor, the 10,000-part ceiling and the 5 GiB part limit', () => {
  assert.deepEqual(planParts(0, OSS_MIN_PART_SIZE), { partSize: 8 * MiB, size: 0, partCount: 1 });
  assert.equal(planParts(10 * MiB, OSS_MIN_PART_SIZE, 1).partSize, OSS_MIN_PART_SIZE);
  const huge = planParts(200 * GiB, OSS_MIN_PART_SIZE, 8 * MiB);
  assert.ok(huge.partCount <= MAX_PART_NUMBER);
  assert.equal(huge.partSize % MiB, 0);
  assert.throws(() => planParts(60_000 * GiB, OSS_MIN_PART_SIZE), /5 GiB/);
  const plan = planParts(250, 100, 100);
  assert.deepEqual([1, 2, 3].map((n) => partRange(plan, n)), [{ start: 0, end: 100 }, { start: 100, end: 200 }, { start: 200, end: 250 }]);
});

test('credentials are refreshed a quarter-lifetime (at most 5 min) before expiry', () => {
  const c = { accessKeyId: 'a', accessKeySecret: 's', expiration: new Date(3_600_000) };
  assert.equal(needsRefresh(c, 0, 3_600_000 - 5 * 60_000 - 1), false);
  assert.equal(needsRefresh(c, 0, 3_600_000 - 5 * 60_000), true);
  const short = { ...c, expiration: new Date(4000) };
  assert.equal(needsRefresh(short, 0, 2999), false);
  assert.equal(needsRefresh(short, 0, 3000), true);
});

test('default keys keep folders but drop . and .. segments', () => {
  const t = { endpoint: 'http://x', bucket: 'b', region: 'r', keyPrefix: 'uploads/u/' };
  assert.equal(defaultKeyFor({ name: 'a.txt', webkitRelativePath: 'dir/sub/a.txt' } as File, t), 'uploads/u/dir/sub/a.txt');
  assert.equal(defaultKeyFor({ name: '../../etc/passwd' } as File, t), 'uploads/u/etc/passwd');
});
