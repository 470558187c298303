// What a project that installs the packed packages gets: `@prepatu/elements` from its tarball
// in a fresh project brings lit and @lit/context only (no dev server, no WebRTC, no speech);
// a Vite + TypeScript app built on it is typed and runs in the system Chromium against a
// dev server started with `npx @prepatu/dev-server` from that package's own tarball.
// Installs prefer npm's cache (fast after the repository's own `npm install`) and fall back
// to the registry on a fresh machine.
import { spawn, spawnSync } from 'node:child_process';
import { lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { ensureBuilt } from '../../scripts/site.mjs';
import { browser as launch } from '../site/helpers.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The budget for `node_modules` of a project that installs only @prepatu/elements, on disk. */
const MAX_BYTES = 9 * 1024 * 1024;
const MB = (n) => `${(n / 1024 / 1024).toFixed(1)} MB`;

// A child npm must not see the repository's run-script environment (npm_config_local_prefix
// would make it install into the repository); user-level settings (cache, registry) stay.
const npmEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) =>
  !/^npm_/i.test(k) || /^npm_config_(cache|registry|userconfig|cafile|proxy|https_proxy|noproxy)$/i.test(k)));

function sh(cmd, args, cwd) {
  const r = spawnSync(cmd, args, { cwd, env: npmEnv, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { code: r.status ?? 1, out: `${r.stdout ?? ''}${r.stderr ?? ''}`, stdout: r.stdout ?? '' };
}

function ok(cmd, args, cwd) {
  const r = sh(cmd, args, cwd);
  assert.equal(r.code, 0, `${cmd} ${args.join(' ')} (in ${cwd}) failed:\n${r.out}`);
  return r.stdout;
}

const npmInstall = (cwd, ...specs) => ok('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', ...specs], cwd);

const packJson = (dir) => JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
const version = (pkg) => packJson(join(ROOT, 'node_modules', pkg)).version;

/** A fresh project directory with a package.json. */
function project(parent, name, extra = {}) {
  const dir = join(parent, name);
  mkdirSync(dir);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, private: true, type: 'module', ...extra }, null, 2));
  return dir;
}

/** Every package folder under `node_modules` (nested copies included): [{ name, dir }]. */
function installedPackages(nodeModules) {
  const found = [];
  const visit = (nm) => {
    let entries;
    try { entries = readdirSync(nm, { withFileTypes: true }); } catch { return; }
    for (const e of entries) {
      if (e.name.startsWith('.')) continue;
      const dirs = e.name.startsWith('@')
        ? readdirSync(join(nm, e.name)).map((s) => [`${e.name}/${s}`, join(nm, e.name, s)])
        : [[e.name, join(nm, e.name)]];
      for (const [name, dir] of dirs) {
        found.push({ name, dir });
        visit(join(dir, 'node_modules'));
      }
    }
  };
  visit(nodeModules);
  return found;
}

/** Bytes on disk, as `du` counts them (allocated blocks of every file and folder), and file bytes. */
function diskUsage(dir) {
  let disk = 0;
  let files = 0;
  const walk = (p) => {
    const st = lstatSync(p);
    disk += st.blocks * 512;
    if (st.isFile()) files += st.size;
    if (st.isDirectory()) for (const e of readdirSync(p)) walk(join(p, e));
  };
  walk(dir);
  return { disk, files };
}

