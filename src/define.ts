/**
 * Registers `<oss-uploader>` and `<oss-incomplete-uploads>` (once, whoever imports this first).
 * The panel registered here is only its properties and methods: its code is a separate chunk
 * imported when the first `<oss-incomplete-uploads>` connects, so an uploading page never loads it.
 *
 * ```html
 * <script type="module">import 'oss-uploader/define';</script>
 * <oss-uploader token-url="/api/sts-token"></oss-uploader>
 * ```
 */
import { OssIncompleteUploads } from './element/incomplete-uploads/oss-incomplete-uploads.js';
import { OssUploader } from './element/uploader/oss-uploader.js';

if (!customElements.get('oss-uploader')) customElements.define('oss-uploader', OssUploader);
if (!customElements.get('oss-incomplete-uploads')) customElements.define('oss-incomplete-uploads', OssIncompleteUploads);

declare global {
  interface HTMLElementTagNameMap {
    'oss-uploader': OssUploader;
    'oss-incomplete-uploads': OssIncompleteUploads;
  }
}

export { OssIncompleteUploads, OssUploader };
