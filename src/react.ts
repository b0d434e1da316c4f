/**
 * Types for React 19 with TSX: `<oss-uploader>` and `<oss-incomplete-uploads>` in
 * `JSX.IntrinsicElements`, with every property typed and every event as an
 * `on<event-name>` prop (React 19 sets known properties and listens for `onoss-success`
 * as the `oss-success` event). Type-only; bring it in once, e.g. in `src/vite-env.d.ts`:
 *
 * ```ts
 * /// <reference types="oss-uploader/react" />
 * ```
 *
 * or `import type {} from 'oss-uploader/react';` next to `import 'oss-uploader/define';`.
 */
import type { DetailedHTMLProps, HTMLAttributes } from 'react';
import type { OssIncompleteUploads } from './element/incomplete-uploads/oss-incomplete-uploads.js';
import type { OssUploader } from './element/uploader/oss-uploader.js';
import type { OssIncompleteUploadsEvents, OssIncompleteUploadsProperties, OssUploaderEvents, OssUploaderProperties } from './jsx-types.js';

/** `on<event-name>` props, as React 19 maps them onto a custom element's events. */
type EventProps<Events> = { [K in keyof Events as `on${K & string}`]?: (event: Events[K]) => void };

type ElementProps<El extends HTMLElement, Props, Events> =
  & Omit<DetailedHTMLProps<HTMLAttributes<El>, El>, keyof Props>
  & Partial<Props>
  & EventProps<Events>
  & { class?: string };

export type OssUploaderJsxProps = ElementProps<OssUploader, OssUploaderProperties, OssUploaderEvents>;
export type OssIncompleteUploadsJsxProps = ElementProps<OssIncompleteUploads, OssIncompleteUploadsProperties, OssIncompleteUploadsEvents>;

declare module 'react' {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace JSX {
    interface IntrinsicElements {
      'oss-uploader': OssUploaderJsxProps;
      'oss-incomplete-uploads': OssIncompleteUploadsJsxProps;
    }
  }
}
