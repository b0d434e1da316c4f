// Proof by the vendor's own client: Huawei's esdk-obs-nodejs drives the local store with
// OBS header signatures and STS credentials from the token endpoint (`?dialect=obs`).
//
// SDK quirks met here:
// - path-style addressing (`path_style: true`, or any IP-address server) and `is_cname`
//   make the SDK sign with AWS V2 (`Authorization: AWS …`), not OBS: to get OBS signatures
//   the bucket must be in the host name, so the client talks to `<bucket>.localhost:<port>`
//   through an agent that resolves `*.localhost` (test/support/localhost-agent.ts);
// - the client finishes configuring itself asynchronously: a call in the same tick as
//   `new ObsClient()` throws (signatureContext is null), so the test yields once first;
// - `is_signature_negotiation` must be off, or the first call is a HEAD `?apiversion`;
// - a Buffer `Body` is sent as `String(body)` re-encoded as UTF-8 (binary data is corrupted):
//   bodies go as streams here (sent chunked, without Content-Length).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import ObsClient from 'esdk-obs-nodejs';
import { startLocalBackend, type LocalBackend } from '../../server/local-backend.js';
import { startTokenServer, type TokenServer } from '../../server/token/index.js';
import { localhostAgent } from '../support/localhost-agent.js';

const KiB = 1024;
const T = { timeout: 60_000 };
let backend: LocalBackend;
let token: TokenServer;
let dir: string;
const agent = localhostAgent();

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'obs-sdk-test-'));
  backend = await startLocalBackend({ OSS_UPLOADER_DATA: join(dir, 'data') }, { storePort: 0 });
  token = await startTokenServer({ ...backend.tokenOptions(), port: 0, log: () => undefined });
});

after(async () => {
  agent.destroy();
  await token.close();
  await backend.close();
  rmSync(dir, { recursive: true, force: true });
});

/** What the SDK's calls resolve to (it does not reject on HTTP errors). */
interface ObsResult {
  CommonMsg: { Status: number; Code: string; Message: string; RequestId: string };
  InterfaceResult: Record<string, any>;
}
type Call = (params: Record<string, unknown>) => Promise<ObsResult>;
interface Obs {
  putObject: Call; getObject: Call; initiateMultipartUpload: Call; uploadPart: Call;
  listParts: Call; completeMultipartUpload: Call; abortMultipartUpload: Call;
}

