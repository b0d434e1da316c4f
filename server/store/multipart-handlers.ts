/** InitiateMultipartUpload, UploadPart, CompleteMultipartUpload, AbortMultipartUpload, ListParts. */
import { MAX_LIST_PAGE, MAX_PART_NUMBER, MAX_PART_SIZE } from '../../src/core/limits.js';
import { uriEncode } from '../../src/core/signing/request.js';
import { receiveSmall, receiveToFile } from './body.js';
import { parseCompleteXml } from './complete.js';
import { contentTypeFor, storedHeaders } from './content-type.js';
import { encodeKey, encodingType, forbidsOverwrite, intParam, isoDate, type Target } from './context.js';
import { Errors } from './errors.js';
import { pageParts } from './listing.js';
import { xmlDocument, type XmlNode } from './xml.js';

/** Largest CompleteMultipartUpload body accepted: 10,000 parts fit in about 1 MiB. */
const MAX_COMPLETE_XML_BYTES = 4 * 1024 * 1024;

function uploadIdOf(t: Target): string {
  return t.query['uploadId'] ?? '';
}

export async function initiateMultipartUpload(t: Target): Promise<void> {
  const { ex, ctx, bucket, key } = t;
  const encoding = encodingType(t.query);
  if (forbidsOverwrite(ex) && ctx.objects.get(bucket.name, key)) throw Errors.fileAlreadyExists();
  const headers = ex.headers();
  const record = await ctx.uploads.initiate(bucket.name, key, contentTypeFor(key, headers['content-type']), storedHeaders(headers));
  ex.sendXml(200, xmlDocument('InitiateMultipartUploadResult', [
    ['EncodingType', encoding],
    ['Bucket', bucket.name],
    ['Key', encodeKey(key, encoding)],
    ['UploadId', record.uploadId],
  ]));
}

export async function uploadPart(t: Target): Promise<void> {
  const { ex, ctx, bucket, key } = t;
  const raw = t.query['partNumber'] ?? '';
  const partNumber = /^\d{1,5}$/.test(raw) ? Number(raw) : NaN;
  if (!(partNumber >= 1 && partNumber <= MAX_PART_NUMBER)) throw Errors.invalidPartNumber(raw);
  const uploadId = uploadIdOf(t);
  ctx.uploads.get(bucket.name, key, uploadId); // NoSuchUpload before reading the body
  const body = await receiveToFile(ex, ctx.layout, { timeoutMs: ctx.bodyTimeoutMs, maxBytes: MAX_PART_SIZE });
  const part = await ctx.uploads.commitPart(bucket.name, key, uploadId, partNumber, body);
  ex.send(200, { ETag: part.etag, 'x-oss-hash-crc64ecma': part.crc64, 'Content-MD5': body.md5.toString('base64') });
}

export async function completeMultipartUpload(t: Target): Promise<void> {
  const { ex, ctx, bucket, key } = t;
  const encoding = encodingType(t.query);
  const uploadId = uploadIdOf(t);
  const text = (await receiveSmall(ex, { timeoutMs: ctx.bodyTimeoutMs, maxBytes: MAX_COMPLETE_XML_BYTES })).toString('utf8');
  ctx.uploads.get(bucket.name, key, uploadId);
  const completeAll = ex.header('x-oss-complete-all')?.trim().toLowerCase() === 'yes';
  if (completeAll && text.trim() !== '') {
    throw Errors.invalidArgument('With x-oss-complete-all: yes the request must have no body.', 'x-oss-complete-all', 'yes');
  }
  const requested = completeAll ? 'all' : parseCompleteXml(text);
  const record = await ctx.uploads.complete(bucket.name, key, uploadId, requested, forbidsOverwrite(ex));
  const path = t.address.virtualHosted ? uriEncode(key, true) : `${bucket.name}/${uriEncode(key, true)}`;
  ex.sendXml(200, xmlDocument('CompleteMultipartUploadResult', [
    ['EncodingType', encoding],
    ['Location', `http://${ex.hostId}/${path}`],
    ['Bucket', bucket.name],
    ['Key', encodeKey(key, encoding)],
    ['ETag', record.etag],
  ]), { 'x-oss-hash-crc64ecma': record.crc64 });
}

export async function abortMultipartUpload(t: Target): Promise<void> {
  await t.ctx.uploads.abort(t.bucket.name, t.key, uploadIdOf(t));
  t.ex.send(204);
}

export async function listParts(t: Target): Promise<void> {
  const { ex, ctx, bucket, key, query } = t;
  const encoding = encodingType(query);
  const max = intParam(query, 'max-parts', 1, MAX_LIST_PAGE, MAX_LIST_PAGE);
  const marker = intParam(query, 'part-number-marker', 0, MAX_PART_NUMBER, 0);
  const uploadId = uploadIdOf(t);
  const page = pageParts(ctx.uploads.parts(ctx.uploads.get(bucket.name, key, uploadId)), marker, max);
  ex.sendXml(200, xmlDocument('ListPartsResult', [
    ['EncodingType', encoding],
    ['Bucket', bucket.name],
    ['Key', encodeKey(key, encoding)],
    ['UploadId', uploadId],
    ['StorageClass', 'Standard'],
    ['PartNumberMarker', marker],
    ['NextPartNumberMarker', page.nextMarker],
    ['MaxParts', max],
    ['IsTruncated', page.truncated],
    ...page.parts.map((p): XmlNode => ['Part', [
      ['PartNumber', p.partNumber],
      ['LastModified', isoDate(p.lastModified)],
      ['ETag', p.etag],
      ['HashCrc64ecma', p.crc64],
      ['Size', p.size],
    ]]),
  ]));
}
