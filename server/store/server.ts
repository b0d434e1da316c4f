/**
 * The HTTP server: one {@link Exchange} per request, connection failures routed to the
 * request whose body they cut short, and a close that waits for handlers to finish their
 * clean-up (so no temp file outlives the server).
 */
import { createServer, type Server } from 'node:http';
import type { Socket } from 'node:net';
import type { StoreContext } from './context.js';
import { Errors } from './errors.js';
import { Exchange } from './exchange.js';
import { newRequestId } from './request-id.js';
import { handleRequest } from './router.js';

export interface StoreServer {
  server: Server;
  close(): Promise<void>;
}

export function createStoreServer(ctx: StoreContext): StoreServer {
  const active = new WeakMap<Socket, Exchange>();
  const served = new WeakSet<Socket>();
  const inflight = new Set<Promise<void>>();

  // Bodies may take long (a 5 GiB part): the store's own body timeout replaces Node's
  // whole-request timeout.
  const server = createServer({ requestTimeout: 0 }, (req, res) => {
    const ex = new Exchange(req, res);
    const socket = req.socket;
    active.set(socket, ex);
    served.add(socket);
    res.once('close', () => {
      if (active.get(socket) === ex) active.delete(socket);
    });
    const handled = ctx.faults ? ctx.faults.run(ctx, ex, () => handleRequest(ctx, ex)) : handleRequest(ctx, ex);
    const done: Promise<void> = handled
      .catch((e: unknown) => ex.sendError(e))
      .finally(() => inflight.delete(done));
    inflight.add(done);
  });

  // Node reports a request whose connection ended early here, not on the request: a client
  // that half-closes after fewer bytes than its Content-Length is a parse error
  // (HPE_INVALID_EOF_STATE) on a socket that can still carry the answer.
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => {
    const ex = active.get(socket);
    if (ex && !ex.res.headersSent) {
      ex.connectionFailed(err.code === 'HPE_INVALID_EOF_STATE'
        ? Errors.incompleteBody()
        : Errors.invalidArgument(`The request could not be read (${err.code ?? err.message}).`));
      return;
    }
    if (!served.has(socket) && socket.writable) {
      // An unparseable first request: answer it, with a request id as every answer has.
      socket.end(`HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\nx-oss-request-id: ${newRequestId()}\r\n\r\n`);
      setTimeout(() => socket.destroy(), 1000).unref();
      return;
    }
    socket.destroy();
  });

  return {
    server,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await Promise.allSettled([...inflight]);
    },
  };
}
