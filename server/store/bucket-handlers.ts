/** ListMultipartUploads, Get/Put/DeleteBucketCors, and the service-level ListBuckets. */
import { MAX_LIST_PAGE } from '../../src/core/limits.js';
import { receiveSmall } from './body.js';
import type { BucketRegistry } from './buckets.js';
import { encodeKey, encodingType, intParam, isoDate, type Target } from './context.js';
import { corsXmlNodes, parseCorsXml } from './cors.js';
import { Errors } from './errors.js';
import type { Exchange } from './exchange.js';
import { pageUploads } from './listing.js';
import type { XmlNode } from './xml.js';

const MAX_CORS_XML_BYTES = 64 * 1024;

export async function listMultipartUploads(t: Target): Promise<void> {
  const { ex, ctx, bucket, query } = t;
  const encoding = encodingType(query);
  const q = {
    prefix: query['prefix'] ?? '',
    delimiter: query['delimiter'] ?? '',
    keyMarker: query['key-marker'] ?? '',
    uploadIdMarker: query['upload-id-marker'] ?? '',
    max: intParam(query, 'max-uploads', 1, MAX_LIST_PAGE, MAX_LIST_PAGE),
  };
  const page = pageUploads(ctx.uploads.list(bucket.name), q);
  const enc = (s: string) => encodeKey(s, encoding);
  ex.sendResult('ListMultipartUploadsResult', [
    ['EncodingType', encoding],
    ['Bucket', bucket.name],
    ['KeyMarker', enc(q.keyMarker)],
    ['UploadIdMarker', q.uploadIdMarker],
    ['NextKeyMarker', enc(page.nextKeyMarker)],
    ['NextUploadIdMarker', page.nextUploadIdMarker],
    ['Delimiter', enc(q.delimiter)],
    ['Prefix', enc(q.prefix)],
    ['MaxUploads', q.max],
    ['IsTruncated', page.truncated],
    ...page.uploads.map((u): XmlNode => ['Upload', [
      ['Key', enc(u.key)],
      ['UploadId', u.uploadId],
      ['StorageClass', t.dialect.storageClass],
      ['Initiated', isoDate(u.initiated)],
    ]]),
    ...page.commonPrefixes.map((p): XmlNode => ['CommonPrefixes', [['Prefix', enc(p)]]]),
  ]);
}

export async function getBucketCors(t: Target): Promise<void> {
  if (t.bucket.cors.length === 0) throw Errors.noSuchCors();
  t.ex.sendResult('CORSConfiguration', [...corsXmlNodes(t.bucket.cors), ['ResponseVary', false]]);
}

export async function putBucketCors(t: Target): Promise<void> {
  const body = await receiveSmall(t.ex, { timeoutMs: t.ctx.bodyTimeoutMs, maxBytes: MAX_CORS_XML_BYTES });
  await t.ctx.buckets.setCors(t.bucket, parseCorsXml(body.toString('utf8')));
  t.ex.send(200);
}

export async function deleteBucketCors(t: Target): Promise<void> {
  await t.ctx.buckets.setCors(t.bucket, []);
  t.ex.send(204);
}

export function listBuckets(ex: Exchange, buckets: BucketRegistry, region: string): void {
  ex.sendResult('ListAllMyBucketsResult', [
    ['Owner', [['ID', 'local'], ['DisplayName', 'local']]],
    ['Buckets', buckets.names().map((name): XmlNode => ['Bucket', [
      ['Name', name],
      ['Location', `oss-${region}`],
      ['Region', region],
      ['StorageClass', 'Standard'],
    ]])],
  ]);
}
