/**
 * Huawei Cloud OBS: the OBS header signature (`x-obs-date`, `x-obs-security-token`); no CRC
 * of its own, so every part and PutObject carries Content-MD5 (the store refuses a mismatch
 * with `BadDigest`) and each part's ETag (its MD5) is compared with the MD5 computed here;
 * the 100 KB part floor; `x-obs-forbid-overwrite`.
 */
import type { Addressing, IntegrityRules, Operation, SigningContext, StorageDialect } from '../../dialect.js';
import { ErrorKind } from '../../errors.js';
import { KiB } from '../../limits.js';
import { corsRuleXml, errorKindIn, forbidOverwriteHeader, S3_FAMILY_ERROR_KINDS } from '../common.js';
import { obsAuthorization, obsDate } from './signer.js';

/** Smallest part OBS accepts at Complete, but for the last part (OBS API, UploadPart: 100 KB). */
export const OBS_MIN_PART_SIZE = 100 * KiB;

const ERROR_KINDS: Readonly<Record<string, ErrorKind>> = {
  ...S3_FAMILY_ERROR_KINDS,
  // OBS documents InvalidAccessKeyId for unknown keys; expired temporary keys are reported
  // with these codes by OBS and its SDKs.
  ExpiredToken: ErrorKind.ExpiredCredentials,
  InvalidToken: ErrorKind.ExpiredCredentials,
  InvalidSecurityToken: ErrorKind.ExpiredCredentials,
  SecurityTokenExpired: ErrorKind.ExpiredCredentials,
  BadDigest: ErrorKind.BadDigest,
  InvalidDigest: ErrorKind.BadDigest,
  FileAlreadyExists: ErrorKind.ObjectExists,
};

export class ObsDialect implements StorageDialect {
  readonly id = 'obs';
  readonly vendor = 'Huawei Cloud OBS';
  readonly limits = { minPartSize: OBS_MIN_PART_SIZE };
  readonly addressing: readonly Addressing[] = ['virtual', 'path', 'cname'];
  readonly requestIdHeader = 'x-obs-request-id';
  readonly exposeHeaders = ['ETag', 'x-obs-request-id', 'x-obs-id-2', 'x-obs-version-id'] as const;
  readonly integrity: IntegrityRules = { checksum: undefined, contentMd5: 'always', etagIsPartMd5: true };

  async sign({ request, credentials, now }: SigningContext): Promise<Record<string, string>> {
    const headers: Record<string, string> = { ...request.headers, 'x-obs-date': obsDate(now) };
    if (credentials.securityToken) headers['x-obs-security-token'] = credentials.securityToken;
    headers['Authorization'] = await obsAuthorization({ ...request, headers }, credentials);
    return headers;
  }

  readonly forbidOverwrite = forbidOverwriteHeader('x-obs-forbid-overwrite');

  errorKind(code: string, _status: number, operation: Operation): ErrorKind | undefined {
    return errorKindIn(ERROR_KINDS, code, operation);
  }

  corsAdvice(origin: string, missing: readonly string[]): string {
    return (
      `The bucket's CORS rule does not expose ${missing.join(', ')}. In the OBS console open the bucket, ` +
      `Permissions > CORS Rules > Create: Allowed Origin ${origin}; Allowed Method GET, PUT, POST, DELETE, HEAD; ` +
      `Allowed Header *; Exposed Header ${this.exposeHeaders.join(', ')}. ` +
      `As XML (SetBucketCors): ${corsRuleXml(origin, this.exposeHeaders)}`
    );
  }
}
