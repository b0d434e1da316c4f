// Proof by the vendor's own client: the AWS SDK v3 S3 client drives the local store with
// SigV4 signatures and STS credentials from the token endpoint (`?dialect=s3`), including
// CRC-64/NVME checksums on PutObject and on a FULL_OBJECT multipart upload.
//
// SDK notes: with a Buffer body the client signs the payload's real SHA-256 (over http) and
// sends `x-amz-checksum-crc64nvme` as a header (no aws-chunked trailer), so the store checks
// both; the region it signs with is the token answer's `region`, the store's own.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AbortMultipartUploadCommand, CompleteMultipartUploadCommand, CreateMultipartUploadCommand, GetObjectCommand,
  HeadObjectCommand, ListPartsCommand, PutObjectCommand, S3Client, S3ServiceException, UploadPartCommand,
  type CompletedPart,
} from '@aws-sdk/client-s3';
import { crc64 } from 'hash-wasm';
import { startLocalBackend, type LocalBackend } from '../../server/local-backend.js';
import { startTokenServer, type TokenServer } from '../../server/token/index.js';

const KiB = 1024;
const MiB = 1024 * KiB;
const T = { timeout: 60_000 };
let backend: LocalBackend;
let token: TokenServer;
let dir: string;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 's3-sdk-test-'));
  backend = await startLocalBackend({ OSS_UPLOADER_DATA: join(dir, 'data') }, { storePort: 0 });
  token = await startTokenServer({ ...backend.tokenOptions(), port: 0, log: () => undefined });
});

after(async () => {
  await token.close();
  await backend.close();
  rmSync(dir, { recursive: true, force: true });
});

const clients: S3Client[] = [];
after(() => clients.forEach((c) => c.destroy()));

async function s3Client(user: string): Promise<{ s3: S3Client; Bucket: string; prefix: string }> {
  const res = await fetch(`${token.url}?user=${user}&dialect=s3`);
  assert.equal(res.status, 200);
  const c = await res.json();
  assert.equal(c.dialect, 's3');
  const s3 = new S3Client({
    endpoint: c.endpoint,
    region: c.region,
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    credentials: { accessKeyId: c.AccessKeyId, secretAccessKey: c.AccessKeySecret, sessionToken: c.SecurityToken },
    maxAttempts: 1,
  });
  clients.push(s3);
  return { s3, Bucket: c.bucket, prefix: c.keyPrefix };
}

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const md5Etag = (b: Buffer) => `"${createHash('md5').update(b).digest('hex')}"`;
/** S3's form of CRC-64/NVME: base64 of the 8 big-endian bytes. */
const crc64nvme = async (b: Buffer) => Buffer.from(await crc64(b, '9a6c9329ac4bc9b5'), 'hex').toString('base64');

async function download(s3: S3Client, Bucket: string, Key: string): Promise<Uint8Array> {
  const r = await s3.send(new GetObjectCommand({ Bucket, Key }));
  return r.Body!.transformToByteArray();
}

/** The S3 error a call fails with: its code and HTTP status. */
async function failure(call: Promise<unknown>): Promise<[string, number | undefined]> {
  try {
    await call;
  } catch (e) {
    assert.ok(e instanceof S3ServiceException, String(e));
    assert.ok(e.$metadata.requestId, 'x-amz-request-id');
    return [e.name, e.$metadata.httpStatusCode];
  }
  assert.fail('the call succeeded');
}

async function uploadParts(s3: S3Client, Bucket: string, Key: string, UploadId: string, parts: Buffer[], checksum = false) {
  const done: CompletedPart[] = [];
  for (const [i, Body] of parts.entries()) {
    const r = await s3.send(new UploadPartCommand({
      Bucket, Key, UploadId, PartNumber: i + 1, Body, ...(checksum ? { ChecksumAlgorithm: 'CRC64NVME' as const } : {}),
    }));
    assert.equal(r.ETag, md5Etag(Body));
    if (checksum) assert.equal(r.ChecksumCRC64NVME, await crc64nvme(Body));
    done.push({ PartNumber: i + 1, ETag: r.ETag! });
  }
  return done;
}

