/**
 * The credentials port. A provider hands out short-lived STS credentials (and, when it
 * knows them, where they may be used). The engine asks for credentials right before it
 * signs each request, so a refreshed token is used by every request that follows.
 *
 * Credentials are kept in memory only: never persisted, logged, or put in events.
 */
import type { StoreTarget } from './target.js';

export interface Credentials {
  readonly accessKeyId: string;
  readonly accessKeySecret: string;
  readonly securityToken?: string | undefined;
  /** When the store stops accepting them, on the local clock. */
  readonly expiration?: Date | undefined;
}

export interface CredentialsProvider {
  /**
   * Credentials valid for a while yet. Concurrent callers share one fetch; a caller's
   * `signal` only stops its own wait.
   */
  get(signal?: AbortSignal): Promise<Credentials>;
  /** Drops `stale` (if still current) so the next `get` fetches anew. */
  invalidate(stale: Credentials): void;
  /** Where the credentials may be used, if the provider knows (the token endpoint says). */
  target?(signal?: AbortSignal): Promise<Partial<StoreTarget>>;
}

/**
 * Whether credentials should be refreshed now: within `margin` of expiry, where the margin
 * is a quarter of the lifetime they had when fetched, at most five minutes.
 */
export function needsRefresh(c: Credentials, fetchedAt: number, now: number): boolean {
  if (!c.expiration) return false;
  const expiry = c.expiration.getTime();
  const margin = Math.min(5 * 60_000, Math.max(0, (expiry - fetchedAt) / 4));
  return now >= expiry - margin;
}
