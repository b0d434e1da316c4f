/**
 * Which failures are worth another try, and how long to wait before it: exponential
 * backoff with full jitter (AWS architecture blog, "Exponential Backoff And Jitter").
 */
import { ClientErrorCode, UploadError } from './errors.js';

export interface RetryOptions {
  /** Attempts in all, the first included. Default 6. */
  maxAttempts?: number;
  /** First backoff ceiling in ms. Default 300. */
  baseDelayMs?: number;
  /** Largest backoff ceiling in ms. Default 15 000. */
  maxDelayMs?: number;
}

export const DEFAULT_RETRY: Required<RetryOptions> = { maxAttempts: 6, baseDelayMs: 300, maxDelayMs: 15_000 };

const RETRYABLE_CODES = new Set([
  ClientErrorCode.NetworkError, 'RequestTimeout', 'SlowDown', 'InternalError', 'ServiceUnavailable',
  'Throttling', 'ThrottlingException', 'TooManyRequests',
]);

/** True for network errors, 5xx, 408, 429 and the store codes that mean "try later". */
export function isRetryable(error: UploadError): boolean {
  if (error.retryable) return true;
  if (RETRYABLE_CODES.has(error.code)) return true;
  const s = error.status;
  return s !== undefined && (s >= 500 || s === 408 || s === 429);
}

/** Codes that mean the credentials must be fetched anew before the request is signed again. */
export function isExpiredCredentials(error: UploadError): boolean {
  return ['SecurityTokenExpired', 'InvalidAccessKeyId', 'ExpiredToken', 'InvalidToken', 'InvalidSecurityToken'].includes(error.code);
}

/** Backoff before attempt `attempt + 1` (attempt counts from 1): random in [0, ceiling). */
export function backoffDelay(attempt: number, opts: Required<RetryOptions>, random = Math.random): number {
  const ceiling = Math.min(opts.maxDelayMs, opts.baseDelayMs * 2 ** (attempt - 1));
  return Math.floor(random() * ceiling);
}
