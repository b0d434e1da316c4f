/**
 * Receiving request bodies.
 *
 * Object and part bodies stream into a private temp file while MD5 and CRC-64 are computed
 * chunk by chunk; nothing holds a whole body in memory. XML bodies (Complete, CORS) are
 * small and bounded, and read into memory.
 *
 * Every way a body can fail ends with its temp file deleted before the caller sees the error:
 * - the client stops sending for `timeoutMs` → RequestTimeout;
 * - the connection ends before Content-Length bytes → IncompleteBody (when the client only
 *   half-closed, Node reports it as a parse error on the socket; server.ts routes that to
 *   {@link Exchange.connectionFailed}, and the answer can still be written);
 * - more bytes than allowed → EntityTooLarge; a wrong Content-MD5 → InvalidDigest; a digest
 *   the dialect checks (S3 `x-amz-checksum-*`, `x-amz-content-sha256`) → its error.
 * The request is never piped *through* a pipeline: a pipeline destroys its source on error,
 * and destroying the request would take the socket, and with it the answer, along.
 */
import { createHash } from 'node:crypto';
import type { WriteStream } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { DiskLayout } from './disk.js';
import { Errors, OssError } from './errors.js';
import type { Exchange } from './exchange.js';
import { startBodyHash, type BodyHash, type DigestNeeds, type Digests } from './hashing.js';

export interface ReceivedBody extends Digests {
  /** The temp file holding the bytes; the caller adopts or deletes it. */
  file: string;
  size: number;
}

/** What a dialect's check sees: small bodies (XML) have no CRCs. */
export type BodyDigests = Pick<Digests, 'md5' | 'sha256' | 'crc64nvme'>;

export interface BodyLimits {
  timeoutMs: number;
  maxBytes: number;
  /** Digests beyond MD5 and CRC-64/XZ to compute (S3 checksums, signed payloads). */
  needs?: DigestNeeds;
  /** Checks the digests once the body is in (a dialect's checksums); throwing deletes the file. */
  check?: (digests: BodyDigests) => void;
}

const WRITE_HIGH_WATER_MARK = 4 * 1024 * 1024;

/** The declared Content-Length; EntityTooLarge early when it exceeds `max`. */
function declaredLength(ex: Exchange, max: number): number | undefined {
  const header = ex.header('content-length');
  const n = header === undefined ? NaN : Number(header);
  if (!Number.isSafeInteger(n)) return undefined; // chunked (Node refuses malformed lengths itself)
  if (n > max) {
    ex.closeAfterResponse = true; // do not read gigabytes only to refuse them
    throw Errors.entityTooLarge(max);
  }
  return n;
}

/** Checks the `Content-MD5` header, when sent, against the body's MD5. */
export function checkContentMd5(ex: Exchange, md5: Buffer): void {
  const header = ex.header('content-md5');
  if (header === undefined) return;
  const given = Buffer.from(header, 'base64');
  if (given.length !== 16 || given.toString('base64') !== header.trim() || !given.equals(md5)) {
    throw Errors.invalidDigest(header);
  }
}

/**
 * Aborts `controller` when the body stalls or the connection fails under it. Returns the
 * function to call on every chunk (it re-arms the timer) and the cleanup.
 */
function watch(ex: Exchange, controller: AbortController, timeoutMs: number) {
  const fail = (error: OssError) => {
    ex.closeAfterResponse = true;
    if (!controller.signal.aborted) controller.abort(error);
  };
  const timer = setTimeout(() => fail(Errors.requestTimeout()), timeoutMs);
  const onClose = () => {
    if (!ex.req.complete) fail(Errors.incompleteBody());
  };
  ex.onConnectionError = fail;
  ex.req.on('aborted', onClose);
  ex.req.on('close', onClose);
  // Failures that came before this body was being read.
  if (ex.pendingConnectionError) fail(ex.pendingConnectionError);
  else if (ex.req.destroyed) onClose();
  return {
    touch: () => timer.refresh(),
    dispose: () => {
      clearTimeout(timer);
      ex.onConnectionError = undefined;
      ex.req.off('aborted', onClose);
      ex.req.off('close', onClose);
    },
  };
}

