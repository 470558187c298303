#!/usr/bin/env node
// npm run build:
//   lib/                      unbundled ES modules + .d.ts for npm users (lit stays a dependency; the
//                             off-thread code inlined, loaded from a blob: URL or a hosted copy)
//   dist/prepatu.js           the script-tag bundle: defines <prepatu-widget> at once, loads the rest
//                             (dist/prepatu-*-<hash>.js chunks) when it is needed
//   dist/prepatu.iife.js      a small classic-script loader of dist/prepatu.js (global `Prepatu`)
//   dist/prepatu-socket-worker.js   the session's socket worker (an ES module sharing the chunks)
//   dist/prepatu-audio-worklets.js  the capture and playback worklets
//   dist/prepatu-worklets.js  all the off-thread code in one self-contained file, for npm users whose
//                             site hosts it (worklet-url)
//   dist/prepatu-manifest.json every file with its size and SRI hash
//   custom-elements.json      generated from the elements' JSDoc (→ docs/elements.md, lib/frameworks/*.d.ts)
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { build as esbuild, transform } from 'esbuild';
import { build } from 'vite';
import { printSizes } from './size.mjs';

const sh = (cmd, args) => execFileSync(cmd, args, { stdio: 'inherit' });

rmSync('lib', { recursive: true, force: true });
rmSync('dist', { recursive: true, force: true });
sh(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json']);

await build({ configFile: 'vite.config.ts', logLevel: 'warn', mode: 'production' });

// Vite's lib mode keeps whitespace in ES output (for downstream tree-shaking); these files are
// final (lit included), so minify them fully.
for (const f of readdirSync('dist').filter((n) => n.endsWith('.js'))) {
  const es = await transform(readFileSync(`dist/${f}`, 'utf8'), { minify: true, format: 'esm', target: 'es2022', legalComments: 'none' });
  writeFileSync(`dist/${f}`, es.code);
}

const bundle = (entryPoints, format, outfile) =>
  esbuild({
    entryPoints,
    outfile,
    bundle: true,
    format,
    minify: true,
    target: 'es2022',
    legalComments: 'none',
    define: { 'process.env.NODE_ENV': '"production"' },
  });
await bundle(['src/audio/worklets/index.ts'], 'esm', 'dist/prepatu-audio-worklets.js');
await bundle(['src/loader.ts'], 'iife', 'dist/prepatu.iife.js');

// The hosted all-in-one off-thread file is the same source the npm modules inline.
const { outputFiles } = await esbuild({ entryPoints: ['src/offthread/generated/source.ts'], format: 'esm', write: false });
const offThread = await import(`data:text/javascript;base64,${Buffer.from(outputFiles[0].text).toString('base64')}`);
mkdirSync('dist', { recursive: true });
writeFileSync('dist/prepatu-worklets.js', offThread.OFF_THREAD_SOURCE);

sh(process.execPath, ['node_modules/@custom-elements-manifest/analyzer/cem.js', 'analyze', '--litelement',
  '--globs', 'src/elements/*.ts', '--exclude', 'src/elements/index.ts']);
sh(process.execPath, ['scripts/gen-docs.mjs']);
sh(process.execPath, ['scripts/gen-types.mjs']);

printSizes({ writeManifest: true });
