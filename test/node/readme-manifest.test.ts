// The README's API tables for <oss-uploader> must match the Custom Elements Manifest that
// `npm run build` generates from the element's JSDoc: attributes, events, parts, CSS properties.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

test('README tables for <oss-uploader> match custom-elements.json', () => {
  {
    // Writes ./custom-elements.json, exactly as `npm run build` does (the file is not tracked).
    execFileSync(process.execPath, [
      require.resolve('@custom-elements-manifest/analyzer/cem.js'),
      'analyze', '--litelement', '--config', 'scripts/cem.config.mjs', '--quiet',
    ], { stdio: 'pipe' });
    const manifest = JSON.parse(readFileSync('custom-elements.json', 'utf8'));
    const decl = manifest.modules.flatMap((m: { declarations?: unknown[] }) => m.declarations ?? [])
      .find((d: { tagName?: string }) => d.tagName === 'oss-uploader');
    assert.ok(decl, 'the manifest declares <oss-uploader>');

    const readme = readFileSync('README.md', 'utf8');
    const section = readme.slice(readme.indexOf('### `<oss-uploader>`'), readme.indexOf('### `<oss-incomplete-uploads>`'));
    const firstCells = (header: string) => {
      const at = section.indexOf(header);
      assert.ok(at >= 0, `README has a table headed ${header}`);
      const rows = section.slice(at).split('\n').slice(2);
      const cells: string[] = [];
      for (const row of rows) {
        if (!row.startsWith('|')) break;
        const m = /^\|\s*`([^`]+)`/.exec(row);
        if (m) cells.push(m[1]!);
      }
      return cells.sort();
    };

    const attributes = (decl.attributes ?? []).map((a: { name: string }) => a.name).filter((n: string) => n !== 'lang').sort();
    assert.deepEqual(firstCells('| Attribute |').filter((n) => n !== 'lang'), attributes);

    const events = (decl.events ?? []).map((e: { name: string }) => e.name).sort();
    assert.deepEqual(firstCells('| Event (bubbles, composed) |'), events);

    const parts = new Set((decl.cssParts ?? []).map((p: { name: string }) => p.name));
    const partsLine = section.slice(section.indexOf('**CSS parts:**'), section.indexOf('**CSS custom properties**'));
    const readmeParts = new Set([...partsLine.matchAll(/`([a-z-]+(?:<state>)?)`/g)].map((m) => m[1]!));
    for (const p of parts) assert.ok(readmeParts.has(p as string) || /^item-|^button-/.test(p as string), `part ${p} is in the README`);

    const props = (decl.cssProperties ?? []).map((p: { name: string }) => p.name);
    for (const p of props) assert.ok(section.includes(`\`${p}\``), `CSS property ${p} is in the README`);
  }
});
