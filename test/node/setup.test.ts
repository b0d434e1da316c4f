// What `npm start` meets on a fresh clone: no package in the lock refuses this Node
// (npm's EBADENGINE warnings), and a busy store port ends in one line that names STORE_PORT.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { createRequire } from 'node:module';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const require = createRequire(import.meta.url);
const semver = require('semver') as { satisfies(v: string, range: string): boolean };
const repo = resolve(import.meta.dirname, '../..');

test('every locked package accepts this Node (no EBADENGINE on install); engines tells the truth', () => {
  const lock = JSON.parse(readFileSync(join(repo, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { version?: string; engines?: { node?: string } | string[]; optional?: boolean; os?: string[]; cpu?: string[] }>;
  };
  const refused: string[] = [];
  for (const [path, p] of Object.entries(lock.packages)) {
    if (!path || !p.engines || Array.isArray(p.engines) || !p.engines.node) continue;
    // Platform binaries for other systems are never installed here.
    if (p.optional && (p.os || p.cpu)) continue;
    if (!semver.satisfies(process.version, p.engines.node)) refused.push(`${path}@${p.version} wants node ${p.engines.node}`);
  }
  assert.deepEqual(refused, []);
  const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { engines: { node: string } };
  assert.ok(semver.satisfies(process.version, pkg.engines.node));
});

test('a busy store port: `npm start` (vite) ends in one line naming STORE_PORT, no stack trace', { timeout: 60_000 }, async () => {
  const busy = createServer();
  await new Promise<void>((ok) => busy.listen(0, '127.0.0.1', ok));
  const port = (busy.address() as { port: number }).port;
  const data = mkdtempSync(join(tmpdir(), 'oss-uploader-port-'));
  try {
    const child = spawn(process.execPath, [join(repo, 'node_modules/vite/bin/vite.js'), '--port', '0'], {
      cwd: repo, env: { ...process.env, STORE_PORT: String(port), OSS_UPLOADER_DATA: data }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => { stderr += d; });
    child.stdout.resume();
    const code = await new Promise<number | null>((ok) => child.on('exit', ok));
    assert.equal(code, 1);
    const lines = stderr.trim().split('\n');
    assert.equal(lines.length, 1, stderr);
    assert.match(lines[0]!, new RegExp(`port ${port} is in use.*STORE_PORT=`));
    assert.doesNotMatch(stderr, /EADDRINUSE|\n\s+at /);
  } finally {
    busy.close();
    rmSync(data, { recursive: true, force: true });
  }
});
