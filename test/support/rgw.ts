/**
 * A real S3 engine for tests: Ceph RGW from scripts/rgw/start.sh (installs Ceph when missing
 * and root, starts a throwaway cluster on 127.0.0.1:RGW_PORT, default 9180, or finds it
 * already running), and a token endpoint in S3 mode in front of it (real STS AssumeRole).
 *
 *   const rgw = await useRgw();          // in a test file's before()
 *   if ('skip' in rgw) …                 // Ceph cannot be had here: t.skip(rgw.skip)
 *   …
 *   await rgw.release();                 // stops RGW if this call started it (RGW_KEEP=1 keeps it)
 *
 * Under `npm test`, test/support/rgw-session.ts starts RGW once for the node and the browser
 * tests (so here it is found running, and left running) and stops it at the end.
 *
 * Skipping is allowed only off CI: with RGW_REQUIRED=1 or CI set (.ci/run sets both) a
 * missing Ceph is a failure. RGW_SKIP=1 skips on purpose (never under RGW_REQUIRED).
 */
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { createTokenHandler, type TokenHandler } from '../../server/token/index.js';
import { s3TokenOptionsFromEnv } from '../../server/token/s3-sts-issuer.js';

const SCRIPTS = fileURLToPath(new URL('../../scripts/rgw/', import.meta.url));

export interface RgwEnv {
  S3_ENDPOINT: string;
  AWS_ACCESS_KEY_ID: string;
  AWS_SECRET_ACCESS_KEY: string;
  AWS_REGION: string;
  RGW_ROLE_ARN: string;
  RGW_BUCKET: string;
  RGW_DATA: string;
}

export interface Rgw {
  env: RgwEnv;
  /** The S3-mode token endpoint, `http://127.0.0.1:<port>/api/sts-token?user=…`. */
  tokenUrl: string;
  /** The same endpoint's request listener, to mount elsewhere (the browser tests' page origin). */
  tokenHandler: TokenHandler;
  /** Whether this process started the cluster (and so will stop it on release). */
  started: boolean;
  release(): Promise<void>;
}

function run(script: string, args: string[] = []): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [SCRIPTS + script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => {
      stderr += d;
      if (process.env.RGW_VERBOSE) process.stderr.write(d);
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

function parseExports(stdout: string): RgwEnv {
  const env: Record<string, string> = {};
  for (const m of stdout.matchAll(/^export ([A-Z0-9_]+)=(.*)$/gm)) env[m[1]!] = m[2]!;
  for (const name of ['S3_ENDPOINT', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_REGION', 'RGW_ROLE_ARN', 'RGW_BUCKET']) {
    if (!env[name]) throw new Error(`scripts/rgw/start.sh printed no ${name}:\n${stdout}`);
  }
  return env as unknown as RgwEnv;
}

function required(): boolean {
  return Boolean(process.env.RGW_REQUIRED || process.env.CI);
}

function loud(message: string): string {
  const line = '!'.repeat(78);
  process.stderr.write(`\n${line}\n!! SKIPPING the Ceph RGW tests: ${message}\n${line}\n\n`);
  return message;
}

/**
 * Starts RGW (or finds it running, e.g. started by test/support/rgw-session.ts for the whole
 * `npm test`): its environment, and whether this call started it; `{skip}` when Ceph cannot
 * be had here.
 */
export async function startRgw(): Promise<{ env: RgwEnv; started: boolean } | { skip: string }> {
  if (process.env.RGW_SKIP && !required()) return { skip: loud('RGW_SKIP is set') };
  const t0 = performance.now();
  const result = await run('start.sh');
  if (result.code !== 0) {
    const cannotInstall = /needs root|no apt-get|apt-get install failed/.test(result.stderr);
    if (cannotInstall && !required()) return { skip: loud(result.stderr.trim().split('\n').at(-1) ?? 'no Ceph') };
    throw new Error(`scripts/rgw/start.sh failed (exit ${result.code}):\n${result.stderr}`);
  }
  const env = parseExports(result.stdout);
  const started = !result.stderr.includes('already running');
  if (started) process.stderr.write(`[rgw] started in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
  return { env, started };
}

/** Stops RGW and wipes its data (scripts/rgw/stop.sh --wipe). */
export async function stopRgw(): Promise<void> {
  const stop = await run('stop.sh', ['--wipe']);
  if (stop.code !== 0) throw new Error(`scripts/rgw/stop.sh failed:\n${stop.stderr}`);
}

/** Starts (or finds) RGW and an S3-mode token endpoint; `{skip}` when Ceph cannot be had here. */
export async function useRgw(): Promise<Rgw | { skip: string }> {
  const rgw = await startRgw();
  if ('skip' in rgw) return rgw;
  const { env, started } = rgw;

  const options = s3TokenOptionsFromEnv({ ...env }, 900)!;
  const tokenHandler = createTokenHandler(options);
  const server: Server = createServer((req, res) => void tokenHandler(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const tokenUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/sts-token`;

  return {
    env,
    tokenUrl,
    tokenHandler,
    started,
    async release() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (started && !process.env.RGW_KEEP) await stopRgw();
    },
  };
}
