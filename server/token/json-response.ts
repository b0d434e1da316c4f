/** The endpoint's answers: JSON that no cache keeps, as it holds credentials. */
import type { ServerResponse } from 'node:http';

/** The body of every error answer. */
export interface TokenErrorBody {
  /** Stable, e.g. `InvalidUser`, `AdminNotAllowed`, or an STS code such as `SignatureDoesNotMatch`. */
  code: string;
  message: string;
  /** STS's request id, when STS answered. */
  requestId?: string;
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { ...headers, 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(JSON.stringify(body));
}

export function sendError(res: ServerResponse, status: number, error: TokenErrorBody, headers: Record<string, string> = {}): void {
  sendJson(res, status, error, headers);
}
