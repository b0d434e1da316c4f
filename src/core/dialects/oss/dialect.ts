/**
 * Alibaba Cloud OSS: V4 signatures by default (`OSS4-HMAC-SHA256`), V1 as an option; CRC-64
 * (`x-oss-hash-crc64ecma`, CRC-64/XZ in decimal) on every part and object; the 100 KiB part
 * floor; `x-oss-forbid-overwrite`; bodiless errors in `x-oss-err`.
 */
import { parseUnsigned64 } from '../../crc64.js';
import type {
  Addressing, IntegrityRules, Operation, SigningContext, StorageDialect, StoreChecksum,
} from '../../dialect.js';
import { ErrorKind } from '../../errors.js';
import { KiB } from '../../limits.js';
import type { SignableRequest } from '../../signing/request.js';
import { childText, type XmlElement } from '../../xml.js';
import { corsRuleXml, errorKindIn, forbidOverwriteHeader, S3_FAMILY_ERROR_KINDS } from '../common.js';
import { v1Authorization, v1Date } from './signer-v1.js';
import { UNSIGNED_PAYLOAD, v4Authorization, v4Date } from './signer-v4.js';

export interface OssDialectOptions {
  /** `v4` (default) or `v1`. */
  signatureVersion?: 'v4' | 'v1';
}

/** Smallest part OSS accepts at Complete, but for the last part (Go SDK v2 `MinPartSize`). */
export const OSS_MIN_PART_SIZE = 100 * KiB;

const CRC_HEADER = 'x-oss-hash-crc64ecma';

const ERROR_KINDS: Readonly<Record<string, ErrorKind>> = {
  ...S3_FAMILY_ERROR_KINDS,
  SecurityTokenExpired: ErrorKind.ExpiredCredentials,
  InvalidSecurityToken: ErrorKind.ExpiredCredentials,
  InvalidDigest: ErrorKind.BadDigest,
  FileAlreadyExists: ErrorKind.ObjectExists,
};

/** OSS reports its CRC in every answer; nothing is sent with the request. */
const checksum: StoreChecksum = {
  algorithm: 'crc64xz',
  sentWithRequest: false,
  requestHeaders: () => ({}),
  initiateHeaders: {},
  acceptedAtInitiate: () => true,
  completeHeaders: () => ({}),
  headHeaders: {},
  fromHeaders: (headers) => parseUnsigned64(headers.get(CRC_HEADER)),
  fromListedPart: (part: XmlElement) => parseUnsigned64(childText(part, 'HashCrc64ecma')),
};

/** `oss-cn-hangzhou` (the ali-oss spelling) → `cn-hangzhou` (what the V4 scope needs). */
export function ossRegion(region: string): string {
  return region.replace(/^oss-/, '');
}

export class OssDialect implements StorageDialect {
  readonly id = 'oss';
  readonly vendor = 'Alibaba Cloud OSS';
  readonly limits = { minPartSize: OSS_MIN_PART_SIZE };
  readonly addressing: readonly Addressing[] = ['virtual', 'path', 'cname'];
  readonly requestIdHeader = 'x-oss-request-id';
  readonly exposeHeaders = ['ETag', 'x-oss-request-id', CRC_HEADER, 'x-oss-err'] as const;
  readonly integrity: IntegrityRules = { checksum, contentMd5: 'on-request', etagIsPartMd5: false };
  readonly signatureVersion: 'v4' | 'v1';

  constructor(opts: OssDialectOptions = {}) {
    this.signatureVersion = opts.signatureVersion ?? 'v4';
  }

  async sign({ request, credentials, region, now }: SigningContext): Promise<Record<string, string>> {
    const headers: Record<string, string> = { ...request.headers };
    if (credentials.securityToken) headers['x-oss-security-token'] = credentials.securityToken;
    const v4 = this.signatureVersion === 'v4';
    if (v4) {
      headers['x-oss-date'] = v4Date(now);
      headers['x-oss-content-sha256'] = UNSIGNED_PAYLOAD;
    } else {
      headers['x-oss-date'] = v1Date(now);
    }
    const signable: SignableRequest = { ...request, headers };
    headers['Authorization'] = v4
      ? await v4Authorization(signable, credentials, { region: ossRegion(region) })
      : await v1Authorization(signable, credentials);
    return headers;
  }

  readonly forbidOverwrite = forbidOverwriteHeader('x-oss-forbid-overwrite');

  errorKind(code: string, _status: number, operation: Operation): ErrorKind | undefined {
    return errorKindIn(ERROR_KINDS, code, operation);
  }

  bodilessError(headers: Headers): string | undefined {
    const encoded = headers.get('x-oss-err');
    if (!encoded) return undefined;
    try {
      return new TextDecoder().decode(Uint8Array.from(atob(encoded), (c) => c.charCodeAt(0)));
    } catch {
      return undefined;
    }
  }

  corsAdvice(origin: string, missing: readonly string[]): string {
    return (
      `The bucket's CORS rule does not expose ${missing.join(', ')}. In the OSS console open the bucket, ` +
      `Content Security > CORS, and add a rule: Sources ${origin}; Allowed Methods GET, PUT, POST, DELETE, HEAD; ` +
      `Allowed Headers *; Exposed Headers ${this.exposeHeaders.join(', ')}. ` +
      `As XML (PutBucketCors): ${corsRuleXml(origin, this.exposeHeaders)}`
    );
  }
}
