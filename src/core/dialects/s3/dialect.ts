/**
 * S3-compatible stores (AWS S3, MinIO, Ceph RGW, R2, OBS and OSS in S3 mode): SigV4 with
 * `UNSIGNED-PAYLOAD`; the 5 MiB part floor; `If-None-Match: *` to forbid overwrite.
 *
 * Integrity: CRC-64/NVME (`x-amz-checksum-crc64nvme`) sent with every part and checked by
 * stores that know it, declared for the whole object at Initiate (`FULL_OBJECT`) and sent
 * again at Complete. Many S3-compatible stores (Ceph 16, older MinIO) ignore those headers:
 * there the upload goes ahead with Content-MD5, which every S3 store checks. An upload never
 * fails because a store lacks a checksum (the AWS SDK's mistake with R2 and MinIO).
 */
import { crc64FromBase64, crc64ToBase64 } from '../../crc64.js';
import type {
  Addressing, IntegrityRules, Operation, SigningContext, StorageDialect, StoreChecksum,
} from '../../dialect.js';
import { ErrorKind } from '../../errors.js';
import { MiB } from '../../limits.js';
import { childText, type XmlElement } from '../../xml.js';
import { corsRuleXml, errorKindIn, S3_FAMILY_ERROR_KINDS } from '../common.js';
import { s3SignHeaders } from './signer-v4.js';

/** Smallest part S3 accepts at Complete, but for the last part (AWS: "multipart upload limits"). */
export const S3_MIN_PART_SIZE = 5 * MiB;

const CRC_HEADER = 'x-amz-checksum-crc64nvme';
const ALGORITHM_HEADER = 'x-amz-checksum-algorithm';
const TYPE_HEADER = 'x-amz-checksum-type';

const ERROR_KINDS: Readonly<Record<string, ErrorKind>> = {
  ...S3_FAMILY_ERROR_KINDS,
  ExpiredToken: ErrorKind.ExpiredCredentials,
  InvalidToken: ErrorKind.ExpiredCredentials,
  TokenRefreshRequired: ErrorKind.ExpiredCredentials,
  BadDigest: ErrorKind.BadDigest,
  InvalidDigest: ErrorKind.BadDigest,
  XAmzContentChecksumMismatch: ErrorKind.BadDigest,
  // Only ever caused here by `If-None-Match: *`: the object exists.
  PreconditionFailed: ErrorKind.ObjectExists,
  Throttling: ErrorKind.Throttled,
  ThrottlingException: ErrorKind.Throttled,
  RequestLimitExceeded: ErrorKind.Throttled,
  RequestThrottled: ErrorKind.Throttled,
};

const checksum: StoreChecksum = {
  algorithm: 'crc64nvme',
  sentWithRequest: true,
  requestHeaders: (value) => ({ [CRC_HEADER]: crc64ToBase64(value) }),
  initiateHeaders: { [ALGORITHM_HEADER]: 'CRC64NVME', [TYPE_HEADER]: 'FULL_OBJECT' },
  acceptedAtInitiate: (headers) => headers.get(ALGORITHM_HEADER)?.toUpperCase() === 'CRC64NVME',
  completeHeaders: (value) => ({ [CRC_HEADER]: crc64ToBase64(value), [TYPE_HEADER]: 'FULL_OBJECT' }),
  headHeaders: { 'x-amz-checksum-mode': 'ENABLED' },
  fromHeaders: (headers) => crc64FromBase64(headers.get(CRC_HEADER)),
  fromListedPart: (part: XmlElement) => crc64FromBase64(childText(part, 'ChecksumCRC64NVME')),
};

export class S3Dialect implements StorageDialect {
  readonly id = 's3';
  readonly vendor = 'S3';
  readonly limits = { minPartSize: S3_MIN_PART_SIZE };
  readonly addressing: readonly Addressing[] = ['virtual', 'path'];
  readonly requestIdHeader = 'x-amz-request-id';
  readonly exposeHeaders = ['ETag', 'x-amz-request-id', CRC_HEADER, ALGORITHM_HEADER, TYPE_HEADER] as const;
  readonly integrity: IntegrityRules = { checksum, contentMd5: 'unless-checksum', etagIsPartMd5: false };

  sign({ request, credentials, region, now }: SigningContext): Promise<Record<string, string>> {
    return s3SignHeaders(request, credentials, { region }, now);
  }

  forbidOverwrite(operation: Operation): Record<string, string> {
    return operation === 'PutObject' || operation === 'CompleteMultipartUpload' ? { 'If-None-Match': '*' } : {};
  }

  errorKind(code: string, _status: number, operation: Operation): ErrorKind | undefined {
    return errorKindIn(ERROR_KINDS, code, operation);
  }

  corsAdvice(origin: string, missing: readonly string[]): string {
    const rule = {
      AllowedOrigins: [origin], AllowedMethods: ['GET', 'PUT', 'POST', 'DELETE', 'HEAD'],
      AllowedHeaders: ['*'], ExposeHeaders: [...this.exposeHeaders], MaxAgeSeconds: 600,
    };
    return (
      `The bucket's CORS configuration does not expose ${missing.join(', ')}. ` +
      `AWS console: the bucket > Permissions > Cross-origin resource sharing (CORS) > Edit, and add ${JSON.stringify(rule)}. ` +
      `MinIO, Ceph RGW and others: PutBucketCors with ${corsRuleXml(origin, this.exposeHeaders)}`
    );
  }
}
