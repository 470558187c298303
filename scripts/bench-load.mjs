// Part of `npm run bench`: what loading the widget costs a page's main thread, as Core Web Vitals
// count it. Chromium's own task accounting (CDP Performance.getMetrics: TaskDuration, and
// ScriptDuration of it) at the page's load event, for a page with the script-tag widget minus the
// same page without it, the median of 15 fresh loads each (interleaved). Uses the built dist/.
// Also the same for an empty module script: what Chromium spends on any module script at all.
import { createReadStream, existsSync } from 'node:fs';
import { createServer } from 'node:http';
import { once } from 'node:events';
import { extname, join } from 'node:path';
import { ensureBuilt } from './site.mjs';

const SCRIPTS = {
  module: '<script type="module" src="/dist/prepatu.js"></script>',
  classic: '<script src="/dist/prepatu.iife.js"></script>',
  empty: '<script type="module" src="/empty.js"></script>',
  none: '',
};
const page = (kind) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>shop</title>
${SCRIPTS[kind]}</head>
<body><h1>A product page</h1><p>${'Some text. '.repeat(200)}</p>
${kind === 'none' || kind === 'empty' ? '' : '<prepatu-widget session-url="/api/start-session" heading="Aria"></prepatu-widget>'}</body></html>`;

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function measureLoadCost(browser, runs = 15) {
  ensureBuilt();
  const http = createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    const kind = /^\/(module|classic|empty|none)\.html$/.exec(url.pathname)?.[1];
    if (kind) return res.writeHead(200, { 'content-type': 'text/html' }).end(page(kind));
    if (url.pathname === '/empty.js') return res.writeHead(200, { 'content-type': 'text/javascript' }).end('');
    const file = join('dist', url.pathname.replace(/^\/dist\//, ''));
    if (!url.pathname.startsWith('/dist/') || !existsSync(file)) return res.writeHead(404).end();
    res.writeHead(200, { 'content-type': extname(file) === '.js' ? 'text/javascript' : 'application/json' });
    createReadStream(file).pipe(res);
  });
  http.listen(0, '127.0.0.1');
  await once(http, 'listening');
  const base = `http://127.0.0.1:${http.address().port}`;
  const load = async (path) => {
    const context = await browser.newContext();
    const p = await context.newPage();
    const cdp = await context.newCDPSession(p);
    await cdp.send('Performance.enable');
    await p.goto(`${base}${path}`, { waitUntil: 'load' });
    const m = Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((x) => [x.name, x.value]));
    await context.close();
    return { task: m.TaskDuration * 1000, script: m.ScriptDuration * 1000 };
  };
  // Interleaved, so that a slower stretch of the machine weighs on every page alike.
  const all = { none: [], module: [], classic: [], empty: [] };
  await load('/module.html'); // warm the disk cache and the engine
  for (let i = 0; i < runs; i++) for (const kind of Object.keys(all)) all[kind].push(await load(`/${kind}.html`));
  http.close();
  const m = (kind, k) => median(all[kind].map((x) => x[k]));
  const cost = (kind) => ({ taskMs: m(kind, 'task') - m('none', 'task'), scriptMs: m(kind, 'script') - m('none', 'script') });
  return { module: cost('module'), classic: cost('classic'), emptyModule: cost('empty') };
}
