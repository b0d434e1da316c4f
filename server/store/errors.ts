/**
 * The store's errors: one class, {@link OssError}, with the OSS code, HTTP status, message
 * and the extra fields OSS puts in the `<Error>` body (`StringToSign`, `ServerTime`, …),
 * plus a constructor per code so the texts stay the same everywhere.
 *
 * `EC` values: the ones listed in {@link KNOWN_EC} were read in Alibaba's error-code pages
 * (help.aliyun.com …/oss/support/<EC>) or in real error bodies. OSS has many ECs per code
 * (one per cause); for the codes not listed the store writes {@link LOCAL_EC}, which is not a
 * real OSS value. Clients must branch on `Code`, never on `EC`.
 */
import { MAX_CLOCK_SKEW_MS, MAX_PART_NUMBER } from '../../src/core/limits.js';
import { OSS_MIN_PART_SIZE } from '../../src/core/dialects/oss/dialect.js';
import { xmlDocument, type XmlNode } from './xml.js';

export const LOCAL_EC = '0000-00000000';

const KNOWN_EC: Record<string, string> = {
  NoSuchKey: '0026-00000001',
  NoSuchBucket: '0015-00000101',
  NoSuchUpload: '0042-00000002',
  SignatureDoesNotMatch: '0002-00000040',
  RequestTimeTooSkewed: '0002-00000504',
  SecurityTokenExpired: '0002-00000007',
  InvalidPartOrder: '0042-00000209',
  EntityTooSmall: '0042-00000213',
};

/**
 * A failure, in OSS terms. The store's code throws these; a dialect other than OSS renames
 * the codes its vendor spells differently when it answers (server/store/dialects/).
 */
export class OssError extends Error {
  override readonly name = 'OssError';
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    /** Extra leaf elements of the `<Error>` body, in order. */
    readonly extra: Readonly<Record<string, string>> = {},
    readonly ec: string = KNOWN_EC[code] ?? LOCAL_EC,
  ) {
    super(message);
  }
}

/** The OSS error document for `err` (other dialects: server/store/dialects/). */
export function errorXml(err: OssError, requestId: string, hostId: string): string {
  const nodes: XmlNode[] = [
    ['Code', err.code],
    ['Message', err.message],
    ['RequestId', requestId],
    ['HostId', hostId],
    ...Object.entries(err.extra),
    ['EC', err.ec],
    ['RecommendDoc', `https://api.aliyun.com/troubleshoot?q=${err.ec}`],
  ];
  return xmlDocument('Error', nodes);
}

/** Bytes of `text` as OSS lists them in `StringToSignBytes`: `50 55 54 0A …`. */
function hexBytes(text: string): string {
  return [...Buffer.from(text, 'utf8')].map((b) => b.toString(16).toUpperCase().padStart(2, '0')).join(' ');
}

const e = (code: string, status: number, message: string, extra?: Record<string, string>, ec?: string) =>
  new OssError(code, status, message, extra, ec);

