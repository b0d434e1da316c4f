// The token endpoint in local mode, over real HTTP on loopback: what it answers, and what
// the credentials it mints can and cannot do once the local STS has verified them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LocalSts } from '../../server/sts/local-sts.js';
import { isAllowed, ossResource, type RamPolicy } from '../../server/sts/ram-policy.js';
import {
  createTokenHandler, LocalIssuer, startTokenServer, type TokenEndpointOptions,
} from '../../server/token/index.js';

const T = { timeout: 5000 };
const sts = new LocalSts(randomBytes(32));
const base: TokenEndpointOptions = {
  bucket: 'examplebucket',
  region: 'cn-hangzhou',
  endpoint: 'http://127.0.0.1:9000',
  issuer: new LocalIssuer(sts),
};

/** Runs `fn` against a token server started with `extra` options, and always stops it. */
async function withServer(extra: Partial<TokenEndpointOptions>, fn: (url: string) => Promise<void>): Promise<void> {
  const server = await startTokenServer({ ...base, ...extra });
  try {
    await fn(server.url);
  } finally {
    await server.close();
  }
}

/** The policy embedded in a token the local STS accepts. */
function verifiedPolicy(body: Record<string, string>): RamPolicy {
  const verdict = sts.verify(body.AccessKeyId!, body.SecurityToken!);
  assert.ok(verdict.ok, 'the local STS accepts the token');
  assert.equal(verdict.secret, body.AccessKeySecret);
  return verdict.claims.policy;
}

const object = (key: string, bucket = 'examplebucket') => ossResource(bucket, key);

