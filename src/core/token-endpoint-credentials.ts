/**
 * Credentials from the application's token endpoint: `GET url` answers JSON
 * `{AccessKeyId, AccessKeySecret, SecurityToken, Expiration, endpoint?, bucket?, region?,
 * keyPrefix?, dialect?}` (the shape of an STS AssumeRole answer, plus where to upload and
 * which dialect the store speaks).
 *
 * One fetch at a time is shared by every upload; credentials are refreshed ahead of expiry.
 * An endpoint that blips is retried (through the one retry loop) within a bounded total
 * time: {@link DEFAULT_ATTEMPT_TIMEOUT_MS} per attempt, {@link DEFAULT_TOTAL_TIMEOUT_MS} in all.
 */
import { needsRefresh, type Credentials, type CredentialsProvider } from './credentials.js';
import { isDialectId } from './dialects/index.js';
import { ClientErrorCode, ErrorKind, UploadError } from './errors.js';
import { retrying } from './retry.js';
import { raceSignal } from './signals.js';
import type { StoreTarget } from './target.js';

/** One attempt at the endpoint may take this long. */
export const DEFAULT_ATTEMPT_TIMEOUT_MS = 10_000;
/** All attempts together (with their backoff) may take this long; then CredentialsError. */
export const DEFAULT_TOTAL_TIMEOUT_MS = 30_000;
/** A credentials answer is a few hundred bytes; anything over this is refused unread. */
export const MAX_TOKEN_ANSWER_BYTES = 64 * 1024;

export interface TokenEndpointOptions {
  /** URL of the token endpoint, e.g. `/api/sts-token`. */
  url: string;
  /** Extra `fetch` options (credentials mode, headers such as a CSRF token). */
  init?: RequestInit;
  /** Give up on one attempt after this long. Default {@link DEFAULT_ATTEMPT_TIMEOUT_MS}. */
  timeoutMs?: number;
  /** Give up on the endpoint after this long in all. Default {@link DEFAULT_TOTAL_TIMEOUT_MS}. */
  totalTimeoutMs?: number;
  /** Injected for tests; default `globalThis.fetch`. */
  fetch?: typeof fetch;
}

interface Current {
  credentials: Credentials;
  target: Partial<StoreTarget>;
  fetchedAt: number;
}

const REQUIRED = ['AccessKeyId', 'AccessKeySecret', 'SecurityToken', 'Expiration'] as const;

function credentialsError(message: string, init: { cause?: unknown; status?: number; retryable?: boolean } = {}): UploadError {
  return new UploadError(ClientErrorCode.CredentialsError, message, { ...init, kind: ErrorKind.Credentials });
}

/** The body as text, refusing more than `cap` bytes without reading them all. */
async function readCapped(response: Response, cap: number, url: string): Promise<string> {
  const tooBig = () => credentialsError(`The token endpoint ${url} answered more than ${cap} bytes; credentials are a few hundred.`);
  const declared = Number(response.headers.get('content-length'));
  if (declared > cap) {
    await response.body?.cancel().catch(() => undefined);
    throw tooBig();
  }
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > cap) {
      await reader.cancel().catch(() => undefined);
      throw tooBig();
    }
    chunks.push(value);
  }
  const all = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    all.set(c, at);
    at += c.length;
  }
  return new TextDecoder().decode(all);
}

export class TokenEndpointCredentials implements CredentialsProvider {
  private current: Current | undefined;
  private inflight: Promise<Current> | undefined;

  constructor(private readonly opts: TokenEndpointOptions) {}

  async get(signal?: AbortSignal): Promise<Credentials> {
    return (await this.load(signal)).credentials;
  }

  async target(signal?: AbortSignal): Promise<Partial<StoreTarget>> {
    return (await this.load(signal)).target;
  }

  invalidate(stale: Credentials): void {
    if (this.current?.credentials === stale) this.current = undefined;
  }

  private load(signal?: AbortSignal): Promise<Current> {
    const c = this.current;
    if (c && !needsRefresh(c.credentials, c.fetchedAt, Date.now())) return Promise.resolve(c);
    this.inflight ??= this.fetchWithRetries().finally(() => {
      this.inflight = undefined;
    });
    return raceSignal(this.inflight, signal);
  }

