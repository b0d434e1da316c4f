/**
 * A web-test-runner plugin: starts the backend with the test server, serves the token
 * endpoints on the page's origin, maps `*.js` requests to the `.ts` sources (module workers
 * are loaded by URL), and gives tests server commands that look at the store over HTTP.
 */
import { createReadStream, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { TestRunnerPlugin } from '@web/test-runner';
import { startBackend, type Backend } from './backend.js';
import { storeCommands } from './store-commands.js';

export function backendPlugin(): TestRunnerPlugin {
  let backend: Backend | undefined;
  return {
    name: 'oss-uploader-backend',
    async serverStart({ app, config }) {
      backend = await startBackend();
      const b = backend;
      app.use(async (ctx, next) => {
        const handler = b.tokenHandlers.get(ctx.path);
        if (handler) {
          ctx.respond = false;
          await handler(ctx.req, ctx.res);
          return;
        }
        if (ctx.path === '/mockServiceWorker.js') {
          // msw's service worker, for the fault-injection tests only.
          ctx.type = 'application/javascript';
          ctx.body = createReadStream(join(config.rootDir, 'node_modules/msw/lib/mockServiceWorker.js'));
          return;
        }
        if (ctx.path.endsWith('.js') && ctx.path.startsWith('/src/')) {
          const ts = join(config.rootDir, ctx.path.slice(1, -3) + '.ts');
          if (!existsSync(join(config.rootDir, ctx.path.slice(1))) && existsSync(ts)) ctx.path = ctx.path.slice(0, -3) + '.ts';
        }
        await next();
      });
    },
    async serverStop() {
      await backend?.close();
    },
    async executeCommand({ command, payload }) {
      if (!backend || !command.startsWith('store:')) return undefined;
      const run = storeCommands[command as keyof typeof storeCommands];
      if (!run) throw new Error(`unknown command ${command}`);
      return run(backend, payload as never);
    },
  };
}
