/**
 * The one error class of the engine. Every failure that reaches a caller is an
 * `UploadError` with a stable `code`: either a store error code (`NoSuchUpload`,
 * `AccessDenied`, …) or one of the client codes below.
 */

/** Codes the client itself raises (store codes pass through verbatim). */
export const ClientErrorCode = {
  /** The operation was cancelled by the caller (the interrupt). */
  Cancelled: 'Cancelled',
  /** A network failure: the request never got an HTTP answer. */
  NetworkError: 'NetworkError',
  /** The token endpoint failed or answered something that is not credentials. */
  CredentialsError: 'CredentialsError',
  /** CORS hides a response header the upload needs (ETag). */
  CorsExposeHeaders: 'CorsExposeHeaders',
  /** A CRC-64 computed here differs from the store's. */
  CrcMismatch: 'CrcMismatch',
  /** A response the client could not understand. */
  MalformedResponse: 'MalformedResponse',
  /** The file or options break a protocol limit. */
  InvalidInput: 'InvalidInput',
  /** An abort could not be confirmed: parts survived every DELETE. */
  AbortUnconfirmed: 'AbortUnconfirmed',
  /** The store (or a gateway before it) failed without saying why: a 5xx with no error code. */
  ServiceUnavailable: 'ServiceUnavailable',
  /** The file changed, moved or was deleted while it uploaded: the browser no longer reads it. */
  FileUnreadable: 'FileUnreadable',
  /** No network: the browser says it is offline, or not even a probe reaches the store. */
  Offline: 'Offline',
  /** The checksum of the file could not be computed: the hasher failed (a worker and its fresh replacement, or the hasher was disposed). */
  HashFailed: 'HashFailed',
} as const;
export type ClientErrorCode = (typeof ClientErrorCode)[keyof typeof ClientErrorCode];

/**
 * What an error means, whatever the vendor's code: the dialect maps its store codes onto
 * these (OSS `SecurityTokenExpired`, S3 `ExpiredToken` → `expired-credentials`), so the
 * retry rules, the upload and the element decide by meaning and never by a vendor's code.
 */
export const ErrorKind = {
  /** The caller cancelled (the interrupt). */
  Cancelled: 'cancelled',
  /** No HTTP answer: offline, DNS, connection reset, or CORS refused the request. */
  Network: 'network',
  /** No complete answer in the time allowed. */
  Timeout: 'timeout',
  /**
   * No network at all (the browser is offline, or not even a probe reaches the store): not
   * retried by the request, the upload waits for the network and goes on by itself.
   */
  Offline: 'offline',
  /** The store asks to slow down (429, SlowDown, throttling codes). */
  Throttled: 'throttled',
  /** The store failed or is unavailable (5xx, InternalError, a gateway's HTML page). */
  Unavailable: 'unavailable',
  /** The temporary credentials expired or are unknown: refresh, re-sign, retry. */
  ExpiredCredentials: 'expired-credentials',
  /** The token endpoint failed or handed out unusable credentials. */
  Credentials: 'credentials',
  /** The request's date is too far from the store's clock: learn the offset, re-sign. */
  ClockSkew: 'clock-skew',
  /** The store refused the signature (a bug, or a clock problem). */
  Signature: 'signature',
  /** The policy forbids it (prefix, action, not the initiator). */
  AccessDenied: 'access-denied',
  /** The bucket's CORS rules hide a header the upload needs. */
  Cors: 'cors',
  /** The store received other bytes than were sent (Content-MD5 / checksum refused). */
  BadDigest: 'bad-digest',
  /** A checksum computed here differs from the store's after it accepted the bytes. */
  Integrity: 'integrity',
  /** The multipart upload no longer exists (aborted, completed, expired). */
  UploadGone: 'upload-gone',
  /** Complete's part list disagrees with the store's (InvalidPart, InvalidPartOrder). */
  InvalidPartList: 'invalid-part-list',
  /** The object already exists and overwriting was forbidden. */
  ObjectExists: 'object-exists',
  /** No such object, bucket or resource. */
  NotFound: 'not-found',
  /** The file, the key or the options break a rule (also EntityTooSmall, MalformedXML). */
  InvalidInput: 'invalid-input',
  /** An answer the client could not understand. */
  MalformedResponse: 'malformed-response',
  /** An abort could not be confirmed. */
  AbortUnconfirmed: 'abort-unconfirmed',
  /** Anything else. */
  Unknown: 'unknown',
} as const;
export type ErrorKind = (typeof ErrorKind)[keyof typeof ErrorKind];

