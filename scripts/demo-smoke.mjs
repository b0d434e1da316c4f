// `node scripts/demo-smoke.mjs [out-dir]`: starts the demo (vite.config.ts, with its local
// store on a free port and a temporary data directory), opens each page in headless
// Chromium under the demo's strict CSP, uploads through each one, and saves screenshots.
// Fails if any page logs a console error (CSP violations included) or an upload fails.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import puppeteer from 'puppeteer-core';
import { createServer } from 'vite';

const outDir = resolve(process.argv[2] ?? 'demo-screenshots');
mkdirSync(outDir, { recursive: true });
const dataDir = mkdtempSync(join(tmpdir(), 'oss-uploader-demo-'));
process.env.OSS_UPLOADER_DATA = dataDir;
process.env.STORE_PORT ??= '0';

const server = await createServer({ configFile: 'vite.config.ts', logLevel: 'warn' });
await server.listen();
const base = server.resolvedUrls.local[0];
const browser = await puppeteer.launch({
  executablePath: process.env.CHROME_PATH || '/usr/bin/chromium',
  headless: true,
  acceptInsecureCerts: true,
  args: ['--no-sandbox', '--headless', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--ignore-certificate-errors'],
  defaultViewport: { width: 1200, height: 900 },
});

const files = {
  small: join(dataDir, 'hello.txt'),
  big: join(dataDir, 'video-12MB.bin'),
  huge: join(dataDir, 'archive-40MB.bin'),
};
writeFileSync(files.small, 'hello from the demo smoke test\n');
writeFileSync(files.big, Buffer.alloc(12 * 1024 * 1024, 7));
writeFileSync(files.huge, Buffer.alloc(40 * 1024 * 1024, 9));

const problems = [];

async function open(path, name) {
  const page = await browser.newPage();
  page.on('console', (m) => {
    // Chromium logs every 4xx answer; those the response handler expects are not problems.
    if (m.type() === 'error' && !(/status of (404|409|412)/.test(m.text()) && expected.has(m.location()?.url))) {
      problems.push(`${name}: console error: ${m.text()}`);
    }
  });
  page.on('pageerror', (e) => problems.push(`${name}: page error: ${e.message}`));
  // Expected, not problems: a multipart upload's HEAD that finds its name free (404), and a
  // PutObject refused as "exists" (409/412) that the element answers with a numbered name.
  const expected = new Set();
  page.on('response', (r) => {
    const method = r.request().method();
    if ((method === 'HEAD' && r.status() === 404) || (method === 'PUT' && [409, 412].includes(r.status()))) {
      expected.add(r.url());
      return;
    }
    if (r.status() >= 400) problems.push(`${name}: HTTP ${r.status()} for ${r.url()}`);
  });
  await page.goto(new URL(path, base).href, { waitUntil: 'networkidle0' });
  await page.evaluate(() => customElements.whenDefined('oss-uploader'));
  return page;
}

/** Picks `path` in the element's file input, and waits until it settles. */
async function upload(page, path, name) {
  const input = await page.evaluateHandle(() => document.querySelector('oss-uploader').shadowRoot.querySelector('input[type=file]'));
  const settled = page.evaluate(() => new Promise((ok) => {
    const el = document.querySelector('oss-uploader');
    el.addEventListener('oss-success', (e) => ok(`success ${e.detail.key}`), { once: true });
    el.addEventListener('oss-error', (e) => ok(`error ${e.detail.error.code}: ${e.detail.error.message}`), { once: true });
  }));
  await input.uploadFile(path);
  const outcome = await settled;
  if (!outcome.startsWith('success')) problems.push(`${name}: upload: ${outcome}`);
  return outcome;
}

try {
  // Plain HTML: an upload, the form, an interrupted upload listed by the admin panel.
  const plain = await open('/', 'plain');
  console.log('plain:', await upload(plain, files.big, 'plain'));
  await plain.evaluate(() => document.querySelector('#form button[type=submit]').click());
  console.log('plain: form output:', JSON.stringify(await plain.$eval('#form-output', (o) => o.textContent)));
  // Cancel a large upload after its first part: it stays open on the store.
  const input = await plain.evaluateHandle(() => document.querySelector('oss-uploader').shadowRoot.querySelector('input[type=file]'));
  const cancelled = plain.evaluate(() => new Promise((ok) => {
    const el = document.querySelector('oss-uploader');
    const onProgress = (e) => {
      if (e.detail.progress.partsDone < 1) return;
      el.removeEventListener('oss-progress', onProgress);
      const row = [...el.shadowRoot.querySelectorAll('[part~="item"]')].find((r) => r.textContent.includes('archive-40MB.bin'));
      el.addEventListener('oss-cancel', () => setTimeout(ok, 300), { once: true });
      [...row.querySelectorAll('button')].find((b) => b.textContent.trim() === 'Cancel').click();
    };
    el.addEventListener('oss-progress', onProgress);
  }));
  await input.uploadFile(files.huge);
  await cancelled;
  await plain.evaluate(() => document.querySelector('oss-incomplete-uploads').refresh());
  const listed = await plain.evaluate(() => document.querySelector('oss-incomplete-uploads').shadowRoot.querySelectorAll('tbody tr').length);
  console.log('plain: incomplete uploads listed:', listed);
  if (listed < 1) problems.push('plain: the admin panel does not list the cancelled upload');
  await new Promise((ok) => setTimeout(ok, 500));
  await plain.screenshot({ path: join(outDir, 'plain-light.png'), fullPage: true });
  // The same page in Chinese and dark.
  await plain.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'dark' }]);
  await plain.select('#lang', 'zh-CN');
  await plain.evaluate(() => document.querySelector('oss-uploader').updateComplete);
  await new Promise((ok) => setTimeout(ok, 500));
  await plain.screenshot({ path: join(outDir, 'plain-dark-zh.png'), fullPage: true });
  await plain.select('#lang', 'en');
  // Every store the picker offers: the local store in each dialect (and RGW when it runs).
  const stores = await plain.$$eval('#store option', (os) => os.map((o) => o.value));
  console.log('plain: stores offered:', stores.join(', '));
  for (const store of stores) {
    await plain.select('#store', store);
    const file = join(dataDir, `hello-${store}.txt`);
    writeFileSync(file, `hello from the demo smoke test, through ${store}\n`);
    console.log(`plain (${store}):`, await upload(plain, file, `plain ${store}`));
  }
  await plain.select('#store', 'oss');
  await plain.close();

  for (const [path, name] of [['/react.html', 'react'], ['/vue.html', 'vue']]) {
    const page = await open(path, name);
    await page.waitForFunction(() => document.querySelector('oss-uploader')?.shadowRoot?.querySelector('[part~="drop-zone"]'));
    console.log(`${name}:`, await upload(page, files.small, name));
    await page.waitForFunction(() => /Uploaded \(1\)/.test(document.querySelector('#app').textContent));
    await new Promise((ok) => setTimeout(ok, 500)); // let the bars' transitions end
    await page.screenshot({ path: join(outDir, `${name}.png`), fullPage: true });
    await page.close();
  }
} catch (e) {
  problems.push(`smoke test crashed: ${e?.stack ?? e}`);
} finally {
  await browser.close();
  await server.close();
  rmSync(dataDir, { recursive: true, force: true });
}

if (problems.length) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log(`demo OK; screenshots in ${outDir}`);
