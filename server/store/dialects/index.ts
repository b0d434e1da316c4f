/** The dialects by name, and the one a request speaks. */
import { dialectNameOf, type DialectName, type StoreDialect } from './dialect.js';
import { obsDialect } from './obs.js';
import { ossDialect } from './oss.js';
import { s3Dialect } from './s3.js';

export type { Checksums, DialectName, StoreDialect, UploadChecksum } from './dialect.js';

export const DIALECTS: Readonly<Record<DialectName, StoreDialect>> = { oss: ossDialect, obs: obsDialect, s3: s3Dialect };

/** The dialect of a request, from its Authorization header, else its query-string signature (else OSS). */
export function dialectOf(authorization: string | undefined, rawUrl?: string): StoreDialect {
  return DIALECTS[dialectNameOf(authorization, rawUrl)];
}
