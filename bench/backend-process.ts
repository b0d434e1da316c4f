/**
 * The bench's servers, in their own process so the driver's sampling never stalls them:
 * the local store, and one loopback origin serving the bench page, its bundles and the
 * token endpoint. Prints one JSON line `{storeUrl, pageOrigin}` when listening.
 *
 *   node --import tsx bench/backend-process.ts <data dir> <www dir>
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { createTokenHandler, startLocalBackend } from '../server/local-backend.js';

const [dataDir, www] = process.argv.slice(2) as [string, string];
const backend = await startLocalBackend({ OSS_UPLOADER_DATA: dataDir }, { storePort: 0 });
const token = createTokenHandler({ ...backend.tokenOptions(), log: () => undefined });
const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm' };

const server = createServer((req, res) => {
  const path = new URL(req.url ?? '/', 'http://x').pathname;
  if (path === '/api/sts-token') return void token(req, res);
  const file = join(www, normalize(path === '/' ? '/index.html' : path));
  if (!file.startsWith(www) || !existsSync(file) || !statSync(file).isFile()) return void res.writeHead(404).end();
  res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
  createReadStream(file).pipe(res);
});
server.listen(0, '127.0.0.1', () => {
  const pageOrigin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  process.stdout.write(JSON.stringify({ storeUrl: backend.storeUrl, pageOrigin }) + '\n');
});

const stop = async () => {
  server.close();
  await backend.close();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.stdin.on('end', () => void stop()); // the driver went away
process.stdin.resume();
