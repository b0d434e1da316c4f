/**
 * S3 (`Authorization: AWS4-HMAC-SHA256 …`), as AWS answers the AWS SDK: `x-amz-request-id`
 * and `x-amz-id-2`; result documents in S3's namespace; lower-case hex ETags; S3's error
 * codes (BadDigest, ExpiredToken 400, PreconditionFailed 412 for `If-None-Match: *`, …);
 * a 5 MiB part floor; and CRC-64/NVME checksums:
 * - PutObject / UploadPart: `x-amz-checksum-crc64nvme` verified when sent (BadDigest) and
 *   echoed; computed when the request names the algorithm or its upload chose it;
 * - CreateMultipartUpload with `x-amz-checksum-algorithm: CRC64NVME` (type FULL_OBJECT, the
 *   only one CRC-64/NVME has) records it and echoes both headers;
 * - CompleteMultipartUpload folds the parts' CRCs into the whole object's (src/core/crc64.ts),
 *   checks the request's `x-amz-checksum-crc64nvme` against it, and echoes it (header and
 *   `<ChecksumCRC64NVME>`);
 * - HeadObject / GetObject with `x-amz-checksum-mode: ENABLED` return it.
 * A hex `x-amz-content-sha256` is checked against the body (XAmzContentSHA256Mismatch).
 */
import { randomBytes } from 'node:crypto';
import { S3_MIN_PART_SIZE } from '../../../src/core/dialects/s3/dialect.js';
import { UNSIGNED_PAYLOAD } from '../../../src/core/dialects/s3/signer-v4.js';
import { crc64Fold } from '../../../src/core/crc64.js';
import { Errors } from '../errors.js';
import type { Exchange } from '../exchange.js';
import type { BodyDigests } from '../body.js';
import type { Checksums, StoreDialect, UploadChecksum } from './dialect.js';
import { renamed, s3StyleErrorXml, type ErrorNaming } from './error-document.js';
import { authenticateS3 } from './s3-auth.js';

export const S3_XMLNS = 'http://s3.amazonaws.com/doc/2006-03-01/';

const CRC64NVME_HEADER = 'x-amz-checksum-crc64nvme';
/** Checksum headers S3 has that the store does not verify: refused rather than ignored. */
const UNSUPPORTED_CHECKSUMS = ['crc32', 'crc32c', 'sha1', 'sha256'];

const NAMING: ErrorNaming = {
  codes: {
    InvalidDigest: { code: 'BadDigest', status: 400 },
    SecurityTokenExpired: { code: 'ExpiredToken', status: 400 },
    FileAlreadyExists: { code: 'PreconditionFailed', status: 412 },
  },
  fields: { OSSAccessKeyId: 'AWSAccessKeyId', 'Content-MD5': 'ExpectedDigest' },
};

const MESSAGES: Record<string, string> = {
  PreconditionFailed: 'At least one of the pre-conditions you specified did not hold',
  ExpiredToken: 'The provided token has expired.',
  BadDigest: 'The Content-MD5 you specified did not match what we received.',
};

/** S3's form of a CRC-64: base64 of the 8 big-endian bytes. */
export function crc64ToBase64(crc: bigint): string {
  const buf = Buffer.alloc(8);
  buf.writeBigUInt64BE(crc);
  return buf.toString('base64');
}

function crc64FromBase64(value: string): bigint {
  return Buffer.from(value, 'base64').readBigUInt64BE();
}

function algorithmNamed(ex: Exchange): string | undefined {
  return (ex.header('x-amz-checksum-algorithm') ?? ex.header('x-amz-sdk-checksum-algorithm'))?.trim().toUpperCase();
}

function refuseUnsupportedChecksums(ex: Exchange): void {
  for (const name of UNSUPPORTED_CHECKSUMS) {
    if (ex.header(`x-amz-checksum-${name}`) !== undefined) throw Errors.notImplemented(`x-amz-checksum-${name} (only CRC64NVME)`);
  }
  const algorithm = algorithmNamed(ex);
  if (algorithm !== undefined && algorithm !== 'CRC64NVME') throw Errors.notImplemented(`the ${algorithm} checksum algorithm (only CRC64NVME)`);
}

function checksumHeaders(c: Checksums | undefined): Record<string, string> {
  return c?.crc64nvme ? { [CRC64NVME_HEADER]: c.crc64nvme, 'x-amz-checksum-type': 'FULL_OBJECT' } : {};
}

