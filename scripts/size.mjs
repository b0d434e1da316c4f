// `npm run size`: what <oss-uploader> (element + engine, registered through src/define.ts)
// costs a page, minified and gzipped, with Lit bundled and with Lit left to the page.
//
// Bundled with code splitting, as an application's bundler does: "at load" is the entry
// chunk plus the chunks it imports statically; code behind a dynamic import() (the page
// fallback hasher, …) is a separate chunk a page fetches only when that path runs, and is
// listed on its own. The hash worker is a separate file the browser loads on first use.
// `--why` lists the biggest contributors (esbuild metafile) to the first bundle.
import { build } from 'esbuild';
import { gzipSync } from 'node:zlib';

async function measure(entry, external) {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    format: 'esm',
    target: 'es2022',
    splitting: true,
    outdir: 'size-out',
    write: false,
    metafile: true,
    legalComments: 'none',
    external,
    logLevel: 'silent',
  });
  const files = new Map(result.outputFiles.map((f) => [f.path.slice(f.path.indexOf('size-out/')), f.contents]));
  const outputs = result.metafile.outputs;
  const entryOut = Object.keys(outputs).find((k) => outputs[k].entryPoint);
  const atLoad = new Set();
  const visit = (name) => {
    if (atLoad.has(name)) return;
    atLoad.add(name);
    for (const imp of outputs[name].imports) if (imp.kind === 'import-statement' && outputs[imp.path]) visit(imp.path);
  };
  visit(entryOut);
  const sizeOf = (names) => {
    const bytes = Buffer.concat(names.map((n) => Buffer.from(files.get(n))));
    return { min: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
  };
  const later = Object.keys(outputs).filter((n) => !atLoad.has(n) && n.endsWith('.js'));
  return { load: sizeOf([...atLoad]), later: later.map((n) => ({ inputs: Object.keys(outputs[n].inputs), ...sizeOf([n]) })), metafile: result.metafile, entryOut };
}

const kb = (n) => `${(n / 1024).toFixed(1)} KiB`;
const rows = [
  ['element + engine + Lit', await measure('src/define.ts', [])],
  ['element + engine (Lit external)', await measure('src/define.ts', ['lit', 'lit/*', '@lit/*'])],
  ['engine only (src/core)', await measure('src/core/index.ts', [])],
  ['hash worker (loaded on first use)', await measure('src/core/hash-worker.ts', [])],
];
const width = Math.max(...rows.map(([name]) => name.length));
console.log(`${'bundle, loaded with the page'.padEnd(width)}  ${'min'.padStart(10)}  ${'min+gzip'.padStart(10)}`);
for (const [name, { load }] of rows) console.log(`${name.padEnd(width)}  ${kb(load.min).padStart(10)}  ${kb(load.gzip).padStart(10)}`);
const [, first] = rows[0];
if (first.later.length) {
  console.log('\nloaded on demand (element + engine + Lit):');
  for (const c of first.later) {
    const what = c.inputs.map((i) => i.replace(/^node_modules\/((?:@[^/]+\/)?[^/]+).*/, '$1')).filter((v, i, a) => a.indexOf(v) === i).join(', ');
    console.log(`  ${kb(c.min).padStart(10)}  ${kb(c.gzip).padStart(10)}  ${what}`);
  }
}
if (process.argv.includes('--why')) {
  const inputs = {};
  for (const [name, out] of Object.entries(first.metafile.outputs)) {
    if (!name.endsWith('.js')) continue;
    for (const [path, v] of Object.entries(out.inputs)) {
      const group = path.replace(/^node_modules\/((?:@[^/]+\/)?[^/]+).*/, '$1');
      inputs[group] = (inputs[group] ?? 0) + v.bytesInOutput;
    }
  }
  console.log('\nbiggest contributors, minified bytes (all chunks):');
  for (const [k, v] of Object.entries(inputs).sort((a, b) => b[1] - a[1]).slice(0, 20)) console.log(`  ${String(v).padStart(7)}  ${k}`);
}
