/**
 * One request from start to answer: dialect (from the Authorization scheme, or an S3 presigned query) → address →
 * bucket → CORS → (preflight) → key check → operation → authentication (the dialect's) →
 * authorization (the same RAM policy for every dialect) → handler. Every failure is an
 * OssError the caller answers in the dialect; every answer already carries the dialect's
 * request id and the bucket's CORS headers.
 */
import { authorize, type AccessCheck } from './access.js';
import { parseAddress, validateKey, type Address } from './addressing.js';
import type { Identity } from './auth.js';
import { dialectOf } from './dialects/index.js';
import {
  deleteBucketCors, getBucketCors, listBuckets, listMultipartUploads, putBucketCors,
} from './bucket-handlers.js';
import type { StoreContext, Target } from './context.js';
import { actualCorsHeaders, preflightHeaders, type CorsRule } from './cors.js';
import { Errors } from './errors.js';
import type { Exchange } from './exchange.js';
import {
  abortMultipartUpload, completeMultipartUpload, initiateMultipartUpload, listParts, uploadPart,
} from './multipart-handlers.js';
import { deleteObject, getObject, putObject } from './object-handlers.js';

interface Operation {
  /** The API's name, e.g. `AbortMultipartUpload`. */
  name: string;
  /** RAM action checked for temporary credentials; `root` for the root key only. */
  action: string;
  /** Condition keys for the policy (ListMultipartUploads' `oss:Prefix`). */
  context?: (query: Record<string, string>) => Record<string, string>;
  run: (t: Target) => Promise<void>;
}

const op = (name: string, action: string, run: Operation['run'], context?: Operation['context']): Operation =>
  context ? { name, action, run, context } : { name, action, run };

/** The operation a bucket-level request (no key) names. */
function bucketOperation(method: string, q: Record<string, string>): Operation {
  const has = (name: string) => name in q;
  if (method === 'GET' && has('uploads')) {
    return op('ListMultipartUploads', 'oss:ListMultipartUploads', listMultipartUploads, (query) => ({ 'oss:Prefix': query['prefix'] ?? '' }));
  }
  if (has('cors')) {
    if (method === 'GET') return op('GetBucketCors', 'oss:GetBucketCors', getBucketCors);
    if (method === 'PUT') return op('PutBucketCors', 'root', putBucketCors);
    if (method === 'DELETE') return op('DeleteBucketCors', 'root', deleteBucketCors);
    throw Errors.methodNotAllowed(method);
  }
  if (['GET', 'PUT', 'POST', 'DELETE', 'HEAD'].includes(method)) throw Errors.notImplemented(`this bucket operation (${method} /)`);
  throw Errors.methodNotAllowed(method);
}

/** The operation an object-level request names. */
function objectOperation(method: string, q: Record<string, string>): Operation {
  const has = (name: string) => name in q;
  switch (method) {
    case 'PUT':
      if (has('partNumber') || has('uploadId')) {
        if (!has('uploadId')) throw Errors.invalidArgument('UploadPart needs an uploadId.', 'uploadId', '');
        return op('UploadPart', 'oss:PutObject', uploadPart);
      }
      if (has('acl') || has('tagging') || has('symlink')) throw Errors.notImplemented('this object sub-resource');
      return op('PutObject', 'oss:PutObject', putObject);
    case 'POST':
      if (has('uploads')) return op('InitiateMultipartUpload', 'oss:PutObject', initiateMultipartUpload);
      if (has('uploadId')) return op('CompleteMultipartUpload', 'oss:PutObject', completeMultipartUpload);
      throw Errors.notImplemented('this POST operation (AppendObject, PostObject, …)');
    case 'GET':
      if (has('uploadId')) return op('ListParts', 'oss:ListParts', listParts);
      if (has('acl') || has('tagging') || has('objectMeta') || has('symlink')) throw Errors.notImplemented('this object sub-resource');
      return op('GetObject', 'oss:GetObject', getObject);
    case 'HEAD':
      return op('HeadObject', 'oss:GetObject', getObject);
    case 'DELETE':
      if (has('uploadId')) return op('AbortMultipartUpload', 'oss:AbortMultipartUpload', abortMultipartUpload);
      return op('DeleteObject', 'oss:DeleteObject', deleteObject);
    default:
      throw Errors.methodNotAllowed(method);
  }
}

function preflight(ex: Exchange, rules: readonly CorsRule[]): void {
  const headers = preflightHeaders(
    rules, ex.header('origin'), ex.header('access-control-request-method'), ex.header('access-control-request-headers'),
  );
  if (!headers) throw Errors.corsForbidden();
  ex.send(200, headers);
}

export async function handleRequest(ctx: StoreContext, ex: Exchange): Promise<void> {
  const method = ex.req.method ?? 'GET';
  const dialect = dialectOf(ex.header('authorization'), ex.req.url);
  ex.useDialect(dialect);
  const address: Address = parseAddress(ex.req.url ?? '/', ex.header('host'), ctx.customDomains);
  const headers = ex.headers();
  const signable = (bucket: string, key: string) =>
    ({ method, bucket, key, query: address.query, headers, host: ex.header('host') ?? '', path: address.path });

  if (!address.bucket) {
    if (method === 'OPTIONS') return preflight(ex, []);
    if (method !== 'GET') throw Errors.methodNotAllowed(method);
    ex.operation = 'ListBuckets';
    const identity = await dialect.authenticate(signable('', ''), ctx.auth);
    authorize(identity, { action: 'oss:ListBuckets', bucket: '' });
    return listBuckets(ex, ctx.buckets, ctx.auth.region);
  }

  const bucket = ctx.buckets.get(address.bucket);
  if (!bucket) throw Errors.noSuchBucket(address.bucket);
  ex.setHeaders(actualCorsHeaders(bucket.cors, ex.header('origin'), method));
  if (method === 'OPTIONS') return preflight(ex, bucket.cors);

  const key = address.key;
  if (key) validateKey(key);
  const operation = key ? objectOperation(method, address.query) : bucketOperation(method, address.query);
  ex.operation = operation.name;

  const identity: Identity = await dialect.authenticate(signable(bucket.name, key), ctx.auth);
  const check: AccessCheck = { action: operation.action, bucket: bucket.name };
  if (key) check.key = key;
  if (operation.context) check.context = operation.context(address.query);
  authorize(identity, check);

  await operation.run({ ex, ctx, address, bucket, key, query: address.query, identity, dialect });
}
