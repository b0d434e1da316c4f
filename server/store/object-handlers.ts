/** PutObject, GetObject, HeadObject, DeleteObject; dialect differences come from `t.dialect`. */
import { rm } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { MAX_PUT_OBJECT_SIZE } from '../../src/core/limits.js';
import { receiveToFile } from './body.js';
import { contentTypeFor, storedHeaders } from './content-type.js';
import type { Target } from './context.js';
import { Errors } from './errors.js';
import type { ObjectRecord } from './objects.js';
import { parseRange } from './range.js';

export async function putObject(t: Target): Promise<void> {
  const { ex, ctx, bucket, key, dialect } = t;
  for (const copy of ['x-oss-copy-source', 'x-obs-copy-source', 'x-amz-copy-source']) {
    if (ex.header(copy) !== undefined) throw Errors.notImplemented('CopyObject');
  }
  const forbid = dialect.forbidsOverwrite(ex, 'put');
  if (forbid && ctx.objects.get(bucket.name, key)) throw Errors.fileAlreadyExists();

  const plan = dialect.bodyPlan(ex);
  const body = await receiveToFile(ex, ctx.layout, {
    timeoutMs: ctx.bodyTimeoutMs, maxBytes: MAX_PUT_OBJECT_SIZE, needs: plan.needs, check: plan.check,
  });
  const checksums = plan.checksums(body);
  let blob: string;
  try {
    blob = await ctx.blobs.adopt(body.file);
  } catch (e) {
    await rm(body.file, { force: true });
    throw e;
  }
  const headers = ex.headers();
  const record: ObjectRecord = {
    key,
    size: body.size,
    etag: `"${body.md5.toString('hex').toUpperCase()}"`,
    crc64: body.crc64.toString(),
    contentMd5: body.md5.toString('base64'),
    lastModified: Date.now(),
    contentType: contentTypeFor(key, headers['content-type']),
    headers: storedHeaders(headers),
    type: 'Normal',
    segments: [{ blob, size: body.size }],
  };
  if (checksums) record.checksums = checksums;
  try {
    await ctx.objects.commit(bucket.name, record, forbid);
  } catch (e) {
    await ctx.blobs.discard([blob]);
    throw e;
  }
  ex.send(200, dialect.storedHeaders({ etag: record.etag, crc64: record.crc64, contentMd5: record.contentMd5!, checksums }));
}

function objectHeaders(t: Target, r: ObjectRecord): Record<string, string> {
  return {
    ...r.headers,
    'Content-Type': r.contentType,
    ETag: t.dialect.etag(r.etag),
    'Last-Modified': new Date(r.lastModified).toUTCString(),
    'Accept-Ranges': 'bytes',
    ...t.dialect.objectHeaders(r, t.ex),
    ...(r.contentMd5 ? { 'Content-MD5': r.contentMd5 } : {}),
  };
}

/** GetObject (with Range) and HeadObject. */
export async function getObject(t: Target): Promise<void> {
  const { ex, ctx, bucket, key } = t;
  const reader = ctx.objects.open(bucket.name, key);
  try {
    const r = reader.record;
    const headers = objectHeaders(t, r);
    if (ex.req.method === 'HEAD') {
      ex.send(200, { ...headers, 'Content-Length': String(r.size) });
      return;
    }
    const standard = ex.header('x-oss-range-behavior')?.toLowerCase() === 'standard';
    const range = parseRange(ex.header('range'), r.size, standard);
    const start = range?.start ?? 0;
    const end = range?.end ?? r.size - 1;
    if (range) headers['Content-Range'] = `bytes ${start}-${end}/${r.size}`;
    headers['Content-Length'] = String(end - start + 1);
    ex.res.writeHead(range ? 206 : 200, headers);
    if (end < start) {
      ex.res.end();
      return;
    }
    try {
      await pipeline(reader.read(start, end), ex.res);
    } catch {
      ex.res.destroy(); // the client went away, or a blob could not be read: cut the answer short
    }
  } finally {
    await reader.release();
  }
}

export async function deleteObject(t: Target): Promise<void> {
  await t.ctx.objects.delete(t.bucket.name, t.key);
  t.ex.send(204);
}
