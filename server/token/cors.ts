/**
 * CORS for a token endpoint served from another origin than the page. Only listed origins
 * get an `Access-Control-Allow-Origin`; credentials (the application's session cookie) are
 * allowed, which is why the list must be explicit and never `*`.
 */
import type { IncomingMessage } from 'node:http';

/** Request headers a cross-origin page may send. */
const ALLOWED_HEADERS = 'Authorization, X-Demo-User';

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
