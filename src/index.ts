/**
 * oss-uploader: the `<oss-uploader>` element class (not registered: import
 * `oss-uploader/define` for that) and the framework-free engine it runs on.
 */
export * from './core/index.js';
export { OssUploader, type UploadSnapshot } from './element/uploader/oss-uploader.js';
export { FILES_AT_ONCE } from './element/uploader/upload-queue.js';
export { OssIncompleteUploads } from './element/incomplete-uploads/oss-incomplete-uploads.js';
export { registerTranslation, translationFor, loadTranslation, formatBytes, formatDuration } from './element/localize.js';
export type { Translation, PartialTranslation } from './element/translation.js';
export type { ItemState, ItemAction } from './element/uploader/upload-item.js';
export { parseSize } from './element/restrictions.js';
export type * from './element/events.js';
