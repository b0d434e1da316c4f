/**
 * oss-uploader's framework-free engine: multipart uploads straight from the browser (or a
 * worker) to Alibaba OSS and compatible stores, with cancel, resume, abort, STS refresh,
 * retries and end-to-end checksums, in the OSS, OBS and S3 dialects.
 */
export { UploadClient, defaultKeyFor, type UploadClientOptions } from './upload-client.js';
export { Upload, AbortRefused, type AbortOutcome, type UploadFile } from './upload.js';
export {
  UploadErrorEvent, UploadProgressEvent, UploadStateEvent, UploadSuccessEvent,
  type UploadEventMap, type UploadResult, type UploadState,
} from './events.js';
export { UploadError, ClientErrorCode, ErrorKind, type UploadErrorInit } from './errors.js';
export type { UploadProgress } from './progress.js';
export type { Credentials, CredentialsProvider } from './credentials.js';
export { TokenEndpointCredentials, type TokenEndpointOptions } from './token-endpoint-credentials.js';
export type {
  StorageDialect, DialectId, Addressing, SigningContext, StoreChecksum, IntegrityRules, DialectLimits, Operation,
} from './dialect.js';
export { createDialect, isDialectId, DIALECT_IDS, type DialectOptions } from './dialects/index.js';
export type { StoreTarget } from './target.js';
export { keyProblem } from './object-key.js';
export { MemoryResumeStore, type ResumeStore, type ResumeRecord, type PendingAbort } from './resume-store.js';
export { IndexedDbResumeStore } from './idb-resume-store.js';
export { WorkerHasher, InlineHasher, type Hasher } from './hasher.js';
export type { BlobDigests, DigestAlgorithm } from './hash-blob.js';
export type { UploadListing } from './operations.js';
export type { Destination } from './upload.js';
export { retrying, isRetryable, type RetryOptions, type RetryLoop } from './retry.js';
export { Clock } from './clock.js';
export * from './limits.js';
