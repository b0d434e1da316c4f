/**
 * Request authentication: what every dialect shares (who signed — {@link Identity}; the key
 * lookup, root key or a temporary key proven by its security token; the clock-skew check;
 * refusing unsigned requests), and OSS's own verifier, {@link authenticate}. The OBS and S3
 * verifiers are in dialects/. Each verifies with the signer the browser engine uses
 * (src/core/dialects/<dialect>/), over a SignableRequest rebuilt from the incoming request
 * (decoded key and query; the wire path and host for SigV4), comparing in constant time.
 *
 * Order of checks: malformed header → date missing → clock skew → key → signature, so a
 * skewed client learns `ServerTime` before anything else can fail.
 */
import { constantTimeEqual } from '../../src/core/signing/crypto.js';
import { v1Signature, v1StringToSign } from '../../src/core/dialects/oss/signer-v1.js';
import { UNSIGNED_PAYLOAD, V4_ALGORITHM, v4CanonicalRequest, v4Signature, v4StringToSign } from '../../src/core/dialects/oss/signer-v4.js';
import type { SignableRequest } from '../../src/core/signing/request.js';
import { MAX_CLOCK_SKEW_MS } from '../../src/core/limits.js';
import type { LocalSts } from '../sts/local-sts.js';
import type { RamPolicy } from '../sts/ram-policy.js';
import { Errors } from './errors.js';

/** Who signed a request. */
export type Identity =
  | { kind: 'root'; accessKeyId: string }
  | { kind: 'sts'; accessKeyId: string; policy: RamPolicy; subject?: string };

/**
 * A stable name for who signed, recorded as an upload's initiator: `root`, the user a token
 * was minted for (`user:<id>`, the same across that user's tokens), or the temporary key.
 */
export function principalOf(identity: Identity): string {
  if (identity.kind === 'root') return 'root';
  return identity.subject !== undefined ? `user:${identity.subject}` : `key:${identity.accessKeyId}`;
}

export interface AuthConfig {
  root: { accessKeyId: string; accessKeySecret: string };
  sts: LocalSts;
  /** The store's region; V4 scopes must name it. */
  region: string;
  now?: () => number;
}

type ParsedAuthorization =
  | { version: 1; accessKeyId: string; signature: string }
  | { version: 4; accessKeyId: string; signature: string; day: string; region: string; additionalHeaders: string[] };

/** Parses `OSS ak:sig` or `OSS4-HMAC-SHA256 Credential=…,[AdditionalHeaders=…,]Signature=…`. */
export function parseAuthorization(value: string): ParsedAuthorization {
  const invalid = () => Errors.authorizationInvalid(value);
  if (value.startsWith('OSS ')) {
    const m = /^OSS ([^\s:]+):(\S+)$/.exec(value);
    if (!m) throw invalid();
    return { version: 1, accessKeyId: m[1]!, signature: m[2]! };
  }
  if (value.startsWith(V4_ALGORITHM + ' ')) {
    const fields = new Map<string, string>();
    for (const field of value.slice(V4_ALGORITHM.length + 1).split(',')) {
      const eq = field.indexOf('=');
      const name = field.slice(0, eq).trim();
      if (eq < 0 || fields.has(name)) throw invalid();
      fields.set(name, field.slice(eq + 1).trim());
    }
    const credential = fields.get('Credential');
    const signature = fields.get('Signature');
    const known = ['Credential', 'Signature', 'AdditionalHeaders'];
    if (!credential || !signature || [...fields.keys()].some((k) => !known.includes(k))) throw invalid();
    const [accessKeyId, day, region, product, terminator, ...rest] = credential.split('/');
    if (!accessKeyId || !day || !region || product !== 'oss' || terminator !== 'aliyun_v4_request' || rest.length > 0) {
      throw invalid();
    }
    const additional = fields.get('AdditionalHeaders');
    const additionalHeaders = additional ? additional.split(';').map((h) => h.trim().toLowerCase()) : [];
    return { version: 4, accessKeyId, signature, day, region, additionalHeaders };
  }
  throw invalid();
}

/** `yyyymmddTHHMMSSZ` to epoch ms, or NaN. */
function parseBasicIso(value: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  return m ? Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!) : NaN;
}

