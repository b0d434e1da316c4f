/**
 * Builds the bench page into a directory: index.html, the harness, one bundle per
 * contestant module under c/ (loaded on demand, so no contestant's code is on the page of
 * another), and the engine's hash worker next to them. Returns each contestant bundle's
 * min+gzip size (what that uploader costs a page).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>oss-uploader bench</title></head>
<body>
<input type="file" id="file">
<script type="module" src="/harness.js"></script>
</body>
</html>
`;

export async function buildPage(www: string, contestants: string[]): Promise<Record<string, number>> {
  mkdirSync(join(www, 'c'), { recursive: true });
  writeFileSync(join(www, 'index.html'), PAGE);
  const common = {
    bundle: true, format: 'esm', minify: true, target: 'es2022', logLevel: 'warning', legalComments: 'none',
    define: { 'process.env.NODE_ENV': '"production"', global: 'globalThis' },
  } as const;
  await build({ ...common, entryPoints: { harness: resolve('bench/page/harness.ts') }, outdir: www });
  const workers = { 'hash-worker': resolve('src/core/hash-worker.ts'), 'read-probe-worker': resolve('bench/contestants/read-probe-worker.ts'),
    'baseline-hash-worker': resolve('bench/baseline/hash-worker.ts') };
  await build({ ...common, entryPoints: workers, outdir: join(www, 'c') });
  const sizes: Record<string, number> = {};
  for (const name of contestants) {
    const out = await build({
      ...common, platform: 'browser', entryPoints: { [name]: resolve(`bench/contestants/${name}.ts`) }, outdir: join(www, 'c'), write: false,
    });
    for (const f of out.outputFiles) {
      mkdirSync(join(f.path, '..'), { recursive: true });
      writeFileSync(f.path, f.contents);
      if (f.path.endsWith(`${name}.js`)) sizes[name] = gzipSync(f.contents, { level: 9 }).length;
    }
  }
  return sizes;
}
