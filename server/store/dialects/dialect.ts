/**
 * The store speaks three dialects — Alibaba OSS, Huawei OBS, S3 — over one catalog of
 * buckets, objects and uploads. A request's dialect is decided by its Authorization scheme
 * (or, for S3 presigned URLs, its `X-Amz-*` query; {@link dialectNameOf}); from then on everything vendor-specific about the answer comes from
 * that dialect's {@link StoreDialect}: how it authenticates, the request-id headers, the XML
 * namespace, error codes and bodies, integrity headers, the part-size floor, forbid-overwrite.
 * Handlers stay dialect-free and ask the dialect (oss.ts, obs.ts, s3.ts).
 */
import type { SignableRequest } from '../../../src/core/signing/request.js';
import type { AuthConfig, Identity } from '../auth.js';
import type { BodyDigests } from '../body.js';
import type { OssError } from '../errors.js';
import type { Exchange } from '../exchange.js';
import type { DigestNeeds } from '../hashing.js';
import type { ObjectRecord } from '../objects.js';
import type { PartRecord, UploadRecord } from '../uploads.js';
import type { XmlNode } from '../xml.js';

export type DialectName = 'oss' | 'obs' | 's3';

/** Checksums recorded with a part or an object (S3's, base64 of the big-endian digest). */
export interface Checksums {
  crc64nvme?: string;
}

/** A multipart upload's full-object checksum, chosen at Initiate (S3). */
export interface UploadChecksum {
  algorithm: 'CRC64NVME';
  type: 'FULL_OBJECT';
}

/** How a body is hashed and checked: what to compute, what to verify, what to record. */
export interface BodyPlan {
  needs: DigestNeeds;
  /** Throws the dialect's error for a digest that does not match the request's claim. */
  check(d: BodyDigests): void;
  /** The checksums to record with the part or object. */
  checksums(d: BodyDigests): Checksums | undefined;
}

/** Where in a request forbid-overwrite is asked. */
export type OverwriteCheckpoint = 'put' | 'initiate' | 'complete';

/** An error answer. */
export interface ErrorAnswer {
  status: number;
  headers: Record<string, string>;
  xml: string;
}

export interface StoreDialect {
  readonly name: DialectName;
  /** Namespace of result documents (not of `<Error>`). */
  readonly xmlns: string | undefined;
  /** Smallest part but the last at Complete. */
  readonly minPartSize: number;
  /** As written in ListParts / ListMultipartUploads. */
  readonly storageClass: string;
  /** Only the upload's initiator or the bucket owner may abort it (OBS). */
  readonly abortNeedsInitiator: boolean;

  /** Verifies the request's signature (headers lower-case; `host` and wire `path` set). */
  authenticate(req: SignableRequest, cfg: AuthConfig): Promise<Identity>;
  /** Headers every answer carries: request id, Server. */
  answerHeaders(requestId: string): Record<string, string>;
  /** `err` as this dialect answers it; `operation` is the API name (e.g. `AbortMultipartUpload`). */
  errorAnswer(err: OssError, c: { requestId: string; hostId: string; method: string; operation?: string }): ErrorAnswer;

  /** Whether the request asks that an existing object not be overwritten. */
  forbidsOverwrite(ex: Exchange, at: OverwriteCheckpoint): boolean;
  /** An ETag as this dialect writes it (the store keeps quoted upper-case hex). */
  etag(stored: string): string;

  /** The hashing and checks of a PutObject / UploadPart body (`upload` for parts). */
  bodyPlan(ex: Exchange, upload?: UploadRecord): BodyPlan;
  /** Headers of a PutObject / UploadPart answer. */
  storedHeaders(r: { etag: string; crc64: string; contentMd5: string; checksums?: Checksums | undefined }): Record<string, string>;
  /** Initiate: the checksum the request chooses for the whole object, if any. */
  initiateChecksum(ex: Exchange): UploadChecksum | undefined;
  /** Initiate: extra answer headers. */
  initiateHeaders(upload: UploadRecord): Record<string, string>;
  /**
   * Complete: the whole object's checksums from its parts, checked against the request's
   * claim (throws BadDigest).
   */
  completeChecksums(ex: Exchange, upload: UploadRecord, parts: readonly PartRecord[]): Checksums | undefined;
  /** Complete: extra answer headers and XML elements (after ETag). */
  completeExtras(object: ObjectRecord): { headers: Record<string, string>; nodes: XmlNode[] };
  /** One `<Part>` of ListParts. */
  partNodes(p: PartRecord): XmlNode[];
  /** GetObject / HeadObject headers beyond the common ones. */
  objectHeaders(r: ObjectRecord, ex: Exchange): Record<string, string>;
}

/**
 * The dialect a request speaks, from its Authorization header, else from a query-string
 * signature (S3's presigned `X-Amz-*` parameters); unsigned requests are refused in OSS terms.
 */
export function dialectNameOf(authorization: string | undefined, rawUrl = ''): DialectName {
  if (authorization === undefined) return hasSigV4Query(rawUrl) ? 's3' : 'oss';
  if (authorization.startsWith('OBS ')) return 'obs';
  if (authorization.startsWith('AWS4-HMAC-SHA256')) return 's3';
  return 'oss';
}

/** Whether the URL's query carries X-Amz-Algorithm, X-Amz-Credential or X-Amz-Signature. */
function hasSigV4Query(rawUrl: string): boolean {
  const q = rawUrl.indexOf('?');
  if (q < 0) return false;
  const params = new URLSearchParams(rawUrl.slice(q + 1));
  return params.has('X-Amz-Algorithm') || params.has('X-Amz-Credential') || params.has('X-Amz-Signature');
}
