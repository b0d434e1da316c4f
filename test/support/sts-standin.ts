/**
 * A stand-in for Alibaba Cloud STS on loopback, answering AssumeRole as the real service
 * does. It checks the RPC signature with code of its own (not the endpoint's signer), so a
 * signing bug cannot hide by being made twice, and it records every call so tests can see
 * the policy that was sent.
 */
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseRamPolicy, type RamPolicy } from '../../server/sts/ram-policy.js';

export interface StsStandinOptions {
  /** The one RAM user key the stand-in knows. */
  accessKeyId: string;
  accessKeySecret: string;
  /** The one role it lets that user assume. */
  roleArn: string;
  /** The role's maximum session duration, default 3600. */
  maxDurationSeconds?: number;
  /** Accept requests but never answer, to exercise the caller's timeout. */
  hang?: boolean;
}

/** One AssumeRole request that passed every check. */
export interface AssumeRoleCall {
  params: Record<string, string>;
  policy: RamPolicy | undefined;
}

export interface StsStandin {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** Successful calls, oldest first. */
  calls: AssumeRoleCall[];
  /** Request ids of every answer, successful or not, oldest first. */
  requestIds: string[];
  close(): Promise<void>;
}

/** RFC 3986 over UTF-8 bytes, written out byte by byte. */
function encode(text: string): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const ch = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-_.~]/.test(ch) ? ch : '%' + byte.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

/** The signature Alibaba expects for the received (decoded) parameters, `Signature` excluded. */
function expectedSignature(params: Record<string, string>, secret: string): { stringToSign: string; signature: string } {
  const names = Object.keys(params).filter((n) => n !== 'Signature').sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const canonical = names.map((n) => `${encode(n)}=${encode(params[n]!)}`).join('&');
  const stringToSign = `GET&${encode('/')}&${encode(canonical)}`;
  return { stringToSign, signature: createHmac('sha1', `${secret}&`).update(stringToSign, 'utf8').digest('base64') };
}

/** Decodes `a=1&b=2` strictly: `+` is a plus sign (senders must write `%20`), duplicates are an error. */
function parseQuery(raw: string): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (const pair of raw.split('&').filter(Boolean)) {
    const eq = pair.indexOf('=');
    const name = decodeURIComponent(eq < 0 ? pair : pair.slice(0, eq));
    if (name in params) return undefined;
    params[name] = decodeURIComponent(eq < 0 ? '' : pair.slice(eq + 1));
  }
  return params;
}

class StsFault {
  constructor(readonly status: number, readonly code: string, readonly message: string) {}
}

const REQUIRED = [
  'Action', 'Version', 'Format', 'AccessKeyId', 'Signature', 'SignatureMethod', 'SignatureVersion',
  'SignatureNonce', 'Timestamp', 'RoleArn', 'RoleSessionName',
] as const;

