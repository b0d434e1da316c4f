// Choosing local or Alibaba mode from environment variables.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LocalSts } from '../../server/sts/local-sts.js';
import { AlibabaStsIssuer, LocalIssuer, tokenOptionsFromEnv } from '../../server/token/index.js';

const local = { sts: new LocalSts(Buffer.alloc(32)), bucket: 'devbucket', region: 'local', endpoint: 'http://127.0.0.1:9000' };
const alibaba = {
  OSS_ACCESS_KEY_ID: 'LTAIexample',
  OSS_ACCESS_KEY_SECRET: 'secret',
  OSS_STS_ROLE_ARN: 'acs:ram::1234567890123456:role/oss-uploader',
  OSS_REGION: 'cn-hangzhou',
  OSS_BUCKET: 'examplebucket',
};

test('without a RAM key the endpoint is local', () => {
  const options = tokenOptionsFromEnv({ OSS_BUCKET: 'ignored' }, local);
  assert.ok(options.issuer instanceof LocalIssuer);
  assert.equal(options.issuer.mode, 'local');
  assert.deepEqual(
    { bucket: options.bucket, region: options.region, endpoint: options.endpoint, ttl: options.ttlSeconds },
    { bucket: 'devbucket', region: 'local', endpoint: 'http://127.0.0.1:9000', ttl: 3600 },
  );
});

test('with every Alibaba variable set the endpoint calls STS', () => {
  const options = tokenOptionsFromEnv(alibaba, local);
  assert.ok(options.issuer instanceof AlibabaStsIssuer);
  assert.equal(options.bucket, 'examplebucket');
  assert.equal(options.region, 'cn-hangzhou');
  assert.equal(options.endpoint, 'https://examplebucket.oss-cn-hangzhou.aliyuncs.com');

  const custom = tokenOptionsFromEnv(
    { ...alibaba, OSS_REGION: 'oss-cn-shanghai', OSS_ENDPOINT: 'https://files.example.com/', OSS_TOKEN_TTL: '1800' },
    local,
  );
  assert.equal(custom.region, 'cn-shanghai');
  assert.equal(custom.endpoint, 'https://files.example.com');
  assert.equal(custom.ttlSeconds, 1800);
});

test('a partial or invalid Alibaba configuration throws, naming what is wrong', () => {
  assert.throws(() => tokenOptionsFromEnv({ OSS_ACCESS_KEY_ID: 'LTAIexample' }, local),
    /OSS_ACCESS_KEY_SECRET, OSS_STS_ROLE_ARN, OSS_REGION, OSS_BUCKET/);
  assert.throws(() => tokenOptionsFromEnv({ ...alibaba, OSS_TOKEN_TTL: '600' }, local), /OSS_TOKEN_TTL/);
  assert.throws(() => tokenOptionsFromEnv({ ...alibaba, OSS_TOKEN_TTL: '1h' }, local), /OSS_TOKEN_TTL/);
  assert.throws(() => tokenOptionsFromEnv({ ...alibaba, OSS_ENDPOINT: 'oss-cn-hangzhou.aliyuncs.com' }, local), /OSS_ENDPOINT/);
  const thrown = (() => {
    try {
      tokenOptionsFromEnv({ OSS_ACCESS_KEY_SECRET: 'super-secret' }, local);
    } catch (err) {
      return String(err);
    }
  })();
  assert.ok(thrown && !thrown.includes('super-secret'), 'the error does not quote the secret');
});
