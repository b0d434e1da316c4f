// Hostile store answers (issue 11): gateway pages, huge messages, entity bombs, XXE, answers
// that are not XML, a DOCTYPE, missing fields, a wrong Content-Type. Each gets a typed
// UploadError (or is handled correctly), never an expansion, a hang or a leak of the token.
// The engine's store operations run as in the browser; the store is played by a fetch.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Clock } from '../../src/core/clock.js';
import { createDialect } from '../../src/core/dialects/index.js';
import { ClientErrorCode, ErrorKind, UploadError } from '../../src/core/errors.js';
import { StoreOperations } from '../../src/core/operations.js';
import { StoreClient } from '../../src/core/store-client.js';

const TOKEN = 'sts-token-that-must-not-leak-0123456789';

async function opsWith(answer: (url: URL, init: RequestInit, n: number) => Response | Promise<Response>) {
  let n = 0;
  const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => answer(new URL(String(input)), init ?? {}, ++n)) as typeof globalThis.fetch;
  const client = new StoreClient({
    dialect: await createDialect('oss'),
    credentials: {
      get: async () => ({ accessKeyId: 'STS.id', accessKeySecret: 'secret', securityToken: TOKEN, expiration: new Date(Date.now() + 3600_000) }),
      invalidate: () => undefined,
    },
    clock: new Clock(),
    target: { endpoint: 'http://127.0.0.1:9', bucket: 'uploads', region: 'cn-hangzhou', keyPrefix: '' },
    retry: { baseDelayMs: 1, maxDelayMs: 2 },
    fetch,
  });
  return { ops: new StoreOperations(client), calls: () => n };
}

const xml = (body: string, status = 200, type = 'application/xml') => new Response(body, { status, headers: { 'Content-Type': type, 'x-oss-request-id': 'RID' } });

async function rejection(p: Promise<unknown>): Promise<UploadError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof UploadError, `an UploadError, not ${e}`);
    return e;
  }
  assert.fail('expected an UploadError');
}

test('store 502 with an HTML body: code ServiceUnavailable, kind unavailable, retried until the store answers', async () => {
  const { ops, calls } = await opsWith((_u, _i, n) => (n <= 2
    ? new Response('<html><head><title>502 Bad Gateway</title></head><body><center>nginx</center></body></html>', { status: 502, headers: { 'Content-Type': 'text/html' } })
    : new Response(null, { status: 200, headers: { ETag: '"ABC"' } })));
  const put = await ops.putObject('k', new Blob(['x']), { contentType: 'text/plain', headers: {}, forbidOverwrite: false });
  assert.equal(put.etag, '"ABC"');
  assert.equal(calls(), 3);
  const { ops: always } = await opsWith(() => new Response('<html>Bad Gateway</html>', { status: 502 }));
  const e = await rejection(always.head('k'));
  assert.equal(e.code, ClientErrorCode.ServiceUnavailable);
  assert.equal(e.kind, ErrorKind.Unavailable);
});

test('a 1 MB error Message: cut to a readable length in the message, the full text in details', async () => {
  const long = 'A'.repeat(1024 * 1024);
  const { ops } = await opsWith(() => xml(`<?xml version="1.0"?><Error><Code>InvalidArgument</Code><Message>${long}</Message><RequestId>R1</RequestId></Error>`, 400));
  const e = await rejection(ops.listParts('k', 'u'));
  assert.equal(e.code, 'InvalidArgument');
  assert.ok(e.message.length < 400, `message is ${e.message.length} chars`);
  assert.equal(e.details['Message']!.length, long.length);
  assert.equal(e.requestId, 'R1');
});

test('billion laughs in an error body: no entity is expanded, parsing is quick, the status still names the error', async () => {
  const lol = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">` +
    `<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;"><!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]>` +
    '<Error><Code>&lol9;</Code><Message>&lol9;&lol9;</Message></Error>';
  const { ops } = await opsWith(() => xml(lol, 500));
  const t0 = performance.now();
  const e = await rejection(ops.listParts('k', 'u'));
  assert.ok(performance.now() - t0 < 2000);
  assert.ok(!/(lol){20}/.test(e.message + JSON.stringify(e.details)), 'nothing expanded');
  assert.equal(e.kind, ErrorKind.Unavailable);
});

