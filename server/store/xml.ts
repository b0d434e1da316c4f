/**
 * XML in and out of the store.
 *
 * Out: {@link xmlDocument} renders a small tree of `[name, value]` pairs, the shape of every
 * OSS answer (elements and text, no attributes).
 *
 * In: request bodies (CompleteMultipartUpload, PutBucketCors) are parsed with
 * `fast-xml-parser` (a devDependency; the store is dev/test tooling only). A hand-written
 * parser would be shorter, but this one is what the untrusted side of a server should use:
 * a validator that rejects every malformed document (so `MalformedXML` is decided by a
 * maintained implementation, not by our regexes), entity decoding (`&quot;` in ETags), and
 * tolerance of what real SDKs send (XML declaration, `xmlns` attributes, whitespace).
 * Documents with a DOCTYPE are refused outright: no entity expansion from request bodies.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { Errors } from './errors.js';

export type XmlValue = string | number | boolean | undefined | XmlNode[];
export type XmlNode = readonly [name: string, value: XmlValue];

/** Escapes element text. Quotes stay literal, as OSS writes ETags: `<ETag>"…"</ETag>`. */
export function escapeXml(text: string): string {
  return text.replace(/[<>&]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;' })[c]!);
}

function render(nodes: readonly XmlNode[]): string {
  let out = '';
  for (const [name, value] of nodes) {
    if (value === undefined) continue;
    const inner = Array.isArray(value) ? render(value) : escapeXml(String(value));
    out += `<${name}>${inner}</${name}>`;
  }
  return out;
}

/**
 * `<?xml …?>` and the root element `root` holding `children`; `undefined` values are left out.
 * `xmlns`, when given, is the root's namespace (OBS and S3 result documents carry one).
 */
export function xmlDocument(root: string, children: readonly XmlNode[], xmlns?: string): string {
  const open = xmlns ? `${root} xmlns="${xmlns}"` : root;
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${open}>${render(children)}</${root}>`;
}

/** A parsed element: text for leaves, an object of children otherwise. */
export type ParsedXml = string | { [name: string]: ParsedXml | ParsedXml[] };

/**
 * Parses a request body. Elements whose path (e.g. `CompleteMultipartUpload.Part`) is in
 * `repeated` are always arrays. Throws `MalformedXML` for anything that is not one
 * well-formed document with the root element `root`.
 */
export function parseXmlBody(text: string, root: string, repeated: readonly string[]): { [name: string]: ParsedXml | ParsedXml[] } {
  if (/<!DOCTYPE/i.test(text)) throw Errors.malformedXml('DOCTYPE is not allowed');
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw Errors.malformedXml(`${valid.err.msg} (line ${valid.err.line})`);
  const parser = new XMLParser({
    ignoreAttributes: true,
    ignoreDeclaration: true,
    ignorePiTags: true,
    removeNSPrefix: true,
    parseTagValue: false,
    trimValues: true,
    processEntities: true,
    isArray: (_name, jpath) => repeated.includes(String(jpath)),
  });
  const doc = parser.parse(text) as Record<string, unknown>;
  const names = Object.keys(doc);
  if (names.length !== 1 || names[0] !== root) throw Errors.malformedXml(`the root element must be <${root}>`);
  const body = doc[root];
  if (body === '' ) return {};
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw Errors.malformedXml(`<${root}> has no elements`);
  return body as { [name: string]: ParsedXml | ParsedXml[] };
}

/** The text of a leaf child, or undefined when absent; MalformedXML when it is not a leaf. */
export function leafText(el: ParsedXml | undefined, name: string): string | undefined {
  if (el === undefined || typeof el === 'string') return undefined;
  const value = el[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw Errors.malformedXml(`<${name}> must hold text`);
  return value;
}

/** The texts of a repeated leaf child (`<AllowedOrigin>` × n). */
export function leafTexts(el: ParsedXml, name: string): string[] {
  if (typeof el === 'string') return [];
  const value = el[name];
  if (value === undefined) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.map((v) => {
    if (typeof v !== 'string') throw Errors.malformedXml(`<${name}> must hold text`);
    return v;
  });
}
