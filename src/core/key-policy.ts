/**
 * No silent overwrite. What happens when an upload's key already names an object:
 *
 * - `rename` (the default): the key is checked with HEAD before the upload starts; if it is
 *   taken, the name gets a number, `photo (1).jpg`, `photo (2).jpg`, then a random tag. The
 *   store's forbid-overwrite guards the moment between the check and the write.
 * - `fail`: the store's forbid-overwrite only; the upload fails with kind `object-exists`.
 * - `overwrite`: the object is replaced, as a plain PutObject would.
 *
 * A key the application names (its own `keyFor`, or `createUpload({ key })`) is never
 * renamed: a taken one fails instead (unless the policy is `overwrite`, e.g. to replace an
 * avatar on purpose).
 */
import { ErrorKind, UploadError } from './errors.js';
import { keyProblem } from './object-key.js';
import type { StoreOperations } from './operations.js';

export type ConflictPolicy = 'rename' | 'fail' | 'overwrite';

/** How many numbered names are tried before a random tag is used. */
const NUMBERED_TRIES = 3;
/** Random tags tried before giving up (each is one HEAD; a clash is all but impossible). */
const TAGGED_TRIES = 3;

/** `dir/photo.jpg` → `dir/photo (n).jpg`; `dir/archive.tar.gz` → `dir/archive (n).tar.gz`; `.env` → `.env (n)`. */
export function numberedKey(key: string, n: number | string): string {
  const slash = key.lastIndexOf('/');
  const dir = key.slice(0, slash + 1);
  const name = key.slice(slash + 1);
  const dot = name.indexOf('.', 1);
  return dot < 0 ? `${dir}${name} (${n})` : `${dir}${name.slice(0, dot)} (${n})${name.slice(dot)}`;
}

function randomTag(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(4));
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * The first free key from `wanted` on, per the `rename` policy: no object has it and no
 * upload of this page is on its way to it; it is added to `claimed`. Where the credentials
 * may not HEAD objects, `wanted` is returned and the store's forbid-overwrite decides.
 */
export async function freeKey(ops: StoreOperations, wanted: string, claimed: Set<string>, signal?: AbortSignal): Promise<string> {
  const candidates = [wanted];
  for (let n = 1; n <= NUMBERED_TRIES; n++) candidates.push(numberedKey(wanted, n));
  for (let n = 0; n < TAGGED_TRIES; n++) candidates.push(numberedKey(wanted, randomTag()));
  for (const key of candidates) {
    if (keyProblem(key)) return wanted; // a longer name no longer fits: the store's guard decides
    if (claimed.has(key)) continue; // another upload of this page is on its way there
    claimed.add(key); // before the HEAD: a sibling choosing at the same moment skips it
    try {
      if ((await ops.head(key, signal)) === undefined) return key;
    } catch (e) {
      if (e instanceof UploadError && e.kind === ErrorKind.AccessDenied) return wanted;
      throw e;
    }
  }
  throw new UploadError('ObjectExists', `An object named ${JSON.stringify(wanted)} and its numbered variants already exist.`, {
    kind: ErrorKind.ObjectExists,
  });
}