test('GET answers credentials, where to upload, and no-store', T, async () => {
  await withServer({}, async (url) => {
    const res = await fetch(`${url}?user=alice`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('cache-control'), 'no-store');
    assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
    const body = await res.json();
    assert.deepEqual(Object.keys(body).sort(), [
      'AccessKeyId', 'AccessKeySecret', 'Expiration', 'SecurityToken', 'bucket', 'dialect', 'endpoint', 'keyPrefix', 'region',
    ]);
    assert.equal(body.dialect, 'oss');
    assert.equal(body.bucket, 'examplebucket');
    assert.equal(body.region, 'cn-hangzhou');
    assert.equal(body.endpoint, 'http://127.0.0.1:9000');
    assert.equal(body.keyPrefix, 'uploads/alice/');
    assert.match(body.Expiration, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const lifetime = (Date.parse(body.Expiration) - Date.now()) / 1000;
    assert.ok(lifetime > 3590 && lifetime <= 3600, `default lifetime is an hour, got ${lifetime}`);
  });
});

test('an upload token is scoped to the user prefix and carries no bucket-level action', T, async () => {
  await withServer({ allowAdmin: () => true }, async (url) => {
    const policy = verifiedPolicy(await (await fetch(`${url}?user=alice`)).json());
    for (const action of ['oss:PutObject', 'oss:GetObject', 'oss:AbortMultipartUpload', 'oss:ListParts']) {
      assert.ok(isAllowed(policy, { action, resource: object('uploads/alice/big.bin') }), action);
    }
    assert.ok(isAllowed(policy, { action: 'oss:PutObject', resource: object('uploads/alice/a/b/c.txt') }));
    assert.ok(!isAllowed(policy, { action: 'oss:PutObject', resource: object('uploads/bob/big.bin') }));
    assert.ok(!isAllowed(policy, { action: 'oss:PutObject', resource: object('uploads/alicex/big.bin') }));
    assert.ok(!isAllowed(policy, { action: 'oss:PutObject', resource: object('other/big.bin') }));
    assert.ok(!isAllowed(policy, { action: 'oss:PutObject', resource: object('uploads/alice/x', 'otherbucket') }));
    assert.ok(!isAllowed(policy, { action: 'oss:DeleteObject', resource: object('uploads/alice/big.bin') }));
    // Its own multipart uploads may be listed (to adopt one whose Initiate answer was lost); nobody else's.
    assert.ok(isAllowed(policy, {
      action: 'oss:ListMultipartUploads', resource: ossResource('examplebucket'), context: { 'oss:Prefix': 'uploads/alice/' },
    }));
    for (const prefix of ['uploads/', 'uploads/bob/', 'uploads/alicex/']) {
      assert.ok(!isAllowed(policy, { action: 'oss:ListMultipartUploads', resource: ossResource('examplebucket'), context: { 'oss:Prefix': prefix } }), prefix);
    }
    assert.ok(!isAllowed(policy, { action: 'oss:ListMultipartUploads', resource: ossResource('examplebucket') }), 'not without a prefix');
  });
});

test('the user comes from ?user=, else x-demo-user, else "demo"', T, async () => {
  await withServer({}, async (url) => {
    assert.equal((await (await fetch(url, { headers: { 'x-demo-user': 'bob_2' } })).json()).keyPrefix, 'uploads/bob_2/');
    assert.equal((await (await fetch(url)).json()).keyPrefix, 'uploads/demo/');
    const both = await fetch(`${url}?user=carol`, { headers: { 'x-demo-user': 'bob' } });
    assert.equal((await both.json()).keyPrefix, 'uploads/carol/');
  });
});

test('invalid user ids are refused with 400, no user with 401', T, async () => {
  await withServer({}, async (url) => {
    for (const user of ['../etc', 'a/b', '', 'x'.repeat(65), 'ünïcode', 'a b']) {
      const res = await fetch(`${url}?user=${encodeURIComponent(user)}`);
      assert.equal(res.status, 400, user);
      assert.equal(res.headers.get('cache-control'), 'no-store');
      assert.equal((await res.json()).code, 'InvalidUser');
    }
    assert.equal((await fetch(`${url}?user=${'x'.repeat(64)}`)).status, 200);
  });
  await withServer({ resolveUser: async () => undefined }, async (url) => {
    const res = await fetch(`${url}?user=alice`);
    assert.equal(res.status, 401);
    assert.deepEqual(await res.json(), { code: 'Unauthenticated', message: 'Sign in to upload.' });
  });
});

test('a custom resolveUser decides the user, whatever the request claims', T, async () => {
  await withServer({ resolveUser: (req) => (req.headers.cookie === 'session=s1' ? 'dave' : undefined) }, async (url) => {
    const res = await fetch(`${url}?user=alice`, { headers: { cookie: 'session=s1' } });
    assert.equal((await res.json()).keyPrefix, 'uploads/dave/');
  });
});

test('ttl: option default, ?ttl= clamped to 1..43200, garbage refused', T, async () => {
  const lifetime = (body: { Expiration: string }) => Math.round((Date.parse(body.Expiration) - Date.now()) / 1000);
  await withServer({ ttlSeconds: 120 }, async (url) => {
    assert.ok(Math.abs(lifetime(await (await fetch(url)).json()) - 120) <= 1);
    const short = await (await fetch(`${url}?ttl=5`)).json();
    assert.ok(Math.abs(lifetime(short) - 5) <= 1);
    const later = Date.parse(short.Expiration) + 1000;
    const expired = sts.verify(short.AccessKeyId, short.SecurityToken, later);
    assert.equal(expired.ok ? 'ok' : expired.code, 'SecurityTokenExpired');
    assert.ok(Math.abs(lifetime(await (await fetch(`${url}?ttl=999999`)).json()) - 43200) <= 1);
    assert.ok(lifetime(await (await fetch(`${url}?ttl=0`)).json()) <= 1);
    for (const bad of ['abc', '-5', '1.5', '']) {
      const res = await fetch(`${url}?ttl=${bad}`);
      assert.equal(res.status, 400, bad);
      assert.equal((await res.json()).code, 'InvalidTtl');
    }
  });
  assert.throws(() => createTokenHandler({ ...base, ttlSeconds: 0 }), RangeError);
});

test('admin scope is refused unless allowAdmin says yes', T, async () => {
  await withServer({}, async (url) => {
    const res = await fetch(`${url}?user=alice&scope=admin`);
    assert.equal(res.status, 403);
    assert.equal(res.headers.get('cache-control'), 'no-store');
    assert.equal((await res.json()).code, 'AdminNotAllowed');
    assert.equal((await fetch(`${url}?scope=everything`)).status, 400);
  });
  await withServer({ allowAdmin: (req) => req.headers['x-demo-user'] === 'root' }, async (url) => {
    assert.equal((await fetch(`${url}?scope=admin`, { headers: { 'x-demo-user': 'eve' } })).status, 403);
    const res = await fetch(`${url}?scope=admin`, { headers: { 'x-demo-user': 'root' } });
    assert.equal(res.status, 200);
    const policy = verifiedPolicy(await res.json());
    const list = (prefix?: string) => isAllowed(policy, {
      action: 'oss:ListMultipartUploads',
      resource: ossResource('examplebucket'),
      context: prefix === undefined ? {} : { 'oss:Prefix': prefix },
    });
    assert.ok(list('uploads/root/'));
    assert.ok(list('uploads/root/sub/'));
    assert.ok(!list('uploads/'));
    assert.ok(!list('uploads/bob/'));
    assert.ok(!list());
    assert.ok(isAllowed(policy, { action: 'oss:AbortMultipartUpload', resource: object('uploads/root/f') }));
    assert.ok(isAllowed(policy, { action: 'oss:ListParts', resource: object('uploads/root/f') }));
    assert.ok(!isAllowed(policy, { action: 'oss:AbortMultipartUpload', resource: object('uploads/bob/f') }));
  });
});

test('CORS: allowed origins get a preflight and an Allow-Origin, others nothing', T, async () => {
  const preflight = (url: string, origin: string) => fetch(url, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': 'GET', 'access-control-request-headers': 'x-demo-user' },
  });
  await withServer({ allowedOrigins: ['https://app.example'] }, async (url) => {
    const ok = await preflight(url, 'https://app.example');
    assert.equal(ok.status, 204);
    assert.equal(ok.headers.get('access-control-allow-origin'), 'https://app.example');
    assert.equal(ok.headers.get('access-control-allow-credentials'), 'true');
    assert.match(ok.headers.get('access-control-allow-methods') ?? '', /\bGET\b/);
    assert.match(ok.headers.get('access-control-allow-headers') ?? '', /x-demo-user/i);
    assert.equal(ok.headers.get('vary'), 'Origin');

    const get = await fetch(url, { headers: { origin: 'https://app.example' } });
    assert.equal(get.headers.get('access-control-allow-origin'), 'https://app.example');
    const refused = await fetch(`${url}?scope=admin`, { headers: { origin: 'https://app.example' } });
    assert.equal(refused.headers.get('access-control-allow-origin'), 'https://app.example', 'errors are readable too');

    const other = await preflight(url, 'https://evil.example');
    assert.equal(other.headers.get('access-control-allow-origin'), null);
    assert.equal((await fetch(url, { headers: { origin: 'https://evil.example' } })).headers.get('access-control-allow-origin'), null);
  });
  await withServer({}, async (url) => {
    assert.equal((await preflight(url, 'https://app.example')).headers.get('access-control-allow-origin'), null);
  });
});