class Digesting extends Transform {
  size = 0;

  constructor(private readonly hash: BodyHash, private readonly touch: () => void, private readonly maxBytes: number) {
    super({ highWaterMark: WRITE_HIGH_WATER_MARK });
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.touch();
    this.size += chunk.length;
    if (this.size > this.maxBytes) return callback(Errors.entityTooLarge(this.maxBytes));
    this.hash.update(chunk);
    const backlog = this.hash.backlog();
    if (backlog) backlog.then(() => callback(null, chunk), callback);
    else callback(null, chunk);
  }
}

/** Streams the body to a new temp file, with its MD5 and CRC-64. */
export async function receiveToFile(ex: Exchange, layout: DiskLayout, limits: BodyLimits): Promise<ReceivedBody> {
  const declared = declaredLength(ex, limits.maxBytes);
  const hash = startBodyHash(limits.needs);
  const controller = new AbortController();
  const watcher = watch(ex, controller, limits.timeoutMs);
  const file = layout.tempFile('.body');
  let out: WriteStream | undefined;
  const digesting = new Digesting(hash, watcher.touch, limits.maxBytes);
  try {
    out = (await open(file, 'wx')).createWriteStream({ highWaterMark: WRITE_HIGH_WATER_MARK });
    out.on('drain', watcher.touch); // a slow disk pauses the request: that is no stalled client
    ex.req.pipe(digesting);
    await pipeline(digesting, out, { signal: controller.signal });
    if (declared !== undefined && digesting.size !== declared) throw Errors.incompleteBody();
    const digests = await hash.digest();
    checkContentMd5(ex, digests.md5);
    limits.check?.(digests);
    return { ...digests, file, size: digesting.size };
  } catch (e) {
    hash.drop();
    ex.req.unpipe(digesting);
    if (!ex.req.complete) ex.closeAfterResponse = true;
    if (out && !out.closed) {
      out.destroy();
      await new Promise<void>((resolve) => out!.once('close', () => resolve()));
    }
    await rm(file, { force: true });
    throw bodyError(e, controller.signal);
  } finally {
    watcher.dispose();
  }
}

/** The OssError behind a failed pipeline (its abort reason, or a transform's error). */
function bodyError(e: unknown, signal: AbortSignal): unknown {
  if (e instanceof OssError) return e;
  if (signal.aborted) return signal.reason;
  const cause = (e as { cause?: unknown } | undefined)?.cause;
  return cause instanceof OssError ? cause : e;
}

/** Reads a small body (an XML document) into memory; checks Content-MD5 (and `limits.check`, with MD5 and SHA-256). */
export async function receiveSmall(ex: Exchange, limits: BodyLimits): Promise<Buffer> {
  declaredLength(ex, limits.maxBytes);
  const controller = new AbortController();
  const watcher = watch(ex, controller, limits.timeoutMs);
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      const onAbort = () => reject(controller.signal.reason);
      if (controller.signal.aborted) return onAbort();
      controller.signal.addEventListener('abort', onAbort, { once: true });
      ex.req.on('data', (chunk: Buffer) => {
        watcher.touch();
        size += chunk.length;
        if (size > limits.maxBytes) {
          ex.closeAfterResponse = true;
          reject(Errors.entityTooLarge(limits.maxBytes));
        } else {
          chunks.push(chunk);
        }
      });
      ex.req.once('end', resolve);
    });
  } finally {
    watcher.dispose();
  }
  const body = Buffer.concat(chunks);
  const md5 = createHash('md5').update(body).digest();
  checkContentMd5(ex, md5);
  limits.check?.({ md5, sha256: createHash('sha256').update(body).digest() });
  return body;
}
