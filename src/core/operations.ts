/**
 * The object-store operations the uploader uses, with the same request and answer shapes
 * in every dialect (protocol.md §1), on top of {@link StoreClient}.
 */
import { parseCrc64 } from './crc64.js';
import { ClientErrorCode, UploadError } from './errors.js';
import { MAX_LIST_PAGE } from './limits.js';
import type { StoreClient, StoreResponse } from './store-client.js';
import { childText, childrenNamed, escapeXml, leaves, parseXml, type XmlElement } from './xml.js';

export interface PartRecord {
  partNumber: number;
  /** Quoted, as the store sent it; sent back verbatim in Complete. */
  etag: string;
  size: number;
  /** The store's CRC-64 of the part, when it reports one. */
  crc64?: bigint | undefined;
}

export interface PutResult {
  /** Null when CORS hides the header. */
  etag: string | null;
  crc64: bigint | undefined;
  requestId: string | undefined;
}

export interface CompleteResult {
  location: string;
  etag: string;
  crc64: bigint | undefined;
  requestId: string | undefined;
}

export interface UploadListing {
  key: string;
  uploadId: string;
  initiated: string;
}

function root(res: StoreResponse, operation: string, expected: string): XmlElement {
  let el: XmlElement;
  try {
    el = parseXml(res.body);
  } catch (e) {
    throw new UploadError(ClientErrorCode.MalformedResponse, `${operation}: the store's answer is not XML.`, { cause: e, requestId: res.requestId });
  }
  if (el.name === 'Error') {
    // S3 may answer 200 OK with an error in the body (CompleteMultipartUpload).
    const d = leaves(el);
    throw new UploadError(d['Code'] ?? 'InternalError', `${operation}: ${d['Message'] ?? 'error in a 200 answer'}`, {
      status: res.status, requestId: d['RequestId'] ?? res.requestId, details: d,
    });
  }
  if (el.name !== expected) {
    throw new UploadError(ClientErrorCode.MalformedResponse, `${operation}: expected <${expected}>, got <${el.name}>.`, { requestId: res.requestId });
  }
  return el;
}

export class StoreOperations {
  constructor(readonly client: StoreClient) {}

  private crcOf(res: StoreResponse): bigint | undefined {
    const h = this.client.dialect.crc64Header;
    return h ? parseCrc64(res.headers.get(h)) : undefined;
  }

  async putObject(
    key: string, body: Blob, opts: { contentType: string; contentMd5?: string | undefined; forbidOverwrite?: boolean },
    signal?: AbortSignal,
  ): Promise<PutResult> {
    const headers: Record<string, string> = { 'Content-Type': opts.contentType };
    if (opts.contentMd5) headers['Content-MD5'] = opts.contentMd5;
    const forbid = this.client.dialect.forbidOverwriteHeader;
    if (opts.forbidOverwrite && forbid) headers[forbid] = 'true';
    const res = await this.client.send({ operation: 'PutObject', method: 'PUT', key, headers, body }, signal);
    return { etag: res.headers.get('etag'), crc64: this.crcOf(res), requestId: res.requestId };
  }

  async initiate(key: string, contentType: string, signal?: AbortSignal): Promise<string> {
    const res = await this.client.send(
      { operation: 'InitiateMultipartUpload', method: 'POST', key, query: { uploads: '' }, headers: { 'Content-Type': contentType }, readBody: true },
      signal,
    );
    const uploadId = childText(root(res, 'InitiateMultipartUpload', 'InitiateMultipartUploadResult'), 'UploadId');
    if (!uploadId) throw new UploadError(ClientErrorCode.MalformedResponse, 'InitiateMultipartUpload: no UploadId in the answer.', { requestId: res.requestId });
    return uploadId;
  }

  async uploadPart(
    key: string, uploadId: string, partNumber: number, body: Blob, contentMd5: string | undefined, signal?: AbortSignal,
  ): Promise<PutResult> {
    const headers: Record<string, string> = { 'Content-Type': 'application/octet-stream' };
    if (contentMd5) headers['Content-MD5'] = contentMd5;
    const res = await this.client.send(
      { operation: 'UploadPart', method: 'PUT', key, query: { partNumber: String(partNumber), uploadId }, headers, body },
      signal,
    );
    return { etag: res.headers.get('etag'), crc64: this.crcOf(res), requestId: res.requestId };
  }

