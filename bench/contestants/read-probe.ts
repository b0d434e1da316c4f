/**
 * Profiling only: reads (and optionally CRC-64s) the whole file in 8 MiB parts, 4 at a time,
 * in `variant.workers` workers, the way given by `variant.how` (`stream`, `slices:<KiB>`); nothing is uploaded.
 */
import type { ContestantModule, Session, StartOptions } from '../page/contract.js';

export function start(file: File, opts: StartOptions): Session {
  const v = opts.variant ?? {};
  const workers = Array.from({ length: Number(v.workers ?? 2) }, () => new Worker(new URL('./read-probe-worker.js', import.meta.url), { type: 'module' }));
  const partSize = opts.partSize ?? 8 * 1024 * 1024;
  const count = Math.ceil(file.size / partSize);
  const waiting = new Map<number, (n: number) => void>();
  for (const w of workers) w.onmessage = (e) => waiting.get(e.data.id)?.(e.data.n);
  let next = 0;
  let turn = 0;
  const done = Promise.all(Array.from({ length: opts.concurrency ?? 4 }, async () => {
    while (next < count) {
      const i = next++;
      await new Promise<number>((resolve) => {
        waiting.set(i, resolve);
        workers[turn++ % workers.length]!.postMessage({ id: i, blob: file.slice(i * partSize, (i + 1) * partSize), how: String(v.how ?? 'stream'), crc: v.crc !== false });
      });
    }
  })).then(() => { for (const w of workers) w.terminate(); return {}; });
  return { done, cancel: () => undefined };
}

const _check: ContestantModule = { start };
void _check;
