/**
 * Credentials from an S3-compatible STS (AWS STS, Ceph RGW's STS on its S3 port): a SigV4
 * signed `AssumeRole` (service `sts`, signed with the project's own signer) whose inline
 * session policy limits the temporary credentials to the user's key prefix.
 *
 *   POST / (form) Action=AssumeRole&Version=2011-06-15&RoleArn=…&RoleSessionName=…
 *                 &DurationSeconds=…&Policy=<IAM policy JSON>
 *   200 <AssumeRoleResponse><AssumeRoleResult><Credentials>
 *         <AccessKeyId/><SecretAccessKey/><SessionToken/><Expiration/>
 *
 * The endpoint's policies are RAM documents (server/token/policy.ts); they are translated
 * action by action into IAM (`oss:ListParts` → `s3:ListMultipartUploadParts`, …), so the
 * S3 token grants exactly what the OSS token would, on `arn:aws:s3:::bucket/uploads/<user>/*`.
 *
 * The credentials take the OSS field names the browser engine reads; the handler adds
 * `dialect: "s3"` (targets.ts: an issuer of mode `s3` makes S3 the endpoint's main dialect).
 * Environment: see server/token/env.ts (S3_ENDPOINT, AWS_ACCESS_KEY_ID, …).
 */
import { randomUUID } from 'node:crypto';
import { EMPTY_SHA256, s3SignHeaders } from '../../src/core/dialects/s3/signer-v4.js';
import { sha256Hex } from '../../src/core/signing/crypto.js';
import type { RamPolicy } from '../sts/ram-policy.js';
import { IssuerError, type CredentialIssuer, type CredentialRequest, type StsCredentials } from './issuer.js';

export interface S3StsOptions {
  /** Access key of the user (IAM user, RGW user) allowed to assume the role. */
  accessKeyId: string;
  secretAccessKey: string;
  /** e.g. `arn:aws:iam:::role/BrowserUploader` (RGW) or `arn:aws:iam::123456789012:role/x`. */
  roleArn: string;
  /** STS URL: RGW serves STS on its S3 port; AWS: `https://sts.amazonaws.com`. */
  endpoint: string;
  /** SigV4 region, e.g. `us-east-1`. */
  region: string;
  /** Give up on STS after this many milliseconds (default 10 000): the endpoint answers 504. */
  timeoutMs?: number;
}

/** An IAM policy document. */
export interface IamPolicy {
  Version: '2012-10-17';
  Statement: {
    Effect: 'Allow' | 'Deny';
    Action: string[];
    Resource: string[];
    Condition?: Record<string, Record<string, string | string[]>>;
  }[];
}

/** OSS action → S3 action, for every action the endpoint's policies use. */
const ACTIONS: Record<string, string> = {
  'oss:PutObject': 's3:PutObject',
  'oss:GetObject': 's3:GetObject',
  'oss:AbortMultipartUpload': 's3:AbortMultipartUpload',
  'oss:ListParts': 's3:ListMultipartUploadParts',
  'oss:ListMultipartUploads': 's3:ListBucketMultipartUploads',
  'oss:DeleteObject': 's3:DeleteObject',
};
/** OSS condition keys → S3's. */
const CONDITION_KEYS: Record<string, string> = { 'oss:Prefix': 's3:prefix' };

function list(v: string | string[]): string[] {
  return Array.isArray(v) ? v : [v];
}

/** The IAM equivalent of one of the endpoint's RAM policies; throws on what it cannot map. */
export function iamPolicyFromRam(policy: RamPolicy): IamPolicy {
  return {
    Version: '2012-10-17',
    Statement: policy.Statement.map((s) => {
      const Action = list(s.Action).map((a) => {
        const mapped = ACTIONS[a];
        if (!mapped) throw new Error(`no S3 action for ${a}`);
        return mapped;
      });
      const Resource = list(s.Resource).map((r) => {
        const m = /^acs:oss:\*:\*:(.+)$/.exec(r);
        if (!m) throw new Error(`not an OSS resource: ${r}`);
        return `arn:aws:s3:::${m[1]}`;
      });
      const statement: IamPolicy['Statement'][number] = { Effect: s.Effect, Action, Resource };
      if (s.Condition) {
        statement.Condition = Object.fromEntries(
          Object.entries(s.Condition).map(([op, keys]) => [
            op,
            Object.fromEntries(Object.entries(keys).map(([k, v]) => [CONDITION_KEYS[k] ?? k, v])),
          ]),
        );
      }
      return statement;
    }),
  };
}

/** `RoleSessionName`: 2–64 of `[\w+=,.@-]`; it names the user in the STS logs. */
function roleSessionName(user: string): string {
  return `upload-${user}`.slice(0, 64);
}

/** Text of the first `<tag>…</tag>` (STS answers are flat enough), XML entities decoded. */
function xmlText(xml: string, tag: string): string | undefined {
  const m = new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(xml);
  return m?.[1]
    ?.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
}

/** Calls STS AssumeRole; see {@link S3StsOptions}. */
export class S3StsIssuer implements CredentialIssuer {
  readonly mode = 's3';
  private readonly url: URL;
  private readonly timeoutMs: number;

  constructor(private readonly options: S3StsOptions) {
    this.url = new URL('/', options.endpoint);
    this.timeoutMs = options.timeoutMs ?? 10_000;
  }

