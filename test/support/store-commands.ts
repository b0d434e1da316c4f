/**
 * Server commands the browser tests use to look at what landed in the store, over real
 * HTTP with the store's root key (never by reading its files).
 */
import { createHash } from 'node:crypto';
import { crc64 } from 'hash-wasm';
import type { Backend } from './backend.js';
import { ROOT, REGION } from './backend.js';
import { signedFetch } from './signed-fetch.js';

const xmlValues = (xml: string, tag: string) => [...xml.matchAll(new RegExp(`<${tag}>([^<]*)</${tag}>`, 'g'))].map((m) => m[1]!);

export const storeCommands = {
  /** Size, SHA-256 and CRC-64 of an object, or `{ missing: true }`. */
  async 'store:get-object'(b: Backend, p: { bucket: string; key: string }) {
    const res = await signedFetch(b.storeUrl, ROOT, { method: 'GET', bucket: p.bucket, key: p.key, region: REGION });
    if (res.status === 404) return { missing: true };
    if (!res.ok) throw new Error(`GetObject ${res.status}: ${await res.text()}`);
    const bytes = new Uint8Array(await res.arrayBuffer());
    return {
      missing: false,
      size: bytes.length,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      crc64: BigInt('0x' + (await crc64(bytes))).toString(),
      storeCrc64: res.headers.get('x-oss-hash-crc64ecma'),
      contentType: res.headers.get('content-type'),
    };
  },

  /** The multipart uploads in progress under `prefix`. */
  async 'store:list-uploads'(b: Backend, p: { bucket: string; prefix?: string }) {
    const res = await signedFetch(b.storeUrl, ROOT, { method: 'GET', bucket: p.bucket, query: { uploads: '', prefix: p.prefix ?? '' }, region: REGION });
    const xml = await res.text();
    if (!res.ok) throw new Error(`ListMultipartUploads ${res.status}: ${xml}`);
    const keys = xmlValues(xml, 'Key');
    return xmlValues(xml, 'UploadId').map((uploadId, i) => ({ uploadId, key: keys[i] }));
  },

  /** The part numbers the store holds for an upload, or `{ code }` when it answers an error. */
  async 'store:list-parts'(b: Backend, p: { bucket: string; key: string; uploadId: string }) {
    const res = await signedFetch(b.storeUrl, ROOT, { method: 'GET', bucket: p.bucket, key: p.key, query: { uploadId: p.uploadId }, region: REGION });
    const xml = await res.text();
    if (!res.ok) return { code: xmlValues(xml, 'Code')[0] ?? `HTTP${res.status}` };
    return { parts: xmlValues(xml, 'PartNumber').map(Number) };
  },
};
