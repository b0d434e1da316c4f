/**
 * Sends one store request: addresses it, has the dialect sign it at send time with fresh
 * credentials and the learned clock, and retries what is worth retrying (through the one
 * loop in retry.ts). Every other part of the engine talks to the store through here.
 *
 * - network errors, timeouts, throttling, 5xx: backoff with jitter, bounded;
 * - expired credentials: refresh, re-sign, retry once;
 * - clock skew: learn the offset from the store's `ServerTime`, re-sign, retry;
 * - anything else: one typed {@link UploadError}, at once.
 */
import { Addresser } from './addressing.js';
import type { Clock } from './clock.js';
import type { Credentials, CredentialsProvider } from './credentials.js';
import type { Operation, StorageDialect } from './dialect.js';
import { ClientErrorCode, ErrorKind, UploadError, unreadableBlob } from './errors.js';
import type { NetworkState } from './network-state.js';
import { retrying, type RetryOptions } from './retry.js';
import type { StoreTarget } from './target.js';
import { leaves, parseXml } from './xml.js';

export interface StoreRequest {
  operation: Operation;
  method: 'GET' | 'PUT' | 'POST' | 'DELETE' | 'HEAD';
  key: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: Blob | string;
  /** Read the answer's body as text (inside the retry loop). */
  readBody?: boolean;
  /**
   * False for a request that must not simply be sent again after a lost answer, because
   * the store may have acted on it (InitiateMultipartUpload creates an upload each time):
   * it is tried once, and the caller decides what to do about a transient failure.
   */
  idempotent?: boolean;
  /**
   * Sent with fetch's `keepalive`: once sent, it reaches the store even if the page closes
   * (the abort's first DELETE). Only for a request without a body.
   */
  keepalive?: boolean;
  /** Tried once: a best-effort request whose caller has its own fallback. */
  once?: boolean;
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
  retry?: RetryOptions | undefined;
  fetch?: typeof fetch | undefined;
  /** Whether the network is there: failures to reach the store while it is gone become `Offline` errors. */
  network?: NetworkState | undefined;
  /** Told of every failed attempt (before any retry): the concurrency limiter hears throttling here. */
  onAttemptFailed?: ((error: UploadError, operation: Operation) => void) | undefined;
}

/** The longest store message kept in an error's `message`; the whole text stays in `details.Message`. */
const MAX_MESSAGE_CHARS = 300;
/** How many times one request may learn the clock offset. */
const MAX_SKEW_FIXES = 2;

/**
 * Hides the security token wherever the store echoes it back (StringToSign, CanonicalRequest),
 * and drops the byte dumps of those strings, which would carry it in hex.
 */
