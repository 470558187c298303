// Starts real development-server processes (one per dialect) for the test run and
// tells the browser where they are through GET /__prepatu/servers.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';

function startProcess(args) {
  return new Promise((res, rej) => {
    const child = spawn(process.execPath, [resolve('bin/prepatu-dev-server.js'), '--port', '0', '--host', '127.0.0.1', '--test-hooks', '--voice', 'synthetic', ...args], {
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

export function devServersPlugin() {
  let servers = {};
  const children = [];
  let hole;
  return {
    name: 'prepatu-dev-servers',
    async serverStart() {
      hole = await blackHole();
      servers = { blackHole: hole.url, refused: await closedPort() };
      if (!existsSync('bin/prepatu-dev-server.js')) return console.warn('prepatu-dev-server is missing: server tests will fail');
      for (const dialect of ['documented', 'reference']) {
        const { child, url } = await startProcess(['--dialect', dialect]);
        children.push(child);
        servers[dialect] = url;
      }
    },
    async serverStop() {
      for (const c of children) c.kill();
      for (const s of hole?.sockets ?? []) s.destroy();
      hole?.srv.close();
    },
    serve(context) {
      if (context.path === '/__prepatu/servers') return { body: JSON.stringify(servers), type: 'json' };
    },
  };
}
