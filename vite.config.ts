/**
 * The demo (`npm start`): Vite over HTTPS on 127.0.0.1:5173, pages in demo/, the element
 * from src/. A plugin starts the local store and serves the token endpoint on the page's
 * origin at /api/sts-token (`?dialect=oss|obs|s3`: the local store speaks all three), and
 * every answer carries a strict Content-Security-Policy (no inline script or style, no eval;
 * WebAssembly for hash-wasm; the stores for connect-src).
 *
 * With Ceph RGW's variables in the environment (`eval "$(scripts/rgw/start.sh)"; npm start`)
 * it also serves /api/sts-token-rgw, whose credentials come from RGW's own STS, and the
 * demo's store picker offers RGW.
 */
import basicSsl from '@vitejs/plugin-basic-ssl';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import { createTokenHandler, DEFAULT_STORE_PORT, startLocalBackend, type LocalBackend } from './server/local-backend.js';
import { s3TokenOptionsFromEnv } from './server/token/s3-sts-issuer.js';

const repoRoot = fileURLToPath(new URL('.', import.meta.url));

/** The policy the demo pages run under: what a careful production site would send. */
export function contentSecurityPolicy(...storeUrls: string[]): string {
  return [
    "default-src 'self'",
    // hash-wasm compiles WebAssembly; nothing else is evaluated.
    "script-src 'self' 'wasm-unsafe-eval'",
    // Lit adopts constructable stylesheets and sets custom properties through the CSSOM.
    "style-src 'self'",
    "img-src 'self' data: blob:",
    // The store (uploads), plus Vite's own HMR socket.
    `connect-src 'self' ${storeUrls.join(' ')} wss://127.0.0.1:* ws://127.0.0.1:*`,
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
      // RGW's variables would put the main token route in S3 mode: it stays on the local store,
      // and RGW gets a route of its own.
      const { S3_STS_ROLE_ARN: _role, RGW_ROLE_ARN: _rgwRole, ...localEnv } = process.env;
      const rgw = s3TokenOptionsFromEnv(process.env, 900);
      backend = await startLocalBackend(localEnv).catch((e: NodeJS.ErrnoException) => {
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
      const csp = contentSecurityPolicy(b.storeUrl, ...(rgw ? [rgw.endpoint] : []));
      server.middlewares.use((_req, res, next) => {
        res.setHeader('Content-Security-Policy', csp);
        next();
      });
      const rgwHandler = rgw ? createTokenHandler({ ...rgw, allowAdmin: () => true }) : undefined;
      server.middlewares.use('/api/sts-token-rgw', (req, res) => {
        if (!rgwHandler) return void res.writeHead(404).end();
        void rgwHandler(req, res);
      });
      server.middlewares.use('/api/sts-token', (req, res) => void handler(req, res));
      server.middlewares.use('/api/demo-stores', (_req, res) => {
        res.setHeader('Content-Type', 'application/json');
        res.setHeader('Cache-Control', 'no-store');
        res.end(JSON.stringify(['oss', 'obs', 's3', ...(rgw ? ['rgw'] : [])]));
      });
      server.httpServer?.once('close', () => void b.close());
      server.config.logger.info(`  store: ${b.storeUrl} (bucket uploads; OSS, OBS and S3 dialects)`);
      if (rgw) server.config.logger.info(`  Ceph RGW: ${rgw.endpoint} (bucket ${rgw.bucket}, token route /api/sts-token-rgw)`);
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
