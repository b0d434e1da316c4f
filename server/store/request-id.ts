/** Request ids as OSS writes them in `x-oss-request-id`: 24 upper-case hex characters. */
import { randomBytes } from 'node:crypto';

export function newRequestId(): string {
  return randomBytes(12).toString('hex').toUpperCase();
}
