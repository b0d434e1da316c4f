/**
 * What the framework typings share: the elements' settable properties and their events,
 * derived from the classes and from `GlobalEventHandlersEventMap`, so they cannot drift.
 */
import type { OssIncompleteUploads } from './element/incomplete-uploads/oss-incomplete-uploads.js';
import type { OssUploader } from './element/uploader/oss-uploader.js';

/** The properties a page sets on `<oss-uploader>` (each also has its attribute). */
export type OssUploaderProperties = Pick<OssUploader,
  | 'tokenUrl' | 'endpoint' | 'bucket' | 'region' | 'keyPrefix' | 'dialect' | 'signatureVersion' | 'partSize' | 'concurrency'
  | 'accept' | 'maxFileSize' | 'maxFiles' | 'multiple' | 'autoStart' | 'pasteTarget' | 'name' | 'required' | 'disabled'
  | 'keyFor' | 'credentials' | 'resumeStore'>;

/** The properties a page sets on `<oss-incomplete-uploads>`. */
export type OssIncompleteUploadsProperties = Pick<OssIncompleteUploads, 'tokenUrl' | 'pageSize' | 'staleAfter' | 'credentials'>;

/** `<oss-uploader>`'s events, by name. */
export interface OssUploaderEvents {
  'oss-files-added': GlobalEventHandlersEventMap['oss-files-added'];
  'oss-start': GlobalEventHandlersEventMap['oss-start'];
  'oss-progress': GlobalEventHandlersEventMap['oss-progress'];
  'oss-success': GlobalEventHandlersEventMap['oss-success'];
  'oss-error': GlobalEventHandlersEventMap['oss-error'];
  'oss-cancel': GlobalEventHandlersEventMap['oss-cancel'];
  'oss-resume': GlobalEventHandlersEventMap['oss-resume'];
  'oss-abort': GlobalEventHandlersEventMap['oss-abort'];
  'oss-complete': GlobalEventHandlersEventMap['oss-complete'];
}

/** `<oss-incomplete-uploads>`'s events, by name. */
export interface OssIncompleteUploadsEvents {
  'oss-incomplete-abort': GlobalEventHandlersEventMap['oss-incomplete-abort'];
}
