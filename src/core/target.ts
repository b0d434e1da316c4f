/**
 * Where objects go: the store's endpoint, the bucket, the region, the key prefix the
 * credentials are scoped to, and the dialect the store speaks. Usually learned from the
 * token endpoint's answer; any field may be overridden by configuration.
 */
import type { Addressing, DialectId } from './dialect.js';

export interface StoreTarget {
  /** Origin of the store, e.g. `https://oss-cn-hangzhou.aliyuncs.com`, `http://127.0.0.1:9100`, or a custom domain. */
  endpoint: string;
  bucket: string;
  /** Region, e.g. `cn-hangzhou` (`oss-cn-hangzhou` is accepted for OSS), `us-east-1`. */
  region: string;
  /** Prefix the credentials allow, e.g. `uploads/user-123/`; may be empty. */
  keyPrefix: string;
  /**
   * How the bucket is addressed: `virtual` (`bucket.host`), `path` (`host/bucket/key`), or
   * `cname` (the endpoint is a custom domain bound to the bucket). Default: path-style for
   * IP addresses and `localhost`, as-is when the host already starts with the bucket,
   * virtual otherwise.
   */
  addressing?: Addressing | undefined;
  /** The dialect the store speaks, when the token endpoint says. */
  dialect?: DialectId | undefined;
}
