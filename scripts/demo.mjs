#!/usr/bin/env node
// npm run demo: builds the bundles (if needed), then runs prepatu-dev-server with the demo site
// (demo/ + dist/) on http://localhost:8000 and prints the URL to open.
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, rmSync, statSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const port = process.env.PORT ?? '8000';
const newest = (dir) => readdirSync(dir, { recursive: true }).reduce((t, f) => Math.max(t, statSync(join(dir, String(f))).mtimeMs), 0);
if (!existsSync('dist/prepatu.js') || newest('src') > statSync('dist/prepatu.js').mtimeMs) {
  console.log('Building the widget bundles…');
  execFileSync('npm', ['run', '-s', 'build'], { stdio: 'inherit' });
}
const site = '.tmp/demo-site';
rmSync(site, { recursive: true, force: true });
mkdirSync(site, { recursive: true });
cpSync('demo/site', site, { recursive: true });
cpSync('dist', join(site, 'dist'), { recursive: true });

const server = spawn(process.execPath, ['bin/prepatu-dev-server.js', '--port', port, '--host', process.env.HOST ?? '127.0.0.1', '--static', site, ...process.argv.slice(2)], {
  stdio: 'inherit',
});
console.log(`\n  Demo: open http://localhost:${port}/ in a browser (Ctrl+C to stop)\n`);
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => server.kill(sig));
server.on('exit', (code) => process.exit(code ?? 0));
