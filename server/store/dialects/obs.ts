/**
 * Huawei OBS (`Authorization: OBS …`), protocol.md §3c and §8: `x-obs-request-id` and
 * `x-obs-id-2` on every answer; result documents in OBS's namespace; no CRC anywhere (the
 * integrity check is Content-MD5, `BadDigest`); ListParts parts are PartNumber,
 * LastModified, ETag, Size; `x-obs-forbid-overwrite`; AbortMultipartUpload answers
 * authentication failures as 403 AccessDenied and lets only the initiator or the bucket
 * owner abort.
 *
 * Expired STS token: OBS's error tables list no code for it that we could confirm; the store
 * answers S3's `ExpiredToken` (400), whose error table OBS's mirrors. [unverified]
 */
import { randomBytes } from 'node:crypto';
import { OBS_MIN_PART_SIZE } from '../../../src/core/dialects/obs/dialect.js';
import type { StoreDialect } from './dialect.js';
import { renamed, s3StyleErrorXml, type ErrorNaming } from './error-document.js';
import { authenticateObs } from './obs-auth.js';

export const OBS_XMLNS = 'http://obs.myhwclouds.com/doc/2015-06-30/';

const NAMING: ErrorNaming = {
  codes: {
    InvalidDigest: { code: 'BadDigest', status: 400 },
    SecurityTokenExpired: { code: 'ExpiredToken', status: 400 },
  },
  fields: { OSSAccessKeyId: 'AccessKeyId', MaxAllowedSkewMilliseconds: null, 'Content-MD5': 'ContentMD5' },
};

/** AbortMultipartUpload's failures to authenticate, which OBS answers as AccessDenied. */
const ABORT_AS_ACCESS_DENIED = new Set(['InvalidAccessKeyId', 'SignatureDoesNotMatch', 'SecurityTokenExpired']);

export const obsDialect: StoreDialect = {
  name: 'obs',
  xmlns: OBS_XMLNS,
  minPartSize: OBS_MIN_PART_SIZE,
  storageClass: 'STANDARD',
  abortNeedsInitiator: true,

  authenticate: authenticateObs,
  answerHeaders: (requestId) => ({
    'x-obs-request-id': requestId,
    'x-obs-id-2': randomBytes(24).toString('base64'),
    Server: 'OBS',
  }),
  errorAnswer(err, { requestId, hostId, operation }) {
    if (operation === 'AbortMultipartUpload' && ABORT_AS_ACCESS_DENIED.has(err.code)) {
      const xml = s3StyleErrorXml({ code: 'AccessDenied', message: 'Access Denied', extra: [] }, requestId, hostId);
      return { status: 403, headers: {}, xml };
    }
    const r = renamed(err, NAMING);
    return { status: r.status, headers: {}, xml: s3StyleErrorXml({ code: r.code, message: err.message, extra: r.extra }, requestId, hostId) };
  },

  forbidsOverwrite: (ex) => ex.header('x-obs-forbid-overwrite')?.trim().toLowerCase() === 'true',
  etag: (stored) => stored.toLowerCase(),

  bodyPlan: () => ({ needs: {}, check: () => undefined, checksums: () => undefined }),
  storedHeaders: (r) => ({ ETag: r.etag.toLowerCase() }),
  initiateChecksum: () => undefined,
  initiateHeaders: () => ({}),
  completeChecksums: () => undefined,
  completeExtras: () => ({ headers: {}, nodes: [] }),
  partNodes: (p) => [
    ['PartNumber', p.partNumber],
    ['LastModified', new Date(p.lastModified).toISOString()],
    ['ETag', p.etag.toLowerCase()],
    ['Size', p.size],
  ],
  objectHeaders: () => ({ 'x-obs-storage-class': 'STANDARD' }),
};
