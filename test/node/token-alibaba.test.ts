// The token endpoint in real Alibaba mode, against a loopback STS stand-in that verifies
// the RPC signature with its own code: what is sent to AssumeRole, and how failures surface.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LocalSts } from '../../server/sts/local-sts.js';
import { isAllowed, ossResource } from '../../server/sts/ram-policy.js';
import {
  AlibabaStsIssuer, startTokenServer, tokenOptionsFromEnv, type TokenEndpointOptions,
} from '../../server/token/index.js';
import { signedRpcQuery } from '../../server/token/rpc-signature.js';
import { startStsStandin, type StsStandin } from '../support/sts-standin.js';

const T = { timeout: 5000 };
const KEY = { accessKeyId: 'LTAI5tExampleRamUser', accessKeySecret: 'ram-user-secret-do-not-leak' };
const ROLE = 'acs:ram::1234567890123456:role/oss-uploader';
const unusedLocal = { sts: new LocalSts(Buffer.alloc(32)), bucket: 'local', region: 'local', endpoint: 'http://127.0.0.1:1' };

function envFor(sts: StsStandin | string, overrides: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    OSS_ACCESS_KEY_ID: KEY.accessKeyId,
    OSS_ACCESS_KEY_SECRET: KEY.accessKeySecret,
    OSS_STS_ROLE_ARN: ROLE,
    OSS_REGION: 'cn-hangzhou',
    OSS_BUCKET: 'examplebucket',
    STS_ENDPOINT: typeof sts === 'string' ? sts : sts.url,
    ...overrides,
  };
}

/** Starts a stand-in STS and a token server using it; stops both after `fn`. */
async function withAlibaba(
  setup: { env?: Record<string, string>; options?: Partial<TokenEndpointOptions>; hang?: boolean },
  fn: (url: string, sts: StsStandin, log: string[]) => Promise<void>,
): Promise<void> {
  const sts = await startStsStandin({ ...KEY, roleArn: ROLE, hang: setup.hang });
  const log: string[] = [];
  const server = await startTokenServer({
    ...tokenOptionsFromEnv(envFor(sts, setup.env), unusedLocal),
    log: (line) => log.push(line),
    ...setup.options,
  });
  try {
    await fn(server.url, sts, log);
  } finally {
    await server.close();
    await sts.close();
  }
}

test('AssumeRole credentials come back in the endpoint shape, scoped to the user', T, async () => {
  await withAlibaba({}, async (url, sts, log) => {
    const res = await fetch(`${url}?user=alice`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('cache-control'), 'no-store');
    const body = await res.json();
    assert.match(body.AccessKeyId, /^STS\./);
    assert.ok(body.AccessKeySecret && body.SecurityToken);
    assert.equal(body.endpoint, 'https://examplebucket.oss-cn-hangzhou.aliyuncs.com');
    assert.equal(body.bucket, 'examplebucket');
    assert.equal(body.region, 'cn-hangzhou');
    assert.equal(body.keyPrefix, 'uploads/alice/');
    const lifetime = (Date.parse(body.Expiration) - Date.now()) / 1000;
    assert.ok(lifetime > 3590 && lifetime <= 3600);

    assert.equal(sts.calls.length, 1);
    const { params, policy } = sts.calls[0]!;
    assert.equal(params.RoleArn, ROLE);
    assert.equal(params.RoleSessionName, 'upload-alice');
    assert.equal(params.DurationSeconds, '3600');
    assert.ok(policy);
    assert.deepEqual(policy.Statement.flatMap((s) => s.Resource), ['acs:oss:*:*:examplebucket/uploads/alice/*', 'acs:oss:*:*:examplebucket']);
    assert.ok(isAllowed(policy, { action: 'oss:PutObject', resource: ossResource('examplebucket', 'uploads/alice/f') }));
    assert.ok(!isAllowed(policy, { action: 'oss:PutObject', resource: ossResource('examplebucket', 'uploads/bob/f') }));
    // Listing multipart uploads: the user's own prefix only.
    const list = (prefix: string) => isAllowed(policy, { action: 'oss:ListMultipartUploads', resource: ossResource('examplebucket'), context: { 'oss:Prefix': prefix } });
    assert.ok(list('uploads/alice/'));
    assert.ok(!list('uploads/'));
    assert.ok(!list('uploads/bob/'));
    assert.deepEqual(log, []);
  });
});

test('in Alibaba mode ?ttl= is ignored; OSS_TOKEN_TTL sets DurationSeconds', T, async () => {
  await withAlibaba({ env: { OSS_TOKEN_TTL: '900' } }, async (url, sts) => {
    assert.equal((await fetch(`${url}?user=alice&ttl=5`)).status, 200);
    assert.equal(sts.calls[0]!.params.DurationSeconds, '900');
  });
});

test('an admin token asks STS for ListMultipartUploads conditioned on the prefix', T, async () => {
  await withAlibaba({ options: { allowAdmin: () => true } }, async (url, sts) => {
    assert.equal((await fetch(`${url}?user=alice&scope=admin`)).status, 200);
    const policy = sts.calls[0]!.policy!;
    const listing = policy.Statement.find((s) => [s.Action].flat().includes('oss:ListMultipartUploads'));
    assert.deepEqual(listing?.Resource, ['acs:oss:*:*:examplebucket']);
    assert.deepEqual(listing?.Condition, { StringLike: { 'oss:Prefix': ['uploads/alice/*'] } });
  });
});

