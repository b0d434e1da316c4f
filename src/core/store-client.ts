/**
 * Sends one store request: signs it at send time with fresh credentials and the learned
 * clock, and retries what is worth retrying. Every other part of the engine talks to the
 * store through here.
 *
 * - network errors, 5xx, 408, 429, RequestTimeout, SlowDown: backoff with jitter, bounded;
 * - SecurityTokenExpired / InvalidAccessKeyId: refresh the credentials, re-sign, retry once;
 * - RequestTimeTooSkewed: learn the offset from ServerTime, re-sign, retry;
 * - anything else: one typed {@link UploadError}, at once.
 */
import type { Clock } from './clock.js';
import type { Credentials, CredentialsProvider } from './credentials.js';
import type { StorageDialect } from './dialect.js';
import { ClientErrorCode, UploadError, throwIfAborted } from './errors.js';
import { DEFAULT_RETRY, backoffDelay, isExpiredCredentials, isRetryable, type RetryOptions } from './retry.js';
import { sleep } from './signals.js';
import { objectUrl, type StoreTarget } from './target.js';
import { leaves, parseXml } from './xml.js';

export interface StoreRequest {
  /** Names the operation in error messages, e.g. `UploadPart`. */
  operation: string;
  method: 'GET' | 'PUT' | 'POST' | 'DELETE' | 'HEAD';
  key: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: Blob | string;
  /** Read the answer's body as text (inside the retry loop). */
  readBody?: boolean;
}

export interface StoreResponse {
  status: number;
  headers: Headers;
  body: string;
  requestId: string | undefined;
}

export interface StoreClientDeps {
  dialect: StorageDialect;
  credentials: CredentialsProvider;
  clock: Clock;
  target: StoreTarget;
  retry?: RetryOptions;
  fetch?: typeof fetch;
}

/**
 * Hides the security token wherever the store echoes it back (StringToSign, CanonicalRequest),
 * and drops the byte dumps of those strings, which would carry it in hex.
 */
function redactSecrets(details: Record<string, string>, token: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(details)) {
    if (/Bytes$/.test(k)) continue;
    let value = v.replace(/(x-(?:oss|obs|amz)-security-token:)[^\n]*/gi, '$1<redacted>');
    if (token) value = value.split(token).join('<redacted>');
    out[k] = value;
  }
  return out;
}

/** Generous for slow links: 30 s, plus one second per 32 KiB of body. */
function attemptTimeoutMs(body: Blob | string | undefined): number {
  const size = body === undefined ? 0 : typeof body === 'string' ? body.length : body.size;
  return 30_000 + Math.ceil(size / (32 * 1024)) * 1000;
}

/** The error for a request stopped by its caller's signal: a timeout of theirs, or a cancel. */
function abortedBy(signal: AbortSignal, operation: string): UploadError {
  const reason = signal.reason as { name?: string } | undefined;
  if (reason?.name === 'TimeoutError') {
    return new UploadError('RequestTimeout', `${operation} did not finish in the time allowed.`, { cause: reason });
  }
  return UploadError.cancelled(signal);
}

export class StoreClient {
  readonly dialect: StorageDialect;
  readonly target: StoreTarget;
  private readonly retry: Required<RetryOptions>;
  private readonly doFetch: typeof fetch;

  constructor(private readonly deps: StoreClientDeps) {
    this.dialect = deps.dialect;
    this.target = deps.target;
    this.retry = { ...DEFAULT_RETRY, ...deps.retry };
    this.doFetch = deps.fetch ?? globalThis.fetch.bind(globalThis);
  }

