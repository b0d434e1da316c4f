/**
 * The local object store that the tests, the demo and the benchmarks run against. It speaks
 * the subset of the object-store API a browser uploader uses — objects, multipart uploads,
 * bucket CORS — in three dialects, chosen per request by its Authorization scheme: Alibaba
 * OSS (V1 and V4 signatures), Huawei OBS (`OBS` signatures) and S3 (SigV4), each with its
 * vendor's headers, XML, error codes and limits (dialects/), over one catalog kept on disk.
 * Temporary credentials come from the local STS (one token format for all dialects) and are
 * limited by RAM policies, evaluated the same way whatever the dialect.
 *
 * Files: dialects/ (everything vendor-specific), addressing (bucket/key/query of a request;
 * custom domains), auth + access (who signed, what they may do), cors, body + hashing
 * (receiving bodies), disk + blobs (layout, atomic writes, data files),
 * objects + uploads (the catalogs), complete + listing (multipart rules, paging), range,
 * errors + xml (answers), exchange + router + server (HTTP), *-handlers (the operations),
 * faults/ (a fault mode for soak tests, off unless configured; one hook in server.ts).
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
import { FaultInjector, type FaultConfig } from './faults/index.js';

export { DEFAULT_CORS_RULES, type CorsRule, type BucketConfig, type FaultConfig, FaultInjector };

export interface StoreOptions {
  /** Objects and uploads live under here (in `store/`). */
  dataDir: string;
  /** 0 = any free port. The store listens on 127.0.0.1 only. */
  port?: number;
  /** Default `cn-hangzhou`; OSS V4 and S3 SigV4 signature scopes must name it. */
  region?: string;
  /**
   * Host names (no port) bound to a bucket, e.g. `{ 'files.localhost': 'uploads' }`: a request
   * to `http://files.localhost:<port>/key` addresses `uploads/key`. OSS and OBS signatures
   * still name the bucket (`/uploads/key`); SigV4 signs the wire path and Host.
   */
  customDomains?: Record<string, string>;
  /** The buckets that exist. */
  buckets: BucketConfig[];
  /** A long-term key with every permission. */
  root: { accessKeyId: string; accessKeySecret: string };
  /** Verifies temporary credentials. */
  sts: LocalSts;
  /** A request body that stalls this long answers RequestTimeout. Default 30 s. */
  bodyTimeoutMs?: number;
  /** The fault mode (faults/): off when absent. */
  faults?: FaultConfig | undefined;
}

export interface RunningStore {
  /** `http://127.0.0.1:<port>`; buckets are addressed path-style, as `<bucket>.localhost:<port>`, or by a custom domain. */
  url: string;
  port: number;
  /** The fault mode's injector (counts, on/off), when the store runs with faults. */
  faults: FaultInjector | undefined;
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

  const faults = opts.faults ? new FaultInjector(opts.faults) : undefined;
  const ctx: StoreContext = {
    layout, buckets, objects, uploads, blobs, faults,
    auth: { root: opts.root, sts: opts.sts, region: opts.region ?? 'cn-hangzhou', ...(faults ? { now: () => faults.now() } : {}) },
    bodyTimeoutMs: opts.bodyTimeoutMs ?? 30_000,
    customDomains: Object.fromEntries(Object.entries(opts.customDomains ?? {}).map(([host, b]) => [host.toLowerCase(), b])),
  };
  for (const [host, b] of Object.entries(ctx.customDomains)) {
    if (!names.includes(b)) throw new Error(`custom domain ${host} is bound to ${b}, which is not a bucket of this store`);
  }
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
  return {
    url: `http://127.0.0.1:${port}`, port, faults,
    close: async () => {
      faults?.dispose();
      await close();
    },
  };
}
