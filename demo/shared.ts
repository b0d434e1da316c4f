/**
 * What the three demo pages share: the element's registration, the header (navigation and
 * language), and an event log that shows each `oss-*` event's detail as text.
 */
import '../src/define.js';

const EVENTS = [
  'oss-files-added', 'oss-start', 'oss-success', 'oss-error', 'oss-cancel', 'oss-resume', 'oss-abort', 'oss-complete', 'oss-incomplete-abort',
] as const;

/** A one-line summary of an event's detail (no credentials are ever in one). */
function summary(type: string, detail: Record<string, unknown>): string {
  const file = detail['file'] instanceof File ? (detail['file'].webkitRelativePath || detail['file'].name) : undefined;
  switch (type) {
    case 'oss-files-added': return `${(detail['files'] as File[]).length} file(s)`;
    case 'oss-success': return `${detail['key']} etag=${detail['etag']} crc64=${detail['crc64']}`;
    case 'oss-error': {
      const e = detail['error'] as { code: string; message: string; requestId?: string };
      return `${file}: ${e.code} ${e.message}${e.requestId ? ` (request ${e.requestId})` : ''}`;
    }
    case 'oss-abort': return `${file ?? detail['key']} confirmed=${detail['confirmed']}`;
    case 'oss-incomplete-abort': return `${detail['key']} confirmed=${detail['confirmed']}`;
    case 'oss-complete': {
      const d = detail as { successful: unknown[]; failed: unknown[]; stopped: unknown[] };
      return `${d.successful.length} done, ${d.failed.length} failed, ${d.stopped.length} stopped`;
    }
    default: return file ?? '';
  }
}

/** Logs the `oss-*` events that reach `target` into the list `log` (newest first, at most 50). */
export function logEvents(target: EventTarget, log: HTMLElement): void {
  for (const type of EVENTS) {
    target.addEventListener(type, (e) => {
      const li = document.createElement('li');
      li.textContent = `${new Date().toLocaleTimeString()} ${type} ${summary(type, (e as CustomEvent).detail ?? {})}`;
      log.prepend(li);
      while (log.children.length > 50) log.lastElementChild!.remove();
    });
  }
}

/** The demo pages' own texts (the elements bring theirs). `code` spans are written in backticks. */
const PAGE_TEXT = {
  en: {
    nav: 'Demo pages',
    navPlain: 'Plain HTML',
    language: 'Language',
    titlePlain: 'Upload files (plain HTML)',
    titleReact: 'Upload files (React)',
    titleVue: 'Upload files (Vue)',
    submit: 'Submit the form',
    events: 'Events',
    logEmpty: 'No events yet: they appear here as files are added and uploaded.',
    admin: 'Administration',
    noFiles: 'No files uploaded.',
    uploaded: 'Uploaded',
    notePlain: 'One module script and one tag. Uploads go to the local store under `uploads/demo/` with short-lived credentials from `/api/sts-token`. Cancel a large upload, reload the page and pick the same file again: it offers to resume.',
    noteAdmin: 'Multipart uploads left open under the prefix, read with an administrative token (`/api/sts-token?scope=admin`); an ordinary upload token lists only its own user\'s. Stale means older than a minute here.',
    store: 'Store',
    storeOss: 'Alibaba Cloud OSS (local store)',
    storeObs: 'Huawei Cloud OBS (local store)',
    storeS3: 'S3 (local store)',
    storeRgw: 'S3 (Ceph RGW)',
    noteReact: 'The same element rendered by React 19 with `React.createElement`; properties and `oss-*` events pass straight through.',
    noteVue: 'The same element rendered by Vue 3 with `h()` render functions (the runtime-only build: no template compiler, no eval).',
  },
  'zh-CN': {
    nav: '演示页面',
    navPlain: '纯 HTML',
    language: '语言',
    titlePlain: '上传文件（纯 HTML）',
    titleReact: '上传文件（React）',
    titleVue: '上传文件（Vue）',
    submit: '提交表单',
    events: '事件',
    logEmpty: '还没有事件：添加和上传文件时会显示在这里。',
    admin: '管理',
    noFiles: '没有已上传的文件。',
    uploaded: '已上传',
    notePlain: '一个模块脚本加一个标签。文件上传到本地存储的 `uploads/demo/` 下，使用来自 `/api/sts-token` 的短期凭证。取消一个大文件的上传，刷新页面后再次选择同一文件：它会提示继续上传。',
    noteAdmin: '前缀下仍未完成的分片上传，使用管理令牌（`/api/sts-token?scope=admin`）读取；普通上传令牌只能列出其用户自己的上传。此处超过一分钟即视为过期。',
    store: '存储',
    storeOss: '阿里云 OSS（本地存储）',
    storeObs: '华为云 OBS（本地存储）',
    storeS3: 'S3（本地存储）',
    storeRgw: 'S3（Ceph RGW）',
    noteReact: '同一个元素由 React 19 通过 `React.createElement` 渲染；属性和 `oss-*` 事件直接传递。',
    noteVue: '同一个元素由 Vue 3 通过 `h()` 渲染函数渲染（仅运行时构建：无模板编译器，无 eval）。',
  },
} as const;

