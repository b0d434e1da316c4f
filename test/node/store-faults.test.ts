// The store's fault mode (server/store/faults/): off by default; each fault does what it says
// to requests signed with temporary credentials, and is counted; the root key is never
// faulted; the same seed gives the same faults.
import { test } from 'node:test';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { FAULT_KINDS, faultConfigFromEnv, FaultInjector, type FaultKind } from '../../server/store/faults/index.js';
import { startStore } from '../../server/store/index.js';
import { LocalSts } from '../../server/sts/local-sts.js';
import type { RamPolicy } from '../../server/sts/ram-policy.js';
import { signedFetch } from '../support/signed-fetch.js';
import { startFixture, TEST_BUCKET, TEST_ROOT, xmlValue, type StoreFixture } from '../support/store-fixture.js';

const policy: RamPolicy = {
  Version: '1',
  Statement: [
    { Effect: 'Allow', Action: ['oss:*'], Resource: [`acs:oss:*:*:${TEST_BUCKET}/*`] },
    { Effect: 'Allow', Action: ['oss:ListMultipartUploads'], Resource: [`acs:oss:*:*:${TEST_BUCKET}`] },
  ],
};
const BIN = { 'Content-Type': 'application/octet-stream' };

async function withFault(kind: FaultKind, body: (s: StoreFixture, creds: ReturnType<StoreFixture['token']>) => Promise<void>, extra = {}) {
  const s = await startFixture({ faults: { rates: { [kind]: 1 }, seed: 7, stallMs: 300, slowMs: [300, 300], ...extra } });
  try {
    await body(s, s.token(policy));
  } finally {
    await s.close();
  }
}

async function rootGet(s: StoreFixture, key: string) {
  return s.send({ method: 'GET', bucket: TEST_BUCKET, key });
}

async function initiateAsRoot(s: StoreFixture, key: string): Promise<string> {
  const res = await s.send({ method: 'POST', bucket: TEST_BUCKET, key, query: { uploads: '' }, headers: BIN });
  return xmlValue(await res.text(), 'UploadId')!;
}

async function uploadsAt(s: StoreFixture, key: string): Promise<number> {
  const xml = await (await s.send({ method: 'GET', bucket: TEST_BUCKET, query: { uploads: '', prefix: key } })).text();
  return (xml.match(/<UploadId>/g) ?? []).length;
}

test('off by default; the environment turns it on with a total rate or named faults', () => {
  assert.equal(faultConfigFromEnv({}), undefined);
  assert.equal(faultConfigFromEnv({ STORE_FAULTS: '0' }), undefined);
  const mixed = faultConfigFromEnv({ STORE_FAULTS: '0.1', STORE_FAULT_SEED: '42', STORE_FAULT_STALL_MS: '5000' })!;
  assert.equal(mixed.seed, 42);
  assert.equal(mixed.stallMs, 5000);
  assert.deepEqual(Object.keys(mixed.rates).sort(), [...FAULT_KINDS].sort());
  const { 'lost-complete-answer': lostComplete, 'lost-initiate-answer': lostInitiate, ...common } = mixed.rates;
  assert.ok(Math.abs(Object.values(common).reduce((a, b) => a + b, 0) - 0.1) < 1e-9, 'faults any request can get: 10 % in all');
  assert.equal(lostComplete, 0.05);
  assert.equal(lostInitiate, 0.05);
  assert.deepEqual(faultConfigFromEnv({ STORE_FAULTS: 'stall:0.01,slow-down:0.2' })!.rates, { stall: 0.01, 'slow-down': 0.2 });
  assert.throws(() => faultConfigFromEnv({ STORE_FAULTS: 'meteor:0.1' }), /unknown fault/);
  assert.throws(() => new FaultInjector({ rates: { stall: 0.8, slow: 0.8 } }), /more than 1/);
});

test('a store without faults answers normally, and the root key is never faulted', async () => {
  const plain = await startFixture();
  try {
    const creds = plain.token(policy);
    const put = await plain.send({ method: 'PUT', bucket: TEST_BUCKET, key: 'a.bin', body: 'x', headers: BIN }, creds);
    assert.equal(put.status, 200);
  } finally {
    await plain.close();
  }
  await withFault('internal-error', async (s, creds) => {
    assert.equal((await s.send({ method: 'PUT', bucket: TEST_BUCKET, key: 'r.bin', body: 'x', headers: BIN })).status, 200);
    const faulted = await s.send({ method: 'PUT', bucket: TEST_BUCKET, key: 'r.bin', body: 'x', headers: BIN }, creds);
    assert.equal(faulted.status, 500);
    assert.equal(xmlValue(await faulted.text(), 'Code'), 'InternalError');
  });
});

