/** English, the default and the fallback for any string another language leaves out. */
import type { Translation } from '../translation.js';

const plural = (n: number, one: string, other: string) => (n === 1 ? one : other);

export const en: Translation = {
  $code: 'en',
  $name: 'English',
  $dir: 'ltr',

  chooseFiles: (multiple) => (multiple ? 'Choose files' : 'Choose a file'),
  dropOrPaste: (multiple) => (multiple ? 'or drop them here, folders too, or paste' : 'or drop it here, or paste'),
  hintAccept: (types) => `Accepted: ${types}`,
  hintMaxSize: (size) => `Up to ${size} each`,
  hintMaxFiles: (count) => `At most ${count} ${plural(count, 'file', 'files')}`,

  cancel: 'Cancel',
  resume: 'Resume',
  abort: 'Abort',
  retry: 'Retry',
  remove: 'Remove',
  uploadFiles: (count) => `Upload ${count} ${plural(count, 'file', 'files')}`,

  state: {
    idle: 'Ready',
    queued: 'Waiting',
    interrupted: 'Interrupted earlier',
    preparing: 'Preparing',
    uploading: 'Uploading',
    offline: 'Waiting for the network',
    completing: 'Completing',
    verifying: 'Verifying',
    done: 'Uploaded',
    cancelled: 'Cancelled',
    failed: 'Failed',
    aborting: 'Aborting',
    aborted: 'Aborted',
  },
  interruptedEarlier: (pct) => `Interrupted earlier${pct ? ` with ${pct} uploaded` : ''}. Resume it?`,

  progressOf: (name) => `Progress of ${name}`,
  overallProgress: 'Overall progress',
  bytesOf: (done, total) => `${done} of ${total}`,
  filesDone: (done, total) => `${done} of ${total} ${plural(total, 'file', 'files')} uploaded`,
  speed: (rate) => rate,
  timeLeft: (duration) => `${duration} left`,
  fileList: 'Files',

  rejectedType: (name, accepted) => `“${name}” was not added: only ${accepted} can be uploaded.`,
  rejectedSize: (name, size, max) => `“${name}” was not added: it is ${size}, larger than the limit of ${max}.`,
  rejectedCount: (max, notAdded) =>
    `${notAdded} ${plural(notAdded, 'file was', 'files were')} not added: at most ${max} ${plural(max, 'file', 'files')} can be uploaded.`,
  rejectedDuplicate: (name) => `“${name}” is already in the list.`,
  rejectedByPage: (count) => `${count} ${plural(count, 'file was', 'files were')} not accepted by this page.`,
  messages: 'Messages',

  errorCredentials: 'Could not get permission to upload.',
  errorNetwork: 'The storage service could not be reached.',
  errorAccess: 'The storage service refused the upload.',
  errorCors: 'The bucket’s CORS settings block the upload.',
  errorIntegrity: 'The data arrived corrupted.',
  errorConfig: 'The uploader is not configured correctly.',
  errorOther: 'The upload failed.',
  errorCode: (code) => `Code: ${code}`,
  requestId: (id) => `Request ID: ${id}`,

  filesAdded: (count) => `${count} ${plural(count, 'file', 'files')} added.`,
  announceState: (name, state) => `${name}: ${state}.`,
  removed: (name) => `${name} removed.`,

  validationRequired: 'Upload at least one file.',
  validationRunning: 'Wait until the uploads have finished.',

  incompleteTitle: 'Incomplete uploads',
  incompleteEmpty: 'No incomplete uploads.',
  incompleteKey: 'Object key',
  incompleteStarted: 'Started',
  incompleteUploadId: 'Upload ID',
  incompleteActions: 'Actions',
  incompleteStale: 'stale',
  incompleteRefresh: 'Refresh',
  incompletePrevious: 'Previous page',
  incompleteNext: 'Next page',
  incompletePage: (page) => `Page ${page}`,
  incompleteLoading: 'Loading…',
  incompleteAbortStale: 'Abort all stale uploads',
  incompleteAborted: (count) => `${count} ${plural(count, 'upload', 'uploads')} aborted.`,
  incompleteAbortFailed: (key) => `Could not confirm that ${key} was aborted; it will be tried again.`,
};