test('a wrong secret surfaces as 502 naming the STS code and request id, and leaks nothing', T, async () => {
  await withAlibaba({ env: { OSS_ACCESS_KEY_SECRET: 'wrong-secret-do-not-leak' } }, async (url, sts, log) => {
    const res = await fetch(`${url}?user=alice`);
    assert.equal(res.status, 502);
    assert.equal(res.headers.get('cache-control'), 'no-store');
    const text = await res.text();
    const body = JSON.parse(text);
    assert.equal(body.code, 'SignatureDoesNotMatch');
    assert.equal(body.requestId, sts.requestIds[0]);
    assert.match(body.message, /SignatureDoesNotMatch/);
    for (const secret of ['wrong-secret-do-not-leak', KEY.accessKeySecret, KEY.accessKeyId, 'string to sign']) {
      assert.ok(!text.includes(secret), `the answer does not contain ${secret}`);
    }
    assert.match(log.join('\n'), /SignatureDoesNotMatch/);
    assert.match(log.join('\n'), new RegExp(sts.requestIds[0]!));
    assert.ok(!log.join('\n').includes('wrong-secret-do-not-leak'), 'the secret is never logged');
  });
});

test('an unknown key or role is an STS error too', T, async () => {
  await withAlibaba({ env: { OSS_ACCESS_KEY_ID: 'LTAIunknown' } }, async (url) => {
    const res = await fetch(url);
    assert.equal(res.status, 502);
    assert.equal((await res.json()).code, 'InvalidAccessKeyId.NotFound');
  });
  await withAlibaba({ env: { OSS_STS_ROLE_ARN: 'acs:ram::1:role/nope' } }, async (url) => {
    assert.equal((await (await fetch(url)).json()).code, 'EntityNotExist.Role');
  });
});

test('STS unreachable answers 502, STS silent answers 504', T, async () => {
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const deadUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
  await new Promise((resolve) => closed.close(resolve));
  const server = await startTokenServer({ ...tokenOptionsFromEnv(envFor(deadUrl), unusedLocal), log: () => {} });
  try {
    const res = await fetch(server.url);
    assert.equal(res.status, 502);
    assert.equal((await res.json()).code, 'StsUnreachable');
  } finally {
    await server.close();
  }

  await withAlibaba({ hang: true }, async (_url, sts, log) => {
    const timed = await startTokenServer({
      bucket: 'examplebucket', region: 'cn-hangzhou', endpoint: 'https://examplebucket.oss-cn-hangzhou.aliyuncs.com',
      issuer: new AlibabaStsIssuer({ ...KEY, roleArn: ROLE, endpoint: sts.url, timeoutMs: 200 }),
      log: (line) => log.push(line),
    });
    try {
      const started = Date.now();
      const res = await fetch(timed.url);
      assert.equal(res.status, 504);
      assert.equal((await res.json()).code, 'StsTimeout');
      assert.ok(Date.now() - started < 2000);
      assert.match(log.join('\n'), /did not answer within 200 ms/);
    } finally {
      await timed.close();
    }
  });
});

test('the stand-in checks signatures itself: encoded characters pass, tampering fails', T, async () => {
  const sts = await startStsStandin({ ...KEY, roleArn: ROLE });
  try {
    const params = {
      Action: 'AssumeRole', Version: '2015-04-01', Format: 'JSON', AccessKeyId: KEY.accessKeyId,
      SignatureMethod: 'HMAC-SHA1', SignatureVersion: '1.0', SignatureNonce: 'n-1',
      Timestamp: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
      RoleArn: ROLE, RoleSessionName: 'user@example.com', DurationSeconds: '900',
      Policy: JSON.stringify({
        Version: '1',
        Statement: [{ Effect: 'Allow', Action: 'oss:GetObject', Resource: 'acs:oss:*:*:b/a b~c*é!(x)\'' }],
      }),
    };
    const ok = await fetch(`${sts.url}/?${signedRpcQuery(params, KEY.accessKeySecret)}`);
    assert.equal(ok.status, 200, await ok.clone().text());
    assert.equal(sts.calls[0]!.params.Policy, params.Policy);

    const replay = await fetch(`${sts.url}/?${signedRpcQuery(params, KEY.accessKeySecret)}`);
    assert.equal((await replay.json()).Code, 'SignatureNonceUsed');

    const signed = signedRpcQuery({ ...params, SignatureNonce: 'n-2' }, KEY.accessKeySecret);
    const tampered = await fetch(`${sts.url}/?${signed.replace('DurationSeconds=900', 'DurationSeconds=901')}`);
    assert.equal(tampered.status, 400);
    const body = await tampered.json();
    assert.equal(body.Code, 'SignatureDoesNotMatch');
    assert.ok(body.RequestId);
  } finally {
    await sts.close();
  }
});
