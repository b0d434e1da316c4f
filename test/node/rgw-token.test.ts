// The token endpoint's S3 mode without a server: how the environment selects it and how the
// endpoint's RAM policies become IAM session policies. Against RGW's real STS: rgw-s3.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LocalSts } from '../../server/sts/local-sts.js';
import {
  adminPolicy, iamPolicyFromRam, S3StsIssuer, tokenOptionsFromEnv, uploadPolicy, userKeyPrefix,
} from '../../server/token/index.js';

const local = { sts: new LocalSts(Buffer.alloc(32)), bucket: 'devbucket', region: 'local', endpoint: 'http://127.0.0.1:9000' };
const s3env = {
  S3_ENDPOINT: 'http://127.0.0.1:9180/',
  AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'secret',
  S3_STS_ROLE_ARN: 'arn:aws:iam:::role/BrowserUploader',
  S3_BUCKET: 'uploads',
  AWS_REGION: 'us-east-1',
};

test('S3 mode is chosen by naming the role; every S3 variable is then required', () => {
  const options = tokenOptionsFromEnv(s3env, local);
  assert.ok(options.issuer instanceof S3StsIssuer);
  assert.equal(options.issuer.mode, 's3');
  assert.deepEqual(
    { bucket: options.bucket, region: options.region, endpoint: options.endpoint, ttl: options.ttlSeconds },
    { bucket: 'uploads', region: 'us-east-1', endpoint: 'http://127.0.0.1:9180', ttl: 3600 },
  );
  // as scripts/rgw/start.sh prints them
  const { S3_STS_ROLE_ARN, S3_BUCKET, ...rest } = s3env;
  const rgw = tokenOptionsFromEnv({ ...rest, RGW_ROLE_ARN: S3_STS_ROLE_ARN, RGW_BUCKET: S3_BUCKET }, local);
  assert.ok(rgw.issuer instanceof S3StsIssuer);
  // AWS keys alone (a developer's shell) do not switch S3 mode on
  assert.equal(tokenOptionsFromEnv({ AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'y' }, local).issuer.mode, 'local');
  assert.throws(() => tokenOptionsFromEnv({ S3_STS_ROLE_ARN: 'arn:aws:iam:::role/x' }, local), /S3 mode needs S3_ENDPOINT, AWS_ACCESS_KEY_ID/);
  assert.throws(() => tokenOptionsFromEnv({ ...s3env, OSS_ACCESS_KEY_ID: 'LTAI' }, local), /choose one/);
  assert.throws(() => tokenOptionsFromEnv({ ...s3env, S3_ENDPOINT: '127.0.0.1:9180' }, local), /must be a URL/);
});

test('RAM policies become IAM session policies with the same reach', () => {
  const prefix = userKeyPrefix('alice');
  assert.deepEqual(iamPolicyFromRam(uploadPolicy('uploads', prefix)), {
    Version: '2012-10-17',
    Statement: [{
      Effect: 'Allow',
      Action: ['s3:PutObject', 's3:GetObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
      Resource: ['arn:aws:s3:::uploads/uploads/alice/*'],
    }, {
      Effect: 'Allow',
      Action: ['s3:ListBucketMultipartUploads'],
      Resource: ['arn:aws:s3:::uploads'],
      Condition: { StringLike: { 's3:prefix': ['uploads/alice/*'] } },
    }],
  });
  const admin = iamPolicyFromRam(adminPolicy('uploads', prefix));
  assert.deepEqual(admin.Statement[1], {
    Effect: 'Allow',
    Action: ['s3:ListBucketMultipartUploads'],
    Resource: ['arn:aws:s3:::uploads'],
    Condition: { StringLike: { 's3:prefix': ['uploads/alice/*'] } },
  });
  assert.throws(
    () => iamPolicyFromRam({ Version: '1', Statement: [{ Effect: 'Allow', Action: 'oss:PutBucketCors', Resource: '*' }] }),
    /no S3 action/,
  );
});
