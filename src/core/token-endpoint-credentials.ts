/**
 * Credentials from the application's token endpoint: `GET url` answers JSON
 * `{AccessKeyId, AccessKeySecret, SecurityToken, Expiration, endpoint?, bucket?, region?, keyPrefix?}`
 * (the shape of Alibaba STS AssumeRole plus where to upload).
 *
 * One fetch at a time is shared by every upload; credentials are refreshed ahead of expiry.
 */
import { needsRefresh, type Credentials, type CredentialsProvider } from './credentials.js';
import { ClientErrorCode, UploadError } from './errors.js';
import { raceSignal } from './signals.js';
import type { StoreTarget } from './target.js';

export interface TokenEndpointOptions {
  /** URL of the token endpoint, e.g. `/api/sts-token`. */
  url: string;
  /** Extra `fetch` options (credentials mode, headers such as a CSRF token). */
  init?: RequestInit;
  /** Give up on the endpoint after this long. Default 15 s. */
  timeoutMs?: number;
  /** Injected for tests; default `globalThis.fetch`. */
  fetch?: typeof fetch;
}

interface Current {
  credentials: Credentials;
  target: Partial<StoreTarget>;
  fetchedAt: number;
}

function str(body: Record<string, unknown>, name: string, required: boolean): string | undefined {
  const v = body[name];
  if (typeof v === 'string' && v !== '') return v;
  if (required) {
    throw new UploadError(ClientErrorCode.CredentialsError, `The token endpoint's answer has no "${name}".`);
  }
  return undefined;
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
    this.inflight ??= this.fetchOnce().finally(() => {
      this.inflight = undefined;
    });
    return raceSignal(this.inflight, signal);
  }

  private async fetchOnce(): Promise<Current> {
    const doFetch = this.opts.fetch ?? globalThis.fetch.bind(globalThis);
    const fail = (message: string, cause?: unknown, status?: number) =>
      new UploadError(ClientErrorCode.CredentialsError, message, { cause, status, retryable: status === undefined || status >= 500 });
    let response: Response;
    try {
      response = await doFetch(this.opts.url, {
        cache: 'no-store',
        ...this.opts.init,
        signal: AbortSignal.timeout(this.opts.timeoutMs ?? 15_000),
      });
    } catch (e) {
      throw fail(`The token endpoint ${this.opts.url} could not be reached.`, e);
    }
    if (!response.ok) {
      throw fail(`The token endpoint ${this.opts.url} answered HTTP ${response.status}.`, undefined, response.status);
    }
    let body: Record<string, unknown>;
    try {
      body = await response.json();
      if (!body || typeof body !== 'object') throw new TypeError('not an object');
    } catch (e) {
      throw new UploadError(ClientErrorCode.CredentialsError, `The token endpoint ${this.opts.url} did not answer JSON credentials.`, { cause: e });
    }
    const localNow = Date.now();
    // The endpoint's clock may differ from ours: measure expiry relative to its Date header.
    const serverNow = Date.parse(response.headers.get('date') ?? '');
    const expirationText = str(body, 'Expiration', false);
    let expiration: Date | undefined;
    if (expirationText) {
      const at = Date.parse(expirationText);
      if (Number.isNaN(at)) {
        throw new UploadError(ClientErrorCode.CredentialsError, `The token endpoint's "Expiration" is not a date.`);
      }
      const skew = Number.isNaN(serverNow) ? 0 : serverNow - localNow;
      // Date has one-second resolution; only correct skews larger than that.
      expiration = new Date(Math.abs(skew) > 2000 ? at - skew : at);
    }
    const credentials: Credentials = Object.freeze({
      accessKeyId: str(body, 'AccessKeyId', true)!,
      accessKeySecret: str(body, 'AccessKeySecret', true)!,
      securityToken: str(body, 'SecurityToken', false),
      expiration,
    });
    const target: Partial<StoreTarget> = {};
    for (const k of ['endpoint', 'bucket', 'region', 'keyPrefix'] as const) {
      const v = body[k];
      if (typeof v === 'string') target[k] = v;
    }
    const current = { credentials, target, fetchedAt: localNow };
    this.current = current;
    return current;
  }
}
