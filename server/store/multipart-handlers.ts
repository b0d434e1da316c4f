/**
 * InitiateMultipartUpload, UploadPart, CompleteMultipartUpload, AbortMultipartUpload,
 * ListParts. What differs between dialects (headers, checksums, part fields, the part-size
 * floor, forbid-overwrite, who may abort) comes from `t.dialect`.
 */
import { MAX_LIST_PAGE, MAX_PART_NUMBER, MAX_PART_SIZE } from '../../src/core/limits.js';
import { uriEncode } from '../../src/core/signing/request.js';
import { principalOf } from './auth.js';
import { receiveSmall, receiveToFile } from './body.js';
import { parseCompleteXml } from './complete.js';
import { contentTypeFor, storedHeaders } from './content-type.js';
import { encodeKey, encodingType, intParam, type Target } from './context.js';
import { Errors } from './errors.js';
import { pageParts } from './listing.js';
import type { XmlNode } from './xml.js';

/** Largest CompleteMultipartUpload body accepted: 10,000 parts fit in about 1 MiB. */
const MAX_COMPLETE_XML_BYTES = 4 * 1024 * 1024;

function uploadIdOf(t: Target): string {
  return t.query['uploadId'] ?? '';
}

export async function initiateMultipartUpload(t: Target): Promise<void> {
  const { ex, ctx, bucket, key, dialect } = t;
  const encoding = encodingType(t.query);
  if (dialect.forbidsOverwrite(ex, 'initiate') && ctx.objects.get(bucket.name, key)) throw Errors.fileAlreadyExists();
  const headers = ex.headers();
  const record = await ctx.uploads.initiate(bucket.name, key, {
    contentType: contentTypeFor(key, headers['content-type']),
    headers: storedHeaders(headers),
    initiator: principalOf(t.identity),
    checksum: dialect.initiateChecksum(ex),
  });
  ex.sendResult('InitiateMultipartUploadResult', [
    ['EncodingType', encoding],
    ['Bucket', bucket.name],
    ['Key', encodeKey(key, encoding)],
    ['UploadId', record.uploadId],
  ], dialect.initiateHeaders(record));
}

export async function uploadPart(t: Target): Promise<void> {
  const { ex, ctx, bucket, key, dialect } = t;
  const raw = t.query['partNumber'] ?? '';
  const partNumber = /^\d{1,5}$/.test(raw) ? Number(raw) : NaN;
  if (!(partNumber >= 1 && partNumber <= MAX_PART_NUMBER)) throw Errors.invalidPartNumber(raw);
  const uploadId = uploadIdOf(t);
  const upload = ctx.uploads.get(bucket.name, key, uploadId).record; // NoSuchUpload before reading the body
  const plan = dialect.bodyPlan(ex, upload);
  const body = await receiveToFile(ex, ctx.layout, {
    timeoutMs: ctx.bodyTimeoutMs, maxBytes: MAX_PART_SIZE, needs: plan.needs, check: plan.check,
  });
  const checksums = plan.checksums(body);
  const part = await ctx.uploads.commitPart(bucket.name, key, uploadId, partNumber, body, checksums);
  ex.send(200, dialect.storedHeaders({ etag: part.etag, crc64: part.crc64, contentMd5: body.md5.toString('base64'), checksums }));
}

export async function completeMultipartUpload(t: Target): Promise<void> {
  const { ex, ctx, bucket, key, dialect } = t;
  const encoding = encodingType(t.query);
  const uploadId = uploadIdOf(t);
  const plan = dialect.bodyPlan(ex);
  const text = (await receiveSmall(ex, {
    timeoutMs: ctx.bodyTimeoutMs, maxBytes: MAX_COMPLETE_XML_BYTES, check: plan.check,
  })).toString('utf8');
  ctx.uploads.get(bucket.name, key, uploadId);
  const completeAll = ex.header('x-oss-complete-all')?.trim().toLowerCase() === 'yes';
  if (completeAll && text.trim() !== '') {
    throw Errors.invalidArgument('With x-oss-complete-all: yes the request must have no body.', 'x-oss-complete-all', 'yes');
  }
  const requested = completeAll ? 'all' : parseCompleteXml(text);
  const record = await ctx.uploads.complete(bucket.name, key, uploadId, requested, {
    forbidOverwrite: dialect.forbidsOverwrite(ex, 'complete'),
    minPartSize: dialect.minPartSize,
    checksums: (upload, assembly) => dialect.completeChecksums(ex, upload, assembly.parts),
  });
  const path = t.address.virtualHosted ? uriEncode(key, true) : `${bucket.name}/${uriEncode(key, true)}`;
  const extras = dialect.completeExtras(record);
  ex.sendResult('CompleteMultipartUploadResult', [
    ['EncodingType', encoding],
    ['Location', `http://${ex.hostId}/${path}`],
    ['Bucket', bucket.name],
    ['Key', encodeKey(key, encoding)],
    ['ETag', dialect.etag(record.etag)],
    ...extras.nodes,
  ], extras.headers);
}

export async function abortMultipartUpload(t: Target): Promise<void> {
  const { ctx, bucket, key, dialect, identity } = t;
  await ctx.uploads.abort(bucket.name, key, uploadIdOf(t), (upload) => {
    if (!dialect.abortNeedsInitiator || identity.kind === 'root') return; // the root key is the bucket owner
    if (upload.initiator !== undefined && upload.initiator !== principalOf(identity)) {
      throw Errors.accessDenied('Only the initiator of a multipart upload or the bucket owner may abort it.');
    }
  });
  t.ex.send(204);
}

export async function listParts(t: Target): Promise<void> {
  const { ex, ctx, bucket, key, query, dialect } = t;
  const encoding = encodingType(query);
  const max = intParam(query, 'max-parts', 1, MAX_LIST_PAGE, MAX_LIST_PAGE);
  const marker = intParam(query, 'part-number-marker', 0, MAX_PART_NUMBER, 0);
  const uploadId = uploadIdOf(t);
  const page = pageParts(ctx.uploads.parts(ctx.uploads.get(bucket.name, key, uploadId)), marker, max);
  ex.sendResult('ListPartsResult', [
    ['EncodingType', encoding],
    ['Bucket', bucket.name],
    ['Key', encodeKey(key, encoding)],
    ['UploadId', uploadId],
    ['StorageClass', dialect.storageClass],
    ['PartNumberMarker', marker],
    ['NextPartNumberMarker', page.nextMarker],
    ['MaxParts', max],
    ['IsTruncated', page.truncated],
    ...page.parts.map((p): XmlNode => ['Part', dialect.partNodes(p)]),
  ]);
}

