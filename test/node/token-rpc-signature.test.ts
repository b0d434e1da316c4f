// Alibaba's RPC signature, checked against the example published in Alibaba Cloud's
// "signature method" documentation (ECS DescribeRegions, AccessKeySecret `testsecret`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  canonicalQuery, percentEncode, rpcSignature, rpcStringToSign, signedRpcQuery,
} from '../../server/token/rpc-signature.js';

const documented = {
  AccessKeyId: 'testid',
  Action: 'DescribeRegions',
  Format: 'XML',
  SignatureMethod: 'HMAC-SHA1',
  SignatureNonce: '3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf',
  SignatureVersion: '1.0',
  Timestamp: '2016-02-23T12:46:24Z',
  Version: '2014-05-26',
};

test('reproduces the documented DescribeRegions string to sign and signature', () => {
  assert.equal(
    rpcStringToSign('GET', documented),
    'GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML' +
      '%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf' +
      '%26SignatureVersion%3D1.0%26Timestamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26',
  );
  assert.equal(rpcSignature('GET', documented, 'testsecret'), 'OLeaidS1JvxuMvnyHOwuJ+uX5qY=');
});

test('the signed query carries the encoded signature last', () => {
  assert.equal(
    signedRpcQuery(documented, 'testsecret'),
    `${canonicalQuery(documented)}&Signature=OLeaidS1JvxuMvnyHOwuJ%2BuX5qY%3D`,
  );
});

test('percent-encoding follows RFC 3986 as Alibaba requires', () => {
  assert.equal(percentEncode('a b'), 'a%20b');
  assert.equal(percentEncode('a*b'), 'a%2Ab');
  assert.equal(percentEncode('a~b-c_d.e'), 'a~b-c_d.e');
  assert.equal(percentEncode("!'()"), '%21%27%28%29');
  assert.equal(percentEncode('/:+="'), '%2F%3A%2B%3D%22');
  assert.equal(percentEncode('é'), '%C3%A9');
});

test('parameters are sorted by name', () => {
  assert.equal(canonicalQuery({ b: '2', a: '1', B: '3' }), 'B=3&a=1&b=2');
});
