/**
 * A plain multipart loop: Initiate, `concurrency` workers PUTting `partSize` slices with
 * `fetch`, Complete; signed with the engine's OSS V4 signer and nothing else of the engine.
 *
 * variant.hash:
 * - `none`   the plain-fetch ceiling: the Blob slice is the body, no hashing;
 * - `digest` the engine's pattern: the slice is the body, and the hasher digests the same
 *            slice alongside (a second read of the bytes); CRC checked against the store's;
 * - `read`   the read-once prototype: a worker reads the slice into memory, hashes it and
 *            hands the bytes back (transferred); they are the body; CRC checked against the
 *            store's. (Measured slower and far bigger than `digest` in Chromium: PROFILE.md.)
 * variant.workers, variant.perWorker: pool size of the hasher, and jobs a worker runs at once.
 */
import { Addresser } from '../../src/core/addressing.js';
import { OssDialect } from '../../src/core/dialects/oss/dialect.js';
import type { StoreTarget } from '../../src/core/target.js';
import { WorkerHasher, type Hasher } from '../../src/core/hasher.js';
import type { ContestantModule, Session, StartOptions } from '../page/contract.js';

const dialect = new OssDialect();
const MiB = 1024 * 1024;

function crcHexToDecimal(hex: string): string {
  return BigInt('0x' + hex).toString(10);
}

export function start(file: File, opts: StartOptions): Session {
  const mode = String(opts.variant?.hash ?? 'none');
  const partSize = opts.partSize ?? 8 * MiB;
  const concurrency = opts.concurrency ?? 4;
  const t = opts.token;
  const target: StoreTarget = { endpoint: t.endpoint, bucket: t.bucket, region: t.region, keyPrefix: t.keyPrefix };
  const creds = { accessKeyId: t.AccessKeyId, accessKeySecret: t.AccessKeySecret, securityToken: t.SecurityToken };
  const addresser = new Addresser(target, dialect);
  const workers = Number(opts.variant?.workers ?? 2);
  // variant.recycle: MiB a hash worker reads before it is replaced (0: never; default the hasher's).
  const recycle = opts.variant?.recycle === undefined ? undefined : Number(opts.variant.recycle) * MiB || Infinity;
  const hasher: Hasher | undefined = mode === 'digest' ? new WorkerHasher(workers, undefined, Number(opts.variant?.perWorker ?? 1), recycle) : undefined;
  const readers = mode === 'read' ? Array.from({ length: workers }, () => new Worker(new URL('./read-probe-worker.js', import.meta.url), { type: 'module' })) : [];
  const waiting = new Map<number, (r: { bytes: ArrayBuffer; crc: string }) => void>();
  for (const w of readers) w.onmessage = (e) => waiting.get(e.data.id)?.(e.data);
  let jobs = 0;
  const readOnce = (blob: Blob) => new Promise<{ bytes: ArrayBuffer; crc: string }>((resolve) => {
    const id = ++jobs;
    waiting.set(id, (r) => { waiting.delete(id); resolve(r); });
    readers[id % readers.length]!.postMessage({ id, blob, how: 'read' });
  });
  const controller = new AbortController();
  const signal = controller.signal;

  async function send(method: string, query: Record<string, string>, headers: Record<string, string>, body: BodyInit | null): Promise<Response> {
    const where = addresser.locate(opts.key, query);
    const request = { method, bucket: target.bucket, key: opts.key, query, headers, host: where.host, path: where.path };
    const signed = await dialect.sign({ request, credentials: creds, region: target.region, now: new Date() });
    const res = await fetch(where.url, { method, headers: signed, body, signal, cache: 'no-store' });
    if (!res.ok) throw new Error(`${method} ${res.status}: ${await res.text()}`);
    return res;
  }

  async function run(): Promise<Record<string, unknown>> {
    const init = await send('POST', { uploads: '' }, { 'Content-Type': 'application/octet-stream' }, null);
    const uploadId = /<UploadId>([^<]+)<\/UploadId>/.exec(await init.text())![1]!;
    const count = Math.ceil(file.size / partSize);
    const etags: string[] = [];
    let next = 1;
    let crcChecked = 0;
    await Promise.all(Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next <= count) {
        const n = next++;
        const slice = file.slice((n - 1) * partSize, Math.min(file.size, n * partSize));
        let body: BodyInit = slice;
        let crc: Promise<string | undefined> = Promise.resolve(undefined);
        if (mode === 'digest') {
          crc = hasher!.digest(slice, ['crc64xz'], signal).then((d) => d.crc64xz);
          crc.catch(() => undefined);
        } else if (mode === 'read') {
          const r = await readOnce(slice);
          body = r.bytes;
          crc = Promise.resolve(r.crc);
        }
        const res = await send('PUT', { partNumber: String(n), uploadId }, { 'Content-Type': 'application/octet-stream' }, body);
        const local = await crc;
        if (local !== undefined) {
          const store = res.headers.get('x-oss-hash-crc64ecma');
          if (store !== crcHexToDecimal(local)) throw new Error(`part ${n}: CRC ${crcHexToDecimal(local)} here, ${store} at the store`);
          crcChecked++;
        }
        etags[n] = res.headers.get('etag')!;
      }
    }));
    const xml = `<CompleteMultipartUpload>${etags.map((e, n) => (e ? `<Part><PartNumber>${n}</PartNumber><ETag>${e}</ETag></Part>` : '')).join('')}</CompleteMultipartUpload>`;
    await send('POST', { uploadId }, { 'Content-Type': 'application/xml' }, xml);
    return { crcChecked };
  }

  const done = run().finally(() => {
    hasher?.dispose();
    for (const w of readers) w.terminate();
  });
  return { done, cancel: () => controller.abort() };
}

export const resumesAcrossReloads = false;
const _check: ContestantModule = { start };
void _check;
