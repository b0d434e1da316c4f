/**
 * `npm run backend`: the local store and the standalone token endpoint, nothing else.
 * Prints `store: <url>` and `token: <url>`, then runs until interrupted.
 */
import { startTokenServer } from './token/index.js';
import { DEFAULT_TOKEN_PORT, startLocalBackend } from './local-backend.js';

const backend = await startLocalBackend();
const token = await startTokenServer({
  ...backend.tokenOptions(),
  port: Number(process.env.TOKEN_PORT ?? DEFAULT_TOKEN_PORT),
  allowedOrigins: (process.env.TOKEN_ALLOWED_ORIGINS ?? '').split(',').filter(Boolean),
});
console.log(`store: ${backend.storeUrl}`);
console.log(`token: ${token.url}`);

const stop = async () => {
  await Promise.allSettled([token.close(), backend.close()]);
  process.exit(0);
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