const CLIENT_CODE_KINDS: Readonly<Record<string, ErrorKind>> = {
  [ClientErrorCode.Cancelled]: ErrorKind.Cancelled,
  [ClientErrorCode.NetworkError]: ErrorKind.Network,
  [ClientErrorCode.CredentialsError]: ErrorKind.Credentials,
  [ClientErrorCode.CorsExposeHeaders]: ErrorKind.Cors,
  [ClientErrorCode.CrcMismatch]: ErrorKind.Integrity,
  [ClientErrorCode.MalformedResponse]: ErrorKind.MalformedResponse,
  [ClientErrorCode.InvalidInput]: ErrorKind.InvalidInput,
  [ClientErrorCode.AbortUnconfirmed]: ErrorKind.AbortUnconfirmed,
  [ClientErrorCode.ServiceUnavailable]: ErrorKind.Unavailable,
  [ClientErrorCode.Offline]: ErrorKind.Offline,
};

export interface UploadErrorInit {
  /** HTTP status, when the store answered. */
  status?: number;
  /** The store's request id (`x-oss-request-id` and friends). */
  requestId?: string;
  /** Whether trying again may succeed. */
  retryable?: boolean;
  /** The underlying error. */
  cause?: unknown;
  /** Extra fields of the store's error body (e.g. `StringToSign`, `ServerTime`). */
  details?: Readonly<Record<string, string>>;
  /** What the error means; default from the client codes, else `unknown`. Store errors get theirs from the dialect. */
  kind?: ErrorKind;
}

export class UploadError extends Error {
  override readonly name = 'UploadError';
  /** A stable code: a store error code or a {@link ClientErrorCode}. */
  readonly code: string;
  readonly status: number | undefined;
  readonly requestId: string | undefined;
  readonly retryable: boolean;
  readonly details: Readonly<Record<string, string>>;
  /** What the error means, independent of the vendor (see {@link ErrorKind}). */
  readonly kind: ErrorKind;

  constructor(code: string, message: string, init: UploadErrorInit = {}) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.code = code;
    this.status = init.status;
    this.requestId = init.requestId;
    this.retryable = init.retryable ?? false;
    this.details = init.details ?? {};
    this.kind = init.kind ?? CLIENT_CODE_KINDS[code] ?? ErrorKind.Unknown;
  }

  /** True when `e` is the cancellation of an operation by its caller. */
  static isCancel(e: unknown): boolean {
    return e instanceof UploadError && e.code === ClientErrorCode.Cancelled;
  }

  /** The error for a caller's cancel. */
  static cancelled(signal?: AbortSignal): UploadError {
    return new UploadError(ClientErrorCode.Cancelled, 'The operation was cancelled.', {
      cause: signal?.reason,
    });
  }

  /**
   * The error to throw when `signal` has aborted: a deadline's (`AbortSignal.timeout`) is a
   * retryable `RequestTimeout` of kind `timeout`; anything else is the caller's cancel.
   */
  static fromAbort(signal: AbortSignal, what = 'The operation'): UploadError {
    const reason = signal.reason as { name?: string } | undefined;
    if (reason?.name === 'TimeoutError') {
      return new UploadError('RequestTimeout', `${what} did not finish in the time allowed.`, { cause: reason, kind: ErrorKind.Timeout });
    }
    return UploadError.cancelled(signal);
  }
}

/** Throws (see {@link UploadError.fromAbort}) if the signal is aborted. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw UploadError.fromAbort(signal);
}

/**
 * The error for a file the browser can no longer read (it changed, moved or was deleted
 * after it was picked: NotReadableError, NotFoundError), or undefined when `e` is not that.
 * Not retried: the same bytes cannot be read again.
 */
export function fileUnreadable(e: unknown): UploadError | undefined {
  const text = `${(e as { name?: string })?.name ?? ''} ${(e as { message?: string })?.message ?? String(e)}`;
  if (!/\b(NotReadableError|NotFoundError)\b/.test(text)) return undefined;
  return fileUnreadableError(e);
}

/**
 * After a failure that does not say why (a hash worker's stream read reports only
 * "TypeError: network error"; fetch, a network error): whether `blob` itself can still be
 * read. The FileUnreadable error when it cannot, else undefined.
 */
export async function unreadableBlob(blob: Blob, e: unknown): Promise<UploadError | undefined> {
  return fileUnreadable(e) ?? blob.slice(0, 1).arrayBuffer().then(() => undefined, (err: unknown) => fileUnreadableError(err));
}

function fileUnreadableError(cause: unknown): UploadError {
  return new UploadError(
    ClientErrorCode.FileUnreadable,
    'The file changed, moved or was deleted while it was uploading, so it can no longer be read. Pick it again to upload it.',
    { kind: ErrorKind.InvalidInput, cause },
  );
}
