/**
 * CompleteMultipartUpload's rules: reading the part list from the XML body, checking it
 * against the uploaded parts as OSS does (order, then existence and ETag, then sizes against
 * the dialect's floor: 100 KiB OSS and OBS, 5 MiB S3), and
 * computing what the finished object reports: the OSS multipart ETag
 * `"<MD5 of the parts' binary MD5s>-<N>"` and the CRC-64 folded from the parts' CRCs.
 */
import { createHash } from 'node:crypto';
import { crc64Fold } from '../../src/core/crc64.js';
import { MAX_PART_NUMBER } from '../../src/core/limits.js';
import { OSS_MIN_PART_SIZE } from '../../src/core/dialects/oss/dialect.js';
import { Errors } from './errors.js';
import type { PartRecord } from './uploads.js';
import { leafText, parseXmlBody, type ParsedXml } from './xml.js';

export interface RequestedPart {
  partNumber: number;
  etag: string;
}

export interface Assembly {
  parts: PartRecord[];
  size: number;
  etag: string;
  crc64: string;
}

/** Parses `<CompleteMultipartUpload><Part><PartNumber/><ETag/></Part>…`. */
export function parseCompleteXml(text: string): RequestedPart[] {
  const body = parseXmlBody(text, 'CompleteMultipartUpload', ['CompleteMultipartUpload.Part']);
  const list = (body['Part'] ?? []) as ParsedXml[];
  if (list.length === 0) throw Errors.malformedXml('no <Part>');
  if (list.length > MAX_PART_NUMBER) throw Errors.malformedXml(`more than ${MAX_PART_NUMBER} parts`);
  return list.map((el) => {
    const number = leafText(el, 'PartNumber');
    const etag = leafText(el, 'ETag');
    if (number === undefined || etag === undefined) throw Errors.malformedXml('a <Part> lacks <PartNumber> or <ETag>');
    if (!/^\d{1,5}$/.test(number)) throw Errors.malformedXml(`<PartNumber>${number}</PartNumber> is not a part number`);
    return { partNumber: Number(number), etag };
  });
}

/** ETags compare without their quotes and case-insensitively (hex digits). */
function sameEtag(a: string, b: string): boolean {
  const norm = (s: string) => s.trim().replace(/^"|"$/g, '').toUpperCase();
  return norm(a) === norm(b);
}

/** The parts `requested` make, checked; every part but the last must have `minPartSize` bytes (the dialect's floor). */
export function assemble(
  uploaded: ReadonlyMap<number, PartRecord>, requested: readonly RequestedPart[], minPartSize: number = OSS_MIN_PART_SIZE,
): Assembly {
  for (let i = 1; i < requested.length; i++) {
    if (requested[i]!.partNumber <= requested[i - 1]!.partNumber) throw Errors.invalidPartOrder();
  }
  const parts = requested.map((r) => {
    const part = uploaded.get(r.partNumber);
    if (!part || !sameEtag(part.etag, r.etag)) throw Errors.invalidPart(r.partNumber, r.etag);
    return part;
  });
  parts.forEach((p, i) => {
    if (i < parts.length - 1 && p.size < minPartSize) throw Errors.entityTooSmall(p.partNumber, p.size, minPartSize);
  });
  const md5s = createHash('md5');
  for (const p of parts) md5s.update(Buffer.from(p.etag.replace(/"/g, ''), 'hex'));
  return {
    parts,
    size: parts.reduce((n, p) => n + p.size, 0),
    etag: `"${md5s.digest('hex').toUpperCase()}-${parts.length}"`,
    crc64: crc64Fold(parts.map((p) => ({ crc64: BigInt(p.crc64), size: p.size }))).toString(),
  };
}
