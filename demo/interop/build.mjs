#!/usr/bin/env node
// Type-checks and builds every interop app with its own toolchain, from this folder's own
// node_modules (`npm install` here first; the root package must be built: `npm run build`).
//   vue      vue-tsc, then vite + @vitejs/plugin-vue            → vue/dist
//   svelte   svelte-check, then vite + @sveltejs/vite-plugin-svelte → svelte/dist
//   react    tsc, then vite + @vitejs/plugin-react               → react/dist
//   angular  ng build (@angular/build, strict templates)          → angular/dist/browser
//   plain    no build: the page, its script and dist/ (the bundle) → plain/dist
// The type checks include each app's type-errors file, which must fail to compile line by line
// (`@ts-expect-error`), so types that are too loose fail the build.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const bin = (pkg, file) => join(here, 'node_modules', pkg, file);
const run = (label, file, args) => {
  const t = performance.now();
  execFileSync(process.execPath, [file, ...args], { cwd: here, stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, NG_CLI_ANALYTICS: 'false' } });
  console.log(`  ${label.padEnd(28)} ${((performance.now() - t) / 1000).toFixed(1)} s`);
};

if (!existsSync(join(here, '../../lib/frameworks/react.d.ts')) || !existsSync(join(here, '../../dist/prepatu.js'))) {
  throw new Error('build the package first: npm run build (in the repository root)');
}
const only = process.argv.slice(2);
const want = (app) => only.length === 0 || only.includes(app);
const vite = bin('vite', 'bin/vite.js');

console.log('interop apps:');
if (want('vue')) {
  run('vue: vue-tsc', bin('vue-tsc', 'bin/vue-tsc.js'), ['-p', 'vue/tsconfig.json']);
  run('vue: vite build', vite, ['build', '--logLevel', 'warn', '--config', 'vue/vite.config.ts']);
}
if (want('svelte')) {
  run('svelte: svelte-check', bin('svelte-check', 'bin/svelte-check'), ['--tsconfig', './tsconfig.json', '--workspace', 'svelte', '--fail-on-warnings', '--output', 'machine']);
  run('svelte: vite build', vite, ['build', '--logLevel', 'warn', '--config', 'svelte/vite.config.ts']);
}
if (want('react')) {
  run('react: tsc', bin('typescript', 'bin/tsc'), ['-p', 'react/tsconfig.json']);
  run('react: vite build', vite, ['build', '--logLevel', 'warn', '--config', 'react/vite.config.ts']);
}
if (want('angular')) {
  run('angular: ng build', bin('@angular/cli', 'bin/ng.js'), ['build', 'angular', '--progress=false']);
}
if (want('plain')) {
  rmSync(join(here, 'plain/dist'), { recursive: true, force: true });
  mkdirSync(join(here, 'plain/dist'));
  for (const f of ['index.html', 'app.js']) copyFileSync(join(here, 'plain', f), join(here, 'plain/dist', f));
  // The script-tag bundle and the files it loads from beside itself (chunks, worker, worklets).
  for (const f of readdirSync(join(here, '../../dist'))) copyFileSync(join(here, '../../dist', f), join(here, 'plain/dist', f));
  console.log('  plain: copied (no build step)');
}

