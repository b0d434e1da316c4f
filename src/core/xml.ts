/**
 * Reading the stores' XML answers, and writing the one XML request body (Complete).
 *
 * Written by hand, deliberately: `DOMParser` is not available in workers, where the engine
 * must also run, and the answers are small, flat, well-formed documents without namespaces
 * that matter. This reads elements and text (with entities and CDATA) and ignores
 * attributes, processing instructions and comments.
 */
import { ClientErrorCode, UploadError } from './errors.js';

export interface XmlElement {
  name: string;
  text: string;
  children: XmlElement[];
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decode(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|[a-z]+);/g, (m, e: string) => {
    if (e[0] === '#') {
      const cp = e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return Number.isFinite(cp) && cp <= 0x10ffff ? String.fromCodePoint(cp) : m;
    }
    return ENTITIES[e] ?? m;
  });
}

export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&${({ '<': 'lt', '>': 'gt', '&': 'amp', '"': 'quot', "'": 'apos' } as const)[c as '<']};`);
}

function malformed(why: string): UploadError {
  return new UploadError(ClientErrorCode.MalformedResponse, `The store answered malformed XML: ${why}.`);
}

/** Parses a document and returns its root element. */
export function parseXml(source: string): XmlElement {
  const root: XmlElement = { name: '#document', text: '', children: [] };
  const stack: XmlElement[] = [root];
  const tag = /<(\/?)([A-Za-z_][\w.:-]*)((?:\s+[^\s=>/]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>|<!\[CDATA\[([\s\S]*?)\]\]>|<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<!DOCTYPE[^>]*>/g;
  let last = 0;
  for (let m = tag.exec(source); m; m = tag.exec(source)) {
    const top = stack[stack.length - 1]!;
    const between = source.slice(last, m.index);
    if (between.includes('<')) throw malformed('a stray "<"');
    top.text += decode(between);
    last = tag.lastIndex;
    if (m[5] !== undefined) {
      top.text += m[5];
    } else if (m[2] !== undefined) {
      if (m[1]) {
        if (top.name !== m[2] || stack.length === 1) throw malformed(`unexpected </${m[2]}>`);
        stack.pop();
      } else {
        const el: XmlElement = { name: m[2], text: '', children: [] };
        top.children.push(el);
        if (!m[4]) stack.push(el);
      }
    }
  }
  if (source.slice(last).includes('<')) throw malformed('a stray "<"');
  if (stack.length !== 1) throw malformed(`<${stack[stack.length - 1]!.name}> is not closed`);
  const [first] = root.children;
  if (!first || root.children.length !== 1) throw malformed('no single root element');
  return first;
}

/** The first child named `name`, if any. */
export function child(el: XmlElement, name: string): XmlElement | undefined {
  return el.children.find((c) => c.name === name);
}

/** The text of the first child named `name`, trimmed; undefined if there is no such child. */
export function childText(el: XmlElement, name: string): string | undefined {
  return child(el, name)?.text.trim();
}

/**
 * The text of the first child named `name`, exactly as sent. For keys and markers: a key may
 * begin or end with spaces, and trimming it would name another object.
 */
export function childRawText(el: XmlElement, name: string): string | undefined {
  return child(el, name)?.text;
}

/** Every child named `name`. */
export function childrenNamed(el: XmlElement, name: string): XmlElement[] {
  return el.children.filter((c) => c.name === name);
}

/** The leaf children as a flat record (the shape of an `<Error>` body). */
export function leaves(el: XmlElement): Record<string, string> {
  const out: Record<string, string> = {};
  for (const c of el.children) if (c.children.length === 0) out[c.name] = c.text.trim();
  return out;
}