test('XXE in an error body: the external entity is never resolved', async () => {
  const xxe = '<?xml version="1.0"?><!DOCTYPE e [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><Error><Code>AccessDenied</Code><Message>&xxe;</Message></Error>';
  const { ops } = await opsWith(() => xml(xxe, 403));
  const e = await rejection(ops.listParts('k', 'u'));
  assert.doesNotMatch(e.message + JSON.stringify(e.details), /root:/);
  assert.equal(e.kind, ErrorKind.AccessDenied);
});

test('an error body that is not XML (JSON from a proxy, plain text): the status decides', async () => {
  for (const [body, status, kind] of [['upstream connect error', 503, ErrorKind.Unavailable], ['{"error":"nope"}', 403, ErrorKind.AccessDenied]] as const) {
    const { ops } = await opsWith(() => new Response(body, { status }));
    const e = await rejection(ops.listParts('k', 'u'));
    assert.equal(e.kind, kind);
  }
});

test('a 200 whose body is not XML: MalformedResponse, not a crash', async () => {
  const { ops } = await opsWith(() => new Response('hello, I am a captive portal', { status: 200 }));
  const e = await rejection(ops.listParts('k', 'u'));
  assert.equal(e.code, ClientErrorCode.MalformedResponse);
});

test('a 200 result with a DOCTYPE and an entity: nothing expanded; the result is refused or read without it', async () => {
  const doc = '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY id "EVIL">]><InitiateMultipartUploadResult><Bucket>uploads</Bucket><Key>k</Key><UploadId>&id;</UploadId></InitiateMultipartUploadResult>';
  const { ops } = await opsWith(() => xml(doc));
  const outcome = await ops.initiate('k', 'text/plain', { forbidOverwrite: false }).then((r) => r.uploadId, (e: unknown) => e);
  if (outcome instanceof UploadError) assert.equal(outcome.code, ClientErrorCode.MalformedResponse);
  else assert.notEqual(outcome, 'EVIL');
});

test('an Initiate answer without an UploadId: MalformedResponse', async () => {
  const { ops } = await opsWith(() => xml('<InitiateMultipartUploadResult><Bucket>uploads</Bucket><Key>k</Key></InitiateMultipartUploadResult>'));
  const e = await rejection(ops.initiate('k', 'text/plain', { forbidOverwrite: false }));
  assert.equal(e.code, ClientErrorCode.MalformedResponse);
});

test('a ListParts answer whose Part lacks its ETag: MalformedResponse', async () => {
  const { ops } = await opsWith(() => xml('<ListPartsResult><IsTruncated>false</IsTruncated><Part><PartNumber>1</PartNumber><Size>5</Size></Part></ListPartsResult>'));
  const e = await rejection(ops.listParts('k', 'u'));
  assert.equal(e.code, ClientErrorCode.MalformedResponse);
});

test('a result with the wrong Content-Type (text/html) but a valid document: read correctly', async () => {
  const { ops } = await opsWith(() => xml('<ListPartsResult><IsTruncated>false</IsTruncated><Part><PartNumber>1</PartNumber><ETag>"E"</ETag><Size>5</Size></Part></ListPartsResult>', 200, 'text/html'));
  const parts = await ops.listParts('k', 'u');
  assert.deepEqual(parts.map((p) => [p.partNumber, p.etag, p.size]), [[1, '"E"', 5]]);
});

test('a store echoing the security token in its error (StringToSign): redacted from the error', async () => {
  const { ops } = await opsWith(() => xml(`<Error><Code>SignatureDoesNotMatch</Code><Message>m</Message><StringToSign>PUT\n\nx-oss-security-token:${TOKEN}\n/uploads/k</StringToSign><StringToSignBytes>50 55</StringToSignBytes></Error>`, 403));
  const e = await rejection(ops.listParts('k', 'u'));
  assert.doesNotMatch(JSON.stringify(e.details) + e.message, new RegExp(TOKEN));
});
