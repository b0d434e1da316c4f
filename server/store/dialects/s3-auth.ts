/**
 * S3 SigV4 verification with the signer the browser uses (src/core/dialects/s3/signer-v4.ts),
 * over exactly the headers the client says it signed, the wire path and the Host header. The
 * scope must name the store's region and service `s3`. Two forms:
 * - header (`Authorization: AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…`):
 *   the STS token travels in `x-amz-security-token`; `x-amz-content-sha256` must be present:
 *   `UNSIGNED-PAYLOAD` or the body's hex SHA-256 (checked once the body is in, see s3.ts);
 *   the aws-chunked streaming forms are not implemented;
 * - presigned URL (query `X-Amz-Algorithm`, `X-Amz-Credential`, `X-Amz-Date`,
 *   `X-Amz-Expires`, `X-Amz-SignedHeaders`, `X-Amz-Signature`, and with STS credentials
 *   `X-Amz-Security-Token`), as @aws-sdk/s3-request-presigner and Uppy's @uppy/aws-s3 make
 *   them: the canonical request is the same one, with the query minus `X-Amz-Signature` and
 *   the payload `UNSIGNED-PAYLOAD`; the string to sign takes its date from `X-Amz-Date`.
 *   Valid from `X-Amz-Date` (less the allowed clock skew) until `X-Amz-Date + X-Amz-Expires`
 *   (at most 7 days); the token is checked exactly as in the header form (its own expiry
 *   included). Both forms in one request are refused, as S3 does.
 */
import { constantTimeEqual, sha256Hex } from '../../../src/core/signing/crypto.js';
import {
  S3_ALGORITHM, UNSIGNED_PAYLOAD, s3CanonicalRequest, s3Scope, s3Signature, s3StringToSign,
} from '../../../src/core/dialects/s3/signer-v4.js';
import { MAX_CLOCK_SKEW_MS } from '../../../src/core/limits.js';
import type { SignableRequest } from '../../../src/core/signing/request.js';
import { checkSkew, lookUpKey, refuseUnsigned, type AuthConfig, type Identity } from '../auth.js';
import { Errors } from '../errors.js';

interface ParsedS3Authorization {
  accessKeyId: string;
  day: string;
  region: string;
  signedHeaders: string[];
  signature: string;
}

const MALFORMED = 'The authorization header is malformed; the authorization header requires three components: Credential, SignedHeaders, and Signature.';

/** `<AK>/<yyyymmdd>/<region>/s3/aws4_request`, or undefined when it is not that shape. */
function parseCredential(credential: string): { accessKeyId: string; day: string; region: string } | undefined {
  const [accessKeyId, day, region, service, terminator, ...rest] = credential.split('/');
  if (!accessKeyId || !day || !region || service !== 's3' || terminator !== 'aws4_request' || rest.length > 0) return undefined;
  return { accessKeyId, day, region };
}

const CREDENTIAL_SHAPE = 'expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".';

export function parseS3Authorization(value: string): ParsedS3Authorization {
  const fields = new Map<string, string>();
  for (const field of value.slice(S3_ALGORITHM.length).split(',')) {
    const eq = field.indexOf('=');
    if (eq < 0) throw Errors.authorizationHeaderMalformed(MALFORMED);
    fields.set(field.slice(0, eq).trim(), field.slice(eq + 1).trim());
  }
  const credential = fields.get('Credential');
  const signed = fields.get('SignedHeaders');
  const signature = fields.get('Signature');
  if (!credential || !signed || !signature || fields.size !== 3) throw Errors.authorizationHeaderMalformed(MALFORMED);
  const scope = parseCredential(credential);
  if (!scope) throw Errors.authorizationHeaderMalformed(`The authorization header is malformed; the Credential is mal-formed; ${CREDENTIAL_SHAPE}`);
  return { ...scope, signedHeaders: signed.split(';').map((h) => h.trim().toLowerCase()), signature };
}

/** `yyyymmddTHHMMSSZ` to epoch ms, or NaN. */
function parseAmzDate(value: string | undefined): number {
  const m = value === undefined ? null : /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  return m ? Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!) : NaN;
}

