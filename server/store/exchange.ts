/**
 * One request and its response: the request id, the dialect it speaks (dialects/), the
 * headers every answer carries (the dialect's request id, CORS), and the ways to answer —
 * an empty body, a result document, or an error, each in the request's dialect.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { DIALECTS, type StoreDialect } from './dialects/index.js';
import { OssError, Errors } from './errors.js';
import { newRequestId } from './request-id.js';
import { xmlDocument, type XmlNode } from './xml.js';

export class Exchange {
  readonly requestId = newRequestId();
  /**
   * Set while a body is being received: called when the connection fails under it (the
   * client half-closed before Content-Length bytes, or reset). See body.ts.
   */
  onConnectionError: ((error: OssError) => void) | undefined;
  /** A connection failure reported before the body was being received. */
  pendingConnectionError: OssError | undefined;
  /** Close the connection once answered (after a body that was not fully read). */
  closeAfterResponse = false;
  /** The dialect the answer speaks; OSS until the router has read the Authorization header. */
  dialect: StoreDialect = DIALECTS.oss;
  /** The API the request names (e.g. `AbortMultipartUpload`), once routed: some dialects' errors depend on it. */
  operation: string | undefined;

  constructor(readonly req: IncomingMessage, readonly res: ServerResponse) {
    this.setHeaders(this.dialect.answerHeaders(this.requestId));
    req.on('error', () => undefined); // a reset request must not crash the process
  }

  /** Answers in `dialect` from now on (its request-id headers replace the default ones). */
  useDialect(dialect: StoreDialect): void {
    if (dialect === this.dialect) return;
    for (const name of Object.keys(this.dialect.answerHeaders(this.requestId))) this.res.removeHeader(name);
    this.dialect = dialect;
    this.setHeaders(dialect.answerHeaders(this.requestId));
  }

  /** The connection failed under this request (see server.ts); fails its body, now or when it is read. */
  connectionFailed(error: OssError): void {
    this.closeAfterResponse = true;
    if (this.onConnectionError) this.onConnectionError(error);
    else this.pendingConnectionError = error;
  }

  /** A request header by lower-case name; repeated headers joined by ','. */
  header(name: string): string | undefined {
    const v = this.req.headers[name];
    return Array.isArray(v) ? v.join(',') : v;
  }

  /** Every request header, names lower-case, as the signer wants them. */
  headers(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [name, value] of Object.entries(this.req.headers)) {
      if (value !== undefined) out[name] = Array.isArray(value) ? value.join(',') : value;
    }
    return out;
  }

  get hostId(): string {
    return this.header('host') ?? 'localhost';
  }

  /** Whether an answer can still be written. */
  get canRespond(): boolean {
    return !this.res.headersSent && !this.res.destroyed && this.res.socket?.writable !== false;
  }

  setHeaders(headers: Readonly<Record<string, string>>): void {
    for (const [name, value] of Object.entries(headers)) this.res.setHeader(name, value);
  }

  send(status: number, headers: Record<string, string> = {}, body?: string): void {
    if (!this.canRespond) return;
    const payload = body === undefined || this.req.method === 'HEAD' ? undefined : Buffer.from(body, 'utf8');
    const all: Record<string, string> = { ...headers };
    if (body !== undefined) all['Content-Length'] ??= String(Buffer.byteLength(body, 'utf8'));
    else if (status !== 204 && status !== 304) all['Content-Length'] ??= '0';
    if (this.closeAfterResponse) {
      all['Connection'] = 'close';
      this.res.once('finish', () => this.req.socket.destroySoon());
    }
    this.res.writeHead(status, all);
    this.res.end(payload);
  }

  sendXml(status: number, xml: string, headers: Record<string, string> = {}): void {
    this.send(status, { 'Content-Type': 'application/xml', ...headers }, xml);
  }

  /** A 200 result document, in the dialect's namespace. */
  sendResult(root: string, children: readonly XmlNode[], headers: Record<string, string> = {}): void {
    this.sendXml(200, xmlDocument(root, children, this.dialect.xmlns), headers);
  }

  /** Answers `error` in the dialect (any non-OssError is logged and answered InternalError). */
  sendError(error: unknown): void {
    let err: OssError;
    if (error instanceof OssError) {
      err = error;
    } else {
      console.error('[oss-store] internal error', error);
      err = Errors.internal();
    }
    if (!this.canRespond) {
      if (!this.res.headersSent) return;
      this.res.destroy(); // the body was under way: cut it, the client must see a failure
      return;
    }
    const answer = this.dialect.errorAnswer(err, {
      requestId: this.requestId, hostId: this.hostId, method: this.req.method ?? 'GET', operation: this.operation,
    });
    const headers = answer.headers;
    if (err.code === 'InvalidRange' && err.extra['ActualObjectSize']) headers['Content-Range'] = `bytes */${err.extra['ActualObjectSize']}`;
    this.sendXml(answer.status, answer.xml, headers);
  }
}
