#!/usr/bin/env node
// `npm test`: Node tests of the development server, then the browser suite once per engine
// (Chromium, Firefox, WebKit), each against real development-server processes.
// Installs missing engines with apt when running as root; otherwise says what to install.
// Env: PREPATU_BROWSERS=chromium,firefox (subset), PREPATU_REQUIRE_ALL=1 (a skipped engine fails the run),
//      PREPATU_TEST_FILES=glob,glob (browser test files), PREPATU_SKIP_NODE=1, PREPATU_SKIP_SITE=1,
//      PREPATU_SKIP_PACKAGE=1 (the packed packages installed in fresh projects),
//      PREPATU_SKIP_INTEROP=1 (the framework apps: their first run installs ~350 MB into demo/interop).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { ENGINES, aptPackages, isAvailable } from './browsers.mjs';
import { prepareInterop } from './interop.mjs';
import { ensureBuilt } from './site.mjs';
import { passFiles } from './test-files.mjs';

const requested = (process.env.PREPATU_BROWSERS ?? ENGINES.join(',')).split(',').filter(Boolean);
const requireAll = process.env.PREPATU_REQUIRE_ALL === '1';
const totals = { passed: 0, failed: 0 };
const report = [];

// A run that is stopped (Ctrl-C, a CI timeout) stops its test runner and browsers too: left behind,
// they keep two cores busy and every timing-sensitive test after them fails.
const children = new Set();
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'])
  process.on(signal, () => {
    for (const c of children) c.kill('SIGTERM');
    process.exit(130);
  });

function run(cmd, args, opts = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...opts });
    children.add(child);
    child.on('exit', () => children.delete(child));
    let out = '';
    const tee = (stream, sink) => stream.on('data', (d) => { out += d; sink.write(d); });
    tee(child.stdout, process.stdout);
    tee(child.stderr, process.stderr);
    child.on('close', (code) => resolve({ code: code ?? 1, out }));
  });
}

function installMissing() {
  const missing = requested.filter((e) => !isAvailable(e));
  if (!missing.length) return;
  const pkgs = [...new Set(missing.flatMap(aptPackages))];
  const canApt = process.getuid?.() === 0 && existsSync('/usr/bin/apt-get');
  if (!canApt) {
    console.log(`\nMissing browser engines: ${missing.join(', ')}. Install them with:\n  sudo apt-get install -y ${pkgs.join(' ')}\n`);
    return;
  }
  console.log(`Installing ${pkgs.join(' ')} (apt)…`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  spawnSync('apt-get', ['install', '-y', '-qq', ...pkgs], { stdio: 'inherit', env });
}

const freePort = () => new Promise((res) => { const s = createServer(); s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => res(p)); }); });

function startPulse(env) {
  mkdirSync(env.XDG_RUNTIME_DIR, { recursive: true, mode: 0o700 });
  if (spawnSync('pulseaudio', ['--check'], { env }).status === 0) return;
  spawnSync('pulseaudio', ['-D', '--exit-idle-time=-1', '--disallow-exit', '-n',
    '--load=module-null-sink sink_name=nullsink', '--load=module-native-protocol-unix', '--load=module-always-sink'], { stdio: 'inherit', env });
}

function count(out) {
  // wtr prints "N passed, M failed" in its progress lines; the last one is final.
  // eslint-disable-next-line no-control-regex -- strips terminal colour codes
  const all = [...out.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '').matchAll(/(\d+) passed, (\d+) failed/g)];
  const last = all.at(-1);
  return last ? { passed: +last[1], failed: +last[2] } : { passed: 0, failed: 0 };
}

/** Xvfb on a display it picks itself (`-displayfd`), once it accepts clients. */
function startXvfb() {
  const xvfb = spawn('Xvfb', ['-displayfd', '1', '-screen', '0', '1280x1024x24', '-nolisten', 'tcp'], { stdio: ['ignore', 'pipe', 'ignore'] });
  return new Promise((resolve, reject) => {
    let out = '';
    xvfb.stdout.on('data', (d) => {
      out += d;
      if (out.includes('\n')) resolve({ xvfb, display: `:${out.trim()}` });
    });
    xvfb.once('error', reject);
    xvfb.once('exit', (code) => reject(new Error(`Xvfb exited (${code}) before it was ready`)));
  });
}

/** Resolves once the WebDriver server on `port` answers its W3C `/status` as ready. */
async function webDriverReady(port, driver, ms = 30_000) {
  for (const until = Date.now() + ms; Date.now() < until; await new Promise((r) => setTimeout(r, 100))) {
    if (driver.exitCode !== null) throw new Error(`WebKitWebDriver exited (${driver.exitCode}) before it was ready`);
    try {
      const status = await (await fetch(`http://127.0.0.1:${port}/status`)).json();
      if (status.value?.ready) return;
    } catch {
      /* not listening yet */
    }
  }
  throw new Error(`WebKitWebDriver on port ${port} was not ready within ${ms / 1000} s`);
}

