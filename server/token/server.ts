/** A standalone token server on loopback, for the demo and tests. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTokenHandler, type TokenEndpointOptions } from './handler.js';
import { sendError } from './json-response.js';

/** Where the standalone server answers (it also answers at `/`). */
export const TOKEN_PATH = '/api/sts-token';

export interface TokenServer {
  /** The endpoint's URL, e.g. `http://127.0.0.1:5174/api/sts-token`. */
  url: string;
  /** Stops listening and drops open connections. */
  close(): Promise<void>;
}

/** Serves {@link createTokenHandler} at {@link TOKEN_PATH} and `/` on 127.0.0.1 (`port` 0 or absent: any free port). */
export async function startTokenServer(options: TokenEndpointOptions & { port?: number }): Promise<TokenServer> {
  const handler = createTokenHandler(options);
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path === TOKEN_PATH || path === '/') void handler(req, res);
    else sendError(res, 404, { code: 'NotFound', message: `The token endpoint is ${TOKEN_PATH}.` });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${TOKEN_PATH}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
