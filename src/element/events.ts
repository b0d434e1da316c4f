/**
 * The elements' events: `oss-*` CustomEvents that bubble and cross shadow roots, typed in
 * `GlobalEventHandlersEventMap` so `el.addEventListener('oss-success', (e) => e.detail.key)`
 * type-checks. None carries credentials.
 */
import type { UploadError, UploadProgress, UploadResult } from '../core/index.js';

/** Identifies a file in the list. */
export interface OssFileDetail {
  /** Unique within the page; the same for every event about this file. */
  id: string;
  file: File;
  /** The object key, once known. */
  key: string | undefined;
}

export interface OssFilesAddedDetail {
  /** The files about to be added (restrictions already applied). Cancel the event to refuse them all. */
  files: File[];
}

export interface OssStartDetail extends OssFileDetail {}

export interface OssProgressDetail extends OssFileDetail {
  progress: UploadProgress;
  /** Bytes and fraction over every file in the list that is not aborted. */
  overall: { committedBytes: number; totalBytes: number; fraction: number };
}

export interface OssSuccessDetail extends OssFileDetail {
  key: string;
  location: string;
  etag: string | undefined;
  /** CRC-64/ECMA of the object, unsigned decimal. */
  crc64: string;
  bucket: string;
  size: number;
  /** Whether the store's own CRC-64 was seen to match. */
  verified: boolean;
}

export interface OssErrorDetail extends OssFileDetail {
  error: UploadError;
}

export interface OssCancelDetail extends OssFileDetail {}

export interface OssResumeDetail extends OssFileDetail {
  /** True when this is a retry after a failure, false when resuming after a cancel or interruption. */
  retry: boolean;
}

export interface OssAbortDetail extends OssFileDetail {
  /** Whether the store confirmed that no part is left (else the abort is retried on a later load). */
  confirmed: boolean;
}

export interface OssCompleteDetail {
  successful: OssSuccessDetail[];
  failed: OssErrorDetail[];
  /** Files that ended cancelled or aborted. */
  stopped: OssFileDetail[];
}

export interface OssIncompleteAbortDetail {
  key: string;
  uploadId: string;
  confirmed: boolean;
}

declare global {
  interface GlobalEventHandlersEventMap {
    'oss-files-added': CustomEvent<OssFilesAddedDetail>;
    'oss-start': CustomEvent<OssStartDetail>;
    'oss-progress': CustomEvent<OssProgressDetail>;
    'oss-success': CustomEvent<OssSuccessDetail>;
    'oss-error': CustomEvent<OssErrorDetail>;
    'oss-cancel': CustomEvent<OssCancelDetail>;
    'oss-resume': CustomEvent<OssResumeDetail>;
    'oss-abort': CustomEvent<OssAbortDetail>;
    'oss-complete': CustomEvent<OssCompleteDetail>;
    'oss-incomplete-abort': CustomEvent<OssIncompleteAbortDetail>;
  }
}

export type OssEventName = {
  [K in keyof GlobalEventHandlersEventMap]: K extends `oss-${string}` ? K : never
}[keyof GlobalEventHandlersEventMap];

export type DetailOf<K extends OssEventName> = GlobalEventHandlersEventMap[K] extends CustomEvent<infer D> ? D : never;

/** Dispatches `name` on `target` (bubbles, composed). Returns false if a listener cancelled it. */
export function emit<K extends OssEventName>(target: EventTarget, name: K, detail: DetailOf<K>, cancelable = false): boolean {
  return target.dispatchEvent(new CustomEvent(name, { bubbles: true, composed: true, cancelable, detail }));
}

/** The success detail of a result. */
export function successDetail(base: OssFileDetail, r: UploadResult): OssSuccessDetail {
  return { ...base, key: r.key, location: r.location, etag: r.etag, crc64: r.crc64 ?? '', bucket: r.bucket, size: r.size, verified: r.verified };
}
