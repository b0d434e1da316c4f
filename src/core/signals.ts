/** Helpers that make every wait end when its AbortSignal aborts, so no promise hangs. */
import { UploadError } from './errors.js';

/** Waits `ms`, or rejects (see {@link UploadError.fromAbort}) as soon as `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(UploadError.fromAbort(signal));
    const onAbort = () => {
      clearTimeout(timer);
      reject(UploadError.fromAbort(signal!));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** `promise`, or a rejection as soon as `signal` aborts; the promise itself goes on. */
export function raceSignal<T>(promise: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(UploadError.fromAbort(signal));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(UploadError.fromAbort(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => { signal.removeEventListener('abort', onAbort); resolve(v); },
      (e) => { signal.removeEventListener('abort', onAbort); reject(e); },
    );
  });
}

/**
 * `promise`'s value, or undefined after `ms` or on failure: for calls that may not hold up
 * an upload (IndexedDB can stall), whose failure only costs a resume record.
 */
export function within<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(undefined), ms);
    promise.then(
      (v) => { clearTimeout(timer); resolve(v); },
      () => { clearTimeout(timer); resolve(undefined); },
    );
  });
}