function requestTime(auth: ParsedAuthorization, headers: Readonly<Record<string, string>>): { text: string; ms: number } {
  if (auth.version === 4) {
    const text = headers['x-oss-date'];
    const ms = text === undefined ? NaN : parseBasicIso(text);
    if (!Number.isFinite(ms)) throw Errors.missingDate();
    return { text: text!, ms };
  }
  const text = headers['x-oss-date'] ?? headers['date'];
  if (text === undefined) throw Errors.missingDate();
  const ms = /^\d{8}T\d{6}Z$/.test(text) ? parseBasicIso(text) : Date.parse(text);
  if (!Number.isFinite(ms)) throw Errors.missingDate();
  return { text, ms };
}

/**
 * The secret for the key, and who it is, given the security token the request carries (in
 * its dialect's header); throws InvalidAccessKeyId / SecurityTokenExpired.
 */
export function lookUpKey(
  accessKeyId: string, token: string | undefined, cfg: AuthConfig, now: number,
): { secret: string; identity: Identity } {
  if (token !== undefined) {
    const verified = cfg.sts.verify(accessKeyId, token, now);
    if (!verified.ok) {
      throw verified.code === 'SecurityTokenExpired'
        ? Errors.securityTokenExpired(verified.message)
        : Errors.invalidAccessKeyId(accessKeyId, verified.message);
    }
    const identity: Identity = { kind: 'sts', accessKeyId, policy: verified.claims.policy };
    if (verified.claims.sub !== undefined) identity.subject = verified.claims.sub;
    return { secret: verified.secret, identity };
  }
  if (accessKeyId === cfg.root.accessKeyId) {
    return { secret: cfg.root.accessKeySecret, identity: { kind: 'root', accessKeyId } };
  }
  throw Errors.invalidAccessKeyId(accessKeyId);
}

/** Refuses a request without an Authorization header: OSS and OBS presigned URLs are not supported (S3's are: dialects/s3-auth.ts), and no bucket is public. */
export function refuseUnsigned(query: Readonly<Record<string, string>>): never {
  const presigned = ['Signature', 'OSSAccessKeyId', 'x-oss-signature', 'x-oss-credential', 'X-Amz-Signature', 'AccessKeyId'];
  if (presigned.some((name) => name in query)) throw Errors.presignedUnsupported();
  throw Errors.accessDenied('Anonymous access is forbidden for this operation.');
}

/** RequestTimeTooSkewed when the request's time is more than {@link MAX_CLOCK_SKEW_MS} from the server's. */
export function checkSkew(time: { text: string; ms: number }, now: number): void {
  if (Math.abs(now - time.ms) > MAX_CLOCK_SKEW_MS) throw Errors.requestTimeTooSkewed(time.text, new Date(now));
}

/**
 * Authenticates an OSS request, V1 or V4 (headers with lower-case names). Throws an OssError
 * for every failure; an absent Authorization header is AccessDenied, since there are no
 * public buckets.
 */
export async function authenticate(req: SignableRequest, cfg: AuthConfig): Promise<Identity> {
  const headers = req.headers;
  const header = headers['authorization'];
  if (header === undefined) refuseUnsigned(req.query);
  const auth = parseAuthorization(header);
  if (auth.version === 4 && headers['x-oss-content-sha256'] !== UNSIGNED_PAYLOAD) {
    throw Errors.contentSha256Invalid(headers['x-oss-content-sha256']);
  }

  const now = cfg.now?.() ?? Date.now();
  const time = requestTime(auth, headers);
  checkSkew(time, now);
  if (auth.version === 4) {
    if (auth.day !== time.text.slice(0, 8)) throw Errors.v4CredentialInvalid('date', time.text.slice(0, 8));
    if (auth.region !== cfg.region) throw Errors.v4CredentialInvalid('region', cfg.region);
  }

  const { secret, identity } = lookUpKey(auth.accessKeyId, headers['x-oss-security-token'], cfg, now);

  if (auth.version === 1) {
    const stringToSign = v1StringToSign(req);
    const expected = await v1Signature(secret, stringToSign);
    if (!constantTimeEqual(expected, auth.signature)) {
      throw Errors.signatureDoesNotMatch({ accessKeyId: auth.accessKeyId, provided: auth.signature, stringToSign });
    }
  } else {
    const opts = { region: auth.region, additionalHeaders: auth.additionalHeaders };
    const stringToSign = await v4StringToSign(req, opts);
    const expected = await v4Signature(secret, stringToSign, auth.day, auth.region);
    if (!constantTimeEqual(expected, auth.signature.toLowerCase())) {
      throw Errors.signatureDoesNotMatch({
        accessKeyId: auth.accessKeyId, provided: auth.signature, stringToSign,
        canonicalRequest: v4CanonicalRequest(req, auth.additionalHeaders),
      });
    }
  }
  return identity;
}
