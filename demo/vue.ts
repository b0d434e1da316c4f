/** The Vue page: <oss-uploader> rendered with h() render functions (runtime-only Vue, no eval). */
import { createApp, defineComponent, h, ref } from 'vue';
import type { OssSuccessDetail } from '../src/element/events.js';
import { demoTokenUrl, languagePicker, logEvents, pageText, storePicker } from './shared.js';

languagePicker(document.querySelector<HTMLSelectElement>('#lang')!);
void storePicker(document.querySelector<HTMLSelectElement>('#store')!);
logEvents(document, document.querySelector<HTMLElement>('#log')!);

const App = defineComponent({
  setup() {
    const uploaded = ref<OssSuccessDetail[]>([]);
    // The page's language (the element follows it by itself).
    const language = ref(document.documentElement.lang);
    document.addEventListener('demo-language', () => { language.value = document.documentElement.lang; });
    // The store picked in the header.
    const tokenUrl = ref(demoTokenUrl());
    document.addEventListener('demo-store', () => { tokenUrl.value = demoTokenUrl(); });
    // Vue sets known properties on custom elements, and `onOssSuccess` listens for `oss-success`.
    return () => h('div', [
      h('oss-uploader', {
        tokenUrl: tokenUrl.value,
        multiple: true,
        autoStart: true,
        onOssSuccess: (e: CustomEvent<OssSuccessDetail>) => uploaded.value.push(e.detail),
      }),
      h('h3', { lang: language.value }, `${pageText('uploaded')} (${uploaded.value.length})`),
      h('ul', uploaded.value.map((u) => h('li', { key: u.id }, `${u.key} (${u.size} bytes)`))),
    ]);
  },
});

createApp(App).mount('#app');