type PageLanguage = keyof typeof PAGE_TEXT;
export type PageTextKey = keyof (typeof PAGE_TEXT)['en'];

function pageLanguage(): PageLanguage {
  return document.documentElement.lang === 'zh-CN' ? 'zh-CN' : 'en';
}

/** A text of the page in the language in force. */
export function pageText(key: PageTextKey): string {
  return PAGE_TEXT[pageLanguage()][key];
}

/** Puts `text` in `el`, with its backtick spans as `<code>` (built as nodes: no HTML parsing). */
function setWithCode(el: Element, text: string): void {
  el.replaceChildren(...text.split('`').map((part, i) => {
    if (i % 2 === 0) return document.createTextNode(part);
    const code = document.createElement('code');
    code.textContent = part;
    return code;
  }));
}

/** Translates the page's own texts (elements marked `data-i18n`, `data-i18n-html`, `data-i18n-label`). */
function translatePage(): void {
  for (const el of document.querySelectorAll<HTMLElement>('[data-i18n]')) el.textContent = pageText(el.dataset['i18n'] as PageTextKey);
  for (const el of document.querySelectorAll<HTMLElement>('[data-i18n-html]')) setWithCode(el, pageText(el.dataset['i18nHtml'] as PageTextKey));
  for (const el of document.querySelectorAll<HTMLElement>('[data-i18n-label]')) el.setAttribute('aria-label', pageText(el.dataset['i18nLabel'] as PageTextKey));
  document.dispatchEvent(new Event('demo-language'));
}

/**
 * The language picker in the header sets `lang` on the page, which the elements follow, and
 * translates the page around them. (The header's `.controls` can take more pickers.)
 */
export function languagePicker(select: HTMLSelectElement): void {
  const saved = localStorage.getItem('oss-demo-lang');
  if (saved) select.value = saved;
  const apply = () => {
    document.documentElement.lang = select.value;
    localStorage.setItem('oss-demo-lang', select.value);
    translatePage();
  };
  select.addEventListener('change', apply);
  apply();
}

/** The stores the demo can upload to: the local store in each dialect, and Ceph RGW when `npm start` found it. */
const STORES = {
  oss: { label: 'storeOss', tokenUrl: '/api/sts-token?dialect=oss' },
  obs: { label: 'storeObs', tokenUrl: '/api/sts-token?dialect=obs' },
  s3: { label: 'storeS3', tokenUrl: '/api/sts-token?dialect=s3' },
  rgw: { label: 'storeRgw', tokenUrl: '/api/sts-token-rgw' },
} as const satisfies Record<string, { label: PageTextKey; tokenUrl: string }>;
type StoreName = keyof typeof STORES;

let store: StoreName = 'oss';

/**
 * The token URL for the store picked in the header (`admin` for the incomplete-uploads panel).
 * The element learns the dialect from the token endpoint's answer: the demo sets no `dialect`.
 */
export function demoTokenUrl(admin = false): string {
  const url = STORES[store].tokenUrl;
  return admin ? `${url}${url.includes('?') ? '&' : '?'}scope=admin` : url;
}

/**
 * The store picker in the header: points every element on the page at the picked store's
 * token endpoint (framework pages re-render on `demo-store`). RGW is offered only when the
 * dev server runs with it.
 */
export async function storePicker(select: HTMLSelectElement): Promise<void> {
  const options = () => {
    for (const option of select.options) option.textContent = pageText(STORES[option.value as StoreName].label);
  };
  // The dev server says whether it found RGW (`npm start` after `eval "$(scripts/rgw/start.sh)"`).
  const offered: string[] = await fetch('/api/demo-stores').then((r) => r.json(), () => []);
  const rgw = offered.includes('rgw');
  select.replaceChildren(...(Object.keys(STORES) as StoreName[])
    .filter((name) => name !== 'rgw' || rgw)
    .map((name) => new Option('', name)));
  const saved = localStorage.getItem('oss-demo-store') as StoreName | null;
  if (saved && [...select.options].some((o) => o.value === saved)) select.value = saved;
  const apply = () => {
    store = select.value as StoreName;
    localStorage.setItem('oss-demo-store', store);
    for (const el of document.querySelectorAll('oss-uploader')) el.setAttribute('token-url', demoTokenUrl());
    for (const el of document.querySelectorAll('oss-incomplete-uploads')) el.setAttribute('token-url', demoTokenUrl(true));
    document.dispatchEvent(new Event('demo-store'));
  };
  options();
  document.addEventListener('demo-language', options);
  select.addEventListener('change', apply);
  apply();
}
