/**
 * The token endpoint itself: `GET` answers temporary credentials scoped to the caller's
 * key prefix, together with where to upload them to and the dialect to speak there.
 *
 *   GET /api/sts-token[?dialect=oss|obs|s3][&scope=admin][&ttl=SECONDS]
 *   200 {AccessKeyId, AccessKeySecret, SecurityToken, Expiration, endpoint, bucket, region, keyPrefix, dialect}
 *   4xx/5xx {code, message, requestId?}
 *
 * Only pages of the endpoint's own origin are answered, unless `allowedOrigins` lists others
 * (cors.ts); any other page gets 403 OriginNotAllowed and no credentials.
 *
 * `dialect` (default: the endpoint's main one, `oss` unless configured otherwise) picks the
 * target (targets.ts); an unknown one is 400 InvalidDialect, one this endpoint does not serve
 * 400 DialectUnavailable. The browser signs with the dialect's header for the token
 * (`x-oss-security-token`, `x-obs-security-token`, `x-amz-security-token`); for S3 `region`
 * is what its SigV4 scope must name.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { corsHeaders, fromAllowedOrigin, preflightHeaders } from './cors.js';
import { IssuerError, type CredentialIssuer, type StsCredentials } from './issuer.js';
import { sendError, sendJson } from './json-response.js';
import { adminPolicy, uploadPolicy, userKeyPrefix } from './policy.js';
import { isDialect, targetsOf, type DialectName, type DialectTarget } from './targets.js';
import { demoUser, USER_ID_PATTERN } from './user.js';

/** Lifetime of a token unless configured otherwise, in seconds. */
export const DEFAULT_TTL_SECONDS = 3600;
/** The longest lifetime STS grants (a role's maximum session duration is at most 12 h). */
export const MAX_TTL_SECONDS = 43_200;

export interface TokenEndpointOptions {
  /** The bucket uploads go to. */
  bucket: string;
  /** The bucket's region, e.g. `cn-hangzhou`. */
  region: string;
  /** The URL of the store the browser uploads to, e.g. `https://examplebucket.oss-cn-hangzhou.aliyuncs.com`. */
  endpoint: string;
  /** Who mints the credentials: a `LocalIssuer`, an `AlibabaStsIssuer` or an `S3StsIssuer`. */
  issuer: CredentialIssuer;
  /** The dialect of the target above; default `s3` for an S3 STS issuer, else `oss`. */
  dialect?: DialectName;
  /** Targets for other dialects, chosen with `?dialect=` (see targets.ts). */
  dialects?: Partial<Record<DialectName, DialectTarget>>;
  /** Token lifetime in seconds, default {@link DEFAULT_TTL_SECONDS}. Alibaba STS needs at least 900. */
  ttlSeconds?: number;
  /**
   * The id of the signed-in user, or `undefined` when nobody is (the endpoint answers 401).
   * Ids must match {@link USER_ID_PATTERN} (else 400). The default, {@link demoUser}, believes
   * whatever the request claims: fine for the demo, never for a real application.
   */
  resolveUser?(req: IncomingMessage): string | undefined | Promise<string | undefined>;
  /** Whether this request may have an administrative token (`?scope=admin`). Default: never. */
  allowAdmin?(req: IncomingMessage): boolean | Promise<boolean>;
  /**
   * Origins of pages on other origins that may fetch tokens (CORS). Default: none — the
   * endpoint answers only pages of its own origin, and refuses others with 403 OriginNotAllowed.
   */
  allowedOrigins?: string[];
  /** Where failures are reported; never given credentials. Default `console.error`. */
  log?(line: string): void;
}

/** A successful answer. */
export interface TokenResponseBody extends StsCredentials {
  endpoint: string;
  bucket: string;
  region: string;
  /** Every key the credentials can write starts with this, e.g. `uploads/alice/`. */
  keyPrefix: string;
  /** The dialect to speak to `endpoint` with these credentials. */
  dialect: DialectName;
}

