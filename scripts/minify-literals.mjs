// Minifies the HTML, SVG and CSS inside Lit's html``, svg`` and css`` template literals of the
// JavaScript tsc emitted in dist/ (minify-literals: html-minifier-terser and clean-css, with
// each template's `${…}` parts kept in place and checked), and carries each file's source map
// through the change, so dist/*.js.map still points into the TypeScript sources.
// `npm run build` runs it on dist/; `npm run size` measures the result.
import remapping from '@jridgewell/remapping';
import { minifyHTMLLiterals } from 'minify-literals';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';

function* jsFiles(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* jsFiles(path);
    else if (entry.name.endsWith('.js')) yield path;
  }
}

/** Rewrites every .js under `dir` whose literals get smaller; returns [files changed, bytes saved]. */
export async function minifyLiteralsIn(dir) {
  let changed = 0;
  let saved = 0;
  for (const file of jsFiles(dir)) {
    const code = readFileSync(file, 'utf8');
    // Only modules that tag templates with Lit's html, svg or css can change.
    if (!/\b(?:html|svg|css)\s*`/.test(code)) continue;
    const result = await minifyHTMLLiterals(code, { fileName: basename(file) });
    if (!result || result.code.length >= code.length) continue;
    writeFileSync(file, result.code);
    const mapFile = `${file}.map`;
    if (existsSync(mapFile)) {
      const tscMap = JSON.parse(readFileSync(mapFile, 'utf8'));
      // The literal change's map (minified JS → emitted JS) traced through tsc's (emitted JS → TypeScript).
      const composed = remapping(result.map.toString(), (source) => (source === basename(file) ? tscMap : null));
      composed.file = basename(file);
      writeFileSync(mapFile, JSON.stringify(composed));
    }
    changed++;
    saved += code.length - result.code.length;
  }
  return [changed, saved];
}