describe('@aws-sdk/client-s3 with STS credentials, SigV4 signatures', () => {
  test('put and get', T, async () => {
    const { s3, Bucket, prefix } = await s3Client('s3-alice');
    const Body = randomBytes(300 * KiB);
    const put = await s3.send(new PutObjectCommand({ Bucket, Key: `${prefix}small.bin`, Body, ContentType: 'application/octet-stream' }));
    assert.equal(put.ETag, md5Etag(Body));
    assert.equal(sha(await download(s3, Bucket, `${prefix}small.bin`)), sha(Body));
  });

  test('PutObject with a CRC64NVME checksum: verified, echoed, returned by HeadObject; a wrong one is BadDigest', T, async () => {
    const { s3, Bucket, prefix } = await s3Client('s3-alice');
    const Body = randomBytes(123 * KiB);
    const put = await s3.send(new PutObjectCommand({ Bucket, Key: `${prefix}crc.bin`, Body, ChecksumAlgorithm: 'CRC64NVME' }));
    assert.equal(put.ChecksumCRC64NVME, await crc64nvme(Body));
    const head = await s3.send(new HeadObjectCommand({ Bucket, Key: `${prefix}crc.bin`, ChecksumMode: 'ENABLED' }));
    assert.equal(head.ChecksumCRC64NVME, put.ChecksumCRC64NVME);
    const wrong = await crc64nvme(randomBytes(8));
    assert.deepEqual(await failure(s3.send(new PutObjectCommand({ Bucket, Key: `${prefix}crc2.bin`, Body, ChecksumCRC64NVME: wrong }))), ['BadDigest', 400]);
  });

  test('multipart with a FULL_OBJECT CRC64NVME: parts, ListParts across pages, Complete checked and echoed', T, async () => {
    const { s3, Bucket, prefix } = await s3Client('s3-alice');
    const Key = `${prefix}big.bin`;
    const parts = [randomBytes(5 * MiB), randomBytes(5 * MiB + 3), randomBytes(17 * KiB)];
    const whole = Buffer.concat(parts);
    const init = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key, ChecksumAlgorithm: 'CRC64NVME', ChecksumType: 'FULL_OBJECT' }));
    assert.deepEqual([init.ChecksumAlgorithm, init.ChecksumType], ['CRC64NVME', 'FULL_OBJECT']);
    const UploadId = init.UploadId!;
    const done = await uploadParts(s3, Bucket, Key, UploadId, parts, true);

    const listed = [];
    let marker: string | undefined;
    for (let page = 0; page < 5; page++) {
      const r = await s3.send(new ListPartsCommand({ Bucket, Key, UploadId, MaxParts: 2, ...(marker ? { PartNumberMarker: marker } : {}) }));
      listed.push(...(r.Parts ?? []));
      if (!r.IsTruncated) break;
      marker = r.NextPartNumberMarker;
    }
    assert.deepEqual(listed.map((p) => [p.PartNumber, p.ETag, p.Size]), done.map((d, i) => [d.PartNumber, d.ETag, parts[i]!.length]));

    const full = await crc64nvme(whole);
    const wrong = await crc64nvme(parts[0]!);
    assert.deepEqual(await failure(s3.send(new CompleteMultipartUploadCommand({
      Bucket, Key, UploadId, MultipartUpload: { Parts: done }, ChecksumCRC64NVME: wrong, ChecksumType: 'FULL_OBJECT',
    }))), ['BadDigest', 400]);
    const complete = await s3.send(new CompleteMultipartUploadCommand({
      Bucket, Key, UploadId, MultipartUpload: { Parts: done }, ChecksumCRC64NVME: full, ChecksumType: 'FULL_OBJECT',
    }));
    assert.equal(complete.ChecksumCRC64NVME, full);
    assert.match(complete.ETag!, /^"[0-9a-f]{32}-3"$/);
    assert.equal(sha(await download(s3, Bucket, Key)), sha(whole));
    const head = await s3.send(new HeadObjectCommand({ Bucket, Key, ChecksumMode: 'ENABLED' }));
    assert.equal(head.ChecksumCRC64NVME, full);
  });

  test('Complete with a part under 5 MiB that is not the last is EntityTooSmall', T, async () => {
    const { s3, Bucket, prefix } = await s3Client('s3-alice');
    const Key = `${prefix}small-parts.bin`;
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key }));
    const done = await uploadParts(s3, Bucket, Key, UploadId!, [randomBytes(5 * MiB - 1), randomBytes(10)]);
    assert.deepEqual(await failure(s3.send(new CompleteMultipartUploadCommand({ Bucket, Key, UploadId, MultipartUpload: { Parts: done } }))),
      ['EntityTooSmall', 400]);
  });

  test('abort answers 204; ListParts then NoSuchUpload; another user cannot abort', T, async () => {
    const { s3, Bucket, prefix } = await s3Client('s3-bob');
    const Key = `${prefix}aborted.bin`;
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key }));
    await uploadParts(s3, Bucket, Key, UploadId!, [randomBytes(10 * KiB)]);

    const eve = await s3Client('s3-eve');
    assert.deepEqual(await failure(eve.s3.send(new AbortMultipartUploadCommand({ Bucket, Key, UploadId }))), ['AccessDenied', 403]);

    const abort = await s3.send(new AbortMultipartUploadCommand({ Bucket, Key, UploadId }));
    assert.equal(abort.$metadata.httpStatusCode, 204);
    assert.deepEqual(await failure(s3.send(new ListPartsCommand({ Bucket, Key, UploadId }))), ['NoSuchUpload', 404]);
  });
});
