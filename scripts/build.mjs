#!/usr/bin/env node
// npm run build:
//   lib/                 unbundled ES modules + .d.ts for npm users (lit stays a dependency)
//   dist/prepatu.js      one minified ES module, lit bundled, worklets inlined, registers every element
//   dist/prepatu.iife.js the same for a classic <script>, global `Prepatu`
//   dist/prepatu-worklets.js  the audio worklet module, for sites that host it themselves (strict CSP)
//   custom-elements.json generated from the elements' JSDoc (→ docs/elements.md, lib/frameworks/*.d.ts)
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { build as esbuild, transform } from 'esbuild';
import { build } from 'vite';

const sh = (cmd, args) => execFileSync(cmd, args, { stdio: 'inherit' });

rmSync('lib', { recursive: true, force: true });
rmSync('dist', { recursive: true, force: true });
sh(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json']);

for (const format of ['es', 'iife']) {
  await build({
    configFile: 'vite.config.ts',
    logLevel: 'warn',
    mode: 'production',
    build: {
      emptyOutDir: false,
      lib: {
        entry: 'src/prepatu.ts',
        name: 'Prepatu',
        formats: [format],
        fileName: () => (format === 'es' ? 'prepatu.js' : 'prepatu.iife.js'),
      },
    },
  });
}

// Vite's lib mode keeps whitespace in ES output (for downstream tree-shaking); this bundle is
// final (lit included, everything registered), so minify it fully.
const es = await transform(readFileSync('dist/prepatu.js', 'utf8'), { minify: true, format: 'esm', target: 'es2022', legalComments: 'none' });
writeFileSync('dist/prepatu.js', es.code);

// The hosted off-thread file (worklets + socket worker) is the same source the bundles inline.
const { outputFiles } = await esbuild({ entryPoints: ['src/offthread/generated/source.ts'], format: 'esm', write: false });
const offThread = await import(`data:text/javascript;base64,${Buffer.from(outputFiles[0].text).toString('base64')}`);
mkdirSync('dist', { recursive: true });
writeFileSync('dist/prepatu-worklets.js', offThread.OFF_THREAD_SOURCE);

sh(process.execPath, ['node_modules/@custom-elements-manifest/analyzer/cem.js', 'analyze', '--litelement',
  '--globs', 'src/elements/*.ts', '--exclude', 'src/elements/index.ts']);
sh(process.execPath, ['scripts/gen-docs.mjs']);
sh(process.execPath, ['scripts/gen-types.mjs']);

const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
console.log('\nBundle sizes (budget: dist/prepatu.js ≤ 35 KB gzipped)');
for (const f of ['dist/prepatu.js', 'dist/prepatu.iife.js', 'dist/prepatu-worklets.js']) {
  try {
    const buf = readFileSync(f);
    console.log(`  ${f.padEnd(26)} ${kb(buf.length).padStart(9)}  gzip ${kb(gzipSync(buf, { level: 9 }).length).padStart(8)}`);
  } catch { /* not built */ }
}