  /** Fetches until usable credentials arrive; a failure that outlasts the retries is final (not retried again by callers). */
  private async fetchWithRetries(): Promise<Current> {
    let expiredAnswers = 0;
    try {
      const current = await retrying(
        async () => {
          const c = await this.fetchOnce();
          if (c.credentials.expiration && c.credentials.expiration.getTime() <= Date.now()) {
            // Once may be a race with a rotation; twice is the endpoint's fault.
            expiredAnswers++;
            throw credentialsError(
              `The token endpoint ${this.opts.url} hands out credentials that have already expired ` +
                `(Expiration ${c.credentials.expiration.toISOString()}, this page's clock ${new Date().toISOString()}` +
                `${c.skewMs ? `, the endpoint's clock is ${Math.round(c.skewMs / 1000)} s off` : ''}).`,
              { retryable: expiredAnswers < 2 },
            );
          }
          return c;
        },
        {
          policy: { maxAttempts: 5, baseDelayMs: 300, maxDelayMs: 5000 },
          retryable: (e) => e.retryable,
          deadlineMs: this.opts.totalTimeoutMs ?? DEFAULT_TOTAL_TIMEOUT_MS,
        },
      );
      this.current = current;
      return current;
    } catch (e) {
      if (e instanceof UploadError && e.retryable) {
        throw new UploadError(e.code, e.message, { status: e.status, cause: e.cause, kind: e.kind, retryable: false });
      }
      throw e;
    }
  }

  private async fetchOnce(): Promise<Current & { skewMs: number }> {
    const doFetch = this.opts.fetch ?? globalThis.fetch.bind(globalThis);
    const url = this.opts.url;
    let response: Response;
    let text: string;
    const timeoutMs = this.opts.timeoutMs ?? DEFAULT_ATTEMPT_TIMEOUT_MS;
    try {
      response = await doFetch(url, { cache: 'no-store', ...this.opts.init, signal: AbortSignal.timeout(timeoutMs) });
      if (!response.ok) {
        await response.body?.cancel().catch(() => undefined);
        throw credentialsError(`The token endpoint ${url} answered HTTP ${response.status}.`, {
          status: response.status, retryable: response.status >= 500 || response.status === 429 || response.status === 408,
        });
      }
      text = await readCapped(response, MAX_TOKEN_ANSWER_BYTES, url);
    } catch (e) {
      if (e instanceof UploadError) throw e;
      const timedOut = (e as { name?: string })?.name === 'TimeoutError';
      throw credentialsError(
        timedOut ? `The token endpoint ${url} did not answer within ${timeoutMs / 1000} s.` : `The token endpoint ${url} could not be reached.`,
        { cause: e, retryable: true },
      );
    }
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(text) as Record<string, unknown>;
      if (!body || typeof body !== 'object' || Array.isArray(body)) throw new TypeError('not an object');
    } catch (e) {
      throw credentialsError(`The token endpoint ${url} did not answer JSON credentials.`, { cause: e });
    }
    for (const field of REQUIRED) {
      if (typeof body[field] !== 'string' || body[field] === '') {
        throw credentialsError(`The token endpoint's answer has no "${field}": it must return temporary (STS) credentials with ${REQUIRED.join(', ')}.`);
      }
    }
    const localNow = Date.now();
    // The endpoint's clock may differ from ours: measure expiry relative to its Date header.
    const serverNow = Date.parse(response.headers.get('date') ?? '');
    const at = Date.parse(body['Expiration'] as string);
    if (Number.isNaN(at)) throw credentialsError(`The token endpoint's "Expiration" is not a date.`);
    const skew = Number.isNaN(serverNow) ? 0 : serverNow - localNow;
    // Date has one-second resolution; only correct skews larger than that.
    const skewMs = Math.abs(skew) > 2000 ? skew : 0;
    const credentials: Credentials = Object.freeze({
      accessKeyId: body['AccessKeyId'] as string,
      accessKeySecret: body['AccessKeySecret'] as string,
      securityToken: body['SecurityToken'] as string,
      expiration: new Date(at - skewMs),
    });
    const target: Partial<StoreTarget> = {};
    for (const k of ['endpoint', 'bucket', 'region', 'keyPrefix'] as const) {
      const v = body[k];
      if (typeof v === 'string') target[k] = v;
    }
    const dialect = body['dialect'];
    if (dialect !== undefined) {
      if (!isDialectId(dialect)) throw credentialsError(`The token endpoint names dialect ${JSON.stringify(dialect)}, which this version does not know.`);
      target.dialect = dialect;
    }
    return { credentials, target, fetchedAt: localNow, skewMs };
  }
}
