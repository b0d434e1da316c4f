/**
 * The `<Error>` document of the S3-family dialects (OBS, S3): Code, Message, RequestId,
 * HostId and the error's extra fields, with OSS's field names renamed to the dialect's and
 * OSS-only fields (`EC`, `RecommendDoc`) left out. No namespace, as both vendors write it.
 */
import type { OssError } from '../errors.js';
import { xmlDocument, type XmlNode } from '../xml.js';

export interface ErrorNaming {
  /** The dialect's code and status for an OSS code it spells differently. */
  codes: Readonly<Record<string, { code: string; status: number }>>;
  /** The dialect's names for OSS's extra fields; `null` drops the field. */
  fields: Readonly<Record<string, string | null>>;
}

/** `err` renamed per `naming`: code, status, and extra fields. */
export function renamed(err: OssError, naming: ErrorNaming): { code: string; status: number; extra: [string, string][] } {
  const mapped = naming.codes[err.code];
  const extra: [string, string][] = [];
  for (const [name, value] of Object.entries(err.extra)) {
    const to = name in naming.fields ? naming.fields[name] : name;
    if (to !== null && to !== undefined) extra.push([to, value]);
  }
  return { code: mapped?.code ?? err.code, status: mapped?.status ?? err.status, extra };
}

export function s3StyleErrorXml(
  e: { code: string; message: string; extra: readonly [string, string][] }, requestId: string, hostId: string,
): string {
  const nodes: XmlNode[] = [['Code', e.code], ['Message', e.message], ...e.extra, ['RequestId', requestId], ['HostId', hostId]];
  return xmlDocument('Error', nodes);
}
