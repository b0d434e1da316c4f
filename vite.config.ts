/**
 * The demo (`npm start`): Vite over HTTPS on 127.0.0.1:5173, pages in demo/, the element
 * from src/. A plugin starts the local store and serves the token endpoint on the page's
 * origin at /api/sts-token, and every answer carries a strict Content-Security-Policy (no
 * inline script or style, no eval; WebAssembly for hash-wasm; the store for connect-src).
 */
import basicSsl from '@vitejs/plugin-basic-ssl';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import { createTokenHandler, DEFAULT_STORE_PORT, startLocalBackend, type LocalBackend } from './server/local-backend.js';

const repoRoot = fileURLToPath(new URL('.', import.meta.url));

/** The policy the demo pages run under: what a careful production site would send. */
export function contentSecurityPolicy(storeUrl: string): string {
  return [
    "default-src 'self'",
    // hash-wasm compiles WebAssembly; nothing else is evaluated.
    "script-src 'self' 'wasm-unsafe-eval'",
    // Lit adopts constructable stylesheets and sets custom properties through the CSSOM.
    "style-src 'self'",
    "img-src 'self' data: blob:",
    // The store (uploads), plus Vite's own HMR socket.
    `connect-src 'self' ${storeUrl} wss://127.0.0.1:* ws://127.0.0.1:*`,
    "worker-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Starts the local store and mounts the token endpoint while the dev server runs. */
function localBackend(): Plugin {
  let backend: LocalBackend | undefined;
  return {
    name: 'oss-uploader:local-backend',
    apply: 'serve',
    async configureServer(server) {
      backend = await startLocalBackend(process.env).catch((e: NodeJS.ErrnoException) => {
        if (e?.code !== 'EADDRINUSE') throw e;
        // One line that says what to do, not a stack trace.
        const port = process.env.STORE_PORT ?? DEFAULT_STORE_PORT;
        console.error(`The local store's port ${port} is in use (another \`npm start\` or \`npm run backend\`?). Stop it, or choose another port: STORE_PORT=9200 npm start`);
        process.exit(1);
      });
      const b = backend;
      // allowAdmin: the demo's incomplete-uploads panel needs the admin token. Demo only:
      // a real application decides from its own session who is an administrator.
      const handler = createTokenHandler({ ...b.tokenOptions(), allowAdmin: () => true });
      const csp = contentSecurityPolicy(b.storeUrl);
      server.middlewares.use((_req, res, next) => {
        res.setHeader('Content-Security-Policy', csp);
        next();
      });
      server.middlewares.use('/api/sts-token', (req, res) => void handler(req, res));
      server.httpServer?.once('close', () => void b.close());
      server.config.logger.info(`  store: ${b.storeUrl} (bucket uploads)`);
    },
    async buildEnd() {
      await backend?.close();
    },
  };
}

export default defineConfig({
  root: 'demo',
  plugins: [basicSsl(), localBackend()],
  server: {
    host: '127.0.0.1',
    port: 5173,
    strictPort: false,
    fs: { allow: [repoRoot] },
    // Vite's default CORS lets any localhost origin read every answer, the token route's
    // credentials included. The demo pages are same-origin and need no CORS; the token
    // handler also refuses other origins itself (server/token/cors.ts).
    cors: false,
  },
  // Vue's runtime-only build (render functions, no template compiler, so no eval).
  define: {
    __VUE_OPTIONS_API__: 'false',
    __VUE_PROD_DEVTOOLS__: 'false',
    __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false',
  },
  build: {
    outDir: '../dist/demo',
    emptyOutDir: true,
    rollupOptions: {
      input: {
        index: fileURLToPath(new URL('demo/index.html', import.meta.url)),
        react: fileURLToPath(new URL('demo/react.html', import.meta.url)),
        vue: fileURLToPath(new URL('demo/vue.html', import.meta.url)),
      },
    },
  },
});
