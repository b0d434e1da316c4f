/**
 * Credentials from Alibaba Cloud STS: an AssumeRole call, signed with a RAM user's
 * AccessKey, that passes the scoped policy inline so the temporary credentials can do no
 * more than that policy (intersected with the role's own).
 * API: https://www.alibabacloud.com/help/en/ram/developer-reference/api-sts-2015-04-01-assumerole
 */
import { randomUUID } from 'node:crypto';
import { IssuerError, type CredentialIssuer, type CredentialRequest, type StsCredentials } from './issuer.js';
import { signedRpcQuery } from './rpc-signature.js';

export const DEFAULT_STS_ENDPOINT = 'https://sts.aliyuncs.com';

export interface AlibabaStsOptions {
  /** AccessKey id of a RAM user allowed to call `sts:AssumeRole` on the role. */
  accessKeyId: string;
  /** That RAM user's AccessKey secret. */
  accessKeySecret: string;
  /** The role to assume, e.g. `acs:ram::1234567890123456:role/oss-uploader`. */
  roleArn: string;
  /** STS endpoint, default {@link DEFAULT_STS_ENDPOINT}. */
  endpoint?: string;
  /** Give up on STS after this many milliseconds (default 10 000): the endpoint answers 504. */
  timeoutMs?: number;
}

/** `RoleSessionName` must be 2–64 of `[\w.@-]`; it shows in ActionTrail, so it names the user. */
function roleSessionName(user: string): string {
  return `upload-${user}`.slice(0, 64);
}

/** `2026-01-02T03:04:05Z`: the Timestamp format STS expects (ISO 8601 UTC, no milliseconds). */
function timestamp(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Calls STS AssumeRole; see {@link AlibabaStsOptions}. */
export class AlibabaStsIssuer implements CredentialIssuer {
  readonly mode = 'alibaba';
  private readonly endpoint: string;
  private readonly timeoutMs: number;

  constructor(private readonly options: AlibabaStsOptions) {
    this.endpoint = (options.endpoint ?? DEFAULT_STS_ENDPOINT).replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? 10_000;
  }

  async issue({ user, policy, ttlSeconds }: CredentialRequest, signal?: AbortSignal): Promise<StsCredentials> {
    const params = {
      Action: 'AssumeRole',
      Version: '2015-04-01',
      Format: 'JSON',
      AccessKeyId: this.options.accessKeyId,
      SignatureMethod: 'HMAC-SHA1',
      SignatureVersion: '1.0',
      SignatureNonce: randomUUID(),
      Timestamp: timestamp(),
      RoleArn: this.options.roleArn,
      RoleSessionName: roleSessionName(user),
      DurationSeconds: String(ttlSeconds),
      Policy: JSON.stringify(policy),
    };
    const url = `${this.endpoint}/?${signedRpcQuery(params, this.options.accessKeySecret)}`;
    const timeout = AbortSignal.timeout(this.timeoutMs);
    let status: number;
    let text: string;
    try {
      const res = await fetch(url, { signal: signal ? AbortSignal.any([signal, timeout]) : timeout });
      status = res.status;
      text = await res.text();
    } catch (err) {
      if (signal?.aborted) throw err;
      if (timeout.aborted) {
        throw new IssuerError(504, 'StsTimeout', `STS did not answer within ${this.timeoutMs} ms`, { cause: err });
      }
      throw new IssuerError(502, 'StsUnreachable', `STS at ${this.endpoint} could not be reached`, { cause: err });
    }
    return credentialsFrom(status, text);
  }
}

/** Reads AssumeRole's answer: `{RequestId, Credentials{…}}` or an error `{RequestId, Code, Message}`. */
function credentialsFrom(status: number, text: string): StsCredentials {
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(text);
  } catch {
    throw new IssuerError(502, 'StsBadResponse', `STS answered HTTP ${status} with something that is not JSON`);
  }
  const requestId = typeof body.RequestId === 'string' ? body.RequestId : undefined;
  if (typeof body.Code === 'string') {
    const detail = typeof body.Message === 'string' ? body.Message : undefined;
    throw new IssuerError(502, body.Code, `STS AssumeRole failed: ${body.Code}`, { requestId, detail });
  }
  const c = body.Credentials as Partial<StsCredentials> | undefined;
  if (status !== 200 || !c || ![c.AccessKeyId, c.AccessKeySecret, c.SecurityToken, c.Expiration].every((v) => typeof v === 'string')) {
    throw new IssuerError(502, 'StsBadResponse', `STS answered HTTP ${status} without credentials`, { requestId });
  }
  const { AccessKeyId, AccessKeySecret, SecurityToken, Expiration } = c as StsCredentials;
  return { AccessKeyId, AccessKeySecret, SecurityToken, Expiration };
}