  async complete(key: string, uploadId: string, parts: readonly PartRecord[], signal?: AbortSignal): Promise<CompleteResult> {
    const sorted = [...parts].sort((a, b) => a.partNumber - b.partNumber);
    const body =
      '<CompleteMultipartUpload>' +
      sorted.map((p) => `<Part><PartNumber>${p.partNumber}</PartNumber><ETag>${escapeXml(p.etag)}</ETag></Part>`).join('') +
      '</CompleteMultipartUpload>';
    const res = await this.client.send(
      { operation: 'CompleteMultipartUpload', method: 'POST', key, query: { uploadId }, headers: { 'Content-Type': 'application/xml' }, body, readBody: true },
      signal,
    );
    const el = root(res, 'CompleteMultipartUpload', 'CompleteMultipartUploadResult');
    return {
      location: childText(el, 'Location') ?? '',
      etag: childText(el, 'ETag') ?? res.headers.get('etag') ?? '',
      crc64: this.crcOf(res),
      requestId: res.requestId,
    };
  }

  /** AbortMultipartUpload. Resolves when the store answered 204 (or the upload is already gone). */
  async abort(key: string, uploadId: string, signal?: AbortSignal): Promise<void> {
    try {
      await this.client.send({ operation: 'AbortMultipartUpload', method: 'DELETE', key, query: { uploadId } }, signal);
    } catch (e) {
      if (!(e instanceof UploadError && e.code === 'NoSuchUpload')) throw e;
    }
  }

  /** Every part the store holds for the upload, across all pages. */
  async listParts(key: string, uploadId: string, signal?: AbortSignal): Promise<PartRecord[]> {
    const parts: PartRecord[] = [];
    let marker = '';
    for (let page = 0; page <= 10; page++) {
      const query: Record<string, string> = { uploadId, 'max-parts': String(MAX_LIST_PAGE) };
      if (marker) query['part-number-marker'] = marker;
      const res = await this.client.send({ operation: 'ListParts', method: 'GET', key, query, readBody: true }, signal);
      const el = root(res, 'ListParts', 'ListPartsResult');
      for (const p of childrenNamed(el, 'Part')) {
        const partNumber = Number(childText(p, 'PartNumber'));
        const etag = childText(p, 'ETag');
        const size = Number(childText(p, 'Size'));
        if (!Number.isInteger(partNumber) || !etag || !Number.isFinite(size)) {
          throw new UploadError(ClientErrorCode.MalformedResponse, 'ListParts: a <Part> lacks PartNumber, ETag or Size.', { requestId: res.requestId });
        }
        parts.push({ partNumber, etag, size, crc64: parseCrc64(childText(p, 'HashCrc64ecma')) });
      }
      if (childText(el, 'IsTruncated') !== 'true') return parts;
      const next = childText(el, 'NextPartNumberMarker') ?? '';
      if (!next || next === marker) {
        throw new UploadError(ClientErrorCode.MalformedResponse, 'ListParts: truncated without a new NextPartNumberMarker.', { requestId: res.requestId });
      }
      marker = next;
    }
    throw new UploadError(ClientErrorCode.MalformedResponse, 'ListParts: more pages than 10,000 parts can fill.');
  }

  /** One page of ListMultipartUploads under `prefix`. */
  async listUploads(
    prefix: string, markers: { keyMarker?: string; uploadIdMarker?: string } = {}, maxUploads = MAX_LIST_PAGE, signal?: AbortSignal,
  ): Promise<{ uploads: UploadListing[]; next?: { keyMarker: string; uploadIdMarker: string } }> {
    const query: Record<string, string> = { uploads: '', prefix, 'max-uploads': String(maxUploads) };
    if (markers.keyMarker) query['key-marker'] = markers.keyMarker;
    if (markers.uploadIdMarker) query['upload-id-marker'] = markers.uploadIdMarker;
    const res = await this.client.send({ operation: 'ListMultipartUploads', method: 'GET', key: '', query, readBody: true }, signal);
    const el = root(res, 'ListMultipartUploads', 'ListMultipartUploadsResult');
    const uploads = childrenNamed(el, 'Upload').map((u) => ({
      key: childText(u, 'Key') ?? '', uploadId: childText(u, 'UploadId') ?? '', initiated: childText(u, 'Initiated') ?? '',
    }));
    if (childText(el, 'IsTruncated') !== 'true') return { uploads };
    return { uploads, next: { keyMarker: childText(el, 'NextKeyMarker') ?? '', uploadIdMarker: childText(el, 'NextUploadIdMarker') ?? '' } };
  }

  /** HeadObject; undefined when there is no such object. */
  async head(key: string, signal?: AbortSignal): Promise<{ size: number; etag: string | null; crc64: bigint | undefined } | undefined> {
    try {
      const res = await this.client.send({ operation: 'HeadObject', method: 'HEAD', key }, signal);
      return { size: Number(res.headers.get('content-length')), etag: res.headers.get('etag'), crc64: this.crcOf(res) };
    } catch (e) {
      if (e instanceof UploadError && (e.status === 404)) return undefined;
      throw e;
    }
  }
}


