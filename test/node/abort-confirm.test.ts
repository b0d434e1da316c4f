// What an abort's confirmation makes of each answer: gone is confirmed; a store that cannot be
// reached (offline, unavailable, credentials trouble) leaves it owed; only a refusal the store
// will repeat forever (access denied, no such bucket) is AbortRefused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ErrorKind, UploadError } from '../../src/core/errors.js';
import type { StoreOperations } from '../../src/core/operations.js';
import { AbortRefused, abortAndConfirm } from '../../src/core/upload.js';

function opsThat(abort: () => Promise<void>, listParts: () => Promise<unknown[]> = async () => []): StoreOperations {
  return { abort, listParts } as unknown as StoreOperations;
}
const fail = (kind: ErrorKind, code = 'X') => async () => { throw new UploadError(code, code, { kind }); };

test('the upload gone, or no part left after the DELETE, is confirmed', async () => {
  assert.equal(await abortAndConfirm(opsThat(async () => undefined), 'k', 'u'), true);
  assert.equal(await abortAndConfirm(opsThat(async () => undefined, fail(ErrorKind.UploadGone, 'NoSuchUpload')), 'k', 'u'), true);
});

test('offline, unavailable, throttled or credential trouble: not confirmed, still owed (never "refused")', async () => {
  for (const kind of [ErrorKind.Offline, ErrorKind.Network, ErrorKind.Unavailable, ErrorKind.Throttled, ErrorKind.Credentials, ErrorKind.ExpiredCredentials, ErrorKind.Timeout]) {
    assert.equal(await abortAndConfirm(opsThat(fail(kind)), 'k', 'u'), false, kind);
  }
});

test('parts that keep surviving the DELETE: not confirmed after a bounded number of rounds', async () => {
  let deletes = 0;
  const ops = opsThat(async () => { deletes++; }, async () => [{ partNumber: 1 }]);
  assert.equal(await abortAndConfirm(ops, 'k', 'u'), false);
  assert.equal(deletes, 4);
});

test('access denied or no such bucket: AbortRefused, saying why, with the store\'s code', async () => {
  await assert.rejects(abortAndConfirm(opsThat(fail(ErrorKind.AccessDenied, 'AccessDenied')), 'k', 'u'), (e: unknown) =>
    e instanceof AbortRefused && e.code === 'AccessDenied' && /only the credentials that started this upload/.test(e.message));
  await assert.rejects(abortAndConfirm(opsThat(fail(ErrorKind.NotFound, 'NoSuchBucket')), 'k', 'u'), (e: unknown) =>
    e instanceof AbortRefused && /bucket/.test(e.message));
});

test('a cancel of the abort itself is a cancel', async () => {
  const controller = new AbortController();
  controller.abort();
  await assert.rejects(abortAndConfirm(opsThat(async () => undefined), 'k', 'u', controller.signal), (e: unknown) => UploadError.isCancel(e));
});
