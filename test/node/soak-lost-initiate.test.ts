// Open finding of `npm run soak` (5 of 5 lost Initiate answers orphaned an upload in a 200-upload
// run): when the store drops the connection after creating the upload, Chromium itself sends the
// POST again on a new connection (it does so for a reused keep-alive connection closed before any
// answer byte), so the engine never sees the loss, never lists, and the first upload is orphaned.
// The journal shows the second Initiate 10–130 ms after the first with no ListMultipartUploads
// between. A fix needs a look after a successful Initiate (uploads at the key since the first
// attempt that no resume record knows). Marked todo until then; it reproduces in real Chromium.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Person, startSoakEnv, uploadsInProgress, writeFile } from '../../scripts/soak/harness.js';

test('a lost Initiate answer in Chromium leaves no orphan', { timeout: 60_000, todo: 'Chromium re-sends the POST below fetch; the engine does not look for the first upload' }, async () => {
  const workDir = mkdtempSync(join(tmpdir(), 'oss-lost-initiate-'));
  const env = await startSoakEnv({ workDir, faults: { rates: { 'lost-initiate-answer': 0.5 }, seed: 5, journal: true } });
  const person = await Person.open(env, 'lostinit');
  try {
    await person.visit('oss', '1MiB');
    const paths = [0, 1, 2, 3].map((i) => join(workDir, `f${i}.bin`));
    paths.forEach((p, i) => writeFile(p, 3 * 1024 * 1024 + i, i));
    // Warm a keep-alive connection first, as a page that has been uploading has.
    await person.pick(paths);
    assert.ok(await person.pressWhenThere('^Upload \\d+ files?$', null, 10_000));
    for (let done = 0; done < paths.length;) {
      const e = await person.next((x) => x.type === 'oss-success' || x.type === 'oss-error', 30_000);
      assert.equal(e?.type, 'oss-success');
      done++;
    }
    const lost = env.backend.faults!.snapshot().byKind['lost-initiate-answer'];
    assert.ok(lost > 0, 'an Initiate answer was lost');
    assert.deepEqual(await uploadsInProgress(env.backend.storeUrl, 'uploads/lostinit/'), []);
  } finally {
    await person.close();
    await env.close();
    rmSync(workDir, { recursive: true, force: true });
  }
});
