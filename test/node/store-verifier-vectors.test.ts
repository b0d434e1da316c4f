// The published OSS signing vectors (test/fixtures/vectors.json) fed to the local store's
// own verifier: it must accept each vector's Authorization, at the vector's time, and
// refuse it once a single character of the signature or of the request changes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { authenticate } from '../../server/store/auth.js';
import { LocalSts } from '../../server/sts/local-sts.js';
import type { SignableRequest } from '../../src/core/signing/request.js';

const vectors = JSON.parse(readFileSync(new URL('../fixtures/vectors.json', import.meta.url), 'utf8'));
const dir = mkdtempSync(join(tmpdir(), 'verifier-vectors-'));
const sts = LocalSts.fromDataDir(dir);
test.after(() => rmSync(dir, { recursive: true, force: true }));

function lower(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}

async function refuses(req: SignableRequest, cfg: Parameters<typeof authenticate>[1], code: string) {
  await assert.rejects(authenticate(req, cfg), (e: { code?: string }) => e.code === code);
}

const cases = [
  ...vectors.oss_v1.map((v: Record<string, any>) => ({
    name: v.name, v,
    now: Date.parse(v.headers['x-oss-date']),
    req: { method: v.method, bucket: v.bucket, key: v.key, query: v.subresource ? { [v.subresource]: '' } : {}, headers: lower(v.headers) },
  })),
  // The token vector is left out: its "token" is not one the local STS issued.
  ...vectors.oss_v4.filter((v: Record<string, any>) => !v.securityToken).map((v: Record<string, any>) => ({
    name: v.name,
    v: {
      ...v,
      authorization: v.authorization ?? `OSS4-HMAC-SHA256 Credential=${v.accessKeyId}/${v.date.slice(0, 8)}/${v.region}/oss/aliyun_v4_request` +
        `${v.additionalHeaders.length ? `,AdditionalHeaders=${v.additionalHeaders.map((h: string) => h.toLowerCase()).sort().join(';')}` : ''},Signature=${v.signature}`,
    },
    now: Date.parse(v.date.replace(/^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/, '$1-$2-$3T$4:$5:$6Z')),
    req: { method: v.method, bucket: v.bucket, key: v.key, query: v.query, headers: lower({ ...v.headers, 'x-oss-date': v.date }) },
  })),
];

for (const { name, v, now, req } of cases) {
  test(`store verifier accepts ${name}`, async () => {
    const cfg = { root: { accessKeyId: v.accessKeyId, accessKeySecret: v.accessKeySecret }, sts, region: v.region ?? 'cn-hangzhou', now: () => now };
    const signed = { ...req, headers: { ...req.headers, authorization: v.authorization } };
    assert.deepEqual(await authenticate(signed, cfg), { kind: 'root', accessKeyId: v.accessKeyId });

    const sig = v.authorization.at(-2) === 'a' ? 'b' : 'a';
    const tampered = v.authorization.slice(0, -2) + sig + v.authorization.at(-1);
    await refuses({ ...signed, headers: { ...signed.headers, authorization: tampered } }, cfg, 'SignatureDoesNotMatch');
    await refuses({ ...signed, key: signed.key + 'x' }, cfg, 'SignatureDoesNotMatch');
    await refuses(signed, { ...cfg, root: { ...cfg.root, accessKeySecret: 'other' } }, 'SignatureDoesNotMatch');
    await refuses(signed, { ...cfg, now: () => now + 16 * 60_000 }, 'RequestTimeTooSkewed');
  });
}
