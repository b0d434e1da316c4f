/**
 * The local stand-in for Alibaba STS: it mints temporary credentials that the local store
 * accepts, and the store verifies them without shared state.
 *
 * A security token is `base64url(claims) "." base64url(HMAC-SHA256(master, claims))`; the
 * claims name the AccessKeyId, the expiry, the RAM policy and the user it was minted for.
 * One token format serves every dialect: the store reads it from `x-oss-security-token`,
 * `x-obs-security-token` or `x-amz-security-token`. The AccessKeySecret is derived
 * from the AccessKeyId with the master key, so the store can recompute it. The master key
 * is kept in the data directory, so tokens survive a restart and the token endpoint and
 * the store may run in different processes.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseRamPolicy, type RamPolicy } from './ram-policy.js';

/** The shape Alibaba STS AssumeRole returns under `Credentials`. */
export interface StsCredentials {
  AccessKeyId: string;
  AccessKeySecret: string;
  SecurityToken: string;
  /** ISO-8601 UTC, e.g. `2026-11-21T10:00:00Z`. */
  Expiration: string;
}

export interface TokenClaims {
  ak: string;
  /** Expiry, milliseconds since the epoch. */
  exp: number;
  policy: RamPolicy;
  /**
   * Whom the token was minted for (the token endpoint's user id), when known. The store
   * records it as the initiator of the uploads the token starts (OBS lets only the initiator
   * or the bucket owner abort them); every token of one user shares it.
   */
  sub?: string;
}

export type VerifyResult =
  | { ok: true; secret: string; claims: TokenClaims }
  | { ok: false; code: 'InvalidAccessKeyId' | 'SecurityTokenExpired'; message: string };

const b64url = (buf: Buffer | string) => Buffer.from(buf).toString('base64url');

export class LocalSts {
  constructor(private readonly masterKey: Buffer) {}

  /** Loads the master key from `dataDir`, creating it on first use. */
  static fromDataDir(dataDir: string): LocalSts {
    mkdirSync(dataDir, { recursive: true });
    const file = join(dataDir, 'sts-master.key');
    if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600, flag: 'wx' });
    return new LocalSts(Buffer.from(readFileSync(file, 'utf8').trim(), 'hex'));
  }

  private mac(data: string): Buffer {
    return createHmac('sha256', this.masterKey).update(data).digest();
  }

  private secretFor(ak: string): string {
    return this.mac('secret:' + ak).toString('base64url').slice(0, 30);
  }

  /** Mints credentials valid for `ttlSeconds`, limited by `policy`, for `subject` (a user id) when given. */
  mint(policy: RamPolicy, ttlSeconds: number, now = Date.now(), subject?: string): StsCredentials {
    const ak = 'STS.' + randomBytes(15).toString('base64url').replace(/[-_]/g, 'x');
    const exp = Math.floor(now / 1000) * 1000 + ttlSeconds * 1000;
    const body: TokenClaims = subject === undefined ? { ak, exp, policy } : { ak, exp, policy, sub: subject };
    const claims = b64url(JSON.stringify(body));
    return {
      AccessKeyId: ak,
      AccessKeySecret: this.secretFor(ak),
      SecurityToken: `${claims}.${b64url(this.mac(claims))}`,
      Expiration: new Date(exp).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    };
  }

  /** Checks a token presented with `accessKeyId`; yields the secret to verify the signature. */
  verify(accessKeyId: string, securityToken: string, now = Date.now()): VerifyResult {
    const invalid = { ok: false, code: 'InvalidAccessKeyId', message: 'The OSS Access Key Id you provided does not exist in our records.' } as const;
    const [claims, mac, extra] = securityToken.split('.');
    if (!claims || !mac || extra !== undefined) return invalid;
    const expected = this.mac(claims);
    const given = Buffer.from(mac, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return invalid;
    let parsed: TokenClaims;
    try {
      parsed = JSON.parse(Buffer.from(claims, 'base64url').toString('utf8'));
      parsed.policy = parseRamPolicy(parsed.policy);
    } catch {
      return invalid;
    }
    if (parsed.ak !== accessKeyId || (parsed.sub !== undefined && typeof parsed.sub !== 'string')) return invalid;
    if (now >= parsed.exp) {
      return { ok: false, code: 'SecurityTokenExpired', message: 'The security token you provided has expired.' };
    }
    return { ok: true, secret: this.secretFor(accessKeyId), claims: parsed };
  }
}
