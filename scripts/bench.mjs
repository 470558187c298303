#!/usr/bin/env node
// `npm run bench`: prints the audio figures (not a test: nothing here passes or fails).
// Runs bench/page.ts in the system Chromium against a development server.
import { build } from 'esbuild';
import { spawn, execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import { once } from 'node:events';
import { chromium } from 'playwright';
import { findBrowser } from './browsers.mjs';

execFileSync('node', ['scripts/build-worklets.mjs'], { stdio: 'ignore' });
const { outputFiles } = await build({ entryPoints: ['bench/page.ts'], bundle: true, format: 'esm', write: false, target: 'es2022' });
const js = outputFiles[0].text;
const http = createServer((req, res) => {
  if (req.url === '/bench.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end(js);
  else res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><script type="module" src="/bench.js"></script>');
});
http.listen(0, '127.0.0.1');
await once(http, 'listening');
const server = spawn(process.execPath, ['server/bin/prepatu-dev-server.js', '--port', '0', '--test-hooks', '--voice', 'synthetic', '--quiet'], { stdio: ['ignore', 'pipe', 'inherit'] });
const serverUrl = await new Promise((resolve) => {
  server.stdout.on('data', (d) => {
    const m = /listening on (http:\/\/\S+)/.exec(String(d));
    if (m) resolve(m[1]);
  });
});

const browser = await chromium.launch({
  executablePath: findBrowser('chromium'),
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--autoplay-policy=no-user-gesture-required', '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream'],
});
try {
  const page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${http.address().port}/`);
  await page.waitForFunction(() => 'bench' in globalThis);
  const f = (n, d = 2) => Number(n).toFixed(d);

  // Main-thread time of a live session: Chromium's own task accounting, minus an idle page.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const task = async () => {
    const all = Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]));
    if (process.env.BENCH_DEBUG) console.log(JSON.stringify(all));
    return all.TaskDuration;
  };
  const SECONDS = 8;
  let t0 = await task();
  await page.waitForTimeout(SECONDS * 1000);
  const idle = (await task()) - t0;
  const url = `${serverUrl.replace('http', 'ws')}/ws?mode=flow&program_id=sample-onboarding`;
  /** Main-thread ms per second of a live session (paced agent audio in, mic out), idle page subtracted. */
  const sessionCost = async (watchLevels) => {
    await page.evaluate(([u, s, w]) => globalThis.bench.startSession(u, s, w), [url, SECONDS, watchLevels]);
    if (process.env.BENCH_PROFILE) { await cdp.send('Profiler.enable'); await cdp.send('Profiler.start'); }
    const t1 = await task();
    await page.waitForTimeout(SECONDS * 1000);
    const busy = (await task()) - t1;
    if (process.env.BENCH_PROFILE) {
      const { profile } = await cdp.send('Profiler.stop');
      const self = new Map();
      const dt = profile.timeDeltas; const ids = profile.samples;
      const byId = new Map(profile.nodes.map((n) => [n.id, n]));
      for (let i = 0; i < ids.length; i++) { const n = byId.get(ids[i]); const k = `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber}`; self.set(k, (self.get(k) ?? 0) + (dt[i] ?? 0) / 1000); }
      console.log([...self].sort((a, b) => b[1] - a[1]).slice(0, 15).map(([k, v]) => `${v.toFixed(1)}ms ${k}`).join('\n'));
    }
    const { status, inWorker } = await page.evaluate(() => globalThis.bench.stopSession());
    return { msPerS: ((busy - idle) / SECONDS) * 1000, status, inWorker };
  };
  const session = await sessionCost(false);
  const withLevels = await sessionCost(true);

  const cost = await page.evaluate(() => globalThis.bench.workletCost(30));
  const lat = await page.evaluate(() => globalThis.bench.micToSocket());
  const timing = await page.evaluate(() => globalThis.bench.playbackTiming(10));
  const mobile = await page.evaluate(() => globalThis.bench.playout(2, 'mobile'));
  const calm = await page.evaluate(() => globalThis.bench.playout(7, 'calm'));
  const seeds = await page.evaluate(() => globalThis.bench.playoutSeeds(20));
  const intr = await page.evaluate(() => globalThis.bench.interruptTiming(5));

  console.log(`Prepatu audio benchmark (Chromium ${browser.version()}, AudioContext ${lat.rate} Hz)`);
  console.log(`  capture worklet:      ${f(cost.captureMsPerS)} ms CPU per second of audio (${f(cost.captureMsPerS / 10, 3)} % of one core)`);
  console.log(`  playback worklet:     ${f(cost.playbackMsPerS)} ms CPU per second of audio (${f(cost.playbackMsPerS / 10, 3)} % of one core)`);
  console.log(`  main thread, session: ${f(session.msPerS)} ms per second (socket ${session.inWorker ? 'in a Worker' : 'on the main thread'}; mic 50 frames/s out, paced agent audio in; status while measured: ${session.status}; idle page subtracted)`);
  console.log(`    with live levels:   ${f(withLevels.msPerS)} ms per second (+ 30 level reports/s, what an orb on the page asks for)`);
  console.log(`  mic → socket latency: ${f(lat.totalMs)} ms = ${lat.frameMs} ms frame + ${f(lat.filterDelayMs)} ms anti-alias filter + ${f(lat.quantumMs)} ms render quantum`);
  console.log(`  playback start:       ${timing.startMs.map((x) => f(x, 1)).join(', ')} ms from play() to audible (60 ms lead), + ${f(timing.outputLatencyMs, 1)} ms device output latency`);
  console.log(`  burst playback:       10 s sent at once played in 10 s ${timing.burstErrorMs >= 0 ? '+' : ''}${f(timing.burstErrorMs, 1)} ms (timing error, audio clock)`);
  const base = calm.fixed.endLatencyMs;
  const row = (name, x) => `    ${name.padEnd(18)} ${String(x.gaps).padStart(4)} ${f(x.silenceMs, 0).padStart(8)} ms ${f(x.endLatencyMs, 0).padStart(8)} ms (+${f(x.endLatencyMs - base, 0)} ms) ${f(x.leadMs, 0).padStart(6)} ms (max ${f(x.maxLeadMs, 0)})`;
  console.log('  playout, 8 s of paced 20 ms frames over a mobile-like network (seed 2: 86 % of frames 0–20 ms late, 12.5 % 20–120 ms, 1.5 % 120–350 ms, TCP order), offline render:');
  console.log('                        gaps  silence   end latency (added)   lead at the end');
  console.log(row('fixed 60 ms lead', mobile.fixed));
  console.log(row('adaptive', mobile.adaptive));
  console.log('    calm network (0–20 ms late, seed 7), the baseline of "added":');
  console.log(row('fixed 60 ms lead', calm.fixed));
  console.log(row('adaptive', calm.adaptive));
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const over2 = (xs) => xs.filter((g) => g > 2).length;
  console.log(`    20 seeds of that network: gaps per 8 s fixed median ${median(seeds.fixed)} (max ${Math.max(...seeds.fixed)}, ${over2(seeds.fixed)} seeds > 2), adaptive median ${median(seeds.adaptive)} (max ${Math.max(...seeds.adaptive)}, ${over2(seeds.adaptive)} seeds > 2)`);
  console.log(`  interrupt → status:   ${intr.liveMs.map((x) => f(x, 1)).join(', ')} ms from interrupt() to "playing: false" (live, audio clock; the command reached the worklet after ${intr.landedMs.map((x) => f(x, 1)).join(', ')} ms); offline: status ${f(intr.offlineStatusMs, 1)} ms, silent after ${f(intr.offlineSilentMs, 1)} ms`);
  const { measureLoadCost } = await import('./bench-load.mjs');
  const loadCost = await measureLoadCost(browser);
  const ms = (x) => `${f(x, 1)} ms`;
  for (const [kind, label] of [['module', 'module script'], ['classic', 'classic loader']]) {
    const c = loadCost[kind];
    console.log(`  page load, ${label}:`.padEnd(32) + `our code ${ms(c.oursByLoadMs)} by the load event, ${ms(c.oursTotalMs)} up to 1 s after it; page minus page ${ms(c.taskMs)} of tasks by the load event (${ms(c.scriptMs)} of script)`);
  }
  console.log(`  page load, empty module script: page minus page ${ms(loadCost.emptyModule.taskMs)} (what Chromium spends on any module script; a bare page's loads vary by ±10 ms here)`);
  console.log(`    (medians of ${loadCost.runs} interleaved fresh loads; "our code" from a trace, the lazy chunks held back so it is the launcher's whole cost)`);
} finally {
  await browser.close();
  server.kill();
  http.close();
}
