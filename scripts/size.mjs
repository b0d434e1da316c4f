// `npm run size`: what <oss-uploader> (element + engine, registered through oss-uploader/define)
// costs a page, minified and gzipped, with Lit bundled and with Lit left to the page.
//
// It measures what the package ships: it runs `npm run build` first (tsc, then the HTML and
// CSS inside the Lit template literals minified: scripts/minify-literals.mjs) and bundles
// dist/, as a page's bundler would (`--no-build` measures the dist/ already there).
// Bundled with code splitting: "at load" is the entry chunk plus the chunks it imports
// statically; code behind a dynamic import() is a separate chunk a page fetches only when
// that path runs, and is listed on its own. A page always uses one storage dialect, so the
// headline adds the default one (OSS) to what loads with the page. The hash worker is a
// separate file the browser loads on first use. `--why` lists the biggest contributors
// (esbuild metafile, minified bytes by source module) to the first bundle.
import { execFileSync } from 'node:child_process';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

if (!process.argv.includes('--no-build')) execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'ignore' });

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
  const closure = (name, into = new Set(), skip = new Set()) => {
    if (into.has(name) || skip.has(name)) return into;
    into.add(name);
    for (const imp of outputs[name].imports) if (imp.kind === 'import-statement' && outputs[imp.path]) closure(imp.path, into, skip);
    return into;
  };
  const entryOut = Object.keys(outputs).find((k) => outputs[k].entryPoint);
  const atLoad = closure(entryOut);
  const sizeOf = (names) => {
    const bytes = Buffer.concat([...names].map((n) => Buffer.from(files.get(n))));
    return { min: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
  };
  const later = Object.keys(outputs).filter((n) => !atLoad.has(n) && n.endsWith('.js'));
  // The default dialect's chunk, and what it imports that is not loaded already.
  const ossChunk = later.find((n) => Object.keys(outputs[n].inputs).some((i) => i.endsWith('core/dialects/oss/dialect.js')));
  const withOss = ossChunk ? new Set([...atLoad, ...closure(ossChunk, new Set(), atLoad)]) : undefined;
  return {
    load: sizeOf(atLoad),
    withOss: withOss && sizeOf(withOss),
    later: later.map((n) => ({ inputs: Object.keys(outputs[n].inputs), ...sizeOf([n]) })),
    metafile: result.metafile,
  };
}

const kb = (n) => `${(n / 1024).toFixed(1)} KiB`;
const lit = ['lit', 'lit/*', '@lit/*', 'lit-html', 'lit-html/*', 'lit-element', 'lit-element/*'];
const [full, litExternal, engine, worker] = await Promise.all([
  measure('dist/define.js', []),
  measure('dist/define.js', lit),
  measure('dist/core/index.js', []),
  measure('dist/core/hash-worker.js', []),
]);
const rows = [
  ['element + engine + Lit + OSS dialect', full.withOss],
  ['element + engine + Lit', full.load],
  ['element + engine + OSS dialect (Lit external)', litExternal.withOss],
  ['element + engine (Lit external)', litExternal.load],
  ['engine + OSS dialect', engine.withOss],
  ['engine only (core)', engine.load],
  ['hash worker (loaded on first use)', worker.load],
];
const width = Math.max(...rows.map(([name]) => name.length));
console.log(`${'bundle, loaded with the page'.padEnd(width)}  ${'min'.padStart(10)}  ${'min+gzip'.padStart(10)}`);
for (const [name, size] of rows) console.log(`${name.padEnd(width)}  ${kb(size.min).padStart(10)}  ${kb(size.gzip).padStart(10)}`);
if (full.later.length) {
  console.log('\nloaded on demand (element + engine + Lit), each chunk on its own:');
  for (const c of full.later) {
    const what = c.inputs.map((i) => i.replace(/^node_modules\/((?:@[^/]+\/)?[^/]+).*/, '$1').replace(/^dist\//, '')).filter((v, i, a) => a.indexOf(v) === i).join(', ');
    console.log(`  ${kb(c.min).padStart(10)}  ${kb(c.gzip).padStart(10)}  ${what}`);
  }
}
if (process.argv.includes('--why')) {
  const inputs = {};
  for (const [name, out] of Object.entries(full.metafile.outputs)) {
    if (!name.endsWith('.js')) continue;
    for (const [path, v] of Object.entries(out.inputs)) {
      const group = path.replace(/^node_modules\/((?:@[^/]+\/)?[^/]+).*/, '$1').replace(/^dist\//, '');
      inputs[group] = (inputs[group] ?? 0) + v.bytesInOutput;
    }
  }
  console.log('\nbiggest contributors, minified bytes (all chunks):');
  for (const [k, v] of Object.entries(inputs).sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`  ${String(v).padStart(7)}  ${k}`);
}
