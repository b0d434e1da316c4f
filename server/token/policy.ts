/**
 * The RAM policies a token carries. STS intersects the inline policy with the role's own
 * policy, so these can only narrow what the role allows: each user gets a key prefix of
 * their own and nothing outside it.
 */
import { ossResource, type RamPolicy, type RamStatement } from '../sts/ram-policy.js';

/** Everything a browser upload needs: Initiate, UploadPart and Complete are `PutObject`. */
export const UPLOAD_ACTIONS = ['oss:PutObject', 'oss:GetObject', 'oss:AbortMultipartUpload', 'oss:ListParts'];

/** The key prefix a user's uploads live under, e.g. `uploads/alice/`. */
export function userKeyPrefix(user: string): string {
  return `uploads/${user}/`;
}

function objectsStatement(bucket: string, prefix: string): RamStatement {
  return { Effect: 'Allow', Action: UPLOAD_ACTIONS, Resource: [ossResource(bucket, `${prefix}*`)] };
}

/**
 * Listing the multipart uploads under `prefix` (a bucket action, so conditioned on the
 * prefix: it never reveals other users' upload ids). Ordinary tokens carry it too, so the
 * engine can find an upload whose Initiate answer was lost and adopt it instead of leaving
 * an orphan behind.
 */
function listOwnUploadsStatement(bucket: string, prefix: string): RamStatement {
  return {
    Effect: 'Allow',
    Action: ['oss:ListMultipartUploads'],
    Resource: [ossResource(bucket)],
    Condition: { StringLike: { 'oss:Prefix': [`${prefix}*`] } },
  };
}

/** An ordinary token: objects under `prefix`, and listing its own multipart uploads. */
export function uploadPolicy(bucket: string, prefix: string): RamPolicy {
  return { Version: '1', Statement: [objectsStatement(bucket, prefix), listOwnUploadsStatement(bucket, prefix)] };
}

/**
 * An administrative token: today the same grant as an ordinary one (the user's own prefix);
 * kept apart so an application can widen it for its administrators without touching uploads.
 */
export function adminPolicy(bucket: string, prefix: string): RamPolicy {
  return { Version: '1', Statement: [objectsStatement(bucket, prefix), listOwnUploadsStatement(bucket, prefix)] };
}
