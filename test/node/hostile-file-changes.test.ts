// A file that changes or disappears while it uploads (issue 11). A File built in memory cannot
// change, so this runs in real headless Chromium (scripts/soak/harness.ts): the file is picked
// from disk through the element's file input, as a person picks it, and then rewritten or
// deleted on disk mid-upload. Chromium then refuses to read it (NotReadableError /
// ERR_UPLOAD_FILE_CHANGED). The element must report a clear error, and Abort must leave
// nothing on the store.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Person, startSoakEnv, storedObject, uploadsInProgress, writeFile, type SoakEnv } from '../../scripts/soak/harness.js';

const MiB = 1024 * 1024;
const UPLOAD = '^Upload \\d+ files?$';

async function changeMidUpload(env: SoakEnv, change: (path: string) => void) {
  const user = `fc${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  const person = await Person.open(env, user);
  try {
    await person.visit('oss', '1MiB');
    const path = join(env.workDir, `${user}.bin`);
    writeFile(path, 96 * MiB, 1);
    await person.pick([path]);
    assert.ok(await person.pressWhenThere(UPLOAD, null, 10_000));
    const progressed = await person.next((e) => e.type === 'oss-progress', 30_000);
    assert.ok(progressed, 'the upload started');
    change(path);
    const end = await person.next((e) => e.type === 'oss-error' || e.type === 'oss-success', 120_000);
    assert.ok(end, 'the upload ended (no hang)');
    const key = `uploads/${user}/${user}.bin`;
    // Aborting what is left is always possible, and leaves nothing.
    if (end.type === 'oss-error' && (await person.pressDestructive('Abort', `${user}.bin`))) {
      const aborted = await person.next((e) => e.type === 'oss-abort', 30_000);
      assert.equal(aborted?.detail['confirmed'], true);
    }
    assert.deepEqual(await uploadsInProgress(env.backend.storeUrl, `uploads/${user}/`), []);
    return { end, stored: await storedObject(env.backend.storeUrl, key) };
  } finally {
    await person.close();
  }
}

test('a file rewritten on disk while it uploads: a clear typed error (FileUnreadable), not success; Abort leaves nothing', { timeout: 240_000 }, async (t) => {
  const env = await startSoakEnv({ workDir: mkdtempSync(join(tmpdir(), 'oss-file-changes-')) });
  t.after(async () => {
    await env.close();
    rmSync(env.workDir, { recursive: true, force: true });
  });
  const { end, stored } = await changeMidUpload(env, (path) => writeFile(path, 96 * MiB, 2));
  assert.equal(end.type, 'oss-error', 'a changed file must not be reported uploaded');
  const error = end.detail['error'] as { code: string; message: string };
  assert.equal(error.code, 'FileUnreadable', error.message);
  assert.match(error.message, /changed|could not be read/i);
  assert.equal(stored, undefined, 'no object made of two versions of the file');

  await t.test('a file deleted while it uploads: the same', async () => {
    const gone = await changeMidUpload(env, (path) => rmSync(path));
    assert.equal(gone.end.type, 'oss-error');
    assert.equal((gone.end.detail['error'] as { code: string }).code, 'FileUnreadable');
    assert.equal(gone.stored, undefined);
  });
});
