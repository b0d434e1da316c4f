/**
 * Alibaba Cloud OSS: V4 signatures by default (`OSS4-HMAC-SHA256`), V1 as an option.
 */
import type { Credentials } from '../../credentials.js';
import type { DialectRequest, StorageDialect } from '../../dialect.js';
import { OSS_MIN_PART_SIZE } from '../../limits.js';
import { v1Authorization, v1Date } from './signer-v1.js';
import { UNSIGNED_PAYLOAD, v4Authorization, v4Date } from './signer-v4.js';
import type { SignableRequest } from '../../signing/request.js';

export interface OssDialectOptions {
  /** `v4` (default) or `v1`. */
  signatureVersion?: 'v4' | 'v1';
}

export class OssDialect implements StorageDialect {
  readonly id = 'oss';
  readonly minPartSize = OSS_MIN_PART_SIZE;
  readonly requestIdHeader = 'x-oss-request-id';
  readonly crc64Header = 'x-oss-hash-crc64ecma';
  readonly exposeHeaders = ['ETag', 'x-oss-request-id', 'x-oss-hash-crc64ecma'] as const;
  readonly forbidOverwriteHeader = 'x-oss-forbid-overwrite';
  readonly signatureVersion: 'v4' | 'v1';

  constructor(opts: OssDialectOptions = {}) {
    this.signatureVersion = opts.signatureVersion ?? 'v4';
  }

  async sign(req: DialectRequest, credentials: Credentials, now: Date): Promise<Record<string, string>> {
    const headers: Record<string, string> = { ...req.headers };
    if (credentials.securityToken) headers['x-oss-security-token'] = credentials.securityToken;
    const v4 = this.signatureVersion === 'v4';
    if (v4) {
      headers['x-oss-date'] = v4Date(now);
      headers['x-oss-content-sha256'] = UNSIGNED_PAYLOAD;
    } else {
      headers['x-oss-date'] = v1Date(now);
    }
    const signable: SignableRequest = {
      method: req.method, bucket: req.target.bucket, key: req.key, query: req.query, headers,
    };
    headers['Authorization'] = v4
      ? await v4Authorization(signable, credentials, { region: req.target.region })
      : await v1Authorization(signable, credentials);
    return headers;
  }

  errorFromHeaders(headers: Headers): string | undefined {
    const encoded = headers.get('x-oss-err');
    if (!encoded) return undefined;
    try {
      return new TextDecoder().decode(Uint8Array.from(atob(encoded), (c) => c.charCodeAt(0)));
    } catch {
      return undefined;
    }
  }
}
