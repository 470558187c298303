// Shared by `npm run demo`, the site tests and the screenshot script: builds the bundles when
// the sources are newer, and assembles demo/site + dist into one static directory.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, rmSync, statSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const newest = (dir) => readdirSync(dir, { recursive: true }).reduce((t, f) => Math.max(t, statSync(join(dir, String(f))).mtimeMs), 0);

export function ensureBuilt() {
  if (existsSync('dist/prepatu.js') && newest('src') <= statSync('dist/prepatu.js').mtimeMs) return;
  console.log('Building the widget bundles…');
  execFileSync('npm', ['run', '-s', 'build'], { stdio: 'inherit' });
}

export function assembleSite(dir) {
  ensureBuilt();
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  cpSync('demo/site', dir, { recursive: true });
  cpSync('dist', join(dir, 'dist'), { recursive: true });
  return dir;
}