export const s3Dialect: StoreDialect = {
  name: 's3',
  xmlns: S3_XMLNS,
  minPartSize: S3_MIN_PART_SIZE,
  storageClass: 'STANDARD',
  abortNeedsInitiator: false,

  authenticate: authenticateS3,
  answerHeaders: (requestId) => ({
    'x-amz-request-id': requestId,
    'x-amz-id-2': randomBytes(24).toString('base64'),
    Server: 'AmazonS3',
  }),
  errorAnswer(err, { requestId, hostId }) {
    const r = renamed(err, NAMING);
    if (r.code === 'PreconditionFailed') r.extra.push(['Condition', 'If-None-Match']);
    const message = r.code !== err.code ? (MESSAGES[r.code] ?? err.message) : err.message;
    return { status: r.status, headers: {}, xml: s3StyleErrorXml({ code: r.code, message, extra: r.extra }, requestId, hostId) };
  },

  // S3 honours If-None-Match on PutObject and CompleteMultipartUpload only.
  forbidsOverwrite: (ex, at) => at !== 'initiate' && ex.header('if-none-match')?.trim() === '*',
  etag: (stored) => stored.toLowerCase(),

  bodyPlan(ex, upload) {
    refuseUnsupportedChecksums(ex);
    const payload = ex.header('x-amz-content-sha256');
    const claimedSha256 = payload !== undefined && payload !== UNSIGNED_PAYLOAD ? payload : undefined;
    const claimedCrc = ex.header(CRC64NVME_HEADER);
    const wantCrc = claimedCrc !== undefined || algorithmNamed(ex) === 'CRC64NVME' || upload?.checksum !== undefined;
    return {
      needs: { sha256: claimedSha256 !== undefined, crc64nvme: wantCrc },
      check(d: BodyDigests) {
        const sha = d.sha256?.toString('hex');
        if (claimedSha256 !== undefined && sha !== claimedSha256) throw Errors.contentSha256Mismatch(claimedSha256, sha ?? '');
        if (claimedCrc !== undefined && d.crc64nvme !== undefined && crc64ToBase64(d.crc64nvme) !== claimedCrc.trim()) {
          throw Errors.checksumMismatch('CRC64NVME', claimedCrc, crc64ToBase64(d.crc64nvme));
        }
      },
      checksums: (d) => (wantCrc && d.crc64nvme !== undefined ? { crc64nvme: crc64ToBase64(d.crc64nvme) } : undefined),
    };
  },
  storedHeaders: (r) => ({ ETag: r.etag.toLowerCase(), ...checksumHeaders(r.checksums) }),

  initiateChecksum(ex): UploadChecksum | undefined {
    refuseUnsupportedChecksums(ex);
    const algorithm = ex.header('x-amz-checksum-algorithm')?.trim().toUpperCase();
    if (algorithm === undefined) return undefined;
    const type = ex.header('x-amz-checksum-type')?.trim().toUpperCase() ?? 'FULL_OBJECT';
    if (type !== 'FULL_OBJECT') throw Errors.invalidRequest('The CRC64NVME checksum algorithm supports the FULL_OBJECT checksum type only.');
    return { algorithm: 'CRC64NVME', type: 'FULL_OBJECT' };
  },
  initiateHeaders: (upload): Record<string, string> =>
    upload.checksum ? { 'x-amz-checksum-algorithm': upload.checksum.algorithm, 'x-amz-checksum-type': upload.checksum.type } : {},

  completeChecksums(ex, upload, parts) {
    const claimed = ex.header(CRC64NVME_HEADER)?.trim();
    if (!upload.checksum) {
      if (claimed !== undefined) throw Errors.invalidRequest('The upload was not created with the CRC64NVME checksum algorithm.');
      return undefined;
    }
    const runs = parts.map((p) => {
      if (!p.checksums?.crc64nvme) throw Errors.invalidRequest(`Part ${p.partNumber} has no CRC64NVME checksum.`);
      return { crc64: crc64FromBase64(p.checksums.crc64nvme), size: p.size };
    });
    const whole = crc64ToBase64(crc64Fold(runs, 'crc64nvme'));
    if (claimed !== undefined && claimed !== whole) throw Errors.checksumMismatch('CRC64NVME', claimed, whole);
    return { crc64nvme: whole };
  },
  completeExtras: (o) => ({
    headers: checksumHeaders(o.checksums),
    nodes: o.checksums?.crc64nvme ? [['ChecksumCRC64NVME', o.checksums.crc64nvme], ['ChecksumType', 'FULL_OBJECT']] : [],
  }),
  partNodes: (p) => [
    ['PartNumber', p.partNumber],
    ['LastModified', new Date(p.lastModified).toISOString()],
    ['ETag', p.etag.toLowerCase()],
    ['Size', p.size],
    ['ChecksumCRC64NVME', p.checksums?.crc64nvme],
  ],
  objectHeaders: (r, ex) => (ex.header('x-amz-checksum-mode')?.trim().toUpperCase() === 'ENABLED' ? checksumHeaders(r.checksums) : {}),
};
