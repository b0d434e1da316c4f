/**
 * The local OSS-compatible object store that the tests, the demo and the benchmarks run
 * against. It speaks the subset of the Alibaba OSS API a browser uploader uses — objects,
 * multipart uploads, bucket CORS — with OSS's authentication (V1 and V4 header signatures,
 * STS tokens with RAM policies), error codes and headers, and keeps everything on disk.
 *
 * Files: addressing (bucket/key/query of a request), auth + access (who signed, what they may
 * do), cors, body (receiving bodies), disk + blobs (layout, atomic writes, data files),
 * objects + uploads (the catalogs), complete + listing (multipart rules, paging), range,
 * errors + xml (answers), exchange + router + server (HTTP), *-handlers (the operations).
 */
import { DEFAULT_CORS_RULES, type CorsRule } from './cors.js';
import type { LocalSts } from '../sts/local-sts.js';
import { BlobPool } from './blobs.js';
import { BucketRegistry, type BucketConfig } from './buckets.js';
import type { StoreContext } from './context.js';
import { DiskLayout } from './disk.js';
import { KeyedMutex } from './lock.js';
import { ObjectCatalog } from './objects.js';
import { createStoreServer } from './server.js';
import { UploadCatalog } from './uploads.js';

export { DEFAULT_CORS_RULES, type CorsRule, type BucketConfig };

export interface StoreOptions {
  /** Objects and uploads live under here (in `store/`). */
  dataDir: string;
  /** 0 = any free port. The store listens on 127.0.0.1 only. */
  port?: number;
  /** Default `cn-hangzhou`; V4 signature scopes must name it. */
  region?: string;
  /** The buckets that exist. */
  buckets: BucketConfig[];
  /** A long-term key with every permission. */
  root: { accessKeyId: string; accessKeySecret: string };
  /** Verifies temporary credentials. */
  sts: LocalSts;
  /** A request body that stalls this long answers RequestTimeout. Default 30 s. */
  bodyTimeoutMs?: number;
}

export interface RunningStore {
  /** `http://127.0.0.1:<port>`; buckets are addressed path-style, or as `<bucket>.localhost:<port>`. */
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function startStore(opts: StoreOptions): Promise<RunningStore> {
  const layout = new DiskLayout(opts.dataDir);
  const names = opts.buckets.map((b) => b.name);
  const buckets = await BucketRegistry.load(layout, opts.buckets);
  await layout.prepare(names);

  const locks = new KeyedMutex();
  const blobs = new BlobPool(layout);
  const objects = new ObjectCatalog(layout, blobs, locks);
  const uploads = new UploadCatalog(layout, blobs, locks, objects);
  for (const name of names) {
    await objects.load(name);
    await uploads.load(name);
  }
  const referenced = uploads.referencedBlobs();
  for (const name of names) for (const o of objects.all(name)) for (const s of o.segments) referenced.add(s.blob);
  await blobs.sweep(referenced);

  const ctx: StoreContext = {
    layout, buckets, objects, uploads, blobs,
    auth: { root: opts.root, sts: opts.sts, region: opts.region ?? 'cn-hangzhou' },
    bodyTimeoutMs: opts.bodyTimeoutMs ?? 30_000,
  };
  const { server, close } = createStoreServer(ctx);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { url: `http://127.0.0.1:${port}`, port, close };
}
