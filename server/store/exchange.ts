/**
 * One request and its response: the request id, the headers every answer carries
 * (`x-oss-request-id`, CORS), and the ways to answer — an empty or XML body, or an OSS
 * error (as XML, or base64 in `x-oss-err` when the answer has no body).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { OssError, Errors, errorXml } from './errors.js';
import { newRequestId } from './request-id.js';

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

  constructor(readonly req: IncomingMessage, readonly res: ServerResponse) {
    res.setHeader('x-oss-request-id', this.requestId);
    res.setHeader('Server', 'AliyunOSS');
    req.on('error', () => undefined); // a reset request must not crash the process
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

  /** Answers `error` (any non-OssError is logged and answered InternalError). */
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
    const xml = errorXml(err, this.requestId, this.hostId);
    const headers: Record<string, string> = { 'x-oss-ec': err.ec };
    if (this.req.method === 'HEAD') headers['x-oss-err'] = Buffer.from(xml, 'utf8').toString('base64');
    if (err.code === 'InvalidRange' && err.extra['ActualObjectSize']) headers['Content-Range'] = `bytes */${err.extra['ActualObjectSize']}`;
    this.sendXml(err.status, xml, headers);
  }
}
