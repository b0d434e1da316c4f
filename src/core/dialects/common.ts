/**
 * What the three dialects share, because OSS and OBS were modelled on S3: the error codes
 * of the S3 family and their meaning, and the CORS rule every store needs. Each dialect
 * starts from these and adds its own.
 */
import type { Operation } from '../dialect.js';
import { ErrorKind } from '../errors.js';

/** Error codes all three stores use, and what they mean to an uploader (protocol.md §2). */
export const S3_FAMILY_ERROR_KINDS: Readonly<Record<string, ErrorKind>> = {
  NoSuchUpload: ErrorKind.UploadGone,
  NoSuchBucket: ErrorKind.NotFound,
  NoSuchKey: ErrorKind.NotFound,
  AccessDenied: ErrorKind.AccessDenied,
  InvalidAccessKeyId: ErrorKind.ExpiredCredentials,
  SignatureDoesNotMatch: ErrorKind.Signature,
  RequestTimeTooSkewed: ErrorKind.ClockSkew,
  InvalidPart: ErrorKind.InvalidPartList,
  InvalidPartOrder: ErrorKind.InvalidPartList,
  EntityTooSmall: ErrorKind.InvalidInput,
  EntityTooLarge: ErrorKind.InvalidInput,
  MalformedXML: ErrorKind.InvalidInput,
  InvalidArgument: ErrorKind.InvalidInput,
  InvalidObjectName: ErrorKind.InvalidInput,
  KeyTooLongError: ErrorKind.InvalidInput,
  MissingContentLength: ErrorKind.InvalidInput,
  RequestTimeout: ErrorKind.Timeout,
  InternalError: ErrorKind.Unavailable,
  ServiceUnavailable: ErrorKind.Unavailable,
  SlowDown: ErrorKind.Throttled,
  TooManyRequests: ErrorKind.Throttled,
};

/** Operations that address an upload id: there a missing key means the upload is gone. */
const UPLOAD_ID_OPERATIONS: ReadonlySet<string> = new Set([
  'UploadPart', 'CompleteMultipartUpload', 'AbortMultipartUpload', 'ListParts',
]);

/**
 * What `code` means in a dialect whose own codes are `table`. `NoSuchKey` where an upload id
 * is addressed means the upload is gone (Ceph RGW answers it to ListParts after an abort).
 */
export function errorKindIn(table: Readonly<Record<string, ErrorKind>>, code: string, operation: Operation): ErrorKind | undefined {
  if (code === 'NoSuchKey' && UPLOAD_ID_OPERATIONS.has(operation)) return ErrorKind.UploadGone;
  return table[code];
}

/** Forbid-overwrite by one header (`x-oss-forbid-overwrite`, `x-obs-forbid-overwrite`) on every operation that creates the object. */
export function forbidOverwriteHeader(name: string): (operation: Operation) => Record<string, string> {
  return (operation) =>
    operation === 'PutObject' || operation === 'InitiateMultipartUpload' || operation === 'CompleteMultipartUpload' ? { [name]: 'true' } : {};
}

/** The methods and headers every uploader's CORS rule needs. */
export const CORS_METHODS = ['GET', 'PUT', 'POST', 'DELETE', 'HEAD'] as const;

/** The rule as the S3-family XML (`PutBucketCors`) writes it. */
export function corsRuleXml(origin: string, expose: readonly string[]): string {
  return (
    `<CORSRule><AllowedOrigin>${origin}</AllowedOrigin>` +
    CORS_METHODS.map((m) => `<AllowedMethod>${m}</AllowedMethod>`).join('') +
    '<AllowedHeader>*</AllowedHeader>' +
    expose.map((h) => `<ExposeHeader>${h}</ExposeHeader>`).join('') +
    '<MaxAgeSeconds>600</MaxAgeSeconds></CORSRule>'
  );
}
