// Against a real S3 engine (Ceph RGW 16, scripts/rgw/start.sh) with credentials from the
// token endpoint in S3 mode (a real STS AssumeRole with a session policy for uploads/<user>/*):
// the AWS SDK and our own SigV4 signer upload, read back, do multipart, ListParts, abort;
// the session policy is enforced; the bucket's CORS answers a browser's preflight.
//
// Where Ceph 16.2 differs from AWS S3 is asserted here as it is (tests named "Ceph 16:").
import { after, before, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand, CompleteMultipartUploadCommand, CreateMultipartUploadCommand,
  DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, ListPartsCommand,
  PutObjectCommand, S3Client, S3ServiceException, UploadPartCommand,
} from '@aws-sdk/client-s3';
import { s3Fetch, xmlText } from '../../scripts/rgw/s3-fetch.js';
import { IssuerError, S3StsIssuer, uploadPolicy } from '../../server/token/index.js';
import type { SigningCredentials } from '../../src/core/signing/request.js';
import { useRgw, type Rgw } from '../support/rgw.js';

const MiB = 1024 * 1024;
let rgw: Rgw | { skip: string };

before(async () => {
  rgw = await useRgw();
});
after(async () => {
  if (rgw && !('skip' in rgw)) await rgw.release();
});

function ready(t: TestContext): Rgw | undefined {
  if ('skip' in rgw) {
    t.skip(rgw.skip);
    return undefined;
  }
  return rgw;
}

interface Token {
  AccessKeyId: string; AccessKeySecret: string; SecurityToken: string; Expiration: string;
  endpoint: string; bucket: string; region: string; keyPrefix: string; dialect: string;
}

async function token(r: Rgw, user: string): Promise<{ body: Token; res: Response }> {
  const res = await fetch(`${r.tokenUrl}?user=${user}`);
  assert.equal(res.status, 200, await res.clone().text());
  return { body: (await res.json()) as Token, res };
}

function client(t: Token, extra: Partial<ConstructorParameters<typeof S3Client>[0]> = {}): S3Client {
  return new S3Client({
    endpoint: t.endpoint,
    region: t.region,
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    credentials: { accessKeyId: t.AccessKeyId, secretAccessKey: t.AccessKeySecret, sessionToken: t.SecurityToken },
    ...extra,
  });
}

function creds(t: Token): SigningCredentials {
  return { accessKeyId: t.AccessKeyId, accessKeySecret: t.AccessKeySecret, securityToken: t.SecurityToken };
}

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const md5 = (b: Uint8Array) => createHash('md5').update(b).digest();

async function errorOf(p: Promise<unknown>): Promise<{ name: string; status: number | undefined }> {
  try {
    await p;
  } catch (err) {
    if (err instanceof S3ServiceException) return { name: err.name, status: err.$metadata.httpStatusCode };
    throw err;
  }
  assert.fail('expected the request to be refused');
}

