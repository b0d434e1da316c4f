/**
 * The object-store operations the uploader uses, with the same request and answer shapes
 * in every dialect (protocol.md §1), on top of {@link StoreClient}. What differs (checksum
 * headers, forbid-overwrite, error meanings) comes from the dialect.
 */
import { ClientErrorCode, ErrorKind, UploadError } from './errors.js';
import { MAX_LIST_PAGE, MAX_PART_NUMBER } from './limits.js';
import { retrying } from './retry.js';
import type { StoreClient, StoreResponse } from './store-client.js';
import { childRawText, childText, childrenNamed, escapeXml, parseXml, type XmlElement } from './xml.js';

export interface PartRecord {
  partNumber: number;
  /** Quoted, as the store sent it; sent back verbatim in Complete. */
  etag: string;
  size: number;
  /** The store's checksum of the part (the dialect's CRC-64), when it reports one. */
  checksum?: bigint | undefined;
}

export interface PutResult {
  /** Null when CORS hides the header. */
  etag: string | null;
  /** The store's checksum, when it reports one (and CORS shows it). */
  checksum: bigint | undefined;
  requestId: string | undefined;
}

export interface CompleteResult {
  location: string;
  etag: string;
  checksum: bigint | undefined;
  requestId: string | undefined;
}

export interface UploadListing {
  key: string;
  uploadId: string;
  initiated: string;
}

export interface ObjectHead {
  size: number;
  etag: string | null;
  checksum: bigint | undefined;
}

/** How far before the first Initiate attempt an upload may seem to begin (clocks, rounding) and still be the one it created. */
const INITIATE_CLOCK_MARGIN_MS = 60_000;
/** Most ListParts pages one upload can need (10,000 parts, 1,000 a page), plus one. */
const MAX_PART_PAGES = MAX_PART_NUMBER / MAX_LIST_PAGE + 1;

export class StoreOperations {
  constructor(readonly client: StoreClient) {}

  private get dialect() {
    return this.client.dialect;
  }

  private checksumOf(res: { headers: Headers }): bigint | undefined {
    return this.dialect.integrity.checksum?.fromHeaders(res.headers);
  }

  /** The root element of an answer, failing on a 200 that carries an `<Error>` (S3 Complete does that). */
  private root(res: StoreResponse, operation: 'InitiateMultipartUpload' | 'CompleteMultipartUpload' | 'ListParts' | 'ListMultipartUploads', expected: string): XmlElement {
    let el: XmlElement;
    try {
      el = parseXml(res.body);
    } catch (e) {
      throw new UploadError(ClientErrorCode.MalformedResponse, `${operation}: the store's answer is not XML.`, { cause: e, requestId: res.requestId });
    }
    if (el.name === 'Error') throw this.client.errorFrom({ operation }, res, res.body, res.requestId);
    if (el.name !== expected) {
      throw new UploadError(ClientErrorCode.MalformedResponse, `${operation}: expected <${expected}>, got <${el.name}>.`, { requestId: res.requestId });
    }
    return el;
  }

  async putObject(
    key: string, body: Blob, opts: { contentType: string; headers: Record<string, string>; forbidOverwrite: boolean },
    signal?: AbortSignal,
  ): Promise<PutResult> {
    const headers: Record<string, string> = {
      'Content-Type': opts.contentType, ...opts.headers,
      ...(opts.forbidOverwrite ? this.dialect.forbidOverwrite('PutObject') : {}),
    };
    const res = await this.client.send({ operation: 'PutObject', method: 'PUT', key, headers, body }, signal);
    return { etag: res.headers.get('etag'), checksum: this.checksumOf(res), requestId: res.requestId };
  }

