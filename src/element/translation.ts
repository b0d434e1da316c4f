/**
 * The strings the elements show, as a typed interface: plain strings where nothing varies,
 * functions where a count or a value goes in (so every language can do its own plurals and
 * word order). Numbers, sizes and durations arrive already formatted with `Intl`.
 */
import type { ErrorClass } from './error-class.js';
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
  /** The button that opens a folder picker (with `multiple`). */
  chooseFolder: string;
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
  /** Batch buttons: cancel every running or waiting upload; resume every cancelled or interrupted one. */
  cancelAll: string;
  resumeAll: string;

  // ---- confirmations (destructive actions ask first, inside the element) --------------
  /** Abort a file's upload: its parts on the store are deleted. */
  confirmAbort: (name: string) => string;
  /** The button that confirms it. */
  confirmAbortButton: string;
  /** Remove a row whose parts are on the store: they are deleted too. */
  confirmRemove: (name: string) => string;
  confirmRemoveButton: string;
  /** The safe answer to any confirmation. */
  keep: string;

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
  /** e.g. "1 aborted", after the count of the others. */
  filesAborted: (count: number) => string;
  /** The summary when every file in the list was aborted. */
  nothingToUpload: string;
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
  /** The button that dismisses a message. */
  dismiss: string;

  // ---- errors -----------------------------------------------------------------------
  /**
   * What a failed row says, one message per class of failure, in plain words with what to
   * do next; the technical details (code, the store's message, the request ID) sit behind
   * a disclosure.
   */
  error: Record<ErrorClass, string>;
  /** The disclosure's summary. */
  errorDetails: string;
  errorCode: (code: string) => string;
  /** The store's or engine's own message. */
  errorMessage: (message: string) => string;
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
  /** Confirmation of "Abort all stale uploads". */
  incompleteConfirmAbortStale: string;
  /** Confirmation of one listed upload's Abort. */
  incompleteConfirmAbort: (key: string) => string;
  incompleteAborted: (count: number) => string;
  incompleteAbortFailed: (key: string) => string;
}

/** A translation that may leave strings out; the missing ones come from English. */
export type PartialTranslation = {
  [K in keyof Translation]?: Translation[K] extends Record<string, string> ? Partial<Translation[K]> : Translation[K];
} & Pick<Translation, '$code'>;
