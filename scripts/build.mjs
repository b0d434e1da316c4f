// `npm run build`: ES modules and .d.ts files in dist/ (tsc; Lit stays an external
// dependency), the HTML and CSS inside their html``/svg``/css`` literals minified
// (scripts/minify-literals.mjs), then custom-elements.json from the element sources' JSDoc.
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { minifyLiteralsIn } from './minify-literals.mjs';

const require = createRequire(import.meta.url);
const run = (bin, args) => execFileSync(process.execPath, [bin, ...args], { stdio: 'inherit' });

rmSync('dist', { recursive: true, force: true });
run(require.resolve('typescript/bin/tsc'), ['-p', 'tsconfig.build.json']);
const [files, saved] = await minifyLiteralsIn('dist');
console.log(`minified the template literals of ${files} modules (${saved} bytes)`);
run(require.resolve('@custom-elements-manifest/analyzer/cem.js'), ['analyze', '--litelement', '--config', 'scripts/cem.config.mjs']);
console.log('built dist/ and custom-elements.json');