test('the token endpoint in S3 mode answers STS credentials from AssumeRole, dialect s3, no-store', async (t) => {
  const r = ready(t);
  if (!r) return;
  const { body, res } = await token(r, 'alice');
  assert.equal(res.headers.get('cache-control'), 'no-store');
  assert.deepEqual(
    { endpoint: body.endpoint, bucket: body.bucket, region: body.region, keyPrefix: body.keyPrefix, dialect: body.dialect },
    { endpoint: r.env.S3_ENDPOINT, bucket: r.env.RGW_BUCKET, region: r.env.AWS_REGION, keyPrefix: 'uploads/alice/', dialect: 's3' },
  );
  assert.notEqual(body.AccessKeyId, r.env.AWS_ACCESS_KEY_ID, 'temporary, not the application key');
  assert.ok(body.SecurityToken.length > 100);
  const ttl = Date.parse(body.Expiration) - Date.now();
  assert.ok(ttl > 800_000 && ttl <= 900_000 + 5000, `expires in ${ttl} ms`);
  assert.match(body.Expiration, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  // S3 is this endpoint's only dialect
  assert.equal((await (await fetch(`${r.tokenUrl}?user=alice&dialect=s3`)).json()).dialect, 's3');
  const oss = await fetch(`${r.tokenUrl}?user=alice&dialect=oss`);
  assert.equal(oss.status, 400);
  assert.equal((await oss.json()).code, 'DialectUnavailable');
});

test('PutObject then GetObject with the SDK: the bytes come back (SHA-256)', async (t) => {
  const r = ready(t);
  if (!r) return;
  const { body: tok } = await token(r, 'alice');
  const s3 = client(tok);
  const data = randomBytes(3 * MiB + 17);
  const Key = `${tok.keyPrefix}put-get.bin`;
  const put = await s3.send(new PutObjectCommand({ Bucket: tok.bucket, Key, Body: data }));
  assert.equal(put.ETag, `"${md5(data).toString('hex')}"`);
  const got = await s3.send(new GetObjectCommand({ Bucket: tok.bucket, Key }));
  assert.equal(sha256(await got.Body!.transformToByteArray()), sha256(data));
});

test('our SigV4 signer (as the browser engine signs: UNSIGNED-PAYLOAD, session token) with an awkward key', async (t) => {
  const r = ready(t);
  if (!r) return;
  const { body: tok } = await token(r, 'alice');
  const key = `${tok.keyPrefix}dir/ä b+c%(1)~!*'.txt`;
  const data = randomBytes(64 * 1024);
  const put = await s3Fetch(tok.endpoint, creds(tok), {
    method: 'PUT', bucket: tok.bucket, key, body: data, region: tok.region,
    headers: { 'content-type': 'application/octet-stream' },
  });
  assert.equal(put.status, 200, await put.text());
  const got = await client(tok).send(new GetObjectCommand({ Bucket: tok.bucket, Key: key }));
  assert.equal(sha256(await got.Body!.transformToByteArray()), sha256(data));
  const ranged = await s3Fetch(tok.endpoint, creds(tok), {
    method: 'GET', bucket: tok.bucket, key, region: tok.region, headers: { range: 'bytes=0-9' },
  });
  assert.equal(ranged.status, 206);
  assert.deepEqual(new Uint8Array(await ranged.arrayBuffer()), new Uint8Array(data.subarray(0, 10)));
});

test('multipart: three parts (5 MiB, 5 MiB, 1 MiB+), completed, bytes compared; Ceph 16: Complete answers an empty ETag', async (t) => {
  const r = ready(t);
  if (!r) return;
  const { body: tok } = await token(r, 'alice');
  const s3 = client(tok);
  const Key = `${tok.keyPrefix}multipart.bin`;
  const parts = [randomBytes(5 * MiB), randomBytes(5 * MiB), randomBytes(MiB + 123)];
  const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: tok.bucket, Key }));
  assert.ok(UploadId);
  const etags = await Promise.all(parts.map(async (Body, i) => {
    const res = await s3.send(new UploadPartCommand({ Bucket: tok.bucket, Key, UploadId, PartNumber: i + 1, Body }));
    assert.equal(res.ETag, `"${md5(Body).toString('hex')}"`);
    return res.ETag!;
  }));
  const done = await s3.send(new CompleteMultipartUploadCommand({
    Bucket: tok.bucket, Key, UploadId,
    MultipartUpload: { Parts: etags.map((ETag, i) => ({ ETag, PartNumber: i + 1 })) },
  }));
  const expected = `"${md5(Buffer.concat(parts.map(md5))).toString('hex')}-3"`;
  // AWS answers the multipart ETag here; Ceph 16 answers <ETag></ETag>
  assert.ok(!done.ETag || done.ETag === '""', `Ceph 16 quirk gone? Complete ETag ${done.ETag}`);
  const head = await s3.send(new HeadObjectCommand({ Bucket: tok.bucket, Key }));
  assert.equal(head.ETag, expected);
  assert.equal(head.ContentLength, 11 * MiB + 123);
  const got = await s3.send(new GetObjectCommand({ Bucket: tok.bucket, Key }));
  assert.ok(Buffer.from(await got.Body!.transformToByteArray()).equals(Buffer.concat(parts)));
});

test('ListParts pages with MaxParts/PartNumberMarker; after Abort, Ceph 16: ListParts answers NoSuchKey (AWS: NoSuchUpload)', async (t) => {
  const r = ready(t);
  if (!r) return;
  const { body: tok } = await token(r, 'alice');
  const s3 = client(tok);
  const Key = `${tok.keyPrefix}listparts.bin`;
  const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: tok.bucket, Key }));
  for (let n = 1; n <= 5; n++) {
    await s3.send(new UploadPartCommand({ Bucket: tok.bucket, Key, UploadId, PartNumber: n, Body: randomBytes(1000 + n) }));
  }
  const seen: number[] = [];
  let marker: string | undefined;
  let pages = 0;
  for (;;) {
    const page = await s3.send(new ListPartsCommand({ Bucket: tok.bucket, Key, UploadId, MaxParts: 2, PartNumberMarker: marker }));
    pages++;
    for (const p of page.Parts ?? []) {
      seen.push(p.PartNumber!);
      assert.equal(p.Size, 1000 + p.PartNumber!);
      assert.match(p.ETag!, /^"[0-9a-f]{32}"$/);
    }
    if (!page.IsTruncated) break;
    marker = String(page.NextPartNumberMarker);
    assert.ok(pages < 10);
  }
  assert.deepEqual(seen, [1, 2, 3, 4, 5]);
  assert.equal(pages, 3);

  await s3.send(new AbortMultipartUploadCommand({ Bucket: tok.bucket, Key, UploadId }));
  assert.deepEqual(
    await errorOf(s3.send(new ListPartsCommand({ Bucket: tok.bucket, Key, UploadId }))),
    { name: 'NoSuchKey', status: 404 },
  );
  assert.deepEqual(
    await errorOf(s3.send(new UploadPartCommand({ Bucket: tok.bucket, Key, UploadId, PartNumber: 6, Body: 'x' }))),
    { name: 'NoSuchUpload', status: 404 },
  );
  assert.deepEqual(
    await errorOf(s3.send(new AbortMultipartUploadCommand({ Bucket: tok.bucket, Key, UploadId }))),
    { name: 'NoSuchUpload', status: 404 },
  );
});

