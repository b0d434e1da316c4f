/**
 * The storage-dialect port: everything that differs between Alibaba OSS, Huawei OBS and
 * S3-compatible stores. The multipart operations have the same shape everywhere
 * (protocol.md §1); the signature, the header names, what an error code means, the
 * checksum, the CORS advice and the limits do not. The engine (`upload.ts`, the retry
 * rules, the element) speaks only through this interface and names no vendor.
 *
 * A dialect is one folder under `dialects/` plus one entry in `createDialect` (dialects/index.ts).
 */
import type { Credentials } from './credentials.js';
import type { ErrorKind } from './errors.js';
import type { SignableRequest } from './signing/request.js';
import type { XmlElement } from './xml.js';

/** The dialects this version knows. */
export type DialectId = 'oss' | 'obs' | 's3';

/** How the bucket is named in the URL: `path` (`host/bucket/key`), `virtual` (`bucket.host/key`), `cname` (a custom domain bound to the bucket: `domain/key`). */
export type Addressing = 'path' | 'virtual' | 'cname';

/** Everything a signer needs: the whole request as it will be sent, URL included (the OSS Go SDK v2's SigningContext). */
export interface SigningContext {
  /** The request; `host` and `path` are exactly what the browser will send. */
  readonly request: SignableRequest;
  readonly credentials: Credentials;
  /** Region as configured (a dialect normalizes its own spelling, e.g. `oss-cn-hangzhou`). */
  readonly region: string;
  /** The store's time, as the clock knows it. */
  readonly now: Date;
}

/** The operations a dialect may have to tell apart (headers, error meanings). */
export type Operation =
  | 'PutObject' | 'HeadObject' | 'InitiateMultipartUpload' | 'UploadPart' | 'CompleteMultipartUpload'
  | 'AbortMultipartUpload' | 'ListParts' | 'ListMultipartUploads';

/**
 * The store's own end-to-end checksum: a CRC-64 it reports for each part and for the whole
 * object (folded from the parts), so corruption anywhere between the file and the disk is seen.
 */
export interface StoreChecksum {
  /** Which CRC-64 (the hasher's name for it). */
  readonly algorithm: 'crc64xz' | 'crc64nvme';
  /**
   * True when the value must travel with the request (the store checks it and refuses a
   * mismatch); false when the store only reports its own value in the answer.
   */
  readonly sentWithRequest: boolean;
  /** Headers that carry our value on PutObject and UploadPart (when `sentWithRequest`). */
  requestHeaders(value: bigint): Record<string, string>;
  /** Headers for InitiateMultipartUpload that declare the checksum for the whole upload. */
  readonly initiateHeaders: Readonly<Record<string, string>>;
  /** Whether the Initiate answer shows that the store will keep a checksum for this upload. */
  acceptedAtInitiate(headers: Headers): boolean;
  /** Headers for Complete carrying the whole object's value (folded from the parts). */
  completeHeaders(objectValue: bigint): Record<string, string>;
  /** Headers asking HeadObject to report the value. */
  readonly headHeaders: Readonly<Record<string, string>>;
  /** The store's value in an answer's headers (PutObject, UploadPart, Complete, HeadObject); undefined if absent. */
  fromHeaders(headers: Headers): bigint | undefined;
  /** The store's value for a part in a ListParts answer; undefined if absent. */
  fromListedPart(part: XmlElement): bigint | undefined;
}

/** How the dialect proves that the bytes arrived intact. */
export interface IntegrityRules {
  /** The store's CRC-64, if it has one. */
  readonly checksum: StoreChecksum | undefined;
  /**
   * When to send Content-MD5 with PutObject and UploadPart:
   * `always` (the store has no checksum of its own), `unless-checksum` (until the store is
   * seen to check `checksum`), `on-request` (only when the application asks).
   */
  readonly contentMd5: 'always' | 'unless-checksum' | 'on-request';
  /** Part ETags are the hex MD5 of the part, so a part's ETag is compared with our MD5. */
  readonly etagIsPartMd5: boolean;
}

/** Protocol limits that differ by store. */
export interface DialectLimits {
  /** Smallest part the store accepts at Complete, but for the last part. */
  readonly minPartSize: number;
}

export interface StorageDialect {
  readonly id: DialectId;
  /** The vendor's name, for messages ("Alibaba Cloud OSS"). */
  readonly vendor: string;
  readonly limits: DialectLimits;
  /** Addressing modes the store supports; the first is the default for host names. */
  readonly addressing: readonly Addressing[];
  /** Response header carrying the store's request id. */
  readonly requestIdHeader: string;
  /** Response headers the bucket's CORS rules must expose. */
  readonly exposeHeaders: readonly string[];
  readonly integrity: IntegrityRules;

  /** The headers to send: the request's own, plus date, security token and `Authorization`. */
  sign(ctx: SigningContext): Promise<Record<string, string>>;
  /** Headers that make PutObject, Initiate or Complete refuse to replace an existing object. */
  forbidOverwrite(operation: Operation): Record<string, string>;
  /** What a store error code means. `undefined` leaves it to the HTTP status. */
  errorKind(code: string, status: number, operation: Operation): ErrorKind | undefined;
  /** The error document a bodiless (HEAD) error answer carries in a header, if the dialect does that. */
  bodilessError?(headers: Headers): string | undefined;
  /** What to change in the bucket's CORS rules for `origin` so that `missing` headers are exposed: console path and the rule itself. */
  corsAdvice(origin: string, missing: readonly string[]): string;
}