/** Starts a detached process; resolves once stdout matches `ready`. stop() ends its whole group. */
function startProcess(cmd, args, cwd, ready) {
  const child = spawn(cmd, args, { cwd, env: npmEnv, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  const stop = () => { try { process.kill(-child.pid, 'SIGTERM'); } catch { /* already gone */ } };
  const started = new Promise((resolve, reject) => {
    const onData = (d) => {
      log += d;
      const m = ready.exec(log);
      if (m) resolve(m);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => reject(new Error(`${cmd} ${args.join(' ')} exited (${code}):\n${log}`)));
  });
  return { started, stop, log: () => log };
}

const APP_HTML = `<!doctype html>
<html lang="en">
  <head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>A shop</title></head>
  <body>
    <main><h1>A shop</h1></main>
    <prepatu-widget program-id="appointment-booking" heading="Aria"></prepatu-widget>
    <script type="module" src="/src/main.ts"></script>
  </body>
</html>
`;

// The app's entry: the one import a page needs, then the typed element.
const APP_MAIN = `import '@prepatu/elements/define.js';

const widget = document.querySelector('prepatu-widget');
if (widget) widget.wsUrl = \`ws://\${location.host}/ws?mode=flow&program_id=\${widget.programId}\`;
`;

// Type-checked only: the headless core, and an element's events and state.
const HEADLESS = `import { VoiceAgent, type SessionStatus } from '@prepatu/elements';

const agent = VoiceAgent.withWebSocket(
  { url: 'ws://localhost:8000/ws?mode=flow&program_id=onboarding' },
  { onStatus: (status: SessionStatus) => console.log(status), onError: (err) => console.warn(err.code, err.message) },
);
const session = document.querySelector('prepatu-session');
session?.addEventListener('prepatu-status', () => console.log(session.state.status));
export const started: Promise<void> = agent.connect();
`;

// Deliberate mistakes, each an error only if the package's types are really there: without the
// tag map, the first would be TS2339 (no wsUrl on Element); without the status union, the second
// would be no error at all.
const WRONG = {
  'wrong-tag.ts': [`import '@prepatu/elements/define.js';

document.querySelector('prepatu-widget')!.wsUrl = 42;
`, /^wrong-tag\.ts\(3,\d+\): error TS2322: Type 'number' is not assignable to type 'string'/],
  'wrong-status.ts': [`import { VoiceAgent } from '@prepatu/elements';

export const ended = VoiceAgent.withWebSocket({ url: 'ws://x' }, {}).state.status === 'talking';
`, /^wrong-status\.ts\(3,\d+\): error TS2367: .*'"talking"'/],
};

const COMPILER_OPTIONS = {
  target: 'ES2022', module: 'ESNext', moduleResolution: 'bundler', lib: ['ES2022', 'DOM', 'DOM.Iterable'],
  strict: true, noEmit: true, isolatedModules: true, verbatimModuleSyntax: true,
};

/**
 * Type-checks `file` alone (so no other file's imports lend it types); returns tsc's errors.
 * `libCheck` also checks every .d.ts it reaches (the package's own, under strict settings).
 */
function typeErrors(dir, file, { libCheck = false } = {}) {
  const config = `tsconfig.${file.replace(/\W/g, '-')}.json`;
  const compilerOptions = { ...COMPILER_OPTIONS, skipLibCheck: !libCheck };
  writeFileSync(join(dir, config), JSON.stringify({ compilerOptions, files: [file] }, null, 2));
  const r = sh(process.execPath, [join(dir, 'node_modules/typescript/bin/tsc'), '-p', config], dir);
  const errors = r.out.split('\n').filter((l) => l.includes('error TS'));
  if (r.code !== 0 && !errors.length) assert.fail(`tsc failed without a type error:\n${r.out}`);
  return errors;
}

describe('the packed packages in fresh projects', () => {
  let tmp;
  let tarballs;
  let app;
  let devServer;
  let browser;

  before(() => {
    ensureBuilt();
    tmp = mkdtempSync(join(tmpdir(), 'prepatu-package-'));
    const pack = (...args) => JSON.parse(ok('npm', ['pack', '--json', '--pack-destination', tmp, ...args], ROOT))[0];
    tarballs = { elements: pack(), server: pack('--workspace', 'server') };
  });

  after(async () => {
    await browser?.close();
    devServer?.stop();
    if (tmp && process.env.PREPATU_KEEP_TMP !== '1') rmSync(tmp, { recursive: true, force: true });
  });

  it('@prepatu/elements packs lib, dist and custom-elements.json, depends on lit and @lit/context, has no bin', () => {
    const top = new Set(tarballs.elements.files.map((f) => f.path.split('/')[0]));
    assert.deepEqual([...top].sort(), ['README.md', 'custom-elements.json', 'dist', 'lib', 'package.json']);
    const manifest = packJson(ROOT);
    assert.deepEqual(Object.keys(manifest.dependencies).sort(), ['@lit/context', 'lit']);
    assert.equal(manifest.bin, undefined);
    assert.equal(manifest.optionalDependencies, undefined);
  });

  it('installs into a fresh project with nothing but lit, @lit/context and their dependencies, within 9 MB', (t) => {
    app = project(tmp, 'app');
    npmInstall(app, join(tmp, tarballs.elements.filename));

    const nodeModules = join(app, 'node_modules');
    const installed = installedPackages(nodeModules);
    // Allowed: our package and the closure of lit's and @lit/context's declared dependencies.
    const allowed = new Set(['@prepatu/elements']);
    const queue = ['lit', '@lit/context'];
    while (queue.length) {
      const name = queue.shift();
      if (allowed.has(name)) continue;
      allowed.add(name);
      for (const { dir } of installed.filter((p) => p.name === name)) {
        const m = packJson(dir);
        queue.push(...Object.keys({ ...m.dependencies, ...m.optionalDependencies, ...m.peerDependencies }));
      }
    }
    const names = [...new Set(installed.map((p) => p.name))].sort();
    assert.deepEqual(names.filter((n) => !allowed.has(n)), [], `installed beyond lit and @lit/context (all: ${names.join(', ')})`);
    for (const n of ['@prepatu/elements', 'lit', '@lit/context']) assert.ok(names.includes(n), `${n} is not installed`);

    const { disk, files } = diskUsage(nodeModules);
    t.diagnostic(`npm install @prepatu/elements (tarball): ${installed.length} packages, node_modules ${MB(disk)} on disk (${MB(files)} of files): ${names.join(', ')}`);
    assert.ok(disk <= MAX_BYTES, `node_modules takes ${MB(disk)} on disk, over ${MB(MAX_BYTES)}`);
  });

  it('@prepatu/elements/server (the site backend\'s session endpoint) resolves from the installed package', () => {
    const out = ok(process.execPath, ['--input-type=module', '-e',
      "const m = await import('@prepatu/elements/server'); console.log(typeof m.createSessionHandler, typeof m.toNodeHandler);"], app);
    assert.equal(out.trim(), 'function function');
  });

  it('a Vite + TypeScript app type-checks with the package\'s types (the tag map from define.js alone), and tsc catches wrong types', () => {
    npmInstall(app, '--save-dev', `vite@${version('vite')}`, `typescript@${version('typescript')}`);
    mkdirSync(join(app, 'src'));
    writeFileSync(join(app, 'index.html'), APP_HTML);
    writeFileSync(join(app, 'src/main.ts'), APP_MAIN);
    writeFileSync(join(app, 'headless.ts'), HEADLESS);
    assert.deepEqual(typeErrors(app, 'src/main.ts', { libCheck: true }), []);
    assert.deepEqual(typeErrors(app, 'headless.ts', { libCheck: true }), []);
    for (const [file, [source, expected]] of Object.entries(WRONG)) {
      writeFileSync(join(app, file), source);
      const errors = typeErrors(app, file);
      assert.equal(errors.length, 1, `${file}:\n${errors.join('\n')}`);
      assert.match(errors[0], expected);
    }
  });

  it('the dev server installs from its own tarball and runs with `npx @prepatu/dev-server`, serving the Vite-built app', async (t) => {
    ok(process.execPath, [join(app, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], app);
    const site = project(tmp, 'site');
    npmInstall(site, join(tmp, tarballs.server.filename));
    const installed = installedPackages(join(site, 'node_modules'));
    t.diagnostic(`npm install @prepatu/dev-server (tarball): ${installed.length} packages, node_modules ${MB(diskUsage(join(site, 'node_modules')).disk)} on disk`);
    const api = ok(process.execPath, ['--input-type=module', '-e', "console.log(typeof (await import('@prepatu/dev-server')).startServer)"], site);
    assert.equal(api.trim(), 'function');

    devServer = startProcess('npx', ['@prepatu/dev-server', '--port', '0', '--test-hooks', '--static', join(app, 'dist')], site,
      /listening on (http:\/\/\S+)[\s\S]*the agent's voice: (.*)\n/);
    const [, url, voice] = await devServer.started;
    devServer.url = url;
    // espeak-ng is an optional dependency of the server package: installed, it is the voice.
    assert.match(voice, /eSpeak NG/);
    const res = await fetch(`${url}/healthz`);
    assert.ok((await res.json()).flows.includes('appointment-booking'));
  });

  it('the built app in Chromium: <prepatu-widget> upgrades, the launcher opens the panel, a call starts', async () => {
    assert.ok(devServer?.url, 'no dev server');
    browser = await launch();
    const page = await browser.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${devServer.url}/`);
    const upgraded = await page.evaluate(async () => {
      await customElements.whenDefined('prepatu-widget');
      const w = document.querySelector('prepatu-widget');
      return w instanceof customElements.get('prepatu-widget') && !!w.shadowRoot && w.open === false;
    });
    assert.ok(upgraded, '<prepatu-widget> did not upgrade');

    await page.getByRole('button', { name: 'Open voice assistant' }).click();
    assert.equal(await page.evaluate(() => document.querySelector('prepatu-widget').open), true);
    await page.getByRole('button', { name: /Talk to us/ }).click();
    await page.waitForFunction(() => ['listening', 'speaking'].includes(document.querySelector('prepatu-widget')?.session?.status), null, { timeout: 15_000 });
    // The flow's first state reached the page: the server's form, rendered by the app's elements.
    await page.locator('prepatu-artifact [part~="form"]').waitFor({ timeout: 15_000 });
    assert.match(devServer.log(), /\[\S+ appointment-booking\] connected/, 'the session did not reach this server');
    assert.deepEqual(errors, []);
    await page.close();
  });
});
