// The token endpoint answers pages of its own origin only, unless configured otherwise — the
// standalone endpoint, the handler mounted anywhere, and the demo's route on Vite's dev server
// (whose default CORS would otherwise let any localhost origin read the credentials).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalSts } from '../../server/sts/local-sts.js';
import { LocalIssuer, startTokenServer, type TokenEndpointOptions } from '../../server/token/index.js';

const base: TokenEndpointOptions = {
  bucket: 'uploads', region: 'cn-hangzhou', endpoint: 'http://127.0.0.1:9000', issuer: new LocalIssuer(new LocalSts(randomBytes(32))),
};

async function get(url: string, headers: Record<string, string>): Promise<{ status: number; headers: Headers; body: string }> {
  const res = await fetch(url, { headers });
  return { status: res.status, headers: res.headers, body: await res.text() };
}

test('a page of the endpoint\'s own origin gets credentials; a page of any other origin gets 403 and no credentials', { timeout: 10_000 }, async () => {
  const server = await startTokenServer(base);
  try {
    const own = new URL(server.url).origin;
    const ok: Record<string, string>[] = [
      {}, // not a page: curl, a server
      { 'sec-fetch-site': 'same-origin' }, // the page's own fetch (GET carries no Origin)
      { 'sec-fetch-site': 'none' }, // typed into the address bar
      { origin: own, 'sec-fetch-site': 'same-origin' },
    ];
    for (const headers of ok) {
      const r = await get(server.url, headers);
      assert.equal(r.status, 200, JSON.stringify(headers));
      assert.ok(JSON.parse(r.body).SecurityToken);
    }
    const refused: Record<string, string>[] = [
      { origin: 'http://localhost:3000', 'sec-fetch-site': 'cross-site' }, // another local dev server
      { origin: own.replace(/:\d+$/, ':1'), 'sec-fetch-site': 'same-site' }, // same host, another port
      { origin: 'https://evil.example' },
      { origin: 'null' }, // a sandboxed frame, a file: page
      { 'sec-fetch-site': 'cross-site' }, // <script src>, <img src>, no-cors fetch from another site
      { 'sec-fetch-site': 'same-site' },
    ];
    for (const headers of refused) {
      const r = await get(server.url, headers);
      assert.equal(r.status, 403, JSON.stringify(headers));
      assert.equal(JSON.parse(r.body).code, 'OriginNotAllowed');
      assert.doesNotMatch(r.body, /SecurityToken|AccessKeySecret/);
      assert.equal(r.headers.get('access-control-allow-origin'), null);
    }
    // A preflight from elsewhere is refused too.
    const pre = await fetch(server.url, { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' } });
    assert.equal(pre.status, 403);
    assert.equal(pre.headers.get('access-control-allow-origin'), null);
  } finally {
    await server.close();
  }
});

test('an origin listed in allowedOrigins gets credentials and CORS headers; others still do not', { timeout: 10_000 }, async () => {
  const server = await startTokenServer({ ...base, allowedOrigins: ['https://app.example'] });
  try {
    const r = await get(server.url, { origin: 'https://app.example', 'sec-fetch-site': 'cross-site' });
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('access-control-allow-origin'), 'https://app.example');
    assert.equal((await get(server.url, { origin: 'https://app.example.evil', 'sec-fetch-site': 'cross-site' })).status, 403);
    assert.equal((await get(server.url, { 'sec-fetch-site': 'cross-site' })).status, 403, 'no Origin, from another site');
  } finally {
    await server.close();
  }
});

/** GET over HTTPS to the dev server (its certificate is self-signed). */
function httpsGet(url: string, headers: Record<string, string>): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers, rejectUnauthorized: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => { body += c; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('the demo\'s token route on the Vite dev server refuses other local origins (no CORS headers, no credentials)', { timeout: 60_000 }, async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'oss-vite-origin-'));
  const saved = { data: process.env['OSS_UPLOADER_DATA'], port: process.env['STORE_PORT'] };
  process.env['OSS_UPLOADER_DATA'] = dataDir;
  process.env['STORE_PORT'] = '0';
  const { createServer } = await import('vite');
  const server = await createServer({ configFile: join(import.meta.dirname, '../../vite.config.ts'), server: { port: 0, strictPort: false }, logLevel: 'silent', clearScreen: false });
  try {
    await server.listen();
    const address = server.httpServer!.address() as { port: number };
    const url = `https://127.0.0.1:${address.port}/api/sts-token?user=alice`;
    const own = await httpsGet(url, { 'sec-fetch-site': 'same-origin' });
    assert.equal(own.status, 200);
    assert.ok(JSON.parse(own.body).SecurityToken);
    for (const origin of ['http://localhost:3000', 'http://127.0.0.1:8080', `https://localhost:${address.port}`]) {
      const other = await httpsGet(url, { origin, 'sec-fetch-site': 'cross-site' });
      assert.equal(other.headers['access-control-allow-origin'], undefined, origin);
      assert.equal(other.status, 403, origin);
      assert.doesNotMatch(other.body, /SecurityToken/);
    }
    // Vite's own files are not shared with other origins either.
    assert.equal((await httpsGet(`https://127.0.0.1:${address.port}/`, { origin: 'http://localhost:3000' })).headers['access-control-allow-origin'], undefined);
  } finally {
    await server.close();
    if (saved.data === undefined) delete process.env['OSS_UPLOADER_DATA']; else process.env['OSS_UPLOADER_DATA'] = saved.data;
    if (saved.port === undefined) delete process.env['STORE_PORT']; else process.env['STORE_PORT'] = saved.port;
    rmSync(dataDir, { recursive: true, force: true });
  }
});