function redactSecrets(details: Record<string, string>, token: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(details)) {
    if (/Bytes$/.test(k)) continue;
    // A bounded prefix: an unbounded `[\w-]*` would backtrack quadratically over a long message.
    let value = v.replace(/([\w-]{0,32}security-token[:=])[^\n&]*/gi, '$1<redacted>');
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

/** What an HTTP status alone says, when the dialect does not know the code. */
function kindFromStatus(status: number): ErrorKind {
  if (status === 408) return ErrorKind.Timeout;
  if (status === 429) return ErrorKind.Throttled;
  if (status >= 500) return ErrorKind.Unavailable;
  if (status === 403 || status === 401) return ErrorKind.AccessDenied;
  if (status === 404) return ErrorKind.NotFound;
  return ErrorKind.Unknown;
}

/** The fields of an error body: XML `<Error>`, or the JSON some OBS APIs answer. */
function errorFields(text: string): Record<string, string> {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{')) {
    try {
      const j = JSON.parse(trimmed) as Record<string, unknown>;
      const s = (v: unknown) => (typeof v === 'string' ? v : undefined);
      const out: Record<string, string> = {};
      const code = s(j['code']) ?? s(j['Code']);
      const message = s(j['message']) ?? s(j['Message']);
      const requestId = s(j['request_id']) ?? s(j['RequestId']);
      if (code) out['Code'] = code;
      if (message) out['Message'] = message;
      if (requestId) out['RequestId'] = requestId;
      return out;
    } catch {
      return {};
    }
  }
  try {
    return trimmed ? leaves(parseXml(trimmed)) : {};
  } catch {
    return {}; // not XML: a proxy's or gateway's page; the status says enough
  }
}

export class StoreClient {
  readonly dialect: StorageDialect;
  readonly target: StoreTarget;
  private readonly addresser: Addresser;
  private readonly doFetch: typeof fetch;
  /** The retry policy of this client's requests. */
  readonly retryPolicy: RetryOptions | undefined;

  constructor(private readonly deps: StoreClientDeps) {
    this.dialect = deps.dialect;
    this.target = deps.target;
    this.addresser = new Addresser(deps.target, deps.dialect);
    this.retryPolicy = deps.retry;
    this.doFetch = deps.fetch ?? globalThis.fetch.bind(globalThis);
  }

  /** The store's time, as the client's clock knows it. */
  now(): Date {
    return this.deps.clock.now();
  }

  /** The URL of `key` (no query): where the object lives. */
  objectUrl(key: string): string {
    return this.addresser.locate(key, {}).url;
  }

  /** Sends `req` until it succeeds, fails terminally, or `signal` aborts. */
  send(req: StoreRequest, signal?: AbortSignal): Promise<StoreResponse> {
    let credentials: Credentials | undefined;
    let refreshed = false;
    let skewFixes = 0;
    return retrying(
      async () => {
        credentials = undefined;
        try {
          credentials = await this.deps.credentials.get(signal);
        } catch (e) {
          // The token endpoint unreachable because the network is gone: wait, do not fail.
          throw await this.offlineOr(e, signal);
        }
        return this.once(req, credentials, signal);
      },
      {
        policy: req.idempotent === false || req.once ? { ...this.deps.retry, maxAttempts: 1 } : this.deps.retry,
        signal,
        recover: (error) => {
          this.deps.onAttemptFailed?.(error, req.operation);
          if (error.kind === ErrorKind.ExpiredCredentials && credentials && !refreshed) {
            refreshed = true;
            this.deps.credentials.invalidate(credentials);
            return true;
          }
          if (error.kind === ErrorKind.ClockSkew && skewFixes < MAX_SKEW_FIXES && this.deps.clock.correct(error.details['ServerTime'])) {
            skewFixes++;
            return true;
          }
          return false;
        },
      },
    );
  }

  /**
   * `error`, or an `Offline` error when it is a failure to reach anything and the network
   * is known gone (see network-state.ts): such a failure is not retried here, the upload
   * waits for the network instead of spending its attempts.
   */
  private async offlineOr(error: unknown, signal?: AbortSignal): Promise<unknown> {
    const network = this.deps.network;
    if (!network || !(error instanceof UploadError) || UploadError.isCancel(error) || signal?.aborted) return error;
    const unreached = error.status === undefined
      && (error.kind === ErrorKind.Network || error.kind === ErrorKind.Timeout || error.kind === ErrorKind.Credentials);
    if (!unreached || !(await network.isOffline(this.origin))) return error;
    return new UploadError(ClientErrorCode.Offline, `No network: ${error.message}`, { cause: error, kind: ErrorKind.Offline });
  }

  private get origin(): string {
    return new URL(this.objectUrl('x')).origin;
  }

  private async once(req: StoreRequest, credentials: Credentials, signal?: AbortSignal): Promise<StoreResponse> {
    const query = req.query ?? {};
    const where = this.addresser.locate(req.key, query);
    const headers = await this.dialect.sign({
      request: {
        method: req.method, host: where.host, path: where.path, bucket: this.target.bucket,
        key: req.key, query, headers: req.headers ?? {},
      },
      credentials,
      region: this.target.region,
      now: this.deps.clock.now(),
    });
    // Each attempt has a deadline, so a stalled connection is retried instead of hanging; the
    // network going away (the browser's `offline` event) stops it too. The deadline and the
    // caller's signal are let go of once the answer is read whole, so nothing aborts a
    // request that has already finished (which the browser would log as net::ERR_ABORTED).
    const timeoutMs = attemptTimeoutMs(req.body);
    const attempt = new AbortController();
    let timedOut = false;
    let wentOffline = false;
    const timer = setTimeout(() => {
      timedOut = true;
      attempt.abort(new DOMException('The attempt timed out.', 'TimeoutError'));
    }, timeoutMs);
    const onAbort = () => attempt.abort(signal?.reason);
    const offline = this.deps.network?.offlineSignal;
    const onOffline = () => {
      wentOffline = true;
      attempt.abort(offline?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    offline?.addEventListener('abort', onOffline, { once: true });
    if (signal?.aborted) onAbort();
    else if (offline?.aborted) onOffline();
    const settle = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      offline?.removeEventListener('abort', onOffline);
    };
    const failure = async (e: unknown, what: string, requestId?: string): Promise<unknown> => {
      if (signal?.aborted) return UploadError.fromAbort(signal, req.operation);
      if (timedOut) {
        return this.offlineOr(new UploadError('RequestTimeout', `${req.operation} got no complete answer within ${Math.round(timeoutMs / 1000)} s.`, { kind: ErrorKind.Timeout, requestId }));
      }
      const error = new UploadError(ClientErrorCode.NetworkError, what, { cause: e, requestId });
      return wentOffline || (await this.deps.network?.isOffline(this.origin))
        ? new UploadError(ClientErrorCode.Offline, `No network: ${what}`, { cause: e, kind: ErrorKind.Offline, requestId })
        : error;
    };
    let response: Response;
    let body = '';
    try {
      try {
        response = await this.doFetch(where.url, {
          method: req.method, headers, body: req.body ?? null, signal: attempt.signal, cache: 'no-store',
          ...(req.keepalive && !req.body ? { keepalive: true } : {}),
        });
      } catch (e) {
        // A file that changed on disk fails its request like the network would: tell them apart.
        if (req.body instanceof Blob && !signal?.aborted && !timedOut) {
          const unreadable = await unreadableBlob(req.body, e);
          if (unreadable) throw unreadable;
        }
        throw await failure(e, `${req.operation} could not reach ${new URL(where.url).origin} (network error, or the bucket's CORS rules refused the request).`);
      }
      const requestId = response.headers.get(this.dialect.requestIdHeader) ?? undefined;
      if (req.method !== 'HEAD') {
        // Read whole, even when unused (UploadPart's empty body): the request is then over.
        try {
          body = await response.text();
        } catch (e) {
          throw await failure(e, `${req.operation}: the answer was cut off.`, requestId);
        }
      }
      if (!response.ok) throw this.errorFrom(req, response, body, requestId, credentials.securityToken);
      return { status: response.status, headers: response.headers, body, requestId };
    } finally {
      settle();
    }
  }

  /** The typed error for an error answer (also for a 200 whose body is an `<Error>`). */
  errorFrom(req: { operation: Operation }, response: { status: number; headers: Headers }, body: string, requestId: string | undefined, token?: string): UploadError {
    const fields = errorFields(body || this.dialect.bodilessError?.(response.headers) || '');
    const status = response.status;
    // A gateway's HTML page (502, 504) has no code: name it by what it means.
    const code = fields['Code'] || (status >= 500 ? ClientErrorCode.ServiceUnavailable : `HTTP${status}`);
    const full = fields['Message'] || `${req.operation} failed with HTTP ${status}.`;
    const message = full.length > MAX_MESSAGE_CHARS ? full.slice(0, MAX_MESSAGE_CHARS) + '…' : full;
    const kind = this.dialect.errorKind(code, status, req.operation) ?? (status >= 400 ? kindFromStatus(status) : ErrorKind.Unknown);
    return new UploadError(code, `${req.operation}: ${message}`, {
      status, kind,
      requestId: fields['RequestId'] || requestId,
      details: redactSecrets(fields, token),
    });
  }
}
