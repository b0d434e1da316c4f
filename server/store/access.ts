/**
 * Authorization: what an authenticated identity may do. The root key may do everything;
 * a temporary key may do what its token's RAM policy allows, evaluated as OSS does
 * (server/sts/ram-policy.ts). Bucket configuration (PutBucketCors) is for the root key only.
 */
import { isAllowed, ossResource } from '../sts/ram-policy.js';
import type { Identity } from './auth.js';
import { Errors } from './errors.js';

export interface AccessCheck {
  /** RAM action, e.g. `oss:PutObject`; `root` for operations no token may perform. */
  action: string | 'root';
  bucket: string;
  /** Object key for object-level actions; omitted for bucket-level ones. */
  key?: string;
  context?: Record<string, string>;
}

export function authorize(identity: Identity, check: AccessCheck): void {
  if (identity.kind === 'root') return;
  if (check.action === 'root') {
    throw Errors.accessDenied('Only the bucket owner may change the bucket configuration.');
  }
  const resource = check.bucket ? ossResource(check.bucket, check.key) : 'acs:oss:*:*:*';
  const request = check.context ? { action: check.action, resource, context: check.context } : { action: check.action, resource };
  if (!isAllowed(identity.policy, request)) {
    throw Errors.accessDenied(`You are not allowed to ${check.action} on ${resource} by the RAM policy of your security token.`);
  }
}
