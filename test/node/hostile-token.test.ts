// Hostile token endpoints (issue 11): each answer gets a clear CredentialsError, in bounded
// time, before any store request — or is handled correctly. The engine's provider runs as in
// the browser, with the endpoint played by an injected fetch.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ClientErrorCode, ErrorKind, UploadError } from '../../src/core/errors.js';
import {
  DEFAULT_ATTEMPT_TIMEOUT_MS, DEFAULT_TOTAL_TIMEOUT_MS, MAX_TOKEN_ANSWER_BYTES, TokenEndpointCredentials,
} from '../../src/core/token-endpoint-credentials.js';

const future = () => new Date(Date.now() + 3600_000).toISOString();
const good = () => ({ AccessKeyId: 'STS.id', AccessKeySecret: 'secret', SecurityToken: 'token', Expiration: future() });

/** A token endpoint answering `answer()` to every fetch; counts the fetches. */
function endpoint(answer: () => Response | Promise<Response>) {
  let calls = 0;
  const fetch = (async (_url: RequestInfo | URL, init?: RequestInit) => {
    calls++;
    const signal = init?.signal;
    return Promise.race([
      answer(),
      new Promise<Response>((_, reject) => signal?.addEventListener('abort', () => reject(signal.reason), { once: true })),
    ]);
  }) as typeof globalThis.fetch;
  return { fetch, calls: () => calls };
}

const json = (body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status: 200, headers: { 'Content-Type': 'application/json', ...headers } });

async function credentialsError(p: Promise<unknown>): Promise<UploadError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof UploadError, `an UploadError, not ${e}`);
    assert.equal(e.code, ClientErrorCode.CredentialsError);
    assert.equal(e.kind, ErrorKind.Credentials);
    return e;
  }
  assert.fail('expected a CredentialsError');
}

for (const field of ['AccessKeyId', 'AccessKeySecret', 'SecurityToken', 'Expiration'] as const) {
  test(`token JSON without ${field}: CredentialsError naming the field`, async () => {
    const body: Record<string, string> = good();
    delete body[field];
    const e = await credentialsError(new TokenEndpointCredentials({ url: '/t', fetch: endpoint(() => json(body)).fetch }).get());
    assert.match(e.message, new RegExp(`"${field}"`));
  });
}

test('token JSON whose Expiration is not a date: CredentialsError', async () => {
  const e = await credentialsError(new TokenEndpointCredentials({ url: '/t', fetch: endpoint(() => json({ ...good(), Expiration: 'soon' })).fetch }).get());
  assert.match(e.message, /Expiration/);
});

test('credentials already expired: fetched once more, then a CredentialsError that says so', async () => {
  const ep = endpoint(() => json({ ...good(), Expiration: new Date(Date.now() - 60_000).toISOString() }));
  const e = await credentialsError(new TokenEndpointCredentials({ url: '/t', fetch: ep.fetch }).get());
  assert.equal(ep.calls(), 2);
  assert.match(e.message, /already expired/);
});

test('credentials expired by this page\'s clock but not by the endpoint\'s (its Date header): accepted, expiry measured on its clock', async () => {
  const hourAgo = Date.now() - 3600_000;
  const ep = endpoint(() => json({ ...good(), Expiration: new Date(hourAgo + 1800_000).toISOString() }, { Date: new Date(hourAgo).toUTCString() }));
  const c = await new TokenEndpointCredentials({ url: '/t', fetch: ep.fetch }).get();
  assert.ok(c.expiration!.getTime() > Date.now() + 1700_000);
});

test('a 10 MB token body with its Content-Length: refused unread, with a clear error', async () => {
  let pulled = 0;
  const big = new ReadableStream<Uint8Array>({
    pull(c) { pulled += 65536; c.enqueue(new Uint8Array(65536)); if (pulled >= 10_000_000) c.close(); },
  });
  const ep = endpoint(() => new Response(big, { headers: { 'Content-Length': '10000000' } }));
  const e = await credentialsError(new TokenEndpointCredentials({ url: '/t', fetch: ep.fetch }).get());
  assert.match(e.message, new RegExp(`more than ${MAX_TOKEN_ANSWER_BYTES} bytes`));
  assert.ok(pulled <= 2 * 65536, `read ${pulled} bytes`);
});

test('a 10 MB token body without Content-Length: reading stops just past the cap', async () => {
  let pulled = 0;
  const ep = endpoint(() => new Response(new ReadableStream<Uint8Array>({
    pull(c) { pulled += 16384; c.enqueue(new TextEncoder().encode('x'.repeat(16384))); if (pulled >= 10_000_000) c.close(); },
  })));
  const t0 = performance.now();
  const e = await credentialsError(new TokenEndpointCredentials({ url: '/t', fetch: ep.fetch }).get());
  assert.match(e.message, /bytes/);
  assert.ok(pulled < MAX_TOKEN_ANSWER_BYTES + 4 * 16384, `read ${pulled} bytes`);
  assert.ok(performance.now() - t0 < 1000);
});

test('a token endpoint that never answers: CredentialsError within the total bound (10 s per attempt, 30 s in all by default)', async () => {
  assert.equal(DEFAULT_ATTEMPT_TIMEOUT_MS, 10_000);
  assert.equal(DEFAULT_TOTAL_TIMEOUT_MS, 30_000);
  const ep = endpoint(() => new Promise<Response>(() => undefined));
  const t0 = Date.now();
  const alive = setInterval(() => undefined, 50); // AbortSignal.timeout's timers do not keep Node's loop alive
  const e = await credentialsError(new TokenEndpointCredentials({ url: '/t', fetch: ep.fetch, timeoutMs: 150, totalTimeoutMs: 800 }).get())
    .finally(() => clearInterval(alive));
  const took = Date.now() - t0;
  assert.match(e.message, /did not answer within/);
  assert.ok(took < 800 + 300, `took ${took} ms`);
  assert.ok(ep.calls() >= 2, 'tried again within the bound');
});

test('a token endpoint answering an HTML page: CredentialsError (not JSON), not retried', async () => {
  const ep = endpoint(() => new Response('<html><body>Login</body></html>', { headers: { 'Content-Type': 'text/html' } }));
  const e = await credentialsError(new TokenEndpointCredentials({ url: '/t', fetch: ep.fetch }).get());
  assert.match(e.message, /JSON/);
  assert.equal(ep.calls(), 1);
});

test('a token endpoint answering JSON null or an array: CredentialsError', async () => {
  for (const body of ['null', '[1,2]', '"text"']) {
    await credentialsError(new TokenEndpointCredentials({ url: '/t', fetch: endpoint(() => new Response(body)).fetch }).get());
  }
});

test('a token endpoint failing with 500 then 401: 5xx retried, 401 final, both CredentialsError with the status', async () => {
  let n = 0;
  const ep = endpoint(() => new Response('{}', { status: ++n === 1 ? 500 : 401 }));
  const e = await credentialsError(new TokenEndpointCredentials({ url: '/t', fetch: ep.fetch }).get());
  assert.equal(e.status, 401);
  assert.equal(ep.calls(), 2);
});

test('a token answer naming a dialect this version does not know: CredentialsError', async () => {
  const e = await credentialsError(new TokenEndpointCredentials({ url: '/t', fetch: endpoint(() => json({ ...good(), dialect: 'ftp' })).fetch }).get());
  assert.match(e.message, /dialect/);
});
