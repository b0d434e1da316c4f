// Custom Elements Manifest for the published package: analyzes the TypeScript sources and
// points every path at the emitted JavaScript in dist/ (which is what consumers import).
const toDist = (path) => path.replace(/^\/?src\//, 'dist/').replace(/\.ts$/, '.js');

export default {
  globs: ['src/element/**/*.ts', 'src/define.ts'],
  exclude: ['src/element/translations/**'],
  outdir: '.',
  litelement: true,
  packagejson: false,
  plugins: [
    {
      name: 'oss-uploader:dist-paths',
      packageLinkPhase({ customElementsManifest }) {
        const fix = (node) => {
          if (!node || typeof node !== 'object') return;
          for (const [k, v] of Object.entries(node)) {
            if ((k === 'path' || k === 'module') && typeof v === 'string' && /^\/?src\//.test(v)) node[k] = toDist(v);
            else fix(v);
          }
        };
        fix(customElementsManifest);
      },
    },
  ],
};
