// Part of `npm run bench`: what loading the widget costs a page's main thread (Chromium; uses the
// built dist/). Interleaved fresh loads of the same page with the script-tag widget (module script,
// classic loader), without it, and with an empty module script; medians.
//   by load, page minus page: CDP Performance.getMetrics TaskDuration (ScriptDuration of it) at the
//     load event, the page with the widget minus the page without, as Core Web Vitals budgets count
//     it. On this VM a bare page's loads vary by ±10 ms, so this difference is noisy; the empty
//     module script shows what Chromium spends on any module script at all.
//   our code: from a trace, the main-thread time spent compiling, evaluating and calling into our
//     files (with what they do synchronously: building the launcher's shadow tree, parsing its
//     styles), by the load event and up to 1 s after it. For this figure the server holds back the
//     lazy chunks, so it is the launcher's whole cost wherever it falls (the classic loader
//     evaluates the module after the load event) and not the panel's idle-time load.
import { createReadStream, existsSync } from 'node:fs';
import { createServer } from 'node:http';
import { once } from 'node:events';
import { extname, join } from 'node:path';
import { ensureBuilt } from './site.mjs';
import { loads } from './size.mjs';

const SCRIPTS = {
  module: (dir) => `<script type="module" src="/${dir}/prepatu.js"></script>`,
  classic: (dir) => `<script src="/${dir}/prepatu.iife.js"></script>`,
  empty: () => '<script type="module" src="/empty.js"></script>',
  none: () => '',
};
const page = (kind, dir) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>shop</title>
${SCRIPTS[kind](dir)}</head>
<body><h1>A product page</h1><p>${'Some text. '.repeat(200)}</p>
${kind === 'none' || kind === 'empty' ? '' : '<prepatu-widget session-url="/api/start-session" heading="Aria"></prepatu-widget>'}</body></html>`;

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const CATEGORIES = ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'loading'];
/** Trace events that run our code: a script of ours compiled or evaluated, or a call into one. */
const OURS = new Set(['v8.compileModule', 'v8.evaluateModule', 'EvaluateScript', 'FunctionCall', 'v8.compile']);

/** Main-thread time spent in our code, by the load event and in all. */
function ourCodeTime(events, base) {
  const main = events.find((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  const onMain = events.filter((e) => e.pid === main.pid && e.tid === main.tid && e.ph === 'X');
  const loadAt = events.find((e) => e.name === 'MarkLoad')?.ts ?? Infinity;
  const mine = (e) => {
    if (!OURS.has(e.name)) return false;
    const url = e.args?.data?.url ?? e.args?.url ?? e.args?.fileName;
    // v8.evaluateModule names no file: on these pages every module is ours.
    return url ? url.startsWith(base) : e.name === 'v8.evaluateModule';
  };
  // The union of those events' intervals (they nest: a call inside an evaluation counts once).
  const spans = onMain.filter(mine).sort((a, b) => a.ts - b.ts);
  let byLoad = 0;
  let total = 0;
  let end = -Infinity;
  for (const e of spans) {
    const from = Math.max(e.ts, end);
    const to = e.ts + e.dur;
    if (to <= from) continue;
    total += (to - from) / 1000;
    byLoad += (Math.min(to, loadAt) - Math.min(from, loadAt)) / 1000;
    end = to;
  }
  return { byLoad, total };
}

export async function measureLoadCost(browser, runs = 15) {
  ensureBuilt();
  // The files a page fetches before the visitor shows interest (`npm run size`'s first load).
  const first = new Set(loads().firstLoadIife);
  const held = new Set();
  const http = createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    const m = /^\/(module|classic|empty|none)\.html$/.exec(url.pathname);
    if (m) return res.writeHead(200, { 'content-type': 'text/html' }).end(page(m[1], url.searchParams.has('held') ? 'held' : 'dist'));
    if (url.pathname === '/empty.js') return res.writeHead(200, { 'content-type': 'text/javascript' }).end('');
    const dir = /^\/(dist|held)\//.exec(url.pathname)?.[1];
    const name = dir ? url.pathname.slice(dir.length + 2) : '';
    const file = join('dist', name);
    if (!dir || !existsSync(file)) return res.writeHead(404).end();
    // Pages under /held/ get the launcher and never the rest: the request stays open.
    if (dir === 'held' && !first.has(name)) return void held.add(res);
    res.writeHead(200, { 'content-type': extname(file) === '.js' ? 'text/javascript' : 'application/json' });
    createReadStream(file).pipe(res);
  });
  http.listen(0, '127.0.0.1');
  await once(http, 'listening');
  const base = `http://127.0.0.1:${http.address().port}`;
  const load = async (kind, traced) => {
    const context = await browser.newContext();
    const p = await context.newPage();
    const cdp = await context.newCDPSession(p);
    if (!traced) await cdp.send('Performance.enable');
    const events = [];
    if (traced) {
      cdp.on('Tracing.dataCollected', (e) => events.push(...e.value));
      await cdp.send('Tracing.start', { traceConfig: { includedCategories: CATEGORIES }, transferMode: 'ReportEvents' });
    }
    await p.goto(`${base}/${kind}.html${traced ? '?held' : ''}`, { waitUntil: 'load' });
    let result;
    if (traced) {
      await p.waitForTimeout(1000);
      const done = new Promise((r) => cdp.once('Tracing.tracingComplete', r));
      await cdp.send('Tracing.end');
      await done;
      result = ourCodeTime(events, base);
    } else {
      const m = Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((x) => [x.name, x.value]));
      result = { task: m.TaskDuration * 1000, script: m.ScriptDuration * 1000 };
    }
    await context.close();
    return result;
  };
  // Interleaved, so that a slower stretch of the machine weighs on every page alike.
  const kinds = ['none', 'module', 'classic', 'empty'];
  const all = Object.fromEntries(kinds.map((k) => [k, { plain: [], traced: [] }]));
  await load('module', false); // warm the disk cache and the engine
  for (let i = 0; i < runs; i++)
    for (const kind of kinds) {
      all[kind].plain.push(await load(kind, false));
      if (kind !== 'none') all[kind].traced.push(await load(kind, true));
    }
  for (const res of held) res.destroy();
  http.close();
  const m = (kind, loads, key) => median(all[kind][loads].map((x) => x[key]));
  const figures = (kind) => ({
    taskMs: m(kind, 'plain', 'task') - m('none', 'plain', 'task'),
    scriptMs: m(kind, 'plain', 'script') - m('none', 'plain', 'script'),
    oursByLoadMs: m(kind, 'traced', 'byLoad'),
    oursTotalMs: m(kind, 'traced', 'total'),
  });
  return { module: figures('module'), classic: figures('classic'), emptyModule: figures('empty'), runs };
}
