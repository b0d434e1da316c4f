// The engine in each dialect, against the real local store speaking OSS, OBS and S3: the
// dialect comes from the token endpoint (`?dialect=`), the bytes are compared in the store,
// and each dialect's own integrity headers are seen on the wire.
import { expect } from '@open-wc/testing';
import { ErrorKind, UploadError, type DialectId } from '../../src/core/index.js';
import { clientFor, getObject, listParts, makeFile, sha256Hex, uniqueUser, WireRecorder } from './helpers.js';

const KiB = 1024;
const MiB = 1024 * KiB;

/** Each dialect at its own part floor, so a multipart file is small but real. */
const FLOOR: Record<DialectId, number> = { oss: 100 * KiB, obs: 100 * KiB, s3: 5 * MiB };

for (const dialect of ['oss', 'obs', 's3'] as const) {
  describe(`engine in the ${dialect} dialect`, () => {
    const partSize = FLOOR[dialect];

    it('uploads a multipart file byte for byte, verified by the dialect\'s own integrity check', async () => {
      const rec = new WireRecorder();
      const client = clientFor(uniqueUser(), { tokenDialect: dialect, partSize, fetch: rec.fetch });
      const file = makeFile(2 * partSize + 123, `${dialect}-multi.bin`);
      const upload = client.createUpload(file);
      const result = await upload.start();
      expect(result.verified).to.equal(true);
      expect((await getObject(result.key)).sha256).to.equal(await sha256Hex(file));
      const parts = rec.sent.filter((s) => s.op === 'UploadPart');
      expect(parts.length).to.equal(3);
      const signature = rec.sent[0]!.headers['authorization']!;
      if (dialect === 'oss') {
        expect(signature).to.match(/^OSS4-HMAC-SHA256 /);
        expect(result.checksum?.algorithm).to.equal('crc64xz');
        expect(parts.every((p) => !p.headers['content-md5'])).to.equal(true);
      } else if (dialect === 'obs') {
        expect(signature).to.match(/^OBS /);
        // No CRC on OBS: every part carries Content-MD5, and its ETag is compared with it.
        expect(result.checksum).to.equal(undefined);
        expect(parts.every((p) => /^[A-Za-z0-9+/]{22}==$/.test(p.headers['content-md5'] ?? ''))).to.equal(true);
      } else {
        expect(signature).to.match(/^AWS4-HMAC-SHA256 /);
        expect(result.checksum?.algorithm).to.equal('crc64nvme');
        const initiate = rec.sent.find((s) => s.op === 'Initiate')!;
        expect(initiate.headers['x-amz-checksum-algorithm']).to.equal('CRC64NVME');
        // The store said at Initiate that it keeps CRC-64/NVME: parts carry it, and need no Content-MD5.
        expect(parts.every((p) => p.headers['x-amz-checksum-crc64nvme'] && !p.headers['content-md5'])).to.equal(true);
        expect(rec.sent.find((s) => s.op === 'Complete')!.headers['x-amz-checksum-crc64nvme']).to.match(/^[A-Za-z0-9+/]{11}=$/);
      }
      client.dispose();
    });

    it('puts a small file in one request, verified', async () => {
      const rec = new WireRecorder();
      const client = clientFor(uniqueUser(), { tokenDialect: dialect, fetch: rec.fetch });
      const file = makeFile(10 * KiB + 1, `${dialect}-small.bin`);
      const result = await client.createUpload(file).start();
      expect(rec.sent.map((s) => s.op)).to.deep.equal(['PutObject']);
      expect(result.verified).to.equal(true);
      expect((await getObject(result.key)).sha256).to.equal(await sha256Hex(file));
      client.dispose();
    });

    it('cancel keeps the uploadId; resume goes on with it and sends only what is missing', async () => {
      const rec = new WireRecorder();
      const client = clientFor(uniqueUser(), { tokenDialect: dialect, partSize, concurrency: 1, fetch: rec.fetch });
      const file = makeFile(4 * partSize, `${dialect}-resume.bin`, 7);
      const upload = client.createUpload(file);
      const started = upload.start();
      await new Promise<void>((resolve) => upload.addEventListener('progress', (e) => e.progress.partsDone >= 1 && resolve()));
      await upload.cancel();
      expect(await started.then(() => 'done', (e: UploadError) => e.code)).to.equal('Cancelled');
      const uploadId = upload.uploadId!;
      const before = rec.sent.filter((s) => s.op === 'UploadPart').length;
      const result = await upload.resume();
      expect(upload.uploadId).to.equal(uploadId);
      const resent = rec.sent.filter((s) => s.op === 'UploadPart').length - before;
      expect(resent).to.be.at.most(3);
      expect((await getObject(result.key)).sha256).to.equal(await sha256Hex(file));
      client.dispose();
    });

    it('abort deletes the uploadId on the store and confirms it is gone', async () => {
      const client = clientFor(uniqueUser(), { tokenDialect: dialect, partSize, concurrency: 1 });
      const upload = client.createUpload(makeFile(3 * partSize, `${dialect}-abort.bin`, 9));
      const started = upload.start();
      started.catch(() => undefined);
      await new Promise<void>((resolve) => upload.addEventListener('progress', (e) => e.progress.partsDone >= 1 && resolve()));
      const outcome = await upload.abort();
      expect(outcome.confirmed).to.equal(true);
      expect(upload.state).to.equal('aborted');
      expect((await listParts(upload.key!, upload.uploadId!)).code).to.equal('NoSuchUpload');
      client.dispose();
    });

    it('two different files with the same name both land: the second under a numbered name', async () => {
      const user = uniqueUser();
      const client = clientFor(user, { tokenDialect: dialect, partSize });
      const files = [
        makeFile(2 * partSize + 5, 'report.final.pdf', 31), makeFile(10, 'report.final.pdf', 32), makeFile(2 * partSize + 5, 'report.final.pdf', 33),
      ];
      const keys: string[] = [];
      for (const f of files) {
        const result = await client.createUpload(f).start();
        keys.push(result.key);
        expect((await getObject(result.key)).sha256).to.equal(await sha256Hex(f));
      }
      expect(keys).to.deep.equal([`uploads/${user}/report.final.pdf`, `uploads/${user}/report (1).final.pdf`, `uploads/${user}/report (2).final.pdf`]);
      expect((await getObject(keys[0]!)).sha256).to.equal(await sha256Hex(files[0]!));
      client.dispose();
    });

    it('a key the application names is never renamed: a second upload to it fails as "object exists", and the first stays', async () => {
      const client = clientFor(uniqueUser(), { tokenDialect: dialect, partSize });
      const key = async () => (await client.target()).keyPrefix + 'same-name.bin';
      const first = makeFile(2 * partSize + 5, 'same-name.bin', 11);
      await client.createUpload(first, { key: await key() }).start();
      for (const second of [makeFile(2 * partSize + 5, 'same-name.bin', 12), makeFile(1000, 'same-name.bin', 13)]) {
        const error = await client.createUpload(second, { key: await key() }).start().then(() => undefined, (e: UploadError) => e);
        expect(error?.kind, error?.message).to.equal(ErrorKind.ObjectExists);
      }
      expect((await getObject(await key())).sha256).to.equal(await sha256Hex(first));
      client.dispose();
    });

    if (dialect !== 's3') {
      it('uploads through a custom domain bound to the bucket (cname addressing)', async () => {
        const user = uniqueUser();
        const { endpoint } = await (await fetch(`/api/sts-token?user=${user}&dialect=${dialect}`)).json();
        const rec = new WireRecorder();
        const client = clientFor(user, {
          tokenDialect: dialect, partSize, fetch: (input, init) => rec.fetch(input, init),
          target: { endpoint: endpoint.replace('127.0.0.1', 'files.localhost'), addressing: 'cname' },
        });
        const file = makeFile(2 * partSize + 9, `${dialect}-cname.bin`, 21);
        const result = await client.createUpload(file).start();
        expect(result.location).to.match(/^http:\/\/files\.localhost:\d+\/uploads\//);
        expect((await getObject(result.key)).sha256).to.equal(await sha256Hex(file));
        client.dispose();
      });
    }

    it('refuses a key the browser would rewrite before sending anything', async () => {
      const rec = new WireRecorder();
      const client = clientFor(uniqueUser(), { tokenDialect: dialect, fetch: rec.fetch });
      const error = await client.createUpload(makeFile(10), { key: 'uploads/x/./a/../b.txt' }).start().then(() => undefined, (e: UploadError) => e);
      expect(error?.kind).to.equal(ErrorKind.InvalidInput);
      expect(rec.sent.length).to.equal(0);
      client.dispose();
    });
  });
}
