// Runs in the throttled benchmark page: uploads an in-memory file with the engine and
// records every progress event and every UploadPart (its size and when it was sent and
// answered), for bench/throttled.ts to judge.
import { MemoryResumeStore, UploadClient } from '../src/core/index.js';

export interface ThrottledRun {
  seconds: number;
  size: number;
  /** [ms since start(), committedBytes, etaSeconds (or -1), bytesPerSecond] per progress event. */
  events: [number, number, number, number][];
  /** [partNumber, bytes, sentAtMs, answeredAtMs] per UploadPart (PutObject as part 0). */
  parts: [number, number, number, number][];
  verified: boolean;
}

declare global {
  interface Window {
    throttled: {
      upload(opts: { user: string; size: number; dialect?: string; partSize?: number; concurrency?: number; picked?: boolean }): Promise<ThrottledRun>;
    };
  }
}

function makeFile(size: number, seed: number): File {
  const bytes = new Uint8Array(size);
  const words = new Uint32Array(bytes.buffer, 0, Math.floor(size / 4));
  let x = seed >>> 0 || 1;
  for (let i = 0; i < words.length; i++) {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    words[i] = x;
  }
  return new File([bytes], `throttled-${size}.bin`, { type: 'application/octet-stream', lastModified: Date.now() });
}

window.throttled = {
  async upload({ user, size, dialect, partSize, concurrency, picked }) {
    // Large files are picked from disk (a disk-backed File, as a user's would be).
    const file = picked ? (document.getElementById('file') as HTMLInputElement).files![0]! : makeFile(size, Date.now() & 0xffff);
    const parts: ThrottledRun['parts'] = [];
    let t0 = 0;
    const spy: typeof fetch = async (input, init) => {
      const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url, location.href);
      const body = init?.body;
      const isPart = init?.method === 'PUT' && body instanceof Blob;
      const sent = performance.now() - t0;
      const res = await fetch(input, init);
      if (isPart) parts.push([Number(url.searchParams.get('partNumber') ?? 0), (body as Blob).size, sent, performance.now() - t0]);
      return res;
    };
    const client = new UploadClient({
      tokenUrl: `/api/sts-token?user=${user}${dialect ? `&dialect=${dialect}` : ''}`, resumeStore: new MemoryResumeStore(), fetch: spy,
      ...(partSize ? { partSize } : {}), ...(concurrency ? { concurrency } : {}),
    });
    const upload = client.createUpload(file);
    const events: ThrottledRun['events'] = [];
    upload.addEventListener('progress', (e) => {
      const p = e.progress;
      events.push([performance.now() - t0, p.committedBytes, p.etaSeconds ?? -1, p.bytesPerSecond]);
    });
    t0 = performance.now();
    const result = await upload.start();
    const seconds = (performance.now() - t0) / 1000;
    client.dispose();
    return { seconds, size, events, parts, verified: result.verified };
  },
};
