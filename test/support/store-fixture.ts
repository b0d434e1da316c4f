/**
 * A local store for one Node test: a fresh temp data dir, port 0, a root key, a LocalSts,
 * and helpers to talk to it (signed requests, XML fields) and to look at its data dir
 * (for "no stray files" checks). `restart()` starts a new store on the same dir.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { startStore, type BucketConfig, type StoreOptions } from '../../server/store/index.js';
import { LocalSts } from '../../server/sts/local-sts.js';
import type { RamPolicy } from '../../server/sts/ram-policy.js';
import type { SigningCredentials } from '../../src/core/signing/request.js';
import { signedFetch, type SignedRequest } from './signed-fetch.js';

export const TEST_ROOT: SigningCredentials = { accessKeyId: 'LTAI5tTestRootKey', accessKeySecret: 'test-root-secret' };
export const TEST_BUCKET = 'test-bucket';

export interface StoreFixture {
  url: string;
  dataDir: string;
  sts: LocalSts;
  /** Sends a request signed with `creds` (default: the root key). */
  send(r: SignedRequest, creds?: SigningCredentials): Promise<Response>;
  /** Temporary credentials limited by `policy`. */
  token(policy: RamPolicy, ttlSeconds?: number): SigningCredentials;
  /** Every file under the data dir, relative, sorted. */
  files(): string[];
  restart(overrides?: Partial<StoreOptions>): Promise<void>;
  close(): Promise<void>;
}

function walk(dir: string, root: string, out: string[]): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, root, out);
    else out.push(relative(root, path));
  }
}

export async function startFixture(overrides: Partial<StoreOptions> & { buckets?: BucketConfig[] } = {}): Promise<StoreFixture> {
  const dataDir = mkdtempSync(join(tmpdir(), 'oss-store-test-'));
  const sts = new LocalSts(randomBytes(32));
  const options = (): StoreOptions => ({
    dataDir, sts, root: TEST_ROOT, port: 0, buckets: [{ name: TEST_BUCKET }], ...overrides,
  });
  let store = await startStore(options());
  const fixture: StoreFixture = {
    get url() {
      return store.url;
    },
    dataDir,
    sts,
    send: (r, creds = TEST_ROOT) => signedFetch(store.url, creds, r),
    token(policy, ttlSeconds = 3600) {
      const c = sts.mint(policy, ttlSeconds);
      return { accessKeyId: c.AccessKeyId, accessKeySecret: c.AccessKeySecret, securityToken: c.SecurityToken };
    },
    files() {
      const out: string[] = [];
      walk(dataDir, dataDir, out);
      return out.sort();
    },
    async restart(more = {}) {
      await store.close();
      Object.assign(overrides, more);
      store = await startStore(options());
    },
    async close() {
      await store.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return fixture;
}

/** The text of the first `<tag>` in `xml`, entities decoded. */
export function xmlValue(xml: string, tag: string): string | undefined {
  return xmlValues(xml, tag)[0];
}

export function xmlValues(xml: string, tag: string): string[] {
  return [...xml.matchAll(new RegExp(`<${tag}>([^<]*)</${tag}>`, 'g'))].map((m) =>
    m[1]!.replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&'),
  );
}

/** A `<CompleteMultipartUpload>` body. */
export function completeXml(parts: readonly { partNumber: number; etag: string }[]): string {
  return '<CompleteMultipartUpload>' +
    parts.map((p) => `<Part><PartNumber>${p.partNumber}</PartNumber><ETag>${p.etag}</ETag></Part>`).join('') +
    '</CompleteMultipartUpload>';
}

/** Waits until `check` holds (polling), for effects that follow a closed connection. */
export async function eventually(check: () => boolean, timeoutMs = 2000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
