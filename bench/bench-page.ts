// Runs in the benchmark page: uploads the picked (disk-backed) file with the engine and
// reports timings to the driver through window.bench.
import { MemoryResumeStore, UploadClient } from '../src/core/index.js';

declare global {
  interface Window {
    bench: {
      upload(opts: { user: string; partSize?: number; concurrency?: number; cancelAfterMs?: number }): Promise<Record<string, number | string>>;
    };
  }
}

window.bench = {
  async upload({ user, partSize, concurrency, cancelAfterMs }) {
    const file = (document.getElementById('file') as HTMLInputElement).files![0]!;
    const client = new UploadClient({
      tokenUrl: `/api/sts-token?user=${user}`, resumeStore: new MemoryResumeStore(),
      ...(partSize ? { partSize } : {}), ...(concurrency ? { concurrency } : {}),
    });
    const upload = client.createUpload(file);
    const t0 = performance.now();
    const running = upload.start();
    if (cancelAfterMs !== undefined) {
      await new Promise((r) => setTimeout(r, cancelAfterMs));
      const c0 = performance.now();
      await upload.cancel();
      const cancelSettledMs = performance.now() - c0;
      await running.catch(() => undefined);
      const out = { cancelSettledMs, state: upload.state, committed: upload.progress.committedBytes };
      await upload.abort();
      client.dispose();
      return out;
    }
    const result = await running;
    const seconds = (performance.now() - t0) / 1000;
    client.dispose();
    return { seconds, bytes: file.size, crc64: result.crc64 ?? '', verified: String(result.verified) };
  },
};
