/**
 * CRC-64/XZ and MD5 of a Blob, read as a stream so memory stays at one chunk, computed by
 * hash-wasm (WebAssembly). Used inside the hash worker, and inline where workers are absent.
 */
import { createCRC64, createMD5 } from 'hash-wasm';

export interface BlobDigests {
  /** CRC-64/XZ as 16 hex digits. */
  crc64Hex: string;
  /** MD5 as base64 (the Content-MD5 form), when asked for. */
  md5Base64?: string;
}

export async function hashBlob(blob: Blob, withMd5: boolean): Promise<BlobDigests> {
  const crc = await createCRC64();
  const md5 = withMd5 ? await createMD5() : undefined;
  crc.init();
  md5?.init();
  const reader = blob.stream().getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    crc.update(value);
    md5?.update(value);
  }
  const out: BlobDigests = { crc64Hex: crc.digest('hex') };
  if (md5) {
    const bin = md5.digest('binary');
    let s = '';
    for (let i = 0; i < bin.length; i++) s += String.fromCharCode(bin[i]!);
    out.md5Base64 = btoa(s);
  }
  return out;
}
