/**
 * Types for Vue 3 templates (checked by vue-tsc / Volar): `<oss-uploader>` and
 * `<oss-incomplete-uploads>` in `GlobalComponents`, with every property typed (write them
 * kebab-case or camelCase: `:max-files="3"`) and every event (`@oss-success="…"`).
 * Type-only; bring it in once, e.g. in `src/env.d.ts`:
 *
 * ```ts
 * /// <reference types="oss-uploader/vue" />
 * ```
 *
 * (and tell Vue the tags are custom elements: `compilerOptions.isCustomElement`, see the README).
 */
import type { EmitFn, HTMLAttributes, PublicProps } from 'vue';
import type { OssIncompleteUploads } from './element/incomplete-uploads/oss-incomplete-uploads.js';
import type { OssUploader } from './element/uploader/oss-uploader.js';
import type { OssIncompleteUploadsEvents, OssIncompleteUploadsProperties, OssUploaderEvents, OssUploaderProperties } from './jsx-types.js';

/** A custom element as a Vue component type, the way Vue's guide on Web Components and TypeScript describes it. */
export type DefineCustomElement<El extends HTMLElement, Props, Events> = new () => El & {
  /** @deprecated For template type checking only; not on the element. */
  $props: Omit<HTMLAttributes, keyof Props> & Partial<Props> & PublicProps;
  /** @deprecated For template type checking only; not on the element. */
  $emit: EmitFn<{ [K in keyof Events]: (event: Events[K]) => void }>;
};

declare module 'vue' {
  interface GlobalComponents {
    'oss-uploader': DefineCustomElement<OssUploader, OssUploaderProperties, OssUploaderEvents>;
    'oss-incomplete-uploads': DefineCustomElement<OssIncompleteUploads, OssIncompleteUploadsProperties, OssIncompleteUploadsEvents>;
  }
}
