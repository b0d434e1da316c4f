/**
 * Bucket CORS as OSS evaluates it: the first rule whose AllowedOrigin, AllowedMethod and
 * (for preflights) AllowedHeader patterns all match decides the response headers. Patterns
 * may hold `*` wildcards; origins match case-sensitively, header names case-insensitively.
 *
 * The preflight answer echoes the requested headers in `Access-Control-Allow-Headers`
 * rather than `*`, since browsers never let `*` stand for `Authorization`.
 */
import { Errors } from './errors.js';
import { leafText, leafTexts, parseXmlBody, type ParsedXml, type XmlNode } from './xml.js';

export interface CorsRule {
  AllowedOrigin: string[];
  AllowedMethod: string[];
  AllowedHeader: string[];
  ExposeHeader: string[];
  MaxAgeSeconds?: number;
}

export const CORS_METHODS = ['GET', 'PUT', 'POST', 'DELETE', 'HEAD'] as const;

/**
 * The response headers a browser upload reads, in every dialect (protocol.md §5): ETag,
 * request ids, OSS's CRC and base64 HEAD error, S3's checksums and version id.
 */
export const UPLOAD_EXPOSE_HEADERS = [
  'ETag',
  'x-oss-request-id', 'x-oss-hash-crc64ecma', 'x-oss-err',
  'x-obs-request-id', 'x-obs-id-2',
  'x-amz-request-id', 'x-amz-checksum-crc64nvme', 'x-amz-checksum-algorithm', 'x-amz-checksum-type', 'x-amz-version-id',
];

/** What a bucket set up for browser uploads needs (protocol.md §5). */
export const DEFAULT_CORS_RULES: CorsRule[] = [{
  AllowedOrigin: ['*'],
  AllowedMethod: [...CORS_METHODS],
  AllowedHeader: ['*'],
  ExposeHeader: [...UPLOAD_EXPOSE_HEADERS],
}];