export const Errors = {
  // -- authentication and authorization
  accessDenied: (message = 'You have no right to access this object because of bucket acl.') =>
    e('AccessDenied', 403, message),
  missingDate: () => e('AccessDenied', 403, 'OSS authentication requires a valid Date.'),
  authorizationInvalid: (value: string) =>
    e('InvalidArgument', 400, 'Authorization header is invalid.', { ArgumentName: 'Authorization', ArgumentValue: value }),
  v4CredentialInvalid: (what: 'date' | 'region', expected: string) =>
    e('InvalidArgument', 400, `Invalid signing ${what} in Authorization header, expected ${expected}.`, {},
      what === 'date' ? '0002-00000212' : '0002-00000226'),
  contentSha256Invalid: (value: string | undefined) =>
    e('InvalidArgument', 400, 'x-oss-content-sha256 must be UNSIGNED-PAYLOAD for V4 signatures.',
      { ArgumentName: 'x-oss-content-sha256', ArgumentValue: value ?? '' }, '0002-00000214'),
  invalidAccessKeyId: (accessKeyId: string, message = 'The OSS Access Key Id you provided does not exist in our records.') =>
    e('InvalidAccessKeyId', 403, message, { OSSAccessKeyId: accessKeyId }),
  securityTokenExpired: (message = 'The security token you provided has expired.') => e('SecurityTokenExpired', 403, message),
  signatureDoesNotMatch: (f: { accessKeyId: string; provided: string; stringToSign: string; canonicalRequest?: string }) =>
    e('SignatureDoesNotMatch', 403,
      'The request signature we calculated does not match the signature you provided. Check your key and signing method.', {
        OSSAccessKeyId: f.accessKeyId,
        SignatureProvided: f.provided,
        StringToSign: f.stringToSign,
        StringToSignBytes: hexBytes(f.stringToSign),
        ...(f.canonicalRequest === undefined ? {} : { CanonicalRequest: f.canonicalRequest }),
      }),
  requestTimeTooSkewed: (requestTime: string, serverTime: Date) =>
    e('RequestTimeTooSkewed', 403, 'The difference between the request time and the current time is too large.', {
      RequestTime: requestTime,
      ServerTime: serverTime.toISOString(),
      MaxAllowedSkewMilliseconds: String(MAX_CLOCK_SKEW_MS),
    }),
  presignedUnsupported: () =>
    e('NotImplemented', 501, 'The local store accepts signatures in the Authorization header only (and S3 SigV4 query-string signatures), not this presigned URL.'),
  /** S3: a presigned URL's X-Amz-* parameters are missing or malformed. */
  authorizationQueryParametersError: (message: string, region?: string) =>
    e('AuthorizationQueryParametersError', 400, message, region === undefined ? {} : { Region: region }),
  /** S3: a presigned URL used after X-Amz-Date + X-Amz-Expires. */
  presignedExpired: (expiresSeconds: string, expires: Date, serverTime: Date) =>
    e('AccessDenied', 403, 'Request has expired', {
      'X-Amz-Expires': expiresSeconds, Expires: expires.toISOString(), ServerTime: serverTime.toISOString(),
    }),
  /** S3: a presigned URL whose X-Amz-Date is further ahead of the server's clock than the allowed skew. */
  presignedNotYetValid: (requestTime: string, serverTime: Date) =>
    e('AccessDenied', 403, 'Request is not valid yet', { 'X-Amz-Date': requestTime, ServerTime: serverTime.toISOString() }),
  /** S3: the Authorization header and a query-string signature in the same request. */
  twoAuthMechanisms: () =>
    e('InvalidArgument', 400, 'Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified',
      { ArgumentName: 'Authorization', ArgumentValue: '' }),

  // -- addressing
  noSuchBucket: (bucket: string) => e('NoSuchBucket', 404, 'The specified bucket does not exist.', { BucketName: bucket }),
  noSuchKey: (key: string) => e('NoSuchKey', 404, 'The specified key does not exist.', { Key: key }),
  noSuchUpload: (uploadId: string) =>
    e('NoSuchUpload', 404, 'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.', { UploadId: uploadId }),
  invalidObjectName: (why: string) => e('InvalidObjectName', 400, `The specified object is not valid: ${why}.`),
  invalidUri: () => e('InvalidURI', 400, 'Could not parse the specified URI.'),
  methodNotAllowed: (method: string) =>
    e('MethodNotAllowed', 405, 'The specified method is not allowed against this resource.', { Method: method }),
  notImplemented: (what: string) => e('NotImplemented', 501, `The local store does not implement ${what}.`),

  // -- arguments and bodies
  invalidArgument: (message: string, name?: string, value?: string) =>
    e('InvalidArgument', 400, message, name === undefined ? {} : { ArgumentName: name, ArgumentValue: value ?? '' }),
  invalidPartNumber: (value: string) =>
    e('InvalidArgument', 400, `Part number must be an integer between 1 and ${MAX_PART_NUMBER}.`, { ArgumentName: 'partNumber', ArgumentValue: value }),
  invalidDigest: (contentMd5: string) =>
    e('InvalidDigest', 400, 'The Content-MD5 you specified was invalid.', { 'Content-MD5': contentMd5 }),
  incompleteBody: () =>
    e('IncompleteBody', 400, 'You did not provide the number of bytes specified by the Content-Length HTTP header.'),
  requestTimeout: () =>
    e('RequestTimeout', 400, 'Your socket connection to the server was not read from or written to within the timeout period.'),
  entityTooLarge: (max: number) =>
    e('EntityTooLarge', 400, 'Your proposed upload exceeds the maximum allowed size.', { MaxSizeAllowed: String(max) }),
  malformedXml: (detail?: string) =>
    e('MalformedXML', 400, 'The XML you provided was not well-formed or did not validate against our published schema.',
      detail ? { ErrorDetail: detail } : {}),
  fileAlreadyExists: () => e('FileAlreadyExists', 409, 'The object you specified already exists and can not be overwritten.'),
  invalidRange: (size: number) => e('InvalidRange', 416, 'The requested range cannot be satisfied', { ActualObjectSize: String(size) }),

  // -- multipart
  invalidPart: (partNumber: number, etag: string) =>
    e('InvalidPart', 400,
      "One or more of the specified parts could not be found or the specified entity tag might not have matched the part's entity tag.",
      { PartNumber: String(partNumber), ETag: etag }),
  invalidPartOrder: () =>
    e('InvalidPartOrder', 400, 'The list of parts was not in ascending order. Parts list must be specified in order by part number.'),
  entityTooSmall: (partNumber: number, size: number, min: number = OSS_MIN_PART_SIZE) =>
    e('EntityTooSmall', 400, 'Your proposed upload is smaller than the minimum allowed size.', {
      MinSizeAllowed: String(min), ProposedSize: String(size), PartNumber: String(partNumber),
    }),

  // -- S3 and OBS only (their SigV4 / checksum headers)
  authorizationHeaderMalformed: (message: string, region?: string) =>
    e('AuthorizationHeaderMalformed', 400, message, region === undefined ? {} : { Region: region }),
  contentSha256Mismatch: (claimed: string, computed: string) =>
    e('XAmzContentSHA256Mismatch', 400, 'The provided \'x-amz-content-sha256\' header does not match what was computed.', {
      ClientComputedContentSHA256: claimed, S3ComputedContentSHA256: computed,
    }),
  checksumMismatch: (algorithm: string, expected: string, computed: string) =>
    e('BadDigest', 400, `The ${algorithm} you specified did not match the calculated checksum.`, {
      [`Expected${algorithm}`]: expected, [`Calculated${algorithm}`]: computed,
    }),
  invalidRequest: (message: string) => e('InvalidRequest', 400, message),

  // -- CORS
  corsForbidden: () =>
    e('AccessForbidden', 403,
      'CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource\'s CORS spec.'),
  noSuchCors: () => e('NoSuchCORSConfiguration', 404, 'The CORS Configuration does not exist.'),

  internal: () => e('InternalError', 500, 'We encountered an internal error. Please try again.'),
};
