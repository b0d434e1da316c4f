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
} as const;
export type ClientErrorCode = (typeof ClientErrorCode)[keyof typeof ClientErrorCode];

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
}

export class UploadError extends Error {
  override readonly name = 'UploadError';
  /** A stable code: a store error code or a {@link ClientErrorCode}. */
  readonly code: string;
  readonly status: number | undefined;
  readonly requestId: string | undefined;
  readonly retryable: boolean;
  readonly details: Readonly<Record<string, string>>;

  constructor(code: string, message: string, init: UploadErrorInit = {}) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.code = code;
    this.status = init.status;
    this.requestId = init.requestId;
    this.retryable = init.retryable ?? false;
    this.details = init.details ?? {};
  }

  /** True when `e` is the cancellation of an operation by its caller. */
  static isCancel(e: unknown): boolean {
    return e instanceof UploadError && e.code === ClientErrorCode.Cancelled;
  }

  /** The error to throw when `signal` is aborted. */
  static cancelled(signal?: AbortSignal): UploadError {
    return new UploadError(ClientErrorCode.Cancelled, 'The operation was cancelled.', {
      cause: signal?.reason,
    });
  }
}

/** Throws {@link UploadError} `Cancelled` if the signal is aborted. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw UploadError.cancelled(signal);
}