function wildcard(pattern: string, value: string, caseInsensitive: boolean): boolean {
  const p = caseInsensitive ? pattern.toLowerCase() : pattern;
  const v = caseInsensitive ? value.toLowerCase() : value;
  const re = new RegExp('^' + p.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*') + '$');
  return re.test(v);
}

function matches(rule: CorsRule, origin: string, method: string, headers: readonly string[]): boolean {
  return (
    rule.AllowedOrigin.some((p) => wildcard(p, origin, false)) &&
    rule.AllowedMethod.includes(method) &&
    headers.every((h) => rule.AllowedHeader.some((p) => wildcard(p, h, true)))
  );
}

function allowOrigin(rule: CorsRule, origin: string): string {
  return rule.AllowedOrigin.includes('*') ? '*' : origin;
}

/**
 * Headers for an answer to a preflight `OPTIONS`, or undefined when no rule allows it
 * (the caller answers 403 AccessForbidden).
 */
export function preflightHeaders(
  rules: readonly CorsRule[], origin: string | undefined, method: string | undefined, requestHeaders: string | undefined,
): Record<string, string> | undefined {
  if (!origin || !method) return undefined;
  const asked = (requestHeaders ?? '').split(',').map((h) => h.trim().toLowerCase()).filter(Boolean);
  const rule = rules.find((r) => matches(r, origin, method, asked));
  if (!rule) return undefined;
  const headers: Record<string, string> = {
    'Access-Control-Allow-Origin': allowOrigin(rule, origin),
    'Access-Control-Allow-Methods': rule.AllowedMethod.join(', '),
    Vary: 'Origin',
  };
  if (asked.length > 0) headers['Access-Control-Allow-Headers'] = asked.join(', ');
  if (rule.ExposeHeader.length > 0) headers['Access-Control-Expose-Headers'] = rule.ExposeHeader.join(', ');
  if (rule.MaxAgeSeconds !== undefined) headers['Access-Control-Max-Age'] = String(rule.MaxAgeSeconds);
  return headers;
}

/** Headers for an actual (non-preflight) cross-origin request; error answers included. */
export function actualCorsHeaders(rules: readonly CorsRule[], origin: string | undefined, method: string): Record<string, string> {
  if (rules.length === 0) return {};
  if (!origin) return { Vary: 'Origin' };
  const rule = rules.find((r) => matches(r, origin, method, []));
  if (!rule) return { Vary: 'Origin' };
  const headers: Record<string, string> = {
    'Access-Control-Allow-Origin': allowOrigin(rule, origin),
    'Access-Control-Allow-Methods': rule.AllowedMethod.join(', '),
    Vary: 'Origin',
  };
  if (rule.ExposeHeader.length > 0) headers['Access-Control-Expose-Headers'] = rule.ExposeHeader.join(', ');
  if (rule.MaxAgeSeconds !== undefined) headers['Access-Control-Max-Age'] = String(rule.MaxAgeSeconds);
  return headers;
}

/** Checks rules given in code (StoreOptions) or parsed from XML; throws InvalidArgument. */
export function validateCorsRules(rules: readonly CorsRule[]): void {
  if (rules.length > 10) throw Errors.invalidArgument('A bucket holds at most 10 CORS rules.');
  for (const r of rules) {
    if (r.AllowedOrigin.length === 0 || r.AllowedMethod.length === 0) {
      throw Errors.invalidArgument('A CORS rule needs at least one AllowedOrigin and one AllowedMethod.');
    }
    for (const m of r.AllowedMethod) {
      if (!(CORS_METHODS as readonly string[]).includes(m)) throw Errors.invalidArgument(`Unsupported CORS method ${m}.`, 'AllowedMethod', m);
    }
    for (const p of [...r.AllowedOrigin, ...r.AllowedHeader]) {
      if ((p.match(/\*/g) ?? []).length > 1) throw Errors.invalidArgument('A CORS pattern may hold at most one "*".', 'CORSRule', p);
    }
    if (r.MaxAgeSeconds !== undefined && !(Number.isInteger(r.MaxAgeSeconds) && r.MaxAgeSeconds >= 0)) {
      throw Errors.invalidArgument('MaxAgeSeconds must be a non-negative integer.', 'MaxAgeSeconds', String(r.MaxAgeSeconds));
    }
  }
}

/** Parses a PutBucketCors body (`<CORSConfiguration><CORSRule>…`). */
export function parseCorsXml(text: string): CorsRule[] {
  const body = parseXmlBody(text, 'CORSConfiguration', ['CORSConfiguration.CORSRule']);
  const list = (body['CORSRule'] ?? []) as ParsedXml[];
  if (list.length === 0) throw Errors.malformedXml('no <CORSRule>');
  const rules = list.map((el): CorsRule => {
    if (typeof el === 'string') throw Errors.malformedXml('empty <CORSRule>');
    const maxAge = leafText(el, 'MaxAgeSeconds');
    const rule: CorsRule = {
      AllowedOrigin: leafTexts(el, 'AllowedOrigin'),
      AllowedMethod: leafTexts(el, 'AllowedMethod'),
      AllowedHeader: leafTexts(el, 'AllowedHeader'),
      ExposeHeader: leafTexts(el, 'ExposeHeader'),
    };
    if (maxAge !== undefined) {
      if (!/^\d{1,9}$/.test(maxAge)) throw Errors.invalidArgument('MaxAgeSeconds must be a non-negative integer.', 'MaxAgeSeconds', maxAge);
      rule.MaxAgeSeconds = Number(maxAge);
    }
    return rule;
  });
  validateCorsRules(rules);
  return rules;
}

/** The GetBucketCors answer's children. */
export function corsXmlNodes(rules: readonly CorsRule[]): XmlNode[] {
  return rules.map((r): XmlNode => ['CORSRule', [
    ...r.AllowedOrigin.map((v): XmlNode => ['AllowedOrigin', v]),
    ...r.AllowedMethod.map((v): XmlNode => ['AllowedMethod', v]),
    ...r.AllowedHeader.map((v): XmlNode => ['AllowedHeader', v]),
    ...r.ExposeHeader.map((v): XmlNode => ['ExposeHeader', v]),
    ['MaxAgeSeconds', r.MaxAgeSeconds],
  ]]);
}
