/**
 * The port between the token endpoint and whoever mints credentials: the local STS in
 * development and tests, Alibaba Cloud STS AssumeRole in production.
 */
import type { StsCredentials } from '../sts/local-sts.js';
import type { RamPolicy } from '../sts/ram-policy.js';

export type { StsCredentials };

/** What one token is for. */
export interface CredentialRequest {
  /** The user id, already validated (`[A-Za-z0-9_-]{1,64}`). */
  user: string;
  /** The inline policy that scopes the credentials. */
  policy: RamPolicy;
  /** How long the credentials live, in seconds. */
  ttlSeconds: number;
}

/** Mints temporary credentials. Implementations: `LocalIssuer`, `AlibabaStsIssuer`, `S3StsIssuer`. */
export interface CredentialIssuer {
  /**
   * `local` credentials are for the local store only; the endpoint then lets the client
   * choose a lifetime with `?ttl=` (so tests can make tokens expire mid-upload).
   */
  readonly mode: 'local' | 'alibaba' | 's3';
  /** Resolves to credentials or rejects with an {@link IssuerError}. */
  issue(request: CredentialRequest, signal?: AbortSignal): Promise<StsCredentials>;
}

/** A failure to mint, with the HTTP status the endpoint answers with. */
export class IssuerError extends Error {
  override readonly name = 'IssuerError';
  /** STS's request id, to quote to Alibaba support. */
  readonly requestId?: string;
  /** STS's own message: for the server log only, as it may quote the signed request. */
  readonly detail?: string;

  constructor(
    /** 502 when STS refused or could not be reached, 504 when it did not answer in time. */
    readonly status: 502 | 504,
    /** The STS error code (`SignatureDoesNotMatch`, …) or `StsUnreachable`, `StsTimeout`, `StsBadResponse`. */
    readonly code: string,
    message: string,
    init: { requestId?: string; detail?: string; cause?: unknown } = {},
  ) {
    super(message, { cause: init.cause });
    this.requestId = init.requestId;
    this.detail = init.detail;
  }
}
