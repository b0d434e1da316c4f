/**
 * The engine's typed events. An {@link Upload} is an `EventTarget` that dispatches these;
 * none of them carries credentials.
 */
import type { UploadError } from './errors.js';
import type { UploadProgress } from './progress.js';

export type UploadState =
  | 'idle'
  | 'preparing'
  | 'uploading'
  | 'completing'
  | 'verifying'
  | 'done'
  | 'cancelled'
  | 'failed'
  | 'aborting'
  | 'aborted';

/** What a finished upload produced. */
export interface UploadResult {
  bucket: string;
  key: string;
  /** URL of the object. */
  location: string;
  /** The store's ETag of the object, when known. */
  etag: string | undefined;
  /** CRC-64/XZ of the object, unsigned decimal (the `x-oss-hash-crc64ecma` form). */
  crc64: string;
  /** Whether the store's own CRC-64 was seen to match ours (false when CORS hid it). */
  verified: boolean;
  size: number;
}

export class UploadStateEvent extends Event {
  constructor(readonly state: UploadState, readonly previous: UploadState) {
    super('statechange');
  }
}

export class UploadProgressEvent extends Event {
  constructor(readonly progress: UploadProgress) {
    super('progress');
  }
}

export class UploadSuccessEvent extends Event {
  constructor(readonly result: UploadResult) {
    super('success');
  }
}

export class UploadErrorEvent extends Event {
  constructor(readonly error: UploadError) {
    super('error');
  }
}

export interface UploadEventMap {
  statechange: UploadStateEvent;
  progress: UploadProgressEvent;
  success: UploadSuccessEvent;
  error: UploadErrorEvent;
}

/** States from which nothing more happens without a new action. */
export const SETTLED_STATES: ReadonlySet<UploadState> = new Set(['idle', 'done', 'cancelled', 'failed', 'aborted']);
