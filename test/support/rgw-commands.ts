/**
 * Ceph RGW for the browser tests: started (or found running) on first use only, so runs
 * without an RGW test never wait for it. It gives the test page
 *
 * - an S3-mode token endpoint on the page's origin, `/api/sts-token-rgw?user=…` (a real STS
 *   AssumeRole on RGW; the store is on another origin, so the bucket's CORS rules are real);
 * - server commands `rgw:*` that look at what landed, signed with the RGW user's own key.
 *
 * Skipping follows test/support/rgw.ts: `rgw:status` answers `{ skip }` off CI when Ceph
 * cannot be had (the test file then skips, loudly), and fails on CI.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { s3Fetch } from '../../scripts/rgw/s3-fetch.js';
import { useRgw, type Rgw } from './rgw.js';

export const RGW_TOKEN_PATH = '/api/sts-token-rgw';

const xmlValues = (xml: string, tag: string) => [...xml.matchAll(new RegExp(`<${tag}>([^<]*)</${tag}>`, 'g'))].map((m) => m[1]!);

function admin(rgw: Rgw) {
  const creds = { accessKeyId: rgw.env.AWS_ACCESS_KEY_ID, accessKeySecret: rgw.env.AWS_SECRET_ACCESS_KEY };
  return (r: { method: string; key?: string; query?: Record<string, string> }) =>
    s3Fetch(rgw.env.S3_ENDPOINT, creds, { ...r, bucket: rgw.env.RGW_BUCKET, region: rgw.env.AWS_REGION });
}

const commands = {
  'rgw:status': (rgw: Rgw) => ({ endpoint: rgw.env.S3_ENDPOINT, bucket: rgw.env.RGW_BUCKET }),

  /** Size, SHA-256 and ETag of an object, or `{ missing: true }`. */
  async 'rgw:get-object'(rgw: Rgw, p: { key: string }) {
    const res = await admin(rgw)({ method: 'GET', key: p.key });
    if (res.status === 404) return { missing: true };
    if (!res.ok) throw new Error(`RGW GetObject ${res.status}: ${await res.text()}`);
    const bytes = new Uint8Array(await res.arrayBuffer());
    return { missing: false, size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex'), etag: res.headers.get('etag') };
  },

  /** The part numbers RGW holds for an upload, or `{ code }` when it answers an error. */
  async 'rgw:list-parts'(rgw: Rgw, p: { key: string; uploadId: string }) {
    const res = await admin(rgw)({ method: 'GET', key: p.key, query: { uploadId: p.uploadId } });
    const xml = await res.text();
    if (!res.ok) return { code: xmlValues(xml, 'Code')[0] ?? `HTTP${res.status}` };
    return { parts: xmlValues(xml, 'PartNumber').map(Number) };
  },

  /** The multipart uploads in progress under `prefix`. */
  async 'rgw:list-uploads'(rgw: Rgw, p: { prefix: string }) {
    const res = await admin(rgw)({ method: 'GET', query: { uploads: '', prefix: p.prefix } });
    const xml = await res.text();
    if (!res.ok) throw new Error(`RGW ListMultipartUploads ${res.status}: ${xml}`);
    const keys = xmlValues(xml, 'Key');
    return xmlValues(xml, 'UploadId').map((uploadId, i) => ({ uploadId, key: keys[i] }));
  },
};

export function rgwHarness() {
  let rgw: Promise<Rgw | { skip: string }> | undefined;
  const ready = () => (rgw ??= useRgw());

  return {
    async token(req: IncomingMessage, res: ServerResponse): Promise<void> {
      const r = await ready();
      if (!('skip' in r)) return r.tokenHandler(req, res);
      res.writeHead(503, { 'content-type': 'application/json' }).end(JSON.stringify({ code: 'RgwUnavailable', message: r.skip }));
    },

    async command(name: string, payload: unknown): Promise<unknown> {
      const run = commands[name as keyof typeof commands];
      if (!run) throw new Error(`unknown command ${name}`);
      const r = await ready();
      if ('skip' in r) {
        if (name === 'rgw:status') return { skip: r.skip };
        throw new Error(`RGW is not available: ${r.skip}`);
      }
      return run(r, payload as never);
    },

    /** Stops RGW if it was started here (not when found running, nor with RGW_KEEP). */
    async release(): Promise<void> {
      const r = await rgw?.catch(() => undefined);
      if (r && !('skip' in r)) await r.release();
    },
  };
}
