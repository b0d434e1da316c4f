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
  /** Paused because the network is gone; goes on by itself (same uploadId) when it is back. */
  | 'offline'
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
  /** The object's checksum as computed here, in the dialect's algorithm (unsigned decimal); undefined for stores without one. */
  checksum: { algorithm: 'crc64xz' | 'crc64nvme'; value: string } | undefined;
  /** `checksum.value`: the object's CRC-64 in decimal, when the dialect has one. */
  crc64: string | undefined;
  /** Whether the store was seen to hold exactly these bytes: its checksum matched ours, or every part was confirmed (Content-MD5, ETag). */
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
