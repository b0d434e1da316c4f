/**
 * The dialect factory: one entry per dialect. Each dialect is its own module, loaded when
 * first asked for, so a page that speaks only one store downloads only that one.
 */
import type { DialectId, StorageDialect } from '../dialect.js';
import { ClientErrorCode, UploadError } from '../errors.js';

/** Options a dialect may take (each reads what it knows: OSS `signatureVersion`). */
export interface DialectOptions {
  /** OSS only: `v4` (default) or `v1`. */
  signatureVersion?: 'v4' | 'v1';
}

const REGISTRY: Record<DialectId, (opts: DialectOptions) => Promise<StorageDialect>> = {
  oss: async (opts) => new (await import('./oss/dialect.js')).OssDialect(opts),
  obs: async () => new (await import('./obs/dialect.js')).ObsDialect(),
  s3: async () => new (await import('./s3/dialect.js')).S3Dialect(),
};

/** The dialect when neither the configuration nor the token endpoint names one (and of records older than dialects). */
export const DEFAULT_DIALECT: DialectId = 'oss';

/** The ids `createDialect` accepts. */
export const DIALECT_IDS = Object.keys(REGISTRY) as readonly DialectId[];

export function isDialectId(id: unknown): id is DialectId {
  return typeof id === 'string' && Object.hasOwn(REGISTRY, id);
}

/** The dialect named `id`; `InvalidInput` for an unknown one. */
export function createDialect(id: string, opts: DialectOptions = {}): Promise<StorageDialect> {
  if (!isDialectId(id)) {
    return Promise.reject(new UploadError(
      ClientErrorCode.InvalidInput, `Unknown dialect "${id}": use one of ${DIALECT_IDS.map((d) => `"${d}"`).join(', ')}.`,
    ));
  }
  if (opts.signatureVersion !== undefined && opts.signatureVersion !== 'v4' && opts.signatureVersion !== 'v1') {
    return Promise.reject(new UploadError(
      ClientErrorCode.InvalidInput, `Unknown signature version "${String(opts.signatureVersion)}": use "v4" or "v1".`,
    ));
  }
  return REGISTRY[id](opts);
}
