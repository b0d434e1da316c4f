// Browser tests: real headless Chromium (Debian's, never a downloaded one) against the real
// local store and token endpoint on loopback. Run through `node --import tsx` so the
// backend's TypeScript loads directly.
import { existsSync } from 'node:fs';
import { chromeLauncher } from '@web/test-runner-chrome';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { backendHarness } from './test/support/wtr-backend-plugin.ts';
import { mediaPlugin } from './test/support/wtr-media-plugin.ts';

const backend = backendHarness(process.cwd());

const executablePath = process.env.CHROME_PATH || ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find(existsSync);

export default {
  files: ['test/browser/**/*.test.ts'],
  nodeResolve: true,
  concurrency: 1,
  testsFinishTimeout: 10 * 60_000,
  testFramework: { config: { timeout: 60_000 } },
  middleware: [backend.middleware],
  plugins: [esbuildPlugin({ ts: true, target: 'es2022', tsconfig: './tsconfig.json' }), backend.plugin, mediaPlugin()],
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath,
        headless: true,
        args: [
          '--no-sandbox', '--headless=new', '--disable-gpu', '--no-first-run',
          '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic',
        ],
      },
    }),
  ],
};
