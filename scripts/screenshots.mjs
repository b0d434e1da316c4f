// `node scripts/screenshots.mjs [out-dir]`: the element in the demo (its strict CSP, the
// local store on a free port, a temporary data directory), brought into many states at once
// (uploaded image with its thumbnail, a paused upload, a failure, a confirmation open, a
// restriction message), then photographed at 320, 375 and 768 px in light, dark, zh-CN and
// forced colours. Prints any console error (a CSP violation, say). For looking, not testing.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import puppeteer from 'puppeteer-core';
import { createServer } from 'vite';

const outDir = resolve(process.argv[2] ?? 'tmp/screenshots');
mkdirSync(outDir, { recursive: true });
const dataDir = mkdtempSync(join(tmpdir(), 'oss-uploader-shots-'));
process.env.OSS_UPLOADER_DATA = dataDir;
process.env.STORE_PORT ??= '0';

const server = await createServer({ configFile: 'vite.config.ts', logLevel: 'warn', server: { port: 0 } });
await server.listen();
const base = server.resolvedUrls.local[0];
const browser = await puppeteer.launch({
  executablePath: process.env.CHROME_PATH || '/usr/bin/chromium',
  headless: true,
  acceptInsecureCerts: true,
  protocolTimeout: 60_000,
  args: ['--no-sandbox', '--headless=new', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--ignore-certificate-errors'],
});

const problems = [];
try {
  const page = await browser.newPage();
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  await page.setViewport({ width: 1100, height: 900 });
  await page.goto(base, { waitUntil: 'networkidle0' });
  await page.evaluate(() => customElements.whenDefined('oss-uploader'));
  // The states, made in the page.
  await page.evaluate(async () => {
    const el = document.querySelector('oss-uploader');
    el.setAttribute('part-size', '100KiB');
    el.setAttribute('concurrency', '1');
    el.setAttribute('accept', '.png,.pdf,.bin,.txt');
    el.keyFor = (f, t) => (f.name === 'denied.bin' ? 'elsewhere/denied.bin' : t.keyPrefix + (f.webkitRelativePath || f.name));
    const canvas = new OffscreenCanvas(640, 400);
    const ctx = canvas.getContext('2d');
    const g = ctx.createLinearGradient(0, 0, 640, 400);
    g.addColorStop(0, '#1a73e8');
    g.addColorStop(1, '#fbbc04');
    ctx.fillStyle = g;
    ctx.fillRect(0, 0, 640, 400);
    ctx.fillStyle = '#fff';
    ctx.beginPath();
    ctx.arc(420, 150, 70, 0, Math.PI * 2);
    ctx.fill();
    const png = await canvas.convertToBlob({ type: 'image/png' });
    const file = (name, size, type = 'application/octet-stream') => new File([new Uint8Array(size).fill(7)], name, { type });
    const done = new Promise((ok) => {
      let n = 0;
      el.addEventListener('oss-success', () => { if (++n === 2) ok(); });
    });
    await el.addFiles([new File([png], 'holiday-photo.png', { type: 'image/png' }), file('quarterly-report-final-v2.pdf', 40_000, 'application/pdf')]);
    await done;
    const failed = new Promise((ok) => el.addEventListener('oss-error', ok, { once: true }));
    await el.addFiles([file('denied.bin', 3000)]);
    await failed;
    const paused = new Promise((ok) => {
      const onProgress = (e) => {
        if (e.detail.file.name !== 'big-200m.bin' || e.detail.progress.partsDone < 3) return;
        el.removeEventListener('oss-progress', onProgress);
        const row = [...el.shadowRoot.querySelectorAll('[part~="item"]')].find((r) => r.textContent.includes('big-200m.bin'));
        el.addEventListener('oss-cancel', () => setTimeout(ok, 400), { once: true });
        row.querySelector('[part~="button-cancel"]').click();
      };
      el.addEventListener('oss-progress', onProgress);
    });
    await el.addFiles([file('big-200m.bin', 3_000_000)]);
    await paused;
    await el.addFiles([file('notes.exe', 10)]);
    // A second paused upload with its Abort confirmation open.
    const paused2 = new Promise((ok) => {
      const onProgress = (e) => {
        if (e.detail.file.name !== 'scan-0042.bin' || e.detail.progress.partsDone < 2) return;
        el.removeEventListener('oss-progress', onProgress);
        const row = [...el.shadowRoot.querySelectorAll('[part~="item"]')].find((r) => r.textContent.includes('scan-0042.bin'));
        el.addEventListener('oss-cancel', () => setTimeout(() => {
          row.querySelector('[part~="button-abort"]').click();
          setTimeout(ok, 200);
        }, 400), { once: true });
        row.querySelector('[part~="button-cancel"]').click();
      };
      el.addEventListener('oss-progress', onProgress);
    });
    await el.addFiles([file('scan-0042.bin', 2_000_000)]);
    await paused2;
    await el.addFiles([file('notes.exe', 10)]);
    // The failed row's details, opened.
    el.shadowRoot.querySelector('[part~="error-details"]')?.setAttribute('open', '');
  });
  await new Promise((ok) => setTimeout(ok, 600));

  const cdp = await page.createCDPSession();
  const modes = [
    ['light', [{ name: 'prefers-color-scheme', value: 'light' }], 'en'],
    ['dark', [{ name: 'prefers-color-scheme', value: 'dark' }], 'en'],
    ['zh', [{ name: 'prefers-color-scheme', value: 'light' }], 'zh-CN'],
    ['forced', [{ name: 'prefers-color-scheme', value: 'dark' }, { name: 'forced-colors', value: 'active' }], 'en'],
  ];
  for (const [mode, features, lang] of modes) {
    await cdp.send('Emulation.setEmulatedMedia', { features });
    await page.select('#lang', lang);
    for (const width of [320, 375, 768]) {
      await page.setViewport({ width, height: 900 });
      await new Promise((ok) => setTimeout(ok, 450));
      const section = await page.$('main > section');
      await section.screenshot({ path: join(outDir, `${mode}-${width}.png`) });
    }
  }
  await page.setViewport({ width: 1100, height: 900 });
  await page.select('#lang', 'en');
  await cdp.send('Emulation.setEmulatedMedia', { features: [] });
  await page.screenshot({ path: join(outDir, 'page-1100.png'), fullPage: true });
} catch (e) {
  problems.push(`crashed: ${e?.stack ?? e}`);
} finally {
  await browser.close();
  await server.close();
  rmSync(dataDir, { recursive: true, force: true });
}
if (problems.length) console.error(problems.join('\n'));
console.log(`screenshots in ${outDir}`);
process.exit(problems.length ? 1 : 0);
