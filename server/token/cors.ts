/**
 * Who may fetch credentials, and CORS for a token endpoint served from another origin than
 * the page. The endpoint answers its own origin; other origins only when listed. Only listed
 * origins get an `Access-Control-Allow-Origin`; credentials (the application's session
 * cookie) are allowed, which is why the list must be explicit and never `*`.
 */
import type { IncomingMessage } from 'node:http';

/** Request headers a cross-origin page may send. */
const ALLOWED_HEADERS = 'Authorization, X-Demo-User';

/**
 * Whether `req` may be answered at all: it comes from the endpoint's own origin (an `Origin`
 * whose host is the request's `Host`, or no `Origin` and a `Sec-Fetch-Site` of `same-origin`
 * or `none`), from a listed origin, or not from a browser page (neither header: curl, a
 * server). A page on another origin — another port of localhost included — is refused before
 * anything is minted, whether it asks with CORS or without (`<script src>`, `<img src>`,
 * `no-cors` fetches carry no `Origin` but a `Sec-Fetch-Site` of `cross-site` or `same-site`).
 */
export function fromAllowedOrigin(req: IncomingMessage, allowedOrigins: readonly string[] = []): boolean {
  const origin = req.headers.origin;
  const site = req.headers['sec-fetch-site'];
  if (origin !== undefined) {
    if (allowedOrigins.includes(origin)) return true;
    let host: string;
    try {
      host = new URL(origin).host;
    } catch {
      return false; // "null" (sandboxed frames, file:) and anything unparsable
    }
    return host !== '' && host === req.headers.host;
  }
  return site === undefined || site === 'same-origin' || site === 'none';
}

/** The CORS headers of any answer to `req`: none when its origin is not allowed. */
export function corsHeaders(req: IncomingMessage, allowedOrigins: readonly string[] = []): Record<string, string> {
  if (allowedOrigins.length === 0) return {};
  const origin = req.headers.origin;
  if (origin === undefined || !allowedOrigins.includes(origin)) return { Vary: 'Origin' };
  return { Vary: 'Origin', 'Access-Control-Allow-Origin': origin, 'Access-Control-Allow-Credentials': 'true' };
}

/** The extra headers of a preflight (`OPTIONS`) answer for an allowed origin. */
export function preflightHeaders(cors: Record<string, string>): Record<string, string> {
  if (!cors['Access-Control-Allow-Origin']) return cors;
  return {
    ...cors,
    'Access-Control-Allow-Methods': 'GET, OPTIONS',
    'Access-Control-Allow-Headers': ALLOWED_HEADERS,
    'Access-Control-Max-Age': '600',
  };
}
