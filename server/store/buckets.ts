/**
 * The buckets that exist (fixed by the store's options) and their CORS rules.
 *
 * A bucket's rules start as its configured `cors` (default {@link DEFAULT_CORS_RULES};
 * `[]` for none). Once PutBucketCors or DeleteBucketCors has changed them, the persisted
 * rules win over the options on later starts, as a real bucket keeps its configuration.
 */
import { listDir, readJson, writeJsonAtomic, type DiskLayout } from './disk.js';
import { DEFAULT_CORS_RULES, validateCorsRules, type CorsRule } from './cors.js';

export interface BucketConfig {
  name: string;
  /** CORS rules; default {@link DEFAULT_CORS_RULES}. */
  cors?: CorsRule[];
}

export interface Bucket {
  readonly name: string;
  cors: CorsRule[];
}

/** OSS bucket names: 3–63 lower-case letters, digits and hyphens, not starting or ending with a hyphen. */
const BUCKET_NAME = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;

interface PersistedCors {
  rules: CorsRule[];
}

export class BucketRegistry {
  private constructor(private readonly layout: DiskLayout, private readonly buckets: Map<string, Bucket>) {}

  static async load(layout: DiskLayout, configs: readonly BucketConfig[]): Promise<BucketRegistry> {
    const buckets = new Map<string, Bucket>();
    for (const c of configs) {
      if (!BUCKET_NAME.test(c.name)) throw new Error(`"${c.name}" is not a valid OSS bucket name`);
      if (buckets.has(c.name)) throw new Error(`bucket "${c.name}" is configured twice`);
      const configured = c.cors ?? DEFAULT_CORS_RULES;
      validateCorsRules(configured);
      const stored = (await listDir(layout.bucketDir(c.name))).includes('cors.json')
        ? (await readJson<PersistedCors>(layout.corsFile(c.name))).rules
        : undefined;
      buckets.set(c.name, { name: c.name, cors: structuredClone(stored ?? configured) });
    }
    return new BucketRegistry(layout, buckets);
  }

  get(name: string): Bucket | undefined {
    return this.buckets.get(name);
  }

  names(): string[] {
    return [...this.buckets.keys()];
  }

  /** PutBucketCors (`rules`) and DeleteBucketCors (`[]`). */
  async setCors(bucket: Bucket, rules: CorsRule[]): Promise<void> {
    await writeJsonAtomic(this.layout, this.layout.corsFile(bucket.name), { rules } satisfies PersistedCors);
    bucket.cors = rules;
  }
}
