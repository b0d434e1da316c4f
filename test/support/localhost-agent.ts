/**
 * An HTTP agent that resolves every `*.localhost` name to 127.0.0.1, as browsers do (RFC
 * 6761) and Node's resolver here does not: for vendor SDKs that address buckets by host name
 * (`<bucket>.localhost:<port>`) or go to a custom domain (`files.localhost`).
 */
import { Agent } from 'node:http';
import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

function lookup(hostname: string, options: LookupOptions, callback: LookupCallback): void {
  if (hostname === 'localhost' || hostname.endsWith('.localhost')) {
    if (options.all) callback(null, [{ address: '127.0.0.1', family: 4 }]);
    else callback(null, '127.0.0.1', 4);
    return;
  }
  dnsLookup(hostname, options, callback as never);
}

/** A keep-alive agent that resolves `*.localhost` to 127.0.0.1 (close it with `destroy()`). */
export function localhostAgent(): Agent {
  return new Agent({ keepAlive: true, lookup: lookup as never });
}