test('other methods get 405; the standalone server answers at /api/sts-token and / only', T, async () => {
  await withServer({}, async (url) => {
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/api\/sts-token$/);
    const post = await fetch(url, { method: 'POST' });
    assert.equal(post.status, 405);
    assert.equal(post.headers.get('allow'), 'GET, OPTIONS');
    assert.equal((await fetch(new URL('/?user=x1', url))).status, 200);
    const missing = await fetch(new URL('/elsewhere', url));
    assert.equal(missing.status, 404);
    assert.equal((await missing.json()).code, 'NotFound');
  });
});

test('the handler mounts under any path in a plain Node server, and logs nothing on success', T, async () => {
  const lines: string[] = [];
  const handler = createTokenHandler({ ...base, log: (line) => lines.push(line) });
  const server = createServer((req, res) => void handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    const res = await fetch(`http://127.0.0.1:${port}/somewhere/token?user=alice`);
    assert.equal(res.status, 200);
    assert.equal((await res.json()).keyPrefix, 'uploads/alice/');
    assert.deepEqual(lines, []);
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

test('a failing hook answers 500 without details, and is logged', T, async () => {
  const lines: string[] = [];
  await withServer({ resolveUser: () => { throw new Error('session store down'); }, log: (l) => lines.push(l) }, async (url) => {
    const res = await fetch(url);
    assert.equal(res.status, 500);
    assert.equal((await res.json()).code, 'InternalError');
    assert.match(lines.join('\n'), /session store down/);
  });
});

test('?dialect= picks the target: oss by default, obs and s3 where configured, 400 otherwise', T, async () => {
  const obs = { bucket: 'obsbucket', region: 'cn-north-4', endpoint: 'http://127.0.0.1:9001', issuer: base.issuer };
  await withServer({ dialects: { obs }, allowAdmin: () => true }, async (url) => {
    const plain = await (await fetch(`${url}?user=alice`)).json();
    assert.equal(plain.dialect, 'oss');
    const res = await fetch(`${url}?user=alice&dialect=obs`);
    assert.equal(res.status, 200);
    const body = await res.json();
    assert.deepEqual([body.dialect, body.bucket, body.region, body.endpoint], ['obs', 'obsbucket', 'cn-north-4', 'http://127.0.0.1:9001']);
    assert.ok(isAllowed(verifiedPolicy(body), { action: 'oss:PutObject', resource: object('uploads/alice/x', 'obsbucket') }));
    const admin = await (await fetch(`${url}?user=alice&dialect=obs&scope=admin`)).json();
    assert.equal(admin.dialect, 'obs');
    for (const [query, code] of [['dialect=s3', 'DialectUnavailable'], ['dialect=gcs', 'InvalidDialect'], ['dialect=', 'InvalidDialect']]) {
      const refused = await fetch(`${url}?user=alice&${query}`);
      assert.equal(refused.status, 400, query);
      assert.match(refused.headers.get('content-type') ?? '', /^application\/json/);
      assert.equal((await refused.json()).code, code, query);
    }
  });
});
