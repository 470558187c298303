// Part of `npm run bench`: what loading the widget costs a page's main thread, as Core Web Vitals
// count it. Chromium's own task accounting (CDP Performance.getMetrics: TaskDuration, and
// ScriptDuration of it) at the page's load event, for a page with the script-tag widget minus the
// same page without it, the median of 5 fresh loads each. Uses the built dist/.
import { createReadStream, existsSync } from 'node:fs';
import { createServer } from 'node:http';
import { once } from 'node:events';
import { extname, join } from 'node:path';
import { ensureBuilt } from './site.mjs';

const page = (widget) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>shop</title>
${widget ? '<script type="module" src="/dist/prepatu.js"></script>' : ''}</head>
<body><h1>A product page</h1><p>${'Some text. '.repeat(200)}</p>
${widget ? '<prepatu-widget session-url="/api/start-session" heading="Aria"></prepatu-widget>' : ''}</body></html>`;

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function measureLoadCost(browser, runs = 5) {
  ensureBuilt();
  const http = createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    if (url.pathname === '/with.html' || url.pathname === '/without.html')
      return res.writeHead(200, { 'content-type': 'text/html' }).end(page(url.pathname === '/with.html'));
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
  const sample = async (path) => {
    const all = [];
    for (let i = 0; i < runs; i++) all.push(await load(path));
    return { task: median(all.map((x) => x.task)), script: median(all.map((x) => x.script)) };
  };
  await load('/with.html'); // warm the disk cache and the engine
  const without = await sample('/without.html');
  const withWidget = await sample('/with.html');
  http.close();
  return { taskMs: withWidget.task - without.task, scriptMs: withWidget.script - without.script };
}