test('the session policy holds: another user\'s prefix, bucket listing and delete are AccessDenied', async (t) => {
  const r = ready(t);
  if (!r) return;
  const alice = client((await token(r, 'alice')).body);
  const { body: bobTok } = await token(r, 'bob');
  const bob = client(bobTok);
  const Bucket = bobTok.bucket;
  await bob.send(new PutObjectCommand({ Bucket, Key: 'uploads/bob/mine.txt', Body: 'bob' }));
  const denied = { name: 'AccessDenied', status: 403 };
  assert.deepEqual(await errorOf(alice.send(new PutObjectCommand({ Bucket, Key: 'uploads/bob/x.txt', Body: 'x' }))), denied);
  assert.deepEqual(await errorOf(alice.send(new GetObjectCommand({ Bucket, Key: 'uploads/bob/mine.txt' }))), denied);
  assert.deepEqual(await errorOf(alice.send(new CreateMultipartUploadCommand({ Bucket, Key: 'uploads/bob/m' }))), denied);
  assert.deepEqual(await errorOf(alice.send(new PutObjectCommand({ Bucket, Key: 'elsewhere.txt', Body: 'x' }))), denied);
  assert.deepEqual(await errorOf(alice.send(new ListObjectsV2Command({ Bucket }))), denied);
  assert.deepEqual(await errorOf(bob.send(new DeleteObjectCommand({ Bucket, Key: 'uploads/bob/mine.txt' }))), denied);
  // the role itself allows s3:* on the bucket: the session policy is what narrows it
  const got = await bob.send(new GetObjectCommand({ Bucket, Key: 'uploads/bob/mine.txt' }));
  assert.equal(await got.Body!.transformToString(), 'bob');
});

test('CORS: a browser\'s preflight for PUT is answered, and the PUT exposes ETag', async (t) => {
  const r = ready(t);
  if (!r) return;
  const { body: tok } = await token(r, 'alice');
  const url = `${tok.endpoint}/${tok.bucket}/${tok.keyPrefix}cors.bin`;
  const origin = 'https://app.example.com';
  const pre = await fetch(url, {
    method: 'OPTIONS',
    headers: {
      Origin: origin,
      'Access-Control-Request-Method': 'PUT',
      'Access-Control-Request-Headers': 'authorization,content-type,x-amz-content-sha256,x-amz-date,x-amz-security-token',
    },
  });
  assert.equal(pre.status, 200);
  assert.ok(['*', origin].includes(pre.headers.get('access-control-allow-origin') ?? ''));
  assert.match(pre.headers.get('access-control-allow-methods') ?? '', /PUT/);
  assert.match(pre.headers.get('access-control-allow-headers') ?? '', /x-amz-security-token/i);
  assert.match(pre.headers.get('access-control-expose-headers') ?? '', /\bETag\b/);

  const put = await s3Fetch(tok.endpoint, creds(tok), {
    method: 'PUT', bucket: tok.bucket, key: `${tok.keyPrefix}cors.bin`, body: 'x', region: tok.region, headers: { Origin: origin },
  });
  assert.equal(put.status, 200);
  const exposed = (put.headers.get('access-control-expose-headers') ?? '').split(/\s*,\s*/);
  for (const h of ['ETag', 'x-amz-request-id', 'x-amz-checksum-crc64nvme']) assert.ok(exposed.includes(h), `${h} in ${exposed}`);
});

