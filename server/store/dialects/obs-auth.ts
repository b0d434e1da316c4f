/**
 * OBS header-signature verification (`Authorization: OBS <AK>:<signature>`) with the
 * signer the browser uses (src/core/dialects/obs/signer.ts). The date is `x-obs-date` or
 * `Date` (RFC 1123); the STS token travels in `x-obs-security-token`.
 */
import { constantTimeEqual } from '../../../src/core/signing/crypto.js';
import { obsSignature, obsStringToSign } from '../../../src/core/dialects/obs/signer.js';
import type { SignableRequest } from '../../../src/core/signing/request.js';
import { checkSkew, lookUpKey, refuseUnsigned, type AuthConfig, type Identity } from '../auth.js';
import { Errors } from '../errors.js';

const OBS_AUTHORIZATION = /^OBS ([^\s:]+):(\S+)$/;

export async function authenticateObs(req: SignableRequest, cfg: AuthConfig): Promise<Identity> {
  const headers = req.headers;
  const header = headers['authorization'];
  if (header === undefined) refuseUnsigned(req.query);
  const m = OBS_AUTHORIZATION.exec(header);
  if (!m) throw Errors.authorizationInvalid(header);
  const [, accessKeyId, provided] = m as unknown as [string, string, string];

  const text = headers['x-obs-date'] ?? headers['date'];
  const ms = text === undefined ? NaN : Date.parse(text);
  if (!Number.isFinite(ms)) throw Errors.missingDate();
  const now = cfg.now?.() ?? Date.now();
  checkSkew({ text: text!, ms }, now);

  const { secret, identity } = lookUpKey(accessKeyId, headers['x-obs-security-token'], cfg, now);
  const stringToSign = obsStringToSign(req);
  if (!constantTimeEqual(await obsSignature(secret, stringToSign), provided)) {
    throw Errors.signatureDoesNotMatch({ accessKeyId, provided, stringToSign });
  }
  return identity;
}
