// Proof by the vendor's own client: the official ali-oss Node SDK drives the local store
// with STS credentials from the token endpoint, under V1 and again under V4 signatures.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OSS from 'ali-oss';
import { startLocalBackend, type LocalBackend } from '../../server/local-backend.js';
import { startTokenServer, type TokenServer } from '../../server/token/index.js';

const KiB = 1024;
let backend: LocalBackend;
let token: TokenServer;
let dir: string;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ali-oss-test-'));
  backend = await startLocalBackend({ OSS_UPLOADER_DATA: join(dir, 'data') }, { storePort: 0 });
  token = await startTokenServer({ ...backend.tokenOptions(), port: 0, log: () => undefined });
});

after(async () => {
  await token.close();
  await backend.close();
  rmSync(dir, { recursive: true, force: true });
});

async function stsClient(user: string, v4: boolean): Promise<OSS> {
  const res = await fetch(`${token.url}?user=${user}`);
  assert.equal(res.status, 200);
  const c = await res.json();
  assert.equal(c.keyPrefix, `uploads/${user}/`);
  return new OSS({
    region: `oss-${c.region}`,
    endpoint: c.endpoint,
    bucket: c.bucket,
    accessKeyId: c.AccessKeyId,
    accessKeySecret: c.AccessKeySecret,
    stsToken: c.SecurityToken,
    sldEnable: true, // path-style: the endpoint is an IP address
    authorizationV4: v4,
    timeout: 60_000,
  });
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

for (const v4 of [false, true]) {
  const version = v4 ? 'V4' : 'V1';
  describe(`ali-oss with STS credentials, ${version} signatures`, () => {
    const user = `alioss-${version.toLowerCase()}`;
    const prefix = `uploads/${user}/`;

    test('put and get', async () => {
      const client = await stsClient(user, v4);
      const body = randomBytes(200 * KiB);
      const put = await client.put(`${prefix}small.bin`, body);
      assert.equal(put.res.status, 200);
      const got = await client.get(`${prefix}small.bin`);
      assert.equal(sha(got.content as Buffer), sha(body));
      const head = await client.head(`${prefix}small.bin`);
      assert.equal(head.res.headers['content-length'], String(body.length));
    });

    test('multipartUpload of several parts, then the bytes compared', async () => {
      const client = await stsClient(user, v4);
      const body = randomBytes(1000 * KiB + 123);
      const file = join(dir, `${user}-multi.bin`);
      writeFileSync(file, body);
      const progress: number[] = [];
      const res = await client.multipartUpload(`${prefix}multi.bin`, file, {
        partSize: 100 * KiB, parallel: 3, progress: async (p: number) => { progress.push(p); },
      });
      assert.equal(res.res.status, 200);
      assert.ok(progress.length >= 10);
      const got = await client.get(`${prefix}multi.bin`);
      assert.equal(sha(got.content as Buffer), sha(body));
    });

    test('listParts across pages, and listUploads', async () => {
      const client = await stsClient(user, v4);
      const key = `${prefix}paged.bin`;
      const { uploadId } = await client.initMultipartUpload(key);
      for (let n = 1; n <= 5; n++) await client.uploadPart(key, uploadId, n, Buffer.alloc(100 * KiB, n) as never, 0, 100 * KiB);
      const seen: number[] = [];
      let marker: string | undefined;
      for (let page = 0; page < 10; page++) {
        const r = await client.listParts(key, uploadId, { 'max-parts': '2', ...(marker ? { 'part-number-marker': marker } : {}) });
        // ali-oss gives a lone <Part> as an object, not a one-element list.
        seen.push(...[r.parts].flat().map((p: { PartNumber: string }) => Number(p.PartNumber)));
        if (!r.isTruncated) break;
        marker = String(r.nextPartNumberMarker);
      }
      assert.deepEqual(seen, [1, 2, 3, 4, 5]);

      // An upload token lists only its own user's uploads (to adopt one whose Initiate answer was lost).
      await assert.rejects(client.listUploads({ prefix: 'uploads/', 'max-uploads': 1000 }), (e: { code?: string }) => e.code === 'AccessDenied');
      assert.ok((await client.listUploads({ prefix, 'max-uploads': 1000 })).uploads.some((u: { name: string }) => u.name === key));
      const adminRes = await fetch(`${token.url}?user=${user}&scope=admin`);
      // The standalone server does not grant admin unless configured: prove the refusal, then use one that does.
      assert.equal(adminRes.status, 403);
      const admin = await startTokenServer({ ...backend.tokenOptions(), port: 0, allowAdmin: () => true, log: () => undefined });
      try {
        const c = await (await fetch(`${admin.url}?user=${user}&scope=admin`)).json();
        const adminClient = new OSS({
          region: `oss-${c.region}`, endpoint: c.endpoint, bucket: c.bucket, accessKeyId: c.AccessKeyId,
          accessKeySecret: c.AccessKeySecret, stsToken: c.SecurityToken, sldEnable: true, authorizationV4: v4,
        });
        const listed = await adminClient.listUploads({ prefix, 'max-uploads': 1000 });
        assert.ok(listed.uploads.some((u: { name: string; uploadId: string }) => u.name === key && u.uploadId === uploadId));
      } finally {
        await admin.close();
      }
    });

    test('abortMultipartUpload, then listParts answers NoSuchUpload', async () => {
      const client = await stsClient(user, v4);
      const key = `${prefix}aborted.bin`;
      const { uploadId } = await client.initMultipartUpload(key);
      await client.uploadPart(key, uploadId, 1, Buffer.alloc(100 * KiB, 1) as never, 0, 100 * KiB);
      const res = await client.abortMultipartUpload(key, uploadId);
      assert.equal(res.res.status, 204);
      await assert.rejects(client.listParts(key, uploadId, {}), (e: { code?: string; status?: number }) => e.code === 'NoSuchUpload' && e.status === 404);
    });

    test('a key outside the token prefix is AccessDenied', async () => {
      const client = await stsClient(user, v4);
      await assert.rejects(client.put('uploads/someone-else/x.bin', Buffer.from('x')), (e: { code?: string }) => e.code === 'AccessDenied');
    });
  });
}
