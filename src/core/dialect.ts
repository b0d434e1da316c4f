/**
 * The storage-dialect port: what differs between Alibaba OSS, Huawei OBS and S3-compatible
 * stores. The multipart operations have the same shape everywhere (protocol.md §1); the
 * header names, the signature, the checksum header and the part-size floor do not.
 */
import type { Credentials } from './credentials.js';
import type { StoreTarget } from './target.js';

/** A request as the dialect signs it; the key is raw, the query decoded. */
export interface DialectRequest {
  method: string;
  target: StoreTarget;
  /** Object key; empty for bucket-level requests. */
  key: string;
  query: Readonly<Record<string, string>>;
  /** Headers set by the operation (Content-Type, Content-MD5, …). */
  headers: Readonly<Record<string, string>>;
}

export interface StorageDialect {
  /** `oss`, `obs`, `s3`. */
  readonly id: string;
  /** Smallest part the store accepts at Complete, but for the last part. */
  readonly minPartSize: number;
  /** Response header carrying the store's request id. */
  readonly requestIdHeader: string;
  /** Response header carrying a part's or object's CRC-64/XZ in decimal, if the store sends one. */
  readonly crc64Header: string | undefined;
  /** Response headers the bucket's CORS rules must expose (named in CORS error messages). */
  readonly exposeHeaders: readonly string[];
  /** Header that tells the store not to overwrite an existing object, if the dialect has one. */
  readonly forbidOverwriteHeader: string | undefined;
  /**
   * The headers to send, signed for `now` with `credentials`: the operation's own headers
   * plus date, security token and `Authorization`.
   */
  sign(req: DialectRequest, credentials: Credentials, now: Date): Promise<Record<string, string>>;
  /** The error XML a bodiless (HEAD) error answer carries in a header, if the dialect does that. */
  errorFromHeaders?(headers: Headers): string | undefined;
}
