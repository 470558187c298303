#!/usr/bin/env node
// npm run demo: builds the bundles (if needed), then runs prepatu-dev-server with the demo site
// (demo/site + dist/) on http://localhost:8000 and prints the URLs to open.
import { spawn } from 'node:child_process';
import { copyInteropApps, interopBuilt } from './interop.mjs';
import { assembleSite } from './site.mjs';

const port = process.env.PORT ?? '8000';
const site = assembleSite('.tmp/demo-site');
const interop = interopBuilt(); // after `npm run interop`
if (interop) copyInteropApps(`${site}/interop`);
const server = spawn(process.execPath, ['server/bin/prepatu-dev-server.js', '--port', port, '--host', process.env.HOST ?? '127.0.0.1', '--static', site, ...process.argv.slice(2)], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
let announced = false;
server.stdout.on('data', (d) => {
  process.stdout.write(d);
  if (announced || !String(d).includes('listening on')) return;
  announced = true;
  console.log(`
  Demo ready. Open in a browser (Ctrl+C to stop):
    http://localhost:${port}/               a product page with the widget (bottom right)
    http://localhost:${port}/elements.html  the elements composed by hand, with an event log
    http://localhost:${port}/script-tag.html  the one-script CMS loader
    http://localhost:${port}/csp.html       under a strict CSP with Trusted Types
${interop ? `    http://localhost:${port}/interop/{vue,svelte,angular,react,plain}/  the framework apps` : '  (`npm run interop` builds the Vue, Svelte, Angular and React apps; they then appear here too)'}
`);
});
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => server.kill(sig));
server.on('exit', (code) => process.exit(code ?? 0));