const HEX_SHA256 = /^[0-9a-f]{64}$/;

/** The query parameters of a presigned SigV4 URL. */
const Q = {
  algorithm: 'X-Amz-Algorithm', credential: 'X-Amz-Credential', date: 'X-Amz-Date', expires: 'X-Amz-Expires',
  signedHeaders: 'X-Amz-SignedHeaders', token: 'X-Amz-Security-Token', signature: 'X-Amz-Signature',
} as const;

/** S3's ceiling on `X-Amz-Expires`: 7 days. */
export const MAX_PRESIGNED_EXPIRES_S = 7 * 24 * 3600;

/** Whether a query carries a SigV4 query-string signature (a presigned URL). */
export function isPresignedS3(query: Readonly<Record<string, string>>): boolean {
  return Object.hasOwn(query, Q.algorithm) || Object.hasOwn(query, Q.signature) || Object.hasOwn(query, Q.credential);
}

/**
 * The common tail of both forms: the key (root, or temporary with its token), then the
 * signature over exactly the signed headers, compared in constant time.
 */
async function verifySigV4(
  req: SignableRequest, cfg: AuthConfig, now: number,
  a: { accessKeyId: string; day: string; region: string; signedHeaders: string[]; signature: string; date: string; token: string | undefined },
  presigned: boolean,
): Promise<Identity> {
  const { secret, identity } = lookUpKey(a.accessKeyId, a.token, cfg, now);

  // Exactly the headers the client signed: a header it did not sign changes nothing.
  const signedOnly: Record<string, string> = {};
  for (const name of a.signedHeaders) {
    if (name !== 'host' && req.headers[name] !== undefined) signedOnly[name] = req.headers[name]!;
  }
  let stringToSign: string;
  let signable: SignableRequest;
  const opts = { region: a.region, additionalHeaders: a.signedHeaders };
  if (presigned) {
    // The URL signs every query parameter but the signature itself; the date is X-Amz-Date
    // (not a header), so the string to sign is put together here from the signer's parts.
    const { [Q.signature]: _signature, ...query } = req.query;
    signable = { ...req, query, headers: signedOnly };
    stringToSign = [S3_ALGORITHM, a.date, s3Scope(a.date, a.region), await sha256Hex(s3CanonicalRequest(signable, { ...opts, payloadHash: UNSIGNED_PAYLOAD }))].join('\n');
  } else {
    signable = { ...req, headers: signedOnly };
    stringToSign = await s3StringToSign(signable, opts);
  }
  const expected = await s3Signature(secret, stringToSign, a.day, a.region);
  if (!constantTimeEqual(expected, a.signature.toLowerCase())) {
    throw Errors.signatureDoesNotMatch({
      accessKeyId: a.accessKeyId, provided: a.signature, stringToSign,
      canonicalRequest: s3CanonicalRequest(signable, presigned ? { ...opts, payloadHash: UNSIGNED_PAYLOAD } : opts),
    });
  }
  return identity;
}

