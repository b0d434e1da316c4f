/**
 * Which store, bucket and issuer a token is for, by dialect: the one place where a token
 * request's `?dialect=` picks its issuer.
 *
 * An endpoint has a main target (TokenEndpointOptions' `endpoint`, `bucket`, `region`,
 * `issuer`), answered when no dialect is asked for; its dialect is `options.dialect`, else
 * `s3` for an S3 STS issuer, else `oss`. `options.dialects` adds targets for other dialects:
 * the local backend serves all three from its one local store (env.ts {@link localTargets}).
 */
import type { CredentialIssuer } from './issuer.js';

export const DIALECTS = ['oss', 'obs', 's3'] as const;
export type DialectName = (typeof DIALECTS)[number];

export interface DialectTarget {
  /** The store's URL as the browser reaches it. */
  endpoint: string;
  bucket: string;
  /** For S3 the region its SigV4 scope must name (the local store's own region). */
  region: string;
  issuer: CredentialIssuer;
}

export function isDialect(value: string): value is DialectName {
  return (DIALECTS as readonly string[]).includes(value);
}

/** The targets of an endpoint configured with `options`, and the dialect answered by default. */
export function targetsOf(options: DialectTarget & {
  dialect?: DialectName;
  dialects?: Partial<Record<DialectName, DialectTarget>>;
}): { main: DialectName; targets: Map<DialectName, DialectTarget> } {
  const main = options.dialect ?? (options.issuer.mode === 's3' ? 's3' : 'oss');
  const targets = new Map<DialectName, DialectTarget>();
  for (const [name, target] of Object.entries(options.dialects ?? {})) {
    if (target && isDialect(name)) targets.set(name, target);
  }
  const { endpoint, bucket, region, issuer } = options;
  targets.set(main, { endpoint, bucket, region, issuer });
  return { main, targets };
}

/** The local store speaks every dialect: the same store, bucket, region and issuer for each. */
export function localTargets(target: DialectTarget): Record<DialectName, DialectTarget> {
  return { oss: target, obs: target, s3: target };
}