  async issue({ user, policy, ttlSeconds }: CredentialRequest, signal?: AbortSignal): Promise<StsCredentials> {
    const body = new URLSearchParams({
      Action: 'AssumeRole',
      Version: '2011-06-15',
      RoleArn: this.options.roleArn,
      RoleSessionName: roleSessionName(user),
      DurationSeconds: String(ttlSeconds),
      Policy: JSON.stringify(iamPolicyFromRam(policy)),
    }).toString();
    const headers = await s3SignHeaders(
      {
        method: 'POST', bucket: '', key: '', query: {}, host: this.url.host, path: '/',
        headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
      },
      { accessKeyId: this.options.accessKeyId, accessKeySecret: this.options.secretAccessKey },
      { region: this.options.region, service: 'sts', payloadHash: body ? await sha256Hex(body) : EMPTY_SHA256 },
    );
    const timeout = AbortSignal.timeout(this.timeoutMs);
    let status: number;
    let text: string;
    try {
      const res = await fetch(this.url, {
        method: 'POST', headers, body, signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
      status = res.status;
      text = await res.text();
    } catch (err) {
      if (signal?.aborted) throw err;
      if (timeout.aborted) {
        throw new IssuerError(504, 'StsTimeout', `STS did not answer within ${this.timeoutMs} ms`, { cause: err });
      }
      throw new IssuerError(502, 'StsUnreachable', `STS at ${this.url.origin} could not be reached`, { cause: err });
    }
    return credentialsFrom(status, text, requestId(text));
  }
}

function requestId(xml: string): string | undefined {
  return xmlText(xml, 'RequestId');
}

function credentialsFrom(status: number, xml: string, id: string | undefined): StsCredentials {
  const code = xmlText(xml, 'Code');
  if (status !== 200 || code) {
    const opts = { detail: xmlText(xml, 'Message') ?? xml.slice(0, 300), ...(id ? { requestId: id } : {}) };
    throw new IssuerError(502, code ?? 'StsBadResponse', `STS AssumeRole failed: HTTP ${status} ${code ?? ''}`.trim(), opts);
  }
  const AccessKeyId = xmlText(xml, 'AccessKeyId');
  const AccessKeySecret = xmlText(xml, 'SecretAccessKey');
  const SecurityToken = xmlText(xml, 'SessionToken');
  const expiration = xmlText(xml, 'Expiration');
  const expires = expiration ? Date.parse(expiration) : NaN;
  if (!AccessKeyId || !AccessKeySecret || !SecurityToken || Number.isNaN(expires)) {
    throw new IssuerError(502, 'StsBadResponse', `STS answered HTTP ${status} without credentials`, id ? { requestId: id } : {});
  }
  // ISO-8601 UTC without milliseconds, as the OSS answer has it
  const Expiration = new Date(expires).toISOString().replace(/\.\d{3}Z$/, 'Z');
  return { AccessKeyId, AccessKeySecret, SecurityToken, Expiration };
}

/**
 * S3 mode's settings from the environment, or `undefined` when S3 mode is not asked for.
 * S3 mode is asked for by naming the role (S3_STS_ROLE_ARN, or RGW_ROLE_ARN as
 * scripts/rgw/start.sh prints it): AWS_ACCESS_KEY_ID alone, common on developers' machines,
 * does not switch it on. Then every one of these is required:
 *
 *   S3_ENDPOINT            the store URL browsers upload to (path-style), e.g. http://127.0.0.1:9180
 *   AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY   the key of the user allowed to assume the role
 *   S3_STS_ROLE_ARN (or RGW_ROLE_ARN)          e.g. arn:aws:iam:::role/BrowserUploader
 *   S3_BUCKET (or RGW_BUCKET)                  the bucket uploads go to
 *   AWS_REGION             e.g. us-east-1
 *   S3_STS_ENDPOINT        optional; default S3_ENDPOINT (RGW serves STS on its S3 port)
 */
export function s3TokenOptionsFromEnv(
  env: NodeJS.ProcessEnv, ttlSeconds: number,
): { bucket: string; region: string; endpoint: string; issuer: S3StsIssuer; ttlSeconds: number } | undefined {
  const roleArn = env.S3_STS_ROLE_ARN || env.RGW_ROLE_ARN;
  if (!roleArn) return undefined;
  if (env.OSS_ACCESS_KEY_ID || env.OSS_STS_ROLE_ARN) {
    throw new Error('Both Alibaba (OSS_ACCESS_KEY_ID, OSS_STS_ROLE_ARN) and S3 (S3_STS_ROLE_ARN/RGW_ROLE_ARN) modes are configured: choose one');
  }
  const bucket = env.S3_BUCKET || env.RGW_BUCKET;
  const missing = [
    ['S3_ENDPOINT', env.S3_ENDPOINT], ['AWS_ACCESS_KEY_ID', env.AWS_ACCESS_KEY_ID],
    ['AWS_SECRET_ACCESS_KEY', env.AWS_SECRET_ACCESS_KEY], ['S3_BUCKET (or RGW_BUCKET)', bucket], ['AWS_REGION', env.AWS_REGION],
  ].filter(([, v]) => !v).map(([name]) => name);
  if (missing.length > 0) throw new Error(`S3 mode needs ${missing.join(', ')}`);
  const url = (name: string, value: string) => {
    if (!/^https?:\/\/[^/]/.test(value)) throw new Error(`${name} must be a URL such as https://host, not ${JSON.stringify(value)}`);
    return new URL(value).origin;
  };
  const endpoint = url('S3_ENDPOINT', env.S3_ENDPOINT!);
  return {
    bucket: bucket!,
    region: env.AWS_REGION!,
    endpoint,
    ttlSeconds,
    issuer: new S3StsIssuer({
      accessKeyId: env.AWS_ACCESS_KEY_ID!,
      secretAccessKey: env.AWS_SECRET_ACCESS_KEY!,
      roleArn,
      endpoint: env.S3_STS_ENDPOINT ? url('S3_STS_ENDPOINT', env.S3_STS_ENDPOINT) : endpoint,
      region: env.AWS_REGION!,
    }),
  };
}
