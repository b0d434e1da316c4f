/**
 * The strings the elements show, as a typed interface: plain strings where nothing varies,
 * functions where a count or a value goes in (so every language can do its own plurals and
 * word order). Numbers, sizes and durations arrive already formatted with `Intl`.
 */
import type { ItemState } from './uploader/upload-item.js';

export interface Translation {
  /** BCP 47 code the translation is registered under, e.g. `en`, `zh-CN`. */
  $code: string;
  /** The language's own name, e.g. `English`, `简体中文`. */
  $name: string;
  $dir: 'ltr' | 'rtl';

  // ---- drop zone --------------------------------------------------------------------
  /** The drop zone button's label. */
  chooseFiles: (multiple: boolean) => string;
  /** Shown under it. */
  dropOrPaste: (multiple: boolean) => string;
  /** Restrictions shown under the drop zone, each already formatted. */
  hintAccept: (types: string) => string;
  hintMaxSize: (size: string) => string;
  hintMaxFiles: (count: number) => string;

  // ---- per-file actions (accessible names: English exactly Cancel/Resume/Abort/Retry/Remove)
  cancel: string;
  resume: string;
  abort: string;
  retry: string;
  remove: string;
  /** The button that starts every file not started yet. */
  uploadFiles: (count: number) => string;

  // ---- states -----------------------------------------------------------------------
  state: Record<ItemState, string>;
  /** State text of a file that matches an upload interrupted earlier (before a reload). */
  interruptedEarlier: (uploadedPercent: string | undefined) => string;

  // ---- progress ---------------------------------------------------------------------
  /** Accessible name of a file's progress bar. */
  progressOf: (name: string) => string;
  overallProgress: string;
  /** e.g. "1.2 MB of 3 MB". */
  bytesOf: (done: string, total: string) => string;
  /** e.g. "2 of 5 files uploaded". */
  filesDone: (done: number, total: number) => string;
  /** e.g. "1.2 MB/s". */
  speed: (rate: string) => string;
  /** e.g. "3 min 20 s left". */
  timeLeft: (duration: string) => string;
  fileList: string;

  // ---- restrictions and messages ------------------------------------------------------
  rejectedType: (name: string, accepted: string) => string;
  rejectedSize: (name: string, size: string, max: string) => string;
  rejectedCount: (max: number, notAdded: number) => string;
  rejectedDuplicate: (name: string) => string;
  /** The page refused the files (`oss-files-added` was cancelled). */
  rejectedByPage: (count: number) => string;
  messages: string;

  // ---- errors -----------------------------------------------------------------------
  /** A headline per kind of failure; the store's own message and codes follow it. */
  errorCredentials: string;
  errorNetwork: string;
  errorAccess: string;
  errorCors: string;
  errorIntegrity: string;
  errorConfig: string;
  errorOther: string;
  errorCode: (code: string) => string;
  requestId: (id: string) => string;

  // ---- live region ------------------------------------------------------------------
  filesAdded: (count: number) => string;
  announceState: (name: string, state: string) => string;
  removed: (name: string) => string;

  // ---- form validity ----------------------------------------------------------------
  validationRequired: string;
  validationRunning: string;

  // ---- <oss-incomplete-uploads> -----------------------------------------------------
  incompleteTitle: string;
  incompleteEmpty: string;
  incompleteKey: string;
  incompleteStarted: string;
  incompleteUploadId: string;
  incompleteActions: string;
  incompleteStale: string;
  incompleteRefresh: string;
  incompletePrevious: string;
  incompleteNext: string;
  incompletePage: (page: number) => string;
  incompleteLoading: string;
  incompleteAbortStale: string;
  incompleteAborted: (count: number) => string;
  incompleteAbortFailed: (key: string) => string;
}

/** A translation that may leave strings out; the missing ones come from English. */
export type PartialTranslation = Partial<Translation> & Pick<Translation, '$code'>;