export async function authenticateS3(req: SignableRequest, cfg: AuthConfig): Promise<Identity> {
  const headers = req.headers;
  const header = headers['authorization'];
  if (header === undefined) {
    if (isPresignedS3(req.query)) return authenticateS3Presigned(req, cfg);
    refuseUnsigned(req.query);
  }
  if (isPresignedS3(req.query)) throw Errors.twoAuthMechanisms();
  if (!header.startsWith(S3_ALGORITHM + ' ')) throw Errors.authorizationHeaderMalformed(MALFORMED);
  const auth = parseS3Authorization(header);

  const date = headers['x-amz-date'];
  const ms = parseAmzDate(date);
  if (!Number.isFinite(ms)) throw Errors.accessDenied('AWS authentication requires a valid Date or x-amz-date header');
  const now = cfg.now?.() ?? Date.now();
  checkSkew({ text: date!, ms }, now);
  if (auth.day !== date!.slice(0, 8)) {
    throw Errors.authorizationHeaderMalformed(`The authorization header is malformed; Invalid credential date. Date is not the same as X-Amz-Date.`);
  }
  if (auth.region !== cfg.region) {
    throw Errors.authorizationHeaderMalformed(
      `The authorization header is malformed; the region '${auth.region}' is wrong; expecting '${cfg.region}'`, cfg.region,
    );
  }
  const payload = headers['x-amz-content-sha256'];
  if (payload === undefined) throw Errors.invalidRequest('Missing required header for this request: x-amz-content-sha256');
  if (payload !== UNSIGNED_PAYLOAD && !HEX_SHA256.test(payload)) {
    if (payload.startsWith('STREAMING-')) throw Errors.notImplemented(`x-amz-content-sha256: ${payload} (aws-chunked bodies)`);
    throw Errors.invalidArgument('x-amz-content-sha256 must be UNSIGNED-PAYLOAD or a SHA256 value.', 'x-amz-content-sha256', payload);
  }
  if (!auth.signedHeaders.includes('host')) throw Errors.accessDenied('The host header must be signed.');

  return verifySigV4(req, cfg, now, { ...auth, date: date!, token: headers['x-amz-security-token'] }, false);
}

/**
 * A presigned URL (query-string SigV4). Order of checks, as in the header form: malformed
 * parameters → date → expiry window → region → key and token → signature.
 */
export async function authenticateS3Presigned(req: SignableRequest, cfg: AuthConfig): Promise<Identity> {
  const q = req.query;
  const get = (name: string) => (Object.hasOwn(q, name) ? q[name] : undefined);
  const algorithm = get(Q.algorithm);
  const credential = get(Q.credential);
  const date = get(Q.date);
  const expires = get(Q.expires);
  const signed = get(Q.signedHeaders);
  const signature = get(Q.signature);
  if (!algorithm || !credential || !date || expires === undefined || !signed || !signature) {
    throw Errors.authorizationQueryParametersError(
      'Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.',
    );
  }
  if (algorithm !== S3_ALGORITHM) throw Errors.authorizationQueryParametersError(`X-Amz-Algorithm only supports "${S3_ALGORITHM}"`);
  const scope = parseCredential(credential);
  if (!scope) throw Errors.authorizationQueryParametersError(`Error parsing the X-Amz-Credential parameter; the Credential is mal-formed; ${CREDENTIAL_SHAPE}`);
  const ms = parseAmzDate(date);
  if (!Number.isFinite(ms)) throw Errors.authorizationQueryParametersError("X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"");
  if (!/^\d+$/.test(expires)) throw Errors.authorizationQueryParametersError('X-Amz-Expires should be a number');
  const seconds = Number(expires);
  if (seconds > MAX_PRESIGNED_EXPIRES_S) {
    throw Errors.authorizationQueryParametersError(`X-Amz-Expires must be less than a week (in seconds) that is ${MAX_PRESIGNED_EXPIRES_S}`);
  }
  if (scope.day !== date.slice(0, 8)) {
    throw Errors.authorizationQueryParametersError('Error parsing the X-Amz-Credential parameter; Invalid credential date. Date is not the same as X-Amz-Date.');
  }

  const now = cfg.now?.() ?? Date.now();
  if (ms - now > MAX_CLOCK_SKEW_MS) throw Errors.presignedNotYetValid(date, new Date(now));
  if (now > ms + seconds * 1000) throw Errors.presignedExpired(expires, new Date(ms + seconds * 1000), new Date(now));

  if (scope.region !== cfg.region) {
    throw Errors.authorizationQueryParametersError(
      `Error parsing the X-Amz-Credential parameter; the region '${scope.region}' is wrong; expecting '${cfg.region}'`, cfg.region,
    );
  }
  const signedHeaders = signed.split(';').map((h) => h.trim().toLowerCase());
  if (!signedHeaders.includes('host')) throw Errors.accessDenied('The host header must be signed.');

  return verifySigV4(req, cfg, now, { ...scope, signedHeaders, signature, date, token: get(Q.token) }, true);
}