/** A Node request listener; the promise settles once the answer is sent, and never rejects. */
export type TokenHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/**
 * Creates the endpoint's request listener. It ignores the path, so it can be mounted
 * anywhere: `http.createServer(handler)`, Vite's `server.middlewares.use('/api/sts-token', handler)`,
 * or a web-test-runner / Koa middleware that sets `ctx.respond = false` and awaits
 * `handler(ctx.req, ctx.res)`.
 */
export function createTokenHandler(options: TokenEndpointOptions): TokenHandler {
  const { resolveUser = demoUser, allowAdmin = () => false } = options;
  const { main, targets } = targetsOf(options);
  const defaultTtl = options.ttlSeconds ?? DEFAULT_TTL_SECONDS;
  if (!Number.isInteger(defaultTtl) || defaultTtl < 1 || defaultTtl > MAX_TTL_SECONDS) {
    throw new RangeError(`ttlSeconds must be an integer from 1 to ${MAX_TTL_SECONDS}`);
  }
  const log = options.log ?? ((line: string) => console.error(line));

  return async (req, res) => {
    const cors = corsHeaders(req, options.allowedOrigins);
    const fail = (status: number, code: string, message: string, headers: Record<string, string> = {}) =>
      sendError(res, status, { code, message }, { ...cors, ...headers });
    const clientGone = new AbortController();
    res.once('close', () => clientGone.abort());
    try {
      if (!fromAllowedOrigin(req, options.allowedOrigins)) {
        return fail(403, 'OriginNotAllowed', 'This token endpoint answers pages of its own origin only (see allowedOrigins).');
      }
      if (req.method === 'OPTIONS') {
        res.writeHead(204, preflightHeaders(cors)).end();
        return;
      }
      if (req.method !== 'GET') return fail(405, 'MethodNotAllowed', 'Use GET.', { Allow: 'GET, OPTIONS' });

      const user = await resolveUser(req);
      if (user === undefined) return fail(401, 'Unauthenticated', 'Sign in to upload.');
      if (!USER_ID_PATTERN.test(user)) return fail(400, 'InvalidUser', 'A user id is 1 to 64 of A-Z a-z 0-9 _ -.');

      const query = new URL(req.url ?? '/', 'http://localhost').searchParams;
      const dialect = query.get('dialect') ?? main;
      if (!isDialect(dialect)) return fail(400, 'InvalidDialect', 'dialect is "oss", "obs" or "s3".');
      const target = targets.get(dialect);
      if (!target) return fail(400, 'DialectUnavailable', `This endpoint does not issue ${dialect} credentials.`);
      const { bucket, region, endpoint, issuer } = target;
      const scope = query.get('scope') ?? 'upload';
      if (scope !== 'upload' && scope !== 'admin') return fail(400, 'InvalidScope', 'scope is "upload" or "admin".');
      if (scope === 'admin' && !(await allowAdmin(req))) {
        return fail(403, 'AdminNotAllowed', 'This user may not have an administrative token.');
      }

      let ttlSeconds = defaultTtl;
      const ttl = query.get('ttl');
      if (ttl !== null && issuer.mode === 'local') {
        if (!/^\d{1,9}$/.test(ttl)) return fail(400, 'InvalidTtl', 'ttl is a whole number of seconds.');
        ttlSeconds = Math.min(Math.max(Number(ttl), 1), MAX_TTL_SECONDS);
      }

      const keyPrefix = userKeyPrefix(user);
      const policy = scope === 'admin' ? adminPolicy(bucket, keyPrefix) : uploadPolicy(bucket, keyPrefix);
      const credentials = await issuer.issue({ user, policy, ttlSeconds }, clientGone.signal);
      const body: TokenResponseBody = { ...credentials, endpoint, bucket, region, keyPrefix, dialect };
      sendJson(res, 200, body, cors);
    } catch (err) {
      if (clientGone.signal.aborted) return;
      if (err instanceof IssuerError) {
        const id = err.requestId ? ` (STS request id ${err.requestId})` : '';
        log(`token endpoint: ${err.message}${id}${err.detail ? `: ${err.detail}` : ''}`);
        sendError(res, err.status, { code: err.code, message: err.message, requestId: err.requestId }, cors);
      } else {
        log(`token endpoint: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
        if (!res.headersSent) fail(500, 'InternalError', 'The token endpoint failed; see the server log.');
      }
    }
  };
}
