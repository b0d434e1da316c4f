/** Alibaba OSS: the store's native dialect (`OSS ` V1 and `OSS4-HMAC-SHA256` V4 signatures). */
import { OSS_MIN_PART_SIZE } from '../../../src/core/dialects/oss/dialect.js';
import { authenticate } from '../auth.js';
import { errorXml } from '../errors.js';
import type { StoreDialect } from './dialect.js';

export const ossDialect: StoreDialect = {
  name: 'oss',
  xmlns: undefined,
  minPartSize: OSS_MIN_PART_SIZE,
  storageClass: 'Standard',
  abortNeedsInitiator: false,

  authenticate,
  answerHeaders: (requestId) => ({ 'x-oss-request-id': requestId, Server: 'AliyunOSS' }),
  errorAnswer(err, { requestId, hostId, method }) {
    const xml = errorXml(err, requestId, hostId);
    const headers: Record<string, string> = { 'x-oss-ec': err.ec };
    // A HEAD answer has no body: OSS puts the error document, base64, in a header.
    if (method === 'HEAD') headers['x-oss-err'] = Buffer.from(xml, 'utf8').toString('base64');
    return { status: err.status, headers, xml };
  },

  forbidsOverwrite: (ex) => ex.header('x-oss-forbid-overwrite')?.trim().toLowerCase() === 'true',
  etag: (stored) => stored,

  bodyPlan: () => ({ needs: {}, check: () => undefined, checksums: () => undefined }),
  storedHeaders: (r) => ({ ETag: r.etag, 'x-oss-hash-crc64ecma': r.crc64, 'Content-MD5': r.contentMd5 }),
  initiateChecksum: () => undefined,
  initiateHeaders: () => ({}),
  completeChecksums: () => undefined,
  completeExtras: (o) => ({ headers: { 'x-oss-hash-crc64ecma': o.crc64 }, nodes: [] }),
  partNodes: (p) => [
    ['PartNumber', p.partNumber],
    ['LastModified', new Date(p.lastModified).toISOString()],
    ['ETag', p.etag],
    ['HashCrc64ecma', p.crc64],
    ['Size', p.size],
  ],
  objectHeaders: (r) => ({
    'x-oss-object-type': r.type,
    'x-oss-storage-class': 'Standard',
    'x-oss-hash-crc64ecma': r.crc64,
  }),
};

