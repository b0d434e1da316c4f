// `npm run size`: what <oss-uploader> (element + engine, registered through src/define.ts)
// costs a page, minified and gzipped, with Lit bundled and with Lit left to the page.
// The hash worker is a separate file the browser loads on first use; it is measured too.
import { build } from 'esbuild';
import { gzipSync } from 'node:zlib';

async function measure(entry, external) {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    format: 'esm',
    target: 'es2022',
    write: false,
    legalComments: 'none',
    external,
    logLevel: 'silent',
  });
  const bytes = result.outputFiles[0].contents;
  return { min: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
}

const kb = (n) => `${(n / 1024).toFixed(1)} KiB`;
const rows = [
  ['element + engine + Lit', await measure('src/define.ts', [])],
  ['element + engine (Lit external)', await measure('src/define.ts', ['lit', 'lit/*', '@lit/*'])],
  ['element + engine (Lit and hash-wasm external)', await measure('src/define.ts', ['lit', 'lit/*', '@lit/*', 'hash-wasm'])],
  ['engine only (src/core)', await measure('src/core/index.ts', [])],
  ['hash worker (loaded on demand)', await measure('src/core/hash-worker.ts', [])],
];
const width = Math.max(...rows.map(([name]) => name.length));
console.log(`${'bundle'.padEnd(width)}  ${'min'.padStart(10)}  ${'min+gzip'.padStart(10)}`);
for (const [name, { min, gzip }] of rows) console.log(`${name.padEnd(width)}  ${kb(min).padStart(10)}  ${kb(gzip).padStart(10)}`);
