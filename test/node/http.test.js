// @ts-check
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startServer } from '../../server/index.js';
import { connect, tempDir } from './helpers.js';

const BIN = fileURLToPath(new URL('../../server/bin/prepatu-dev-server.js', import.meta.url));

/** @type {Awaited<ReturnType<typeof startServer>>} */
let server;
/** @type {string} */
let staticDir;

before(async () => {
  staticDir = await tempDir({ 'index.html': '<!doctype html><title>demo</title>', 'app.js': 'export {};', 'style.css': 'a{}' });
  server = await startServer({ port: 0, staticDir });
});
after(() => server.close());

describe('HTTP endpoints', () => {
  test('GET /healthz lists the flows, with CORS', async () => {
    const res = await fetch(`${server.url}/healthz`, { headers: { Origin: 'https://example.org' } });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('access-control-allow-origin'), '*');
    assert.deepEqual(await res.json(), { ok: true, flows: ['sample-onboarding', 'appointment-booking', 'onboarding', 'ten-questions'] });
  });

  test('CORS preflight for /api/start-session', async () => {
    const res = await fetch(`${server.url}/api/start-session`, {
      method: 'OPTIONS',
      headers: { Origin: 'https://example.org', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type' },
    });
    assert.equal(res.status, 204);
    assert.equal(res.headers.get('access-control-allow-origin'), '*');
    assert.match(res.headers.get('access-control-allow-methods') ?? '', /POST/);
    assert.match(res.headers.get('access-control-allow-headers') ?? '', /content-type/i);
  });

  test('start-session gives a single-use token: works once, then 4401', async () => {
    const res = await fetch(`${server.url}/api/start-session`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ flow_id: 'onboarding' }),
    });
    assert.equal(res.status, 200);
    const body = /** @type {any} */ (await res.json());
    assert.equal(body.transport, 'websocket');
    assert.match(body.session_token, /^st_[\w-]{20,}$/);
    assert.equal(body.ws_url, `ws://127.0.0.1:${server.port}/v1/ws/${body.session_token}?program_id=onboarding`);

    const first = await connect(body.ws_url);
    try {
      const cfg = await first.next((m) => m.type === 'config');
      assert.equal(cfg.audio_sample_rate, 16000);
      const st = await first.next((m) => m.type === 'flow_state');
      assert.equal(st.flow_id, 'onboarding');
    } finally {
      first.close();
    }

    const again = await connect(body.ws_url);
    const closed = await again.waitClose();
    assert.equal(closed.code, 4401);
    assert.deepEqual(again.messages(), [{ type: 'error', message: 'authentication failed: invalid or expired session token' }]);

    const forged = await connect(`ws://127.0.0.1:${server.port}/v1/ws/st_forged`);
    assert.equal((await forged.waitClose()).code, 4401);
  });

  test('start-session: default flow, unknown flow, bad body', async () => {
    const ok = await fetch(`${server.url}/api/start-session`, { method: 'POST' });
    assert.match(/** @type {any} */ (await ok.json()).ws_url, /\?program_id=sample-onboarding$/);
    const unknown = await fetch(`${server.url}/api/start-session`, { method: 'POST', body: '{"flow_id":"x"}' });
    assert.equal(unknown.status, 404);
    const bad = await fetch(`${server.url}/api/start-session`, { method: 'POST', body: '{' });
    assert.equal(bad.status, 400);
  });

  test('POST /v1/sessions needs --api-key: without it, 404 saying so', async () => {
    const res = await fetch(`${server.url}/v1/sessions`, { method: 'POST', headers: { 'X-Prepatu-Key': 'k' }, body: '{}' });
    assert.equal(res.status, 404);
    assert.match(/** @type {any} */ (await res.json()).error.message, /--api-key/);
  });

  test('the cloud API: the key first, then the body; single-use token in ws_url; no CORS', async () => {
    const cloud = await startServer({ port: 0, apiKey: 'dev-key' });
    /** @param {unknown} body @param {Record<string, string>} [headers] */
    const post = async (body, headers = { 'X-Prepatu-Key': 'dev-key' }) => {
      const res = await fetch(`${cloud.url}/v1/sessions`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Origin: 'https://example.org', ...headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
      return { status: res.status, cors: res.headers.get('access-control-allow-origin'), body: /** @type {any} */ (await res.json()) };
    };
    try {
      assert.deepEqual(await post('{', {}), { status: 401, cors: null, body: { error: { code: 'missing_api_key', message: 'the X-Prepatu-Key header is missing' } } });
      assert.deepEqual((await post({ flow_id: 'nope' }, { 'X-Prepatu-Key': 'other' })).body.error.code, 'invalid_api_key');
      assert.equal((await post('{')).body.error.code, 'invalid_request');
      assert.equal((await post({ flow_id: 3 })).status, 400);
      const unknown = await post({ flow_id: 'nope' });
      assert.equal(unknown.status, 404);
      assert.equal(unknown.body.error.code, 'unknown_flow');

      const ok = await post({ flow_id: 'onboarding', context: { user: 'u1' }, metadata: { page: 'home' } });
      assert.equal(ok.status, 200);
      assert.equal(ok.cors, null, 'a site backend calls it, not a browser');
      assert.deepEqual(Object.keys(ok.body).sort(), ['credits_remaining', 'session_token', 'transport', 'ws_url']);
      assert.equal(ok.body.ws_url, `ws://127.0.0.1:${cloud.port}/v1/ws/${ok.body.session_token}`);
      assert.equal(ok.body.transport, 'websocket');
      assert.equal(typeof ok.body.credits_remaining, 'number');
      const first = await connect(ok.body.ws_url);
      try {
        assert.equal((await first.next((m) => m.type === 'flow_state')).flow_id, 'onboarding');
      } finally {
        first.close();
      }
      const again = await connect(ok.body.ws_url);
      assert.equal((await again.waitClose()).code, 4401);

      const byDefault = await post({});
      const c = await connect(byDefault.body.ws_url);
      try {
        assert.equal((await c.next((m) => m.type === 'flow_state')).flow_id, 'sample-onboarding');
      } finally {
        c.close();
      }
      assert.equal(byDefault.body.credits_remaining, ok.body.credits_remaining - 1);
      const get = await fetch(`${cloud.url}/v1/sessions`);
      assert.equal(get.status, 405);
    } finally {
      await cloud.close();
    }
  });

  test('static files with content types; index.html for /; no escaping the root', async () => {
    const index = await fetch(`${server.url}/`);
    assert.equal(index.status, 200);
    assert.equal(index.headers.get('content-type'), 'text/html; charset=utf-8');
    assert.match(await index.text(), /<title>demo<\/title>/);
    const js = await fetch(`${server.url}/app.js`);
    assert.equal(js.headers.get('content-type'), 'text/javascript; charset=utf-8');
    const css = await fetch(`${server.url}/style.css`);
    assert.equal(css.headers.get('content-type'), 'text/css; charset=utf-8');
    assert.equal((await fetch(`${server.url}/missing.js`)).status, 404);
    assert.notEqual((await fetch(`${server.url}/..%2f..%2fetc%2fpasswd`)).status, 200);
  });

  test('the CLI prints the listening line first', async () => {
    const child = spawn(process.execPath, [BIN, '--port', '0', '--quiet'], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const firstLine = await new Promise((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (d) => {
          out += d;
          if (out.includes('\n')) resolve(out.split('\n')[0]);
        });
        child.on('exit', (code) => reject(new Error(`exited ${code}`)));
        setTimeout(() => reject(new Error('no output')), 8000).unref();
      });
      const m = /^prepatu-dev-server listening on http:\/\/127\.0\.0\.1:(\d+)$/.exec(String(firstLine));
      assert.ok(m, `got: ${firstLine}`);
      const res = await fetch(`http://127.0.0.1:${m[1]}/healthz`);
      assert.equal(/** @type {any} */ (await res.json()).ok, true);
    } finally {
      child.kill('SIGTERM');
    }
  });
});