  /** Sends `req` until it succeeds, fails terminally, or `signal` aborts. */
  async send(req: StoreRequest, signal?: AbortSignal): Promise<StoreResponse> {
    let attempt = 0;
    let refreshed = false;
    let skewFixes = 0;
    for (;;) {
      throwIfAborted(signal);
      attempt++;
      let credentials: Credentials | undefined;
      try {
        // Inside the try: a token endpoint that blips during a refresh is retried like the store.
        credentials = await this.deps.credentials.get(signal);
        return await this.once(req, credentials, signal);
      } catch (e) {
        if (signal?.aborted) throw abortedBy(signal, req.operation);
        const error = e as UploadError;
        if (UploadError.isCancel(error)) throw error;
        if (credentials && isExpiredCredentials(error) && !refreshed) {
          refreshed = true;
          this.deps.credentials.invalidate(credentials);
          attempt--;
          continue;
        }
        if (error.code === 'RequestTimeTooSkewed' && skewFixes < 2 && this.deps.clock.correct(error.details['ServerTime'])) {
          skewFixes++;
          attempt--;
          continue;
        }
        if (!isRetryable(error) || attempt >= this.retry.maxAttempts) throw error;
        await sleep(backoffDelay(attempt, this.retry), signal);
      }
    }
  }

  private async once(req: StoreRequest, credentials: Credentials, signal?: AbortSignal): Promise<StoreResponse> {
    const query = req.query ?? {};
    const headers = await this.dialect.sign(
      { method: req.method, target: this.target, key: req.key, query, headers: req.headers ?? {} },
      credentials,
      this.deps.clock.now(),
    );
    const url = objectUrl(this.target, req.key, query);
    // Each attempt has a deadline, so a stalled connection is retried instead of hanging.
    const timeoutMs = attemptTimeoutMs(req.body);
    const deadline = AbortSignal.timeout(timeoutMs);
    const attemptSignal = signal ? AbortSignal.any([signal, deadline]) : deadline;
    const timedOut = () => new UploadError('RequestTimeout', `${req.operation} got no complete answer within ${Math.round(timeoutMs / 1000)} s.`, { retryable: true });
    let response: Response;
    try {
      response = await this.doFetch(url, { method: req.method, headers, body: req.body ?? null, signal: attemptSignal, cache: 'no-store' });
    } catch (e) {
      if (signal?.aborted) throw abortedBy(signal, req.operation);
      if (deadline.aborted) throw timedOut();
      throw new UploadError(
        ClientErrorCode.NetworkError,
        `${req.operation} could not reach ${new URL(url).origin} (network error, or the bucket's CORS rules refused the request).`,
        { cause: e, retryable: true },
      );
    }
    const requestId = response.headers.get(this.dialect.requestIdHeader) ?? undefined;
    let body = '';
    if (req.method !== 'HEAD' && (req.readBody || !response.ok)) {
      try {
        body = await response.text();
      } catch (e) {
        if (signal?.aborted) throw abortedBy(signal, req.operation);
        if (deadline.aborted) throw timedOut();
        throw new UploadError(ClientErrorCode.NetworkError, `${req.operation}: the answer was cut off.`, { cause: e, retryable: true, requestId });
      }
    }
    if (!response.ok) throw this.errorFrom(req, response, body, requestId, credentials.securityToken);
    return { status: response.status, headers: response.headers, body, requestId };
  }

  private errorFrom(req: StoreRequest, response: Response, body: string, requestId: string | undefined, token: string | undefined): UploadError {
    const xml = body || this.dialect.errorFromHeaders?.(response.headers) || '';
    let details: Record<string, string> = {};
    try {
      if (xml) details = leaves(parseXml(xml));
    } catch {
      // not XML: a proxy's or gateway's page; the status code says enough
    }
    const code = details['Code'] || httpCode(response.status);
    const message = details['Message'] || `${req.operation} failed with HTTP ${response.status}.`;
    return new UploadError(code, `${req.operation}: ${message}`, {
      status: response.status,
      requestId: details['RequestId'] || requestId,
      details: redactSecrets(details, token),
    });
  }
}

function httpCode(status: number): string {
  return ({ 403: 'AccessDenied', 404: 'NotFound', 408: 'RequestTimeout', 429: 'SlowDown', 500: 'InternalError', 503: 'ServiceUnavailable' } as Record<number, string>)[status]
    ?? `HTTP${status}`;
}