async function obsClient(user: string): Promise<{ client: Obs; bucket: string; prefix: string }> {
  const res = await fetch(`${token.url}?user=${user}&dialect=obs`);
  assert.equal(res.status, 200);
  const c = await res.json();
  assert.equal(c.dialect, 'obs');
  const { port } = new URL(c.endpoint);
  const client: Obs = new ObsClient({
    access_key_id: c.AccessKeyId,
    secret_access_key: c.AccessKeySecret,
    security_token: c.SecurityToken,
    server: `http://localhost:${port}`, // virtual-hosted: <bucket>.localhost
    is_signature_negotiation: false,
    http_agent: agent,
    max_retry_count: 0,
    timeout: 30,
  });
  await new Promise((r) => setImmediate(r)); // the client configures itself asynchronously
  return { client, bucket: c.bucket, prefix: c.keyPrefix };
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const stream = (b: Buffer) => Readable.from([b]);

function ok(r: ObsResult, status = 200): Record<string, any> {
  assert.equal(r.CommonMsg.Status, status, `${r.CommonMsg.Code}: ${r.CommonMsg.Message}`);
  assert.match(r.CommonMsg.RequestId, /^[0-9A-F]{24}$/, 'x-obs-request-id');
  return r.InterfaceResult;
}

async function download(client: Obs, bucket: string, key: string): Promise<Buffer> {
  const r = ok(await client.getObject({ Bucket: bucket, Key: key, SaveAsStream: true }));
  const chunks: Buffer[] = [];
  for await (const c of r.Content as Readable) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

async function uploadParts(client: Obs, bucket: string, key: string, uploadId: string, parts: Buffer[]) {
  const etags = [];
  for (const [i, body] of parts.entries()) {
    const r = ok(await client.uploadPart({ Bucket: bucket, Key: key, UploadId: uploadId, PartNumber: i + 1, Body: stream(body) }));
    assert.equal(r.ETag, `"${createHash('md5').update(body).digest('hex')}"`);
    etags.push({ PartNumber: i + 1, ETag: r.ETag as string });
  }
  return etags;
}

describe('esdk-obs-nodejs with STS credentials, OBS signatures', () => {
  test('put and get', T, async () => {
    const { client, bucket, prefix } = await obsClient('obs-alice');
    const body = randomBytes(300 * KiB);
    const put = ok(await client.putObject({ Bucket: bucket, Key: `${prefix}small.bin`, Body: stream(body), ContentType: 'application/octet-stream' }));
    assert.equal(put.ETag, `"${createHash('md5').update(body).digest('hex')}"`);
    assert.equal(sha(await download(client, bucket, `${prefix}small.bin`)), sha(body));
  });

  test('multipart: initiate, upload parts, list parts across pages, complete', T, async () => {
    const { client, bucket, prefix } = await obsClient('obs-alice');
    const key = `${prefix}big.bin`;
    const parts = [randomBytes(100 * KiB), randomBytes(120 * KiB), randomBytes(100 * KiB), randomBytes(7 * KiB)];
    const init = ok(await client.initiateMultipartUpload({ Bucket: bucket, Key: key, ContentType: 'application/octet-stream' }));
    const uploadId = init.UploadId as string;
    assert.ok(uploadId);
    const etags = await uploadParts(client, bucket, key, uploadId, parts);

    const listed = [];
    let marker: string | undefined;
    for (let page = 0; page < 5; page++) {
      const r = ok(await client.listParts({ Bucket: bucket, Key: key, UploadId: uploadId, MaxParts: 3, ...(marker ? { PartNumberMarker: marker } : {}) }));
      listed.push(...(r.Parts as { PartNumber: string; ETag: string; Size: string }[]));
      if (r.IsTruncated !== 'true') break;
      marker = r.NextPartNumberMarker as string;
    }
    assert.deepEqual(listed.map((p) => [Number(p.PartNumber), p.ETag, Number(p.Size)]), etags.map((e, i) => [e.PartNumber, e.ETag, parts[i]!.length]));

    const done = ok(await client.completeMultipartUpload({ Bucket: bucket, Key: key, UploadId: uploadId, Parts: etags }));
    assert.match(done.ETag as string, /^"[0-9a-f]{32}-4"$/);
    assert.equal(sha(await download(client, bucket, key)), sha(Buffer.concat(parts)));
  });

  test('Complete with a part under 100 KiB that is not the last is EntityTooSmall', T, async () => {
    const { client, bucket, prefix } = await obsClient('obs-alice');
    const key = `${prefix}small-parts.bin`;
    const uploadId = ok(await client.initiateMultipartUpload({ Bucket: bucket, Key: key })).UploadId as string;
    const etags = await uploadParts(client, bucket, key, uploadId, [randomBytes(100 * KiB - 1), randomBytes(10)]);
    const r = await client.completeMultipartUpload({ Bucket: bucket, Key: key, UploadId: uploadId, Parts: etags });
    assert.deepEqual([r.CommonMsg.Status, r.CommonMsg.Code], [400, 'EntityTooSmall']);
  });

  test('abort answers 204; ListParts then NoSuchUpload; another user cannot abort', T, async () => {
    const { client, bucket, prefix } = await obsClient('obs-bob');
    const key = `${prefix}aborted.bin`;
    const uploadId = ok(await client.initiateMultipartUpload({ Bucket: bucket, Key: key })).UploadId as string;
    await uploadParts(client, bucket, key, uploadId, [randomBytes(10 * KiB)]);

    const eve = await obsClient('obs-eve');
    const refused = await eve.client.abortMultipartUpload({ Bucket: bucket, Key: key, UploadId: uploadId });
    assert.deepEqual([refused.CommonMsg.Status, refused.CommonMsg.Code], [403, 'AccessDenied']);

    ok(await client.abortMultipartUpload({ Bucket: bucket, Key: key, UploadId: uploadId }), 204);
    const gone = await client.listParts({ Bucket: bucket, Key: key, UploadId: uploadId });
    assert.deepEqual([gone.CommonMsg.Status, gone.CommonMsg.Code], [404, 'NoSuchUpload']);
  });
});
