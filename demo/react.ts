/** The React page: <oss-uploader> rendered with React.createElement (no JSX build step needed). */
import { createElement as h, StrictMode, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import type { OssSuccessDetail } from '../src/element/events.js';
import { demoTokenUrl, languagePicker, logEvents, pageText, storePicker } from './shared.js';

languagePicker(document.querySelector<HTMLSelectElement>('#lang')!);
void storePicker(document.querySelector<HTMLSelectElement>('#store')!);
logEvents(document, document.querySelector<HTMLElement>('#log')!);

function App() {
  const [uploaded, setUploaded] = useState<OssSuccessDetail[]>([]);
  // The page's language (the element follows it by itself).
  const [, setLanguage] = useState(document.documentElement.lang);
  useEffect(() => {
    const onLanguage = () => setLanguage(document.documentElement.lang);
    document.addEventListener('demo-language', onLanguage);
    return () => document.removeEventListener('demo-language', onLanguage);
  }, []);
  // The store picked in the header.
  const [tokenUrl, setTokenUrl] = useState(demoTokenUrl());
  useEffect(() => {
    const onStore = () => setTokenUrl(demoTokenUrl());
    document.addEventListener('demo-store', onStore);
    return () => document.removeEventListener('demo-store', onStore);
  }, []);
  return h('div', null,
    // React 19 sets known properties (tokenUrl, multiple, autoStart) on custom elements, and
    // `on<event-name>` props become listeners for that exact event name.
    h('oss-uploader', {
      tokenUrl,
      multiple: true,
      autoStart: true,
      'onoss-success': (e: CustomEvent<OssSuccessDetail>) => setUploaded((list) => [...list, e.detail]),
    }),
    h('h3', null, `${pageText('uploaded')} (${uploaded.length})`),
    h('ul', null, uploaded.map((u) => h('li', { key: u.id }, `${u.key} (${u.size} bytes)`))),
  );
}

createRoot(document.querySelector('#app')!).render(h(StrictMode, null, h(App)));