  /**
   * InitiateMultipartUpload; `checksumAccepted` tells whether the store will keep the
   * dialect's checksum for it (undefined when not known).
   *
   * Initiate creates a new upload every time it reaches the store, so it is never simply
   * sent again: after a lost answer, the uploads in progress at `key` that began since the
   * first attempt are listed, and the one it created is adopted (see {@link adoptInitiated}),
   * so no orphan is left behind. Where the credentials may not list uploads, it is sent again (and an
   * orphan is possible: a bucket lifecycle rule is the backstop).
   */
  async initiate(
    key: string, contentType: string,
    opts: { forbidOverwrite: boolean; adoptSince?: number | undefined; isKnown?: (uploadId: string) => Promise<boolean> }, signal?: AbortSignal,
  ): Promise<{ uploadId: string; checksumAccepted: boolean | undefined }> {
    const checksum = this.dialect.integrity.checksum;
    const headers: Record<string, string> = {
      'Content-Type': contentType, ...checksum?.initiateHeaders,
      ...(opts.forbidOverwrite ? this.dialect.forbidOverwrite('InitiateMultipartUpload') : {}),
    };
    const since = (opts.adoptSince ?? this.client.now().getTime()) - INITIATE_CLOCK_MARGIN_MS;
    return retrying(async (attempt) => {
      // After a lost answer, or an Initiate sent by an earlier load of the page: adopt what it created.
      if (attempt > 1 || opts.adoptSince !== undefined) {
        const adopted = await this.adoptInitiated(key, since, opts.isKnown ?? (async () => false), signal);
        if (adopted) return { uploadId: adopted, checksumAccepted: undefined };
      }
      const res = await this.client.send(
        { operation: 'InitiateMultipartUpload', method: 'POST', key, query: { uploads: '' }, headers, readBody: true, idempotent: false }, signal,
      );
      const uploadId = childRawText(this.root(res, 'InitiateMultipartUpload', 'InitiateMultipartUploadResult'), 'UploadId');
      if (!uploadId) throw new UploadError(ClientErrorCode.MalformedResponse, 'InitiateMultipartUpload: no UploadId in the answer.', { requestId: res.requestId });
      return { uploadId, checksumAccepted: checksum ? checksum.acceptedAtInitiate(res.headers) : undefined };
    }, { policy: this.client.retryPolicy, signal });
  }

  /**
   * The upload at `key` that an Initiate whose answer was lost created: adopted only when the
   * store lists exactly one upload at `key` begun since `since` (store time) that no one here
   * knows (`isKnown`: the resume records). Anything less certain adopts nothing and aborts
   * nothing (it may be another tab's): the caller initiates anew, and a lifecycle rule is the
   * backstop for an orphan.
   */
  async adoptInitiated(
    key: string, since: number, isKnown: (uploadId: string) => Promise<boolean>, signal?: AbortSignal,
  ): Promise<string | undefined> {
    const candidates = await this.unknownUploadsSince(key, since, isKnown, signal);
    return candidates?.length === 1 ? candidates[0] : undefined;
  }

  /**
   * The uploads at `key` begun from `since` to `until` (store time) that no one here knows; undefined
   * where the credentials may not list uploads.
   */
  async unknownUploadsSince(
    key: string, since: number, isKnown: (uploadId: string) => Promise<boolean>, signal?: AbortSignal, until = Infinity,
  ): Promise<string[] | undefined> {
    let listed: UploadListing[];
    try {
      listed = (await this.listUploads(key, {}, MAX_LIST_PAGE, signal)).uploads;
    } catch (e) {
      if (e instanceof UploadError && e.kind === ErrorKind.AccessDenied) return undefined;
      throw e;
    }
    const candidates: string[] = [];
    for (const u of listed) {
      const at = Date.parse(u.initiated);
      if (u.key === key && at >= since && at <= until && !(await isKnown(u.uploadId))) candidates.push(u.uploadId);
    }
    return candidates;
  }

  async uploadPart(
    key: string, uploadId: string, partNumber: number, body: Blob, headers: Record<string, string>, signal?: AbortSignal,
  ): Promise<PutResult> {
    const res = await this.client.send(
      {
        operation: 'UploadPart', method: 'PUT', key, query: { partNumber: String(partNumber), uploadId },
        headers: { 'Content-Type': 'application/octet-stream', ...headers }, body,
      },
      signal,
    );
    return { etag: res.headers.get('etag'), checksum: this.checksumOf(res), requestId: res.requestId };
  }

  async complete(
    key: string, uploadId: string, parts: readonly PartRecord[],
    opts: { forbidOverwrite: boolean; objectChecksum: bigint | undefined }, signal?: AbortSignal,
  ): Promise<CompleteResult> {
    const sorted = [...parts].sort((a, b) => a.partNumber - b.partNumber);
    const body =
      '<CompleteMultipartUpload>' +
      sorted.map((p) => `<Part><PartNumber>${p.partNumber}</PartNumber><ETag>${escapeXml(p.etag)}</ETag></Part>`).join('') +
      '</CompleteMultipartUpload>';
    const checksum = this.dialect.integrity.checksum;
    const headers: Record<string, string> = {
      'Content-Type': 'application/xml',
      ...(opts.objectChecksum !== undefined && checksum ? checksum.completeHeaders(opts.objectChecksum) : {}),
      ...(opts.forbidOverwrite ? this.dialect.forbidOverwrite('CompleteMultipartUpload') : {}),
    };
    const res = await this.client.send(
      // Not re-sent blindly after a lost answer: the upload looks first (Upload.completeLooking).
      { operation: 'CompleteMultipartUpload', method: 'POST', key, query: { uploadId }, headers, body, readBody: true, idempotent: false },
      signal,
    );
    const el = this.root(res, 'CompleteMultipartUpload', 'CompleteMultipartUploadResult');
    return {
      location: childText(el, 'Location') ?? '',
      etag: childText(el, 'ETag') || res.headers.get('etag') || '',
      checksum: this.checksumOf(res),
      requestId: res.requestId,
    };
  }

