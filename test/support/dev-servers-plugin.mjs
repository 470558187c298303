// Starts real development-server processes (one per dialect, and one with the cloud API) and a
// site backend using @prepatu/elements/server for the test run, and tells the browser where
// they are through GET /__prepatu/servers.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';

/** The cloud dev server's API key; the site backend's `/session` knows it, `/session-wrong-key` does not. */
export const CLOUD_API_KEY = 'pk_test_cloud_key_for_the_test_run';
export const WRONG_API_KEY = 'pk_test_not_the_key_of_this_account';

function startProcess(args) {
  return new Promise((res, rej) => {
    const child = spawn(process.execPath, [resolve('server/bin/prepatu-dev-server.js'), '--port', '0', '--host', '127.0.0.1', '--test-hooks', '--voice', 'synthetic', ...args], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    const onData = (d) => {
      out += d;
      const m = /listening on (http:\/\/[\d.]+:\d+)/.exec(out);
      if (m) {
        child.stdout.off('data', onData);
        child.stdout.resume();
        res({ child, url: m[1] });
      }
    };
    child.stdout.on('data', onData);
    child.on('exit', (code) => rej(new Error(`prepatu-dev-server ${args.join(' ')} exited with ${code}: ${out}`)));
  });
}

/** A TCP port that accepts connections and never answers: the "server that never answers". */
function blackHole() {
  return new Promise((res) => {
    const sockets = new Set();
    const srv = createServer((s) => { sockets.add(s); s.on('error', () => {}); });
    srv.listen(0, '127.0.0.1', () => res({ srv, sockets, url: `http://127.0.0.1:${srv.address().port}` }));
  });
}

/** A loopback port nobody listens on (bound, then released): connections are refused. */
function closedPort() {
  return new Promise((res) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => res(`http://127.0.0.1:${port}`)); });
  });
}

/**
 * The site's own backend, as a site builds it from src/server (bundled as the package ships it):
 * POST /session starts a cloud session with the right key, POST /session-wrong-key with a
 * refused one. CORS for the test page, which is on another port; the helper adds none itself.
 */
async function siteBackend(cloudUrl) {
  const { outputFiles } = await build({ entryPoints: ['src/server/index.ts'], bundle: true, format: 'esm', platform: 'neutral', write: false });
  const { createSessionHandler, toNodeHandler } = await import(`data:text/javascript;base64,${Buffer.from(outputFiles[0].text).toString('base64')}`);
  const options = { baseUrl: cloudUrl, allowedFlows: ['appointment-booking', 'sample-onboarding'] };
  const routes = {
    '/session': toNodeHandler(createSessionHandler({ ...options, apiKey: CLOUD_API_KEY })),
    '/session-wrong-key': toNodeHandler(createSessionHandler({ ...options, apiKey: WRONG_API_KEY })),
  };
  const srv = createHttpServer((req, res) => {
    res.setHeader('Access-Control-Allow-Origin', '*');
    if (req.method === 'OPTIONS') {
      res.writeHead(204, { 'Access-Control-Allow-Methods': 'POST', 'Access-Control-Allow-Headers': 'Content-Type' });
      return res.end();
    }
    const route = routes[new URL(req.url, 'http://x').pathname];
    if (route) return route(req, res);
    res.writeHead(404).end();
  });
  await new Promise((res) => srv.listen(0, '127.0.0.1', res));
  return { srv, url: `http://127.0.0.1:${srv.address().port}` };
}

/** The request's body as text (at most `max` bytes). */
function readBody(req, max = 64 * 1024 * 1024) {
  return new Promise((res, rej) => {
    const chunks = [];
    let size = 0;
    req.on('data', (c) => {
      size += c.length;
      if (size > max) rej(new Error('body too large'));
      else chunks.push(c);
    });
    req.on('end', () => res(Buffer.concat(chunks).toString('utf8')));
    req.on('error', rej);
  });
}

const TRACE_FIXTURES = 'test/fixtures/traces';
const TRACE_DIR = resolve('.tmp/traces');

export function devServersPlugin() {
  let servers = {};
  const children = [];
  let posted = 0;
  let hole;
  let backend;
  return {
    name: 'prepatu-dev-servers',
    async serverStart() {
      hole = await blackHole();
      servers = { blackHole: hole.url, refused: await closedPort() };
      if (!existsSync('server/bin/prepatu-dev-server.js')) return console.warn('prepatu-dev-server is missing: server tests will fail');
      for (const dialect of ['documented', 'reference']) {
        const { child, url } = await startProcess(['--dialect', dialect]);
        children.push(child);
        servers[dialect] = url;
      }
      const cloud = await startProcess(['--api-key', CLOUD_API_KEY]);
      children.push(cloud.child);
      servers.cloud = cloud.url;
      backend = await siteBackend(cloud.url);
      servers.siteBackend = backend.url;
      // One --replay process per trace fixture: every client gets the whole trace from the start.
      const files = readdirSync(TRACE_FIXTURES).filter((f) => f.endsWith('.jsonl'));
      const replays = await Promise.all(files.map((f) => startProcess(['--quiet', '--replay', join(TRACE_FIXTURES, f)])));
      children.push(...replays.map((r) => r.child));
      servers.traces = Object.fromEntries(files.map((f, i) => [f.replace(/\.jsonl$/, ''), replays[i].url]));
    },
    async serverStop() {
      for (const c of children) c.kill();
      rmSync(TRACE_DIR, { recursive: true, force: true });
      for (const s of hole?.sockets ?? []) s.destroy();
      hole?.srv.close();
      backend?.srv.closeAllConnections();
      backend?.srv.close();
    },
    async serve(context) {
      if (context.path === '/__prepatu/servers') return { body: JSON.stringify(servers), type: 'json' };
      // A trace the browser recorded: a --replay process of its own, whose URL is the answer (or the CLI's error).
      if (context.path === '/__prepatu/replay' && context.method === 'POST') {
        mkdirSync(TRACE_DIR, { recursive: true });
        const file = join(TRACE_DIR, `posted-${process.pid}-${++posted}.jsonl`);
        writeFileSync(file, await readBody(context.req));
        try {
          const { child, url } = await startProcess(['--quiet', '--replay', file]);
          children.push(child);
          return { body: JSON.stringify({ url }), type: 'json' };
        } catch (e) {
          return { body: JSON.stringify({ error: String(e.message) }), type: 'json' };
        }
      }
    },
  };
}