test('500, 503 SlowDown and 429 are answered in the dialect, with CORS headers, before anything is stored', async () => {
  for (const [kind, status, code] of [['internal-error', 500, 'InternalError'], ['slow-down', 503, 'SlowDown'], ['too-many-requests', 429, 'TooManyRequests']] as const) {
    await withFault(kind, async (s, creds) => {
      for (const version of ['v4', 'obs', 's3'] as const) {
        const res = await s.send({ method: 'PUT', bucket: TEST_BUCKET, key: `k-${version}`, body: 'hello', headers: { ...BIN, Origin: 'http://127.0.0.1:5173' }, version }, creds);
        assert.equal(res.status, status, `${kind} ${version}`);
        // With the bucket's CORS headers, or a browser would see a network error instead.
        assert.equal(res.headers.get('access-control-allow-origin'), '*');
        assert.equal(xmlValue(await res.text(), 'Code'), code);
        assert.equal((await rootGet(s, `k-${version}`)).status, 404);
      }
    });
  }
});

test('expired-token refuses valid credentials as expired, in each dialect\'s words', async () => {
  await withFault('expired-token', async (s, creds) => {
    const oss = await s.send({ method: 'HEAD', bucket: TEST_BUCKET, key: 'x' }, creds);
    assert.equal(oss.status, 403);
    assert.equal(xmlValue(Buffer.from(oss.headers.get('x-oss-err')!, 'base64').toString(), 'Code'), 'SecurityTokenExpired');
    const s3 = await s.send({ method: 'GET', bucket: TEST_BUCKET, key: 'x', version: 's3' }, creds);
    assert.equal(s3.status, 400);
    assert.equal(xmlValue(await s3.text(), 'Code'), 'ExpiredToken');
  });
});

test('reset-mid-body cuts the connection after part of the body; nothing is stored', async () => {
  await withFault('reset-mid-body', async (s, creds) => {
    await assert.rejects(s.send({ method: 'PUT', bucket: TEST_BUCKET, key: 'big.bin', body: new Uint8Array(4 << 20), headers: BIN }, creds));
    assert.equal((await rootGet(s, 'big.bin')).status, 404);
  });
});

test('stall holds the request for stallMs, then drops it; slow delays, then answers', async () => {
  await withFault('stall', async (s, creds) => {
    const t0 = Date.now();
    await assert.rejects(s.send({ method: 'PUT', bucket: TEST_BUCKET, key: 's.bin', body: 'x', headers: BIN }, creds));
    assert.ok(Date.now() - t0 >= 280);
    assert.equal((await rootGet(s, 's.bin')).status, 404);
  });
  await withFault('slow', async (s, creds) => {
    const t0 = Date.now();
    const res = await s.send({ method: 'PUT', bucket: TEST_BUCKET, key: 's.bin', body: 'x', headers: BIN }, creds);
    assert.equal(res.status, 200);
    assert.ok(Date.now() - t0 >= 280);
  });
});

test('clock-skew jumps the store\'s clock 20 minutes ahead for a while: its own check refuses, with the jumped ServerTime', async () => {
  await withFault('clock-skew', async (s, creds) => {
    const res = await s.send({ method: 'PUT', bucket: TEST_BUCKET, key: 'k.bin', body: 'x', headers: BIN }, creds);
    assert.equal(res.status, 403);
    const xml = await res.text();
    assert.equal(xmlValue(xml, 'Code'), 'RequestTimeTooSkewed');
    const ahead = Date.parse(xmlValue(xml, 'ServerTime')!) - Date.now();
    assert.ok(ahead > 19 * 60_000 && ahead < 21 * 60_000, `ServerTime ${ahead} ms ahead`);
    // Signed with the store's jumped time, the same request passes.
    const fixed = await s.send({ method: 'PUT', bucket: TEST_BUCKET, key: 'k.bin', body: 'x', headers: BIN, now: new Date(Date.now() + 20 * 60_000) }, creds);
    assert.equal(fixed.status, 200);
  }, { skewWindowMs: 5000 });
});

