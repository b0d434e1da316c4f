// The package as a React or Vue app sees it: `npm run build`, `npm pack`, the tarball
// unpacked into a consumer's node_modules, then a small TSX component type-checked with tsc
// and a small Vue SFC with vue-tsc, strict, against the packed .d.ts files. Each consumer
// also holds lines that must NOT type-check (`@ts-expect-error`, `@vue-expect-error`): if
// the elements were typed `any`, those would fail. And the shipped source maps carry their
// sources (the package has no src/ to point at).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';

const require = createRequire(import.meta.url);
const repo = resolve(import.meta.dirname, '../..');
const tsc = require.resolve('typescript/bin/tsc');
const vueTsc = join(repo, 'node_modules/vue-tsc/bin/vue-tsc.js');

function run(bin: string, args: string[], cwd = repo): string {
  try {
    return execFileSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', stdio: 'pipe' });
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string };
    throw new Error(`${bin} ${args.join(' ')} failed:\n${err.stdout ?? ''}${err.stderr ?? ''}`);
  }
}

const TSX = `import { useState } from 'react';
import 'oss-uploader/define';
import type {} from 'oss-uploader/react';
import type { OssSuccessDetail, OssUploader } from 'oss-uploader';

export function Upload({ onDone }: { onDone(keys: string[]): void }) {
  const [keys, setKeys] = useState<string[]>([]);
  const ref = (el: OssUploader | null) => el?.start();
  return (
    <form>
      <oss-uploader
        ref={ref}
        tokenUrl="/api/sts-token"
        multiple
        autoStart
        maxFiles={3}
        partSize={8 * 1024 * 1024}
        accept=".png,image/jpeg"
        pasteTarget="document"
        name="files"
        className="uploader"
        keyFor={(file, target) => target.keyPrefix + file.name}
        onoss-success={(e) => {
          const detail: OssSuccessDetail = e.detail;
          setKeys([...keys, detail.key]);
        }}
        onoss-complete={(e) => onDone(e.detail.successful.map((s) => s.key))}
        onoss-error={(e) => console.log(e.detail.error.kind)}
      />
      <oss-incomplete-uploads tokenUrl="/api/sts-token?scope=admin" staleAfter={3600} onoss-incomplete-abort={(e) => console.log(e.detail.uploadId)} />
      {/* @ts-expect-error multiple is a boolean */}
      <oss-uploader multiple="yes" />
      {/* @ts-expect-error maxFiles is a number */}
      <oss-uploader maxFiles={{}} />
      {/* @ts-expect-error an oss-success detail has no "bogus" */}
      <oss-uploader onoss-success={(e) => e.detail.bogus} />
      {/* @ts-expect-error no such element */}
      <oss-uploadr />
    </form>
  );
}
`;

const VUE = `<script setup lang="ts">
import { ref } from 'vue';
import 'oss-uploader/define';
import type { OssSuccessDetail, OssCompleteDetail } from 'oss-uploader';

const keys = ref<string[]>([]);
function onSuccess(e: CustomEvent<OssSuccessDetail>) {
  keys.value.push(e.detail.key);
}
function onComplete(e: CustomEvent<OssCompleteDetail>) {
  console.log(e.detail.failed.length);
}
</script>

<template>
  <oss-uploader
    token-url="/api/sts-token"
    multiple
    auto-start
    :max-files="3"
    :part-size="8 * 1024 * 1024"
    paste-target="document"
    @oss-success="onSuccess"
    @oss-complete="onComplete"
    @oss-error="(e) => console.log(e.detail.error.kind)"
  />
  <oss-incomplete-uploads token-url="/api/sts-token?scope=admin" :stale-after="3600" @oss-incomplete-abort="(e) => console.log(e.detail.key)" />
  <!-- @vue-expect-error maxFiles is a number -->
  <oss-uploader :max-files="'three'" />
  <!-- @vue-expect-error an oss-success detail has no "bogus" -->
  <oss-uploader @oss-success="(e) => e.detail.bogus" />
</template>
`;

test('TSX (React 19) and Vue SFC consumers type-check against the packed package; maps carry their sources', { timeout: 240_000 }, () => {
  run(join(repo, 'scripts/build.mjs'), []);
  const work = mkdtempSync(join(repo, '.consumer-test-'));
  try {
    // The tarball, exactly as published; everything else resolves from the repo's node_modules.
    const packed = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', work], { cwd: repo, encoding: 'utf8' })) as { filename: string; files: { path: string }[] }[];
    const pkg = join(work, 'node_modules/oss-uploader');
    mkdirSync(pkg, { recursive: true });
    execFileSync('tar', ['-xzf', join(work, packed[0]!.filename), '-C', pkg, '--strip-components=1']);
    const paths = packed[0]!.files.map((f) => f.path);
    assert.ok(paths.includes('dist/react.d.ts') && paths.includes('dist/vue.d.ts'), 'the typings ship');
    assert.ok(!paths.some((p) => p.startsWith('src/')), 'no sources in the package');
    assert.ok(!paths.some((p) => p.endsWith('.d.ts.map')), 'no declaration maps pointing at sources that are not shipped');

    // Every shipped source map carries the sources it points at.
    const maps = paths.filter((p) => p.endsWith('.js.map'));
    assert.ok(maps.length > 10);
    for (const m of maps) {
      const map = JSON.parse(readFileSync(join(pkg, m), 'utf8')) as { sources: string[]; sourcesContent?: (string | null)[] };
      assert.equal(map.sourcesContent?.length, map.sources.length, `${m} carries its sources`);
      assert.ok(map.sourcesContent!.every((c) => typeof c === 'string' && c.length > 0), `${m} sources are not empty`);
    }

    const compilerOptions = {
      target: 'ES2022', module: 'ESNext', moduleResolution: 'bundler', strict: true, noEmit: true, skipLibCheck: false,
      lib: ['ES2022', 'DOM', 'DOM.Iterable'], types: [], jsx: 'react-jsx',
    };
    writeFileSync(join(work, 'Upload.tsx'), TSX);
    writeFileSync(join(work, 'tsconfig.react.json'), JSON.stringify({ compilerOptions, files: ['Upload.tsx'] }));
    run(tsc, ['-p', join(work, 'tsconfig.react.json')], work);

    writeFileSync(join(work, 'Upload.vue'), VUE);
    writeFileSync(join(work, 'env.d.ts'), '/// <reference types="oss-uploader/vue" />\n');
    writeFileSync(join(work, 'tsconfig.vue.json'), JSON.stringify({
      compilerOptions: { ...compilerOptions, jsx: 'preserve' },
      files: ['env.d.ts', 'Upload.vue'],
      vueCompilerOptions: { strictTemplates: true },
    }));
    run(vueTsc, ['-p', join(work, 'tsconfig.vue.json')], work);

    // And the checks bite: the same consumers without the typings fail.
    writeFileSync(join(work, 'Upload.tsx'), TSX.replace("import type {} from 'oss-uploader/react';\n", ''));
    assert.throws(() => run(tsc, ['-p', join(work, 'tsconfig.react.json')], work), /oss-uploader/);
    writeFileSync(join(work, 'env.d.ts'), 'export {};\n');
    assert.throws(() => run(vueTsc, ['-p', join(work, 'tsconfig.vue.json')], work), /Upload\.vue/);
  } finally {
    rmSync(work, { recursive: true, force: true });
    for (const f of readdirSync(repo)) if (f.endsWith('.tgz') && f.startsWith('oss-uploader-')) rmSync(join(repo, f));
  }
});
