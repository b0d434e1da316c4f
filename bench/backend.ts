/**
 * Starts the bench's servers (bench/backend-process.ts) in a child process, and talks to the
 * store as its owner: verifies a stored object (size and SHA-256), counts the bytes a
 * multipart upload holds, and cleans up after each trial.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createInterface } from 'node:readline';
import { LOCAL_REGION, LOCAL_ROOT_KEY } from '../server/local-backend.js';
import { signedFetch } from '../test/support/signed-fetch.js';

export interface Backend {
  storeUrl: string;
  pageOrigin: string;
  pid: number;
  /** Size and SHA-256 of the stored object, or undefined if there is none. */
  stored(key: string): Promise<{ size: number; sha256: string } | undefined>;
  /** Bytes held by the unfinished multipart uploads of `key`. */
  pendingBytes(key: string): Promise<number>;
  /** Deletes the object and aborts every unfinished upload of `key`. */
  remove(key: string): Promise<void>;
  close(): Promise<void>;
}

const BUCKET = 'uploads';

export async function startBackend(dataDir: string, www: string): Promise<Backend> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'bench/backend-process.ts', dataDir, www], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  const ready = await new Promise<{ storeUrl: string; pageOrigin: string }>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`backend exited (${code})`)));
    lines.once('line', (l) => resolve(JSON.parse(l)));
  });
  const base = { bucket: BUCKET, region: LOCAL_REGION };
  const req = (r: Parameters<typeof signedFetch>[2]) => signedFetch(ready.storeUrl, LOCAL_ROOT_KEY, r);

  async function uploadsOf(key: string): Promise<string[]> {
    const res = await req({ ...base, method: 'GET', query: { uploads: '', prefix: key } });
    const xml = await res.text();
    return [...xml.matchAll(/<Upload>[\s\S]*?<Key>([^<]*)<\/Key>[\s\S]*?<UploadId>([^<]*)<\/UploadId>/g)]
      .filter((m) => m[1] === key).map((m) => m[2]!);
  }

  return {
    ...ready,
    pid: child.pid!,
    async stored(key) {
      const res = await req({ ...base, key, method: 'GET' });
      if (res.status === 404) { await res.body?.cancel(); return undefined; }
      if (!res.ok || !res.body) throw new Error(`GET ${key}: ${res.status}`);
      const h = createHash('sha256');
      let size = 0;
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) { h.update(chunk); size += chunk.length; }
      return { size, sha256: h.digest('hex') };
    },
    async pendingBytes(key) {
      let n = 0;
      for (const uploadId of await uploadsOf(key)) {
        const xml = await (await req({ ...base, key, method: 'GET', query: { uploadId, 'max-parts': '1000' } })).text();
        for (const m of xml.matchAll(/<Size>(\d+)<\/Size>/g)) n += Number(m[1]);
      }
      return n;
    },
    async remove(key) {
      for (const uploadId of await uploadsOf(key)) await (await req({ ...base, key, method: 'DELETE', query: { uploadId } })).body?.cancel();
      await (await req({ ...base, key, method: 'DELETE' })).body?.cancel();
    },
    close: () => new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 5000).unref();
    }),
  };
}