async function browserRun(engine) {
  const env = { ...process.env, PREPATU_BROWSERS: engine };
  const wtr = ['node_modules/@web/test-runner/dist/bin.js', '--config', 'web-test-runner.config.mjs'];
  let driver;
  const cmd = process.execPath;
  const args = wtr;
  if (engine === 'firefox') {
    env.XDG_RUNTIME_DIR ??= '/tmp/prepatu-xdg';
    startPulse(env);
  }
  let xvfb;
  if (engine === 'webkit') {
    // MiniBrowser has no headless mode: the driver (which starts it) needs a virtual display. Both
    // are waited for until they say they are ready (a fixed pause raced them on a busy machine:
    // MiniBrowser went away under the first test file).
    try {
      ({ xvfb, display: env.DISPLAY } = await startXvfb());
      const port = await freePort();
      env.WEBKIT_WEBDRIVER_PORT = String(port);
      driver = spawn('WebKitWebDriver', [`--port=${port}`], { stdio: 'ignore', env });
      await webDriverReady(port, driver);
    } catch (e) {
      console.error(`webkit: ${e.message}`);
      driver?.kill();
      xvfb?.kill();
      return { passed: 0, failed: 1 };
    }
  }
  // The ordinary files first (two at once in Chromium), then the real-time ones alone, then the
  // privacy files with every request going through the recording proxy.
  const c = { passed: 0, failed: 0 };
  for (const solo of ['0', '1', 'proxy']) {
    if (passFiles(solo).length === 0) continue;
    const { code, out } = await run(cmd, args, { env: { ...env, PREPATU_SOLO: solo } });
    const pass = count(out);
    if (code !== 0 && pass.failed === 0) pass.failed = 1; // the runner itself failed
    c.passed += pass.passed;
    c.failed += pass.failed;
  }
  driver?.kill();
  xvfb?.kill();
  return c;
}

/** Runs a `node --test` suite and adds its counts to the report. */
async function nodeSuite(label, args) {
  const { code, out } = await run(process.execPath, ['--test', '--test-reporter=spec', ...args]);
  const pass = +(/ℹ pass (\d+)/.exec(out)?.[1] ?? 0);
  const fail = +(/ℹ fail (\d+)/.exec(out)?.[1] ?? (code ? 1 : 0));
  totals.passed += pass; totals.failed += fail;
  report.push(`${label}: ${pass} passed, ${fail} failed`);
}

if (process.env.PREPATU_SKIP_NODE !== '1') await nodeSuite('node (dev server)', ['test/node/']);

if ((await run('npm', ['run', '-s', 'gen'])).code !== 0) { totals.failed++; report.push('worklet generation failed'); }
installMissing();
for (const engine of requested) {
  if (!isAvailable(engine)) {
    report.push(`${engine}: SKIPPED (not installed)`);
    if (requireAll) totals.failed++;
    continue;
  }
  const c = await browserRun(engine);
  totals.passed += c.passed; totals.failed += c.failed;
  report.push(`${engine}: ${c.passed} passed, ${c.failed} failed`);
}
// The built bundles on real pages (demo site, strict CSP, script tag), in Chromium.
if (process.env.PREPATU_SKIP_SITE !== '1' && requested.includes('chromium') && isAvailable('chromium')) {
  ensureBuilt();
  await nodeSuite('site pages (built bundles, Chromium)', ['--test-concurrency=1', 'test/site/']);
}

// The packed tarballs as another project installs them: @prepatu/elements alone (lit and
// @lit/context only), a Vite + TypeScript app on it in Chromium, `npx @prepatu/dev-server`.
if (process.env.PREPATU_SKIP_PACKAGE !== '1' && requested.includes('chromium') && isAvailable('chromium')) {
  await nodeSuite('packed packages in fresh projects (Vite + TypeScript app, Chromium)', ['test/package/']);
}

// The framework apps (demo/interop: Vue, Svelte, Angular, React, plain), each installed and built
// with its own toolchain, then driven in Chromium against the development server.
if (process.env.PREPATU_SKIP_INTEROP !== '1' && requested.includes('chromium') && isAvailable('chromium')) {
  const failed = prepareInterop();
  if (failed) {
    totals.failed++;
    report.push(`framework apps: ${failed} FAILED (see above)`);
  } else {
    await nodeSuite('framework apps (Vue, Svelte, Angular, React, plain; Chromium)', ['--test-concurrency=1', 'test/interop/']);
  }
}

console.log(`\nEngines and suites:\n  ${report.join('\n  ')}`);
console.log(`Tests: ${totals.passed} passed, ${totals.failed} failed`);
process.exit(totals.failed ? 1 : 0);
