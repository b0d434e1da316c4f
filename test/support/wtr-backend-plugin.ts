/**
 * Web-test-runner wiring for the real backend: a plugin starts it with the test server and
 * gives tests server commands that look at the store over HTTP; a middleware serves the
 * token endpoints on the page's origin, msw's service worker, and maps `*.js` requests to
 * the `.ts` sources (module workers are loaded by URL, not through an import). Ceph RGW
 * (rgw-commands.ts) is started only when a test first asks for it.
 */
import { createReadStream, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { TestRunnerPlugin } from '@web/test-runner';
import type { Middleware } from 'koa';
import { startBackend, type Backend } from './backend.js';
import { networkCommands, type PageOf } from './network-commands.js';
import { RGW_TOKEN_PATH, rgwHarness } from './rgw-commands.js';
import { storeCommands } from './store-commands.js';

export function backendHarness(rootDir: string): { plugin: TestRunnerPlugin; middleware: Middleware } {
  let backend: Promise<Backend> | undefined;
  const ready = () => (backend ??= startBackend());
  const rgw = rgwHarness();

  const middleware: Middleware = async (ctx, next) => {
    if (ctx.path === RGW_TOKEN_PATH) {
      ctx.respond = false;
      await rgw.token(ctx.req, ctx.res);
      return;
    }
    const handler = (await ready()).tokenHandlers.get(ctx.path);
    if (handler) {
      ctx.respond = false;
      await handler(ctx.req, ctx.res);
      return;
    }
    if (ctx.path === '/mockServiceWorker.js') {
      ctx.type = 'application/javascript';
      ctx.body = createReadStream(join(rootDir, 'node_modules/msw/lib/mockServiceWorker.js'));
      return;
    }
    if (ctx.path.startsWith('/src/') && ctx.path.endsWith('.js')) {
      const js = join(rootDir, ctx.path.slice(1));
      if (!existsSync(js) && existsSync(js.slice(0, -3) + '.ts')) ctx.path = ctx.path.slice(0, -3) + '.ts';
    }
    await next();
  };

  const plugin: TestRunnerPlugin = {
    name: 'oss-uploader-backend',
    async serverStart() {
      await ready();
    },
    async serverStop() {
      if (backend) await (await backend).close();
      await rgw.release();
    },
    async executeCommand({ command, payload, session }) {
      if (command.startsWith('rgw:')) return rgw.command(command, payload);
      if (command.startsWith('net:')) {
        const run = networkCommands[command as keyof typeof networkCommands];
        if (!run) throw new Error(`unknown command ${command}`);
        const page = (session.browser as unknown as { getPage: PageOf }).getPage(session.id);
        return run(page, payload as never);
      }
      if (!command.startsWith('store:')) return undefined;
      const run = storeCommands[command as keyof typeof storeCommands];
      if (!run) throw new Error(`unknown command ${command}`);
      return run(await ready(), payload as never);
    },
  };
  return { plugin, middleware };
}
