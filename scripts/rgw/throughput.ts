/**
 * Multipart upload throughput from Node: Ceph RGW (S3, SigV4, STS credentials from a real
 * AssumeRole) next to the project's local store (OSS dialect, V4), interleaved, same bytes.
 *
 *   node --import tsx scripts/rgw/throughput.ts [--size-mib 256] [--part-mib 8] [--parallel 4] [--rounds 3]
 *
 * Starts RGW with scripts/rgw/start.sh when it is not running (and leaves it running), and a
 * local store on a free port with a temporary data dir. Each upload: Initiate, the parts
 * through a pool of `parallel` requests, Complete; timed from Initiate to Complete's answer.
 * The object is deleted after each upload.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { LOCAL_BUCKET, LOCAL_REGION, LOCAL_ROOT_KEY, startLocalBackend } from '../../server/local-backend.js';
import { uploadPolicy, userKeyPrefix } from '../../server/token/policy.js';
import { S3StsIssuer } from '../../server/token/s3-sts-issuer.js';
import type { SigningCredentials } from '../../src/core/signing/request.js';
import { signedFetch } from '../../test/support/signed-fetch.js';
import { s3Ok, xmlText } from './s3-fetch.js';

const { values } = parseArgs({
  options: {
    'size-mib': { type: 'string', default: '256' },
    'part-mib': { type: 'string', default: '8' },
    parallel: { type: 'string', default: '4' },
    rounds: { type: 'string', default: '3' },
  },
});
const MiB = 1024 * 1024;
const size = Number(values['size-mib']) * MiB;
const partSize = Number(values['part-mib']) * MiB;
const parallel = Number(values.parallel);
const rounds = Number(values.rounds);
const data = randomBytes(size);
const partCount = Math.ceil(size / partSize);

/** Runs `upload(n)` for parts 1..partCount through `parallel` workers; returns ETags by part. */
async function pool(upload: (n: number, body: Uint8Array) => Promise<string>): Promise<string[]> {
  const etags: string[] = [];
  let next = 1;
  await Promise.all(Array.from({ length: parallel }, async () => {
    while (next <= partCount) {
      const n = next++;
      etags[n - 1] = await upload(n, data.subarray((n - 1) * partSize, Math.min(n * partSize, size)));
    }
  }));
  return etags;
}

const completeXml = (etags: string[]) =>
  '<CompleteMultipartUpload>' +
  etags.map((e, i) => `<Part><PartNumber>${i + 1}</PartNumber><ETag>${e}</ETag></Part>`).join('') +
  '</CompleteMultipartUpload>';

// ---- RGW ------------------------------------------------------------------------------------
const script = fileURLToPath(new URL('./start.sh', import.meta.url));
const exportsText = execFileSync('bash', [script], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
const rgwEnv = Object.fromEntries([...exportsText.matchAll(/^export ([A-Z0-9_]+)=(.*)$/gm)].map((m) => [m[1]!, m[2]!]));
const endpoint = rgwEnv.S3_ENDPOINT!;
const bucket = rgwEnv.RGW_BUCKET!;
const region = rgwEnv.AWS_REGION!;
const appKey = { accessKeyId: rgwEnv.AWS_ACCESS_KEY_ID!, accessKeySecret: rgwEnv.AWS_SECRET_ACCESS_KEY! };
const sts = await new S3StsIssuer({
  accessKeyId: appKey.accessKeyId, secretAccessKey: appKey.accessKeySecret, roleArn: rgwEnv.RGW_ROLE_ARN!, endpoint, region,
}).issue({ user: 'bench', policy: uploadPolicy(bucket, userKeyPrefix('bench')), ttlSeconds: 3600 });
const rgwCreds: SigningCredentials = {
  accessKeyId: sts.AccessKeyId, accessKeySecret: sts.AccessKeySecret, securityToken: sts.SecurityToken,
};

async function rgwUpload(key: string): Promise<void> {
  const base = { bucket, key, region };
  const init = await (await s3Ok(endpoint, rgwCreds, { ...base, method: 'POST', query: { uploads: '' } })).text();
  const uploadId = xmlText(init, 'UploadId')!;
  const etags = await pool(async (n, body) => {
    const res = await s3Ok(endpoint, rgwCreds, { ...base, method: 'PUT', query: { partNumber: String(n), uploadId }, body });
    await res.arrayBuffer();
    return res.headers.get('etag')!;
  });
  await (await s3Ok(endpoint, rgwCreds, { ...base, method: 'POST', query: { uploadId }, body: completeXml(etags), headers: { 'content-type': 'application/xml' } })).text();
}

// ---- local store (OSS dialect) -----------------------------------------------------------------
const dir = mkdtempSync(join(tmpdir(), 'oss-uploader-throughput-'));
const local = await startLocalBackend({ OSS_UPLOADER_DATA: dir }, { storePort: 0 });
const root: SigningCredentials = LOCAL_ROOT_KEY;

async function ossOk(r: Parameters<typeof signedFetch>[2]): Promise<Response> {
  const res = await signedFetch(local.storeUrl, root, { region: LOCAL_REGION, ...r });
  if (!res.ok) throw new Error(`${r.method} ${r.key}: ${res.status} ${await res.text()}`);
  return res;
}

async function localUpload(key: string): Promise<void> {
  const base = { bucket: LOCAL_BUCKET, key };
  const init = await (await ossOk({ ...base, method: 'POST', query: { uploads: '' } })).text();
  const uploadId = xmlText(init, 'UploadId')!;
  const etags = await pool(async (n, body) => {
    const res = await ossOk({ ...base, method: 'PUT', query: { partNumber: String(n), uploadId }, body: body as BodyInit });
    await res.arrayBuffer();
    return res.headers.get('etag')!;
  });
  await (await ossOk({ ...base, method: 'POST', query: { uploadId }, body: completeXml(etags), headers: { 'content-type': 'application/xml' } })).text();
}

// ---- interleaved rounds -------------------------------------------------------------------------
const results: Record<string, number[]> = { rgw: [], local: [] };
const mibps = (ms: number) => size / MiB / (ms / 1000);
console.log(`${size / MiB} MiB, ${partCount} parts of ${partSize / MiB} MiB, ${parallel} in parallel, ${rounds} rounds; load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
try {
  for (let round = 1; round <= rounds; round++) {
    for (const [name, upload, remove] of [
      ['rgw', rgwUpload, (k: string) => s3Ok(endpoint, appKey, { method: 'DELETE', bucket, key: k, region })],
      ['local', localUpload, (k: string) => ossOk({ method: 'DELETE', bucket: LOCAL_BUCKET, key: k })],
    ] as const) {
      const key = `uploads/bench/throughput-${round}.bin`;
      const t0 = performance.now();
      await upload(key);
      const ms = performance.now() - t0;
      results[name]!.push(ms);
      console.log(`round ${round} ${name.padEnd(5)} ${(ms / 1000).toFixed(2)} s  ${mibps(ms).toFixed(1)} MiB/s`);
      await remove(key);
    }
  }
} finally {
  await local.close();
  rmSync(dir, { recursive: true, force: true });
}
for (const [name, list] of Object.entries(results)) {
  const sorted = [...list].sort((a, b) => a - b);
  console.log(`${name.padEnd(5)} median ${mibps(sorted[Math.floor(sorted.length / 2)]!).toFixed(1)} MiB/s  (${list.map((ms) => mibps(ms).toFixed(1)).join(', ')})`);
}
