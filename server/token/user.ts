/** Who is asking for a token. A real application answers this from its own session. */
import type { IncomingMessage } from 'node:http';

/** User ids the endpoint accepts: they become a key prefix and part of an STS session name. */
export const USER_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * The demo's way to know the user: the `user` query parameter, else the `x-demo-user`
 * header, else `demo`. Anyone can claim to be anyone this way, so a real application
 * passes its own `resolveUser` that reads its session.
 */
export function demoUser(req: IncomingMessage): string {
  const header = req.headers['x-demo-user'];
  return (
    new URL(req.url ?? '/', 'http://localhost').searchParams.get('user') ??
    (Array.isArray(header) ? header.join(',') : header) ??
    'demo'
  );
}
