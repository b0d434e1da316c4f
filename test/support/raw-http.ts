/**
 * HTTP requests that `fetch` cannot send, as a standard `Response`: a chosen `Host` header
 * (fetch drops it, and `<bucket>.localhost` does not resolve in Node), and a raw request
 * target (fetch resolves `..` segments before sending).
 */
import { request } from 'node:http';
import { connect } from 'node:net';

export interface RawRequest {
  method: string;
  /** The server to connect to, e.g. the store's URL. */
  connectTo: string;
  /** The request target exactly as sent: `/bucket/a/../b?uploads`. */
  path: string;
  headers?: Record<string, string>;
  /** Defaults to the server's host:port. */
  host?: string;
  body?: BodyInit | null;
}

export async function rawFetch(r: RawRequest): Promise<Response> {
  const server = new URL(r.connectTo);
  const body = r.body == null ? undefined : Buffer.from(await new Response(r.body).arrayBuffer());
  const headers: Record<string, string> = { host: r.host ?? server.host, ...r.headers };
  if (body !== undefined) headers['content-length'] = String(body.length);
  return new Promise<Response>((resolve, reject) => {
    const req = request(
      { host: server.hostname, port: server.port, method: r.method, path: r.path, headers, setHost: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const out = new Headers();
          for (const [name, value] of Object.entries(res.headers)) {
            if (value !== undefined) out.set(name, Array.isArray(value) ? value.join(', ') : value);
          }
          const status = res.statusCode ?? 0;
          const nullBody = r.method === 'HEAD' || status === 204 || status === 304;
          resolve(new Response(nullBody ? null : Buffer.concat(chunks), { status, headers: out }));
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * Writes `data` on a fresh TCP connection to `connectTo`, then ends it as told: `half-close`
 * (FIN, still reading), `destroy` (reset), or `keep` (stall). Resolves with everything the
 * server sent until it closed the connection (or `timeoutMs` passed).
 */
export function socketExchange(
  connectTo: string, data: string | Buffer, end: 'half-close' | 'destroy' | 'keep', timeoutMs = 5000,
): Promise<string> {
  const { hostname, port } = new URL(connectTo);
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const socket = connect(Number(port), hostname, () => {
      socket.write(data, () => {
        if (end === 'half-close') socket.end();
        if (end === 'destroy') setTimeout(() => socket.destroy(), 50);
      });
    });
    const timer = setTimeout(() => socket.destroy(), timeoutMs);
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks).toString('utf8'));
    });
  });
}
