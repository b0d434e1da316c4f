/**
 * RAM policies, the JSON documents Alibaba Cloud attaches to roles and passes inline to
 * STS AssumeRole, and their evaluation as OSS performs it: an explicit Deny wins, else an
 * Allow whose Action, Resource and Condition all match, else the request is denied.
 * The local STS embeds the same policy the real token endpoint would send to AssumeRole.
 */

export interface RamStatement {
  Effect: 'Allow' | 'Deny';
  Action: string | string[];
  Resource: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

export interface RamPolicy {
  Version: '1';
  Statement: RamStatement[];
}

export interface AccessRequest {
  /** e.g. `oss:PutObject` */
  action: string;
  /** e.g. `acs:oss:*:*:bucket/key`; see {@link ossResource}. */
  resource: string;
  /** Condition keys, e.g. `oss:Prefix` for ListMultipartUploads. */
  context?: Record<string, string>;
}

/** The resource name of a bucket, or of an object when `key` is given. */
export function ossResource(bucket: string, key?: string): string {
  return key === undefined ? `acs:oss:*:*:${bucket}` : `acs:oss:*:*:${bucket}/${key}`;
}

function list(v: string | string[]): string[] {
  return Array.isArray(v) ? v : [v];
}

/** RAM wildcards: `*` any run of characters, `?` one character; case-sensitive. */
function wildcard(pattern: string, value: string): boolean {
  const re = new RegExp(
    '^' + pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[\\s\\S]*').replace(/\?/g, '[\\s\\S]') + '$',
  );
  return re.test(value);
}

/** Actions match case-insensitively (`oss:putobject` = `oss:PutObject`). */
function actionMatches(pattern: string, action: string): boolean {
  return wildcard(pattern.toLowerCase(), action.toLowerCase());
}

function resourceMatches(pattern: string, resource: string): boolean {
  // The region and account fields of a real ARN are matched as wildcards locally.
  const normalized = pattern.replace(/^acs:oss:[^:]*:[^:]*:/, 'acs:oss:*:*:');
  return wildcard(normalized, resource);
}

function conditionMatches(condition: RamStatement['Condition'], context: Record<string, string>): boolean {
  if (!condition) return true;
  for (const [operator, keys] of Object.entries(condition)) {
    for (const [key, expected] of Object.entries(keys)) {
      const actual = context[key];
      if (actual === undefined) return false;
      const values = list(expected);
      const ok =
        operator === 'StringEquals' ? values.includes(actual)
        : operator === 'StringLike' ? values.some((p) => wildcard(p, actual))
        : false; // an operator we do not know denies, as an unknown condition must
      if (!ok) return false;
    }
  }
  return true;
}

function statementApplies(s: RamStatement, req: AccessRequest): boolean {
  return (
    list(s.Action).some((a) => actionMatches(a, req.action)) &&
    list(s.Resource).some((r) => resourceMatches(r, req.resource)) &&
    conditionMatches(s.Condition, req.context ?? {})
  );
}

/** True when `policy` allows `req`. */
export function isAllowed(policy: RamPolicy, req: AccessRequest): boolean {
  const applicable = policy.Statement.filter((s) => statementApplies(s, req));
  if (applicable.some((s) => s.Effect === 'Deny')) return false;
  return applicable.some((s) => s.Effect === 'Allow');
}

/** Checks the shape of a policy document; throws on anything malformed. */
export function parseRamPolicy(json: unknown): RamPolicy {
  const p = json as RamPolicy;
  if (!p || typeof p !== 'object' || !Array.isArray(p.Statement)) throw new Error('policy has no Statement list');
  for (const s of p.Statement) {
    if (s.Effect !== 'Allow' && s.Effect !== 'Deny') throw new Error('statement Effect must be Allow or Deny');
    if (!s.Action || !s.Resource) throw new Error('statement needs Action and Resource');
  }
  return p;
}