export async function startStsStandin(options: StsStandinOptions): Promise<StsStandin> {
  const calls: AssumeRoleCall[] = [];
  const requestIds: string[] = [];
  const nonces = new Set<string>();
  const maxDuration = options.maxDurationSeconds ?? 3600;

  function assumeRole(method: string | undefined, rawQuery: string): object {
    if (method !== 'GET') throw new StsFault(400, 'UnsupportedHTTPMethod', 'Only GET is supported here.');
    let params: Record<string, string> | undefined;
    try {
      params = parseQuery(rawQuery);
    } catch {
      params = undefined;
    }
    if (!params) throw new StsFault(400, 'InvalidParameter', 'The query string is malformed.');
    for (const name of REQUIRED) {
      if (!params[name]) throw new StsFault(400, `Missing${name}`, `${name} is mandatory for this action.`);
    }
    const p = params as Record<(typeof REQUIRED)[number], string> & Record<string, string>;
    if (p.Action !== 'AssumeRole') throw new StsFault(404, 'InvalidAction.NotFound', 'Specified api is not found.');
    if (p.Version !== '2015-04-01') throw new StsFault(400, 'InvalidVersion', 'Specified parameter Version is not valid.');
    if (p.Format !== 'JSON') throw new StsFault(400, 'InvalidParameter.Format', 'This stand-in answers JSON only.');
    if (p.SignatureMethod !== 'HMAC-SHA1' || p.SignatureVersion !== '1.0') {
      throw new StsFault(400, 'InvalidParameter.SignatureMethod', 'Specified signature method or version is not valid.');
    }
    if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(p.Timestamp)) {
      throw new StsFault(400, 'InvalidTimeStamp.Format', 'Specified time stamp or date value is not well formatted.');
    }
    if (Math.abs(Date.parse(p.Timestamp) - Date.now()) > 15 * 60_000) {
      throw new StsFault(400, 'InvalidTimeStamp.Expired', 'Specified time stamp or date value is expired.');
    }
    if (p.AccessKeyId !== options.accessKeyId) {
      throw new StsFault(404, 'InvalidAccessKeyId.NotFound', 'Specified access key is not found.');
    }
    const { stringToSign, signature } = expectedSignature(p, options.accessKeySecret);
    if (p.Signature !== signature) {
      throw new StsFault(400, 'SignatureDoesNotMatch',
        `Specified signature is not matched with our calculation. server string to sign is:${stringToSign}`);
    }
    if (nonces.has(p.SignatureNonce)) throw new StsFault(400, 'SignatureNonceUsed', 'Specified signature nonce was used already.');
    nonces.add(p.SignatureNonce);
    if (p.RoleArn !== options.roleArn) throw new StsFault(404, 'EntityNotExist.Role', 'The specified Role not exists.');
    if (!/^[\w.@-]{2,64}$/.test(p.RoleSessionName)) {
      throw new StsFault(400, 'InvalidParameter.RoleSessionName', 'The parameter RoleSessionName is wrongly formed.');
    }
    const duration = p.DurationSeconds === undefined ? 3600 : Number(p.DurationSeconds);
    if (!Number.isInteger(duration) || duration < 900 || duration > maxDuration) {
      throw new StsFault(400, 'InvalidParameter.DurationSeconds', `DurationSeconds must be 900 to ${maxDuration}.`);
    }
    let policy: RamPolicy | undefined;
    if (p.Policy !== undefined) {
      try {
        policy = parseRamPolicy(JSON.parse(p.Policy));
        if (policy.Version !== '1') throw new Error('Version must be "1"');
      } catch (err) {
        throw new StsFault(400, 'InvalidParameter.PolicyGrammar', `The parameter Policy has not a valid grammar: ${String(err)}`);
      }
    }
    calls.push({ params: p, policy });
    const secret = randomBytes(24).toString('base64url');
    return {
      AssumedRoleUser: {
        Arn: `${options.roleArn}/${p.RoleSessionName}`,
        AssumedRoleId: `3${randomBytes(8).readBigUInt64BE() % 10n ** 17n}:${p.RoleSessionName}`,
      },
      Credentials: {
        AccessKeyId: `STS.${randomBytes(18).toString('base64url')}`,
        AccessKeySecret: secret,
        SecurityToken: `CAIS${randomBytes(96).toString('base64')}`,
        Expiration: new Date(Date.now() + duration * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      },
    };
  }

  function answer(res: ServerResponse, status: number, body: object): void {
    const RequestId = randomUUID().toUpperCase();
    requestIds.push(RequestId);
    res.writeHead(status, { 'Content-Type': 'application/json;charset=utf-8' });
    res.end(JSON.stringify({ RequestId, ...body }));
  }

  const server = createServer((req, res) => {
    if (options.hang) return;
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    if ((q < 0 ? url : url.slice(0, q)) !== '/') return answer(res, 404, { Code: 'InvalidAction.NotFound', Message: 'Not found.' });
    try {
      answer(res, 200, assumeRole(req.method, q < 0 ? '' : url.slice(q + 1)));
    } catch (err) {
      if (!(err instanceof StsFault)) throw err;
      answer(res, err.status, { HostId: 'sts.aliyuncs.com', Code: err.code, Message: err.message });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    requestIds,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