test('corrupt-checksum corrupts x-oss-hash-crc64ecma, x-amz-checksum-crc64nvme, and the OBS ETag; the stored object is intact', async () => {
  await withFault('corrupt-checksum', async (s, creds) => {
    const body = 'hello, faults';
    const oss = await s.send({ method: 'PUT', bucket: TEST_BUCKET, key: 'o.txt', body, headers: BIN }, creds);
    const truth = await s.send({ method: 'HEAD', bucket: TEST_BUCKET, key: 'o.txt' });
    assert.notEqual(oss.headers.get('x-oss-hash-crc64ecma'), truth.headers.get('x-oss-hash-crc64ecma'));
    assert.equal(oss.headers.get('etag'), truth.headers.get('etag'));

    const s3 = await s.send({ method: 'PUT', bucket: TEST_BUCKET, key: 's.txt', body, version: 's3', headers: { ...BIN, 'x-amz-checksum-algorithm': 'CRC64NVME' } }, creds);
    const s3Truth = await s.send({ method: 'HEAD', bucket: TEST_BUCKET, key: 's.txt', version: 's3', headers: { 'x-amz-checksum-mode': 'ENABLED' } });
    assert.ok(s3.headers.get('x-amz-checksum-crc64nvme'));
    assert.notEqual(s3.headers.get('x-amz-checksum-crc64nvme'), s3Truth.headers.get('x-amz-checksum-crc64nvme'));

    const obs = await s.send({ method: 'PUT', bucket: TEST_BUCKET, key: 'b.txt', body, version: 'obs', headers: BIN }, creds);
    const obsTruth = await s.send({ method: 'HEAD', bucket: TEST_BUCKET, key: 'b.txt', version: 'obs' });
    assert.notEqual(obs.headers.get('etag'), obsTruth.headers.get('etag'));
    assert.equal(await (await rootGet(s, 'b.txt')).text(), body);
  });
});

test('lost answers: the part, the object and the upload exist on the store, though the client heard nothing', async () => {
  await withFault('lost-part-answer', async (s, creds) => {
    await assert.rejects(s.send({ method: 'PUT', bucket: TEST_BUCKET, key: 'p.bin', body: 'committed', headers: BIN }, creds));
    assert.equal(await (await rootGet(s, 'p.bin')).text(), 'committed');
    const uploadId = await initiateAsRoot(s, 'm.bin');
    await assert.rejects(s.send({ method: 'PUT', bucket: TEST_BUCKET, key: 'm.bin', query: { partNumber: '1', uploadId }, body: 'part', headers: BIN }, creds));
    const parts = await (await s.send({ method: 'GET', bucket: TEST_BUCKET, key: 'm.bin', query: { uploadId } })).text();
    assert.equal(xmlValue(parts, 'PartNumber'), '1');
  });
  await withFault('lost-initiate-answer', async (s, creds) => {
    await assert.rejects(s.send({ method: 'POST', bucket: TEST_BUCKET, key: 'i.bin', query: { uploads: '' }, headers: BIN }, creds));
    assert.equal(await uploadsAt(s, 'i.bin'), 1);
  });
  await withFault('lost-complete-answer', async (s, creds) => {
    const uploadId = await initiateAsRoot(s, 'c.bin');
    const part = await s.send({ method: 'PUT', bucket: TEST_BUCKET, key: 'c.bin', query: { partNumber: '1', uploadId }, body: 'only part', headers: BIN });
    const xml = `<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>${part.headers.get('etag')}</ETag></Part></CompleteMultipartUpload>`;
    await assert.rejects(s.send({ method: 'POST', bucket: TEST_BUCKET, key: 'c.bin', query: { uploadId }, body: xml, headers: { 'Content-Type': 'application/xml' } }, creds));
    assert.equal(await (await rootGet(s, 'c.bin')).text(), 'only part');
    assert.equal(await uploadsAt(s, 'c.bin'), 0);
  });
});

test('every fault is counted, by kind and operation; the same seed gives the same faults', async () => {
  const run = async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'oss-faults-'));
    const sts = new LocalSts(randomBytes(32));
    const store = await startStore({
      dataDir, sts, root: TEST_ROOT, port: 0, buckets: [{ name: TEST_BUCKET }],
      faults: { rates: { 'internal-error': 0.3, 'slow-down': 0.3 }, seed: 99 },
    });
    const c = sts.mint(policy, 3600);
    const creds = { accessKeyId: c.AccessKeyId, accessKeySecret: c.AccessKeySecret, securityToken: c.SecurityToken };
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) statuses.push((await signedFetch(store.url, creds, { method: 'HEAD', bucket: TEST_BUCKET, key: 'none' })).status);
    await signedFetch(store.url, TEST_ROOT, { method: 'HEAD', bucket: TEST_BUCKET, key: 'none' });
    const counts = store.faults!.snapshot();
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
    return { statuses, counts };
  };
  const a = await run();
  const b = await run();
  assert.deepEqual(a.statuses, b.statuses);
  const count = (n: number) => a.statuses.filter((x) => x === n).length;
  assert.equal(count(500) + count(503) + count(404), 30);
  assert.ok(count(500) > 3 && count(503) > 3, `500: ${count(500)}, 503: ${count(503)}`);
  assert.equal(a.counts.seen, 30, 'the root key\'s request is not looked at');
  assert.equal(a.counts.byKind['internal-error'], count(500));
  assert.equal(a.counts.byKind['slow-down'], count(503));
  assert.equal(a.counts.byOperation['HeadObject:internal-error'], count(500));
});