  /**
   * AbortMultipartUpload. Resolves when the store answered 204 (or the upload is already gone).
   * `outlivePage`: tried once, with fetch `keepalive`, so a DELETE already sent reaches the
   * store even if the page closes (the abort's first, best-effort DELETE; the confirmation
   * after it sends plain ones).
   */
  async abort(key: string, uploadId: string, signal?: AbortSignal, { outlivePage = false } = {}): Promise<void> {
    try {
      await this.client.send({
        operation: 'AbortMultipartUpload', method: 'DELETE', key, query: { uploadId },
        ...(outlivePage ? { keepalive: true, once: true } : {}),
      }, signal);
    } catch (e) {
      if (!(e instanceof UploadError && e.kind === ErrorKind.UploadGone)) throw e;
    }
  }

  /** Every part the store holds for the upload, across all pages. */
  async listParts(key: string, uploadId: string, signal?: AbortSignal): Promise<PartRecord[]> {
    const checksum = this.dialect.integrity.checksum;
    const parts: PartRecord[] = [];
    let marker = '';
    for (let page = 0; page < MAX_PART_PAGES; page++) {
      const query: Record<string, string> = { uploadId, 'max-parts': String(MAX_LIST_PAGE) };
      if (marker) query['part-number-marker'] = marker;
      const res = await this.client.send({ operation: 'ListParts', method: 'GET', key, query, readBody: true }, signal);
      const el = this.root(res, 'ListParts', 'ListPartsResult');
      for (const p of childrenNamed(el, 'Part')) {
        const partNumber = Number(childText(p, 'PartNumber'));
        const etag = childText(p, 'ETag');
        const size = Number(childText(p, 'Size'));
        if (!Number.isInteger(partNumber) || !etag || !Number.isFinite(size)) {
          throw new UploadError(ClientErrorCode.MalformedResponse, 'ListParts: a <Part> lacks PartNumber, ETag or Size.', { requestId: res.requestId });
        }
        parts.push({ partNumber, etag, size, checksum: checksum?.fromListedPart(p) });
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

  /** One page of ListMultipartUploads under `prefix`. Keys and markers are read exactly as sent, untrimmed. */
  async listUploads(
    prefix: string, markers: { keyMarker?: string; uploadIdMarker?: string } = {}, maxUploads = MAX_LIST_PAGE, signal?: AbortSignal,
  ): Promise<{ uploads: UploadListing[]; next?: { keyMarker: string; uploadIdMarker: string } }> {
    const query: Record<string, string> = { uploads: '', prefix, 'max-uploads': String(maxUploads) };
    if (markers.keyMarker) query['key-marker'] = markers.keyMarker;
    if (markers.uploadIdMarker) query['upload-id-marker'] = markers.uploadIdMarker;
    const res = await this.client.send({ operation: 'ListMultipartUploads', method: 'GET', key: '', query, readBody: true }, signal);
    const el = this.root(res, 'ListMultipartUploads', 'ListMultipartUploadsResult');
    const uploads = childrenNamed(el, 'Upload').map((u) => ({
      key: childRawText(u, 'Key') ?? '', uploadId: childRawText(u, 'UploadId') ?? '', initiated: childText(u, 'Initiated') ?? '',
    }));
    if (childText(el, 'IsTruncated') !== 'true') return { uploads };
    return { uploads, next: { keyMarker: childRawText(el, 'NextKeyMarker') ?? '', uploadIdMarker: childRawText(el, 'NextUploadIdMarker') ?? '' } };
  }

  /** HeadObject (asking for the dialect's checksum); undefined when there is no such object. */
  async head(key: string, signal?: AbortSignal): Promise<ObjectHead | undefined> {
    try {
      const headers = { ...this.dialect.integrity.checksum?.headHeaders };
      const res = await this.client.send({ operation: 'HeadObject', method: 'HEAD', key, headers }, signal);
      return { size: Number(res.headers.get('content-length')), etag: res.headers.get('etag'), checksum: this.checksumOf(res) };
    } catch (e) {
      if (e instanceof UploadError && e.status === 404) return undefined;
      throw e;
    }
  }
}
