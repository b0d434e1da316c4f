/** Helpers that make every wait end when its AbortSignal aborts, so no promise hangs. */
import { UploadError } from './errors.js';

/** Waits `ms`, or rejects with `Cancelled` as soon as `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(UploadError.cancelled(signal));
    const onAbort = () => {
      clearTimeout(timer);
      reject(UploadError.cancelled(signal));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** `promise`, or a `Cancelled` rejection as soon as `signal` aborts; the promise itself goes on. */
export function raceSignal<T>(promise: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(UploadError.cancelled(signal));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(UploadError.cancelled(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => { signal.removeEventListener('abort', onAbort); resolve(v); },
      (e) => { signal.removeEventListener('abort', onAbort); reject(e); },
    );
  });
}

/** A signal that aborts when any of `signals` does. */
export function anySignal(...signals: (AbortSignal | undefined)[]): AbortSignal {
  return AbortSignal.any(signals.filter((s): s is AbortSignal => s !== undefined));
}
