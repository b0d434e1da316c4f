/**
 * Runs a shell command with one Ceph RGW shared by everything in it. `npm test` runs the node
 * tests, then the browser tests, in two processes; each would start RGW (4–14 s) and stop it.
 *
 *   node --import tsx test/support/rgw-session.ts 'npm run test:node && npm run test:browser'
 *
 * RGW is started first (or found running); inside, test/support/rgw.ts finds it "already
 * running" and leaves it alone; when the command ends, however it ends, RGW is stopped if it
 * was started here. When Ceph cannot be had, the command runs anyway and each RGW test file
 * decides as usual (skips loudly off CI, fails on CI).
 */
import { spawn } from 'node:child_process';
import { startRgw, stopRgw } from './rgw.js';

const command = process.argv[2];
if (!command) throw new Error('usage: rgw-session.ts "<shell command>"');

let started = false;
try {
  const rgw = await startRgw();
  started = !('skip' in rgw) && rgw.started;
} catch (err) {
  // Each RGW test then reports it as its own failure.
  process.stderr.write(`[rgw-session] could not start RGW: ${(err as Error).message}\n`);
}

const child = spawn(command, { shell: true, stdio: 'inherit' });
// Ctrl-C reaches the child too (same process group): wait for it, then clean up.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
const code = await new Promise<number>((resolve) => child.on('close', (c, signal) => resolve(c ?? (signal ? 1 : 0))));
if (started && !process.env.RGW_KEEP) await stopRgw();
process.exit(code);
