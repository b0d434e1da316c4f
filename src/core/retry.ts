/**
 * The one retry loop, and the one rule for what is worth another try: store requests, the
 * token endpoint and abort confirmation all go through {@link retrying}. Decisions are made
 * on what an error means ({@link ErrorKind}), never on a vendor's code.
 *
 * Backoff is exponential with full jitter (AWS architecture blog, "Exponential Backoff And
 * Jitter"). A caller may also *recover* from an error (refresh credentials, learn the clock
 * offset) and go again at once, without spending an attempt.
 */
import { ErrorKind, UploadError, throwIfAborted } from './errors.js';
import { sleep } from './signals.js';

export interface RetryOptions {
  /** Attempts in all, the first included. Default 6. */
  maxAttempts?: number;
  /** First backoff ceiling in ms. Default 300. */
  baseDelayMs?: number;
  /** Largest backoff ceiling in ms. Default 15 000. */
  maxDelayMs?: number;
}

export const DEFAULT_RETRY: Required<RetryOptions> = { maxAttempts: 6, baseDelayMs: 300, maxDelayMs: 15_000 };

/** Kinds that may succeed if simply tried again later. */
const TRANSIENT: ReadonlySet<ErrorKind> = new Set([
  ErrorKind.Network, ErrorKind.Timeout, ErrorKind.Throttled, ErrorKind.Unavailable,
]);

/** True for network errors, timeouts, throttling and unavailable stores (or an error marked retryable). */
export function isRetryable(error: UploadError): boolean {
  return error.retryable || TRANSIENT.has(error.kind);
}

/** Backoff before attempt `attempt + 1` (attempt counts from 1): random in [0, ceiling). */
export function backoffDelay(attempt: number, opts: Required<RetryOptions>, random = Math.random): number {
  const ceiling = Math.min(opts.maxDelayMs, opts.baseDelayMs * 2 ** (attempt - 1));
  return Math.floor(random() * ceiling);
}

export interface RetryLoop {
  policy?: RetryOptions | undefined;
  signal?: AbortSignal | undefined;
  /** Whether to try again after a backoff; default {@link isRetryable}. */
  retryable?: (error: UploadError) => boolean;
  /**
   * Called first on every failure: return true after fixing the cause (fresh credentials, a
   * learned clock offset) to go again at once without spending an attempt. Must bound itself.
   */
  recover?: (error: UploadError) => boolean | Promise<boolean>;
  /** Give up once this much time has passed since the first attempt (ms). */
  deadlineMs?: number;
}

/**
 * Runs `attempt` until it resolves, fails with an error not worth retrying, runs out of
 * attempts or time, or `signal` aborts (then it rejects with `Cancelled`). Errors that are
 * not {@link UploadError}s are not retried.
 */
export async function retrying<T>(attempt: (n: number) => Promise<T>, loop: RetryLoop = {}): Promise<T> {
  const policy = { ...DEFAULT_RETRY, ...loop.policy };
  const retryable = loop.retryable ?? isRetryable;
  const started = Date.now();
  for (let n = 1; ; ) {
    throwIfAborted(loop.signal);
    try {
      return await attempt(n);
    } catch (e) {
      if (loop.signal?.aborted) throw UploadError.fromAbort(loop.signal);
      if (!(e instanceof UploadError) || UploadError.isCancel(e)) throw e;
      if (loop.recover && (await loop.recover(e))) continue;
      if (!retryable(e) || n >= policy.maxAttempts) throw e;
      const delay = backoffDelay(n, policy);
      if (loop.deadlineMs !== undefined && Date.now() - started + delay >= loop.deadlineMs) throw e;
      await sleep(delay, loop.signal);
      n++;
    }
  }
}