test('Ceph 16: a bad signature answers SignatureDoesNotMatch with STS credentials, AccessDenied with a user key; an unknown key AccessDenied', async (t) => {
  const r = ready(t);
  if (!r) return;
  const { body: tok } = await token(r, 'alice');
  const put = (c: SigningCredentials) => s3Fetch(tok.endpoint, c, {
    method: 'PUT', bucket: tok.bucket, key: `${tok.keyPrefix}bad-sig.txt`, body: 'x', region: tok.region,
  });
  const codeOf = async (res: Response) => `${res.status} ${xmlText(await res.text(), 'Code')}`;
  assert.equal(await codeOf(await put({ ...creds(tok), accessKeySecret: tok.AccessKeySecret + 'x' })), '403 SignatureDoesNotMatch');
  // AWS: SignatureDoesNotMatch, and InvalidAccessKeyId for an unknown key
  const user = { accessKeyId: r.env.AWS_ACCESS_KEY_ID, accessKeySecret: r.env.AWS_SECRET_ACCESS_KEY };
  assert.equal(await codeOf(await put({ ...user, accessKeySecret: 'wrong' })), '403 AccessDenied');
  assert.equal(await codeOf(await put({ accessKeyId: 'NOSUCHKEY0000000', accessKeySecret: 'wrong' })), '403 AccessDenied');
});

test('Ceph 16: a tampered session token is refused 400 InvalidArgument (AWS: InvalidToken)', async (t) => {
  const r = ready(t);
  if (!r) return;
  const { body: tok } = await token(r, 'alice');
  const bad = tok.SecurityToken.slice(0, 40) + (tok.SecurityToken[40] === 'A' ? 'B' : 'A') + tok.SecurityToken.slice(41);
  const res = await s3Fetch(tok.endpoint, { ...creds(tok), securityToken: bad }, {
    method: 'PUT', bucket: tok.bucket, key: `${tok.keyPrefix}bad-token.txt`, body: 'x', region: tok.region,
  });
  // AWS: 400 InvalidToken
  assert.equal(`${res.status} ${xmlText(await res.text(), 'Code')}`, '400 InvalidArgument');
});

test('Ceph 16: the SDK\'s default checksums: a streamed body (aws-chunked + trailer) is refused 411; header checksums are ignored', async (t) => {
  const r = ready(t);
  if (!r) return;
  const { body: tok } = await token(r, 'alice');
  const s3 = client(tok, { requestChecksumCalculation: 'WHEN_SUPPORTED' });
  const data = randomBytes(100_000);
  const Key = `${tok.keyPrefix}default-checksum.bin`;
  // a stream body: the SDK sends aws-chunked with an x-amz-checksum-crc32 trailer
  assert.deepEqual(
    await errorOf(s3.send(new PutObjectCommand({ Bucket: tok.bucket, Key, Body: Readable.from([data]), ContentLength: data.length }))),
    { name: 'MissingContentLength', status: 411 },
  );
  // a buffer body: the checksum goes in a header; stored, but no checksum comes back (AWS echoes it)
  const put = await s3.send(new PutObjectCommand({ Bucket: tok.bucket, Key, Body: data }));
  assert.equal(put.ChecksumCRC32, undefined);
  const got = await client(tok).send(new GetObjectCommand({ Bucket: tok.bucket, Key }));
  assert.ok(Buffer.from(await got.Body!.transformToByteArray()).equals(data));
});

test('RGW STS: refusals become IssuerError 502 with STS\'s code; an unreachable STS StsUnreachable', async (t) => {
  const r = ready(t);
  if (!r) return;
  const { env } = r;
  const base = {
    accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
    roleArn: env.RGW_ROLE_ARN, endpoint: env.S3_ENDPOINT, region: env.AWS_REGION,
  };
  const request = { user: 'alice', policy: uploadPolicy(env.RGW_BUCKET, 'uploads/alice/'), ttlSeconds: 900 };
  const refusal = async (options: typeof base, req = request) => {
    const err = await new S3StsIssuer(options).issue(req).then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof IssuerError, `expected an IssuerError, got ${String(err)}`);
    return { status: err.status, code: err.code };
  };
  const ok = await new S3StsIssuer(base).issue(request);
  assert.deepEqual(Object.keys(ok).sort(), ['AccessKeyId', 'AccessKeySecret', 'Expiration', 'SecurityToken']);
  assert.deepEqual(await refusal({ ...base, secretAccessKey: 'wrong' }), { status: 502, code: 'AccessDenied' });
  const noRole = await refusal({ ...base, roleArn: 'arn:aws:iam:::role/NoSuchRole' });
  assert.equal(noRole.status, 502);
  t.diagnostic(`unknown role: ${noRole.code}`);
  const tooLong = await refusal(base, { ...request, ttlSeconds: 43_200 });
  t.diagnostic(`DurationSeconds above the role's maximum (3600): ${tooLong.code}`);
  assert.deepEqual(await refusal({ ...base, endpoint: 'http://127.0.0.1:1' }), { status: 502, code: 'StsUnreachable' });
});
