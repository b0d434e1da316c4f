/**
 * Creates the upload bucket on the S3 endpoint (idempotent) and sets its CORS rules so that
 * browsers may upload and read the headers the engine needs (ETag above all). Called by
 * scripts/rgw/start.sh with S3_ENDPOINT, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
 * AWS_REGION, RGW_BUCKET in the environment.
 */
import { createHash } from 'node:crypto';
import { s3Fetch, s3Ok } from './s3-fetch.js';

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

const endpoint = env('S3_ENDPOINT');
const bucket = env('RGW_BUCKET');
const region = env('AWS_REGION');
const creds = { accessKeyId: env('AWS_ACCESS_KEY_ID'), accessKeySecret: env('AWS_SECRET_ACCESS_KEY') };

const created = await s3Fetch(endpoint, creds, { method: 'PUT', bucket, region, hashPayload: true });
if (!created.ok) {
  const text = await created.text();
  if (!text.includes('BucketAlreadyOwnedByYou')) throw new Error(`CreateBucket ${bucket}: ${created.status} ${text}`);
}

const exposed = [
  'ETag', 'x-amz-request-id', 'x-amz-checksum-crc64nvme', 'x-amz-checksum-algorithm',
  'x-amz-checksum-type', 'x-amz-version-id',
];
const cors =
  '<CORSConfiguration><CORSRule>' +
  '<AllowedOrigin>*</AllowedOrigin>' +
  ['GET', 'PUT', 'POST', 'DELETE', 'HEAD'].map((m) => `<AllowedMethod>${m}</AllowedMethod>`).join('') +
  '<AllowedHeader>*</AllowedHeader>' +
  exposed.map((h) => `<ExposeHeader>${h}</ExposeHeader>`).join('') +
  '<MaxAgeSeconds>3600</MaxAgeSeconds>' +
  '</CORSRule></CORSConfiguration>';
await s3Ok(endpoint, creds, {
  method: 'PUT', bucket, region, query: { cors: '' }, body: cors, hashPayload: true,
  headers: { 'content-type': 'application/xml', 'content-md5': createHash('md5').update(cors).digest('base64') },
});
const check = await (await s3Ok(endpoint, creds, { method: 'GET', bucket, region, query: { cors: '' } })).text();
if (!check.includes('<ExposeHeader>ETag</ExposeHeader>')) throw new Error(`GetBucketCors did not return the rules: ${check}`);
process.stderr.write(`bucket ${bucket}: created, CORS set (exposes ${exposed.join(', ')})\n`);
