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

/** An ordinary token: objects under `prefix` only, and no bucket-level action at all. */
export function uploadPolicy(bucket: string, prefix: string): RamPolicy {
  return { Version: '1', Statement: [objectsStatement(bucket, prefix)] };
}

/**
 * An administrative token: the upload grant plus `ListMultipartUploads`, which is a bucket
 * action and would reveal other users' upload ids, so it is conditioned on `oss:Prefix`.
 * With it an admin page can find and abort the user's abandoned uploads.
 */
export function adminPolicy(bucket: string, prefix: string): RamPolicy {
  return {
    Version: '1',
    Statement: [
      objectsStatement(bucket, prefix),
      {
        Effect: 'Allow',
        Action: ['oss:ListMultipartUploads'],
        Resource: [ossResource(bucket)],
        Condition: { StringLike: { 'oss:Prefix': [`${prefix}*`] } },
      },
    ],
  };
}
