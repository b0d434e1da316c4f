/**
 * S3 SigV4 header-signature verification (`Authorization: AWS4-HMAC-SHA256 Credential=…,
 * SignedHeaders=…, Signature=…`) with the signer the browser uses
 * (src/core/dialects/s3/signer-v4.ts), over exactly the headers the client says it signed,
 * the wire path and the Host header. The scope must name the store's region and service
 * `s3`; the STS token travels in `x-amz-security-token`. `x-amz-content-sha256` must be
 * present: `UNSIGNED-PAYLOAD` or the body's hex SHA-256 (checked once the body is in, see
 * s3.ts); the aws-chunked streaming forms are not implemented.
 */
import { constantTimeEqual } from '../../../src/core/signing/crypto.js';
import {
  S3_ALGORITHM, UNSIGNED_PAYLOAD, s3CanonicalRequest, s3Signature, s3StringToSign,
} from '../../../src/core/dialects/s3/signer-v4.js';
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
  const [accessKeyId, day, region, service, terminator, ...rest] = credential.split('/');
  if (!accessKeyId || !day || !region || service !== 's3' || terminator !== 'aws4_request' || rest.length > 0) {
    throw Errors.authorizationHeaderMalformed(`The authorization header is malformed; the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".`);
  }
  return { accessKeyId, day, region, signedHeaders: signed.split(';').map((h) => h.trim().toLowerCase()), signature };
}

/** `yyyymmddTHHMMSSZ` to epoch ms, or NaN. */
function parseAmzDate(value: string | undefined): number {
  const m = value === undefined ? null : /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  return m ? Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!) : NaN;
}

const HEX_SHA256 = /^[0-9a-f]{64}$/;

export async function authenticateS3(req: SignableRequest, cfg: AuthConfig): Promise<Identity> {
  const headers = req.headers;
  const header = headers['authorization'];
  if (header === undefined) refuseUnsigned(req.query);
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

  const { secret, identity } = lookUpKey(auth.accessKeyId, headers['x-amz-security-token'], cfg, now);

  // Exactly the headers the client signed: a header it did not sign changes nothing.
  const signedOnly: Record<string, string> = {};
  for (const name of auth.signedHeaders) {
    if (name !== 'host' && headers[name] !== undefined) signedOnly[name] = headers[name]!;
  }
  const signable: SignableRequest = { ...req, headers: signedOnly };
  const opts = { region: auth.region, additionalHeaders: auth.signedHeaders };
  const stringToSign = await s3StringToSign(signable, opts);
  const expected = await s3Signature(secret, stringToSign, auth.day, auth.region);
  if (!constantTimeEqual(expected, auth.signature.toLowerCase())) {
    throw Errors.signatureDoesNotMatch({
      accessKeyId: auth.accessKeyId, provided: auth.signature, stringToSign,
      canonicalRequest: s3CanonicalRequest(signable, opts),
    });
  }
  return identity;
}
