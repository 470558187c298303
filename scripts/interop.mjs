#!/usr/bin/env node
// npm run interop: installs (first time, ~350 MB, ~1 min) and builds the framework apps under
// demo/interop/ with their own toolchains; `npm run demo` then serves them at /interop/<app>/.
// Also used by `npm test` and test/interop/.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ensureBuilt } from './site.mjs';

const DIR = 'demo/interop';
/** Each app's built files. */
export const INTEROP_APPS = { vue: 'vue/dist', svelte: 'svelte/dist', react: 'react/dist', angular: 'angular/dist/browser', plain: 'plain/dist' };

/** Installs when package.json changed, then type-checks and builds every app. Returns the failed step, or null. */
export function prepareInterop() {
  ensureBuilt();
  const lock = `${DIR}/node_modules/.package-lock.json`;
  if (!existsSync(lock) || statSync(lock).mtimeMs < statSync(`${DIR}/package.json`).mtimeMs) {
    console.log('Installing the framework apps\' toolchains (demo/interop)…');
    const install = spawnSync('npm', ['install', '--no-audit', '--no-fund'], { cwd: DIR, stdio: 'inherit' });
    if (install.status !== 0) return 'npm install in demo/interop';
  }
  const build = spawnSync(process.execPath, [`${DIR}/build.mjs`], { stdio: 'inherit' });
  return build.status === 0 ? null : 'type check or build of the framework apps';
}

export const interopBuilt = () => Object.values(INTEROP_APPS).every((out) => existsSync(`${DIR}/${out}`));

/** Copies the built apps to `<into>/<app>/`. */
export function copyInteropApps(into) {
  for (const [app, out] of Object.entries(INTEROP_APPS)) cpSync(`${DIR}/${out}`, `${into}/${app}`, { recursive: true });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const failed = prepareInterop();
  if (failed) {
    console.error(`\n${failed} failed`);
    process.exit(1);
  }
  console.log('\nBuilt. `npm run demo` serves them at http://localhost:8000/interop/{vue,svelte,angular,react,plain}/');
}
