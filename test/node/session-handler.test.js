// @ts-check
// createSessionHandler / toNodeHandler (src/server) against the dev server's cloud API and a
// scripted upstream for the failures the real cloud can answer.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { startServer } from '../../server/index.js';
import { connect, importTs } from './helpers.js';

const KEY = 'pk_test_right_key_0123456789';
const WRONG = 'pk_test_wrong_key_9876543210';

/** @type {typeof import('../../src/server/index.js')} */
let lib;
/** @type {Awaited<ReturnType<typeof startServer>>} */
let cloud;

/** @type {{status: number, body: string, headers?: Record<string, string>, hang?: boolean}} what the scripted upstream answers */
let script = { status: 200, body: '{}' };
/** @type {{headers: import('node:http').IncomingHttpHeaders, body: string}[]} */
const seen = [];
/** @type {import('node:http').Server} */
let upstream;
let upstreamUrl = '';

/** @param {(req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => void} handler */
async function listen(handler) {
  const s = createServer(handler);
  await new Promise((r) => s.listen(0, '127.0.0.1', () => r(undefined)));
  const address = /** @type {import('node:net').AddressInfo} */ (s.address());
  return { server: s, url: `http://127.0.0.1:${address.port}` };
}

before(async () => {
  lib = await importTs('src/server/index.ts');
  cloud = await startServer({ port: 0, apiKey: KEY });
  ({ server: upstream, url: upstreamUrl } = await listen((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      seen.push({ headers: req.headers, body });
      if (script.hang) return;
      res.writeHead(script.status, { 'Content-Type': 'application/json', ...script.headers });
      res.end(script.body);
    });
  }));
});
after(async () => {
  upstream.closeAllConnections();
  upstream.close();
  await cloud.close();
});

/**
 * POSTs to a handler as a browser would.
 * @param {import('../../src/server/index.js').SessionHandler} handler
 * @param {unknown} [body] JSON-encoded unless a string
 * @param {RequestInit} [init]
 */
async function call(handler, body = {}, init = {}) {
  const res = await handler(
    new Request('https://shop.example/api/start-session', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
      ...init,
    }),
  );
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: /** @type {any} */ (JSON.parse(text)) };
}

describe('createSessionHandler', () => {
  test('against the cloud API: program_id as the flow, a ws_url whose token runs that flow once; the key never in the answer', async () => {
    const handler = lib.createSessionHandler({ apiKey: KEY, baseUrl: cloud.url, allowedFlows: ['onboarding', 'ten-questions'] });
    const r = await call(handler, { program_id: 'ten-questions', metadata: { page: '/pricing' } });
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('cache-control'), 'no-store');
    assert.deepEqual(Object.keys(r.json).sort(), ['session_token', 'transport', 'ws_url']);
    assert.match(r.json.ws_url, /^ws:\/\/127\.0\.0\.1:\d+\/v1\/ws\/st_[\w-]+$/);
    assert.ok(!r.text.includes(KEY));
    const c = await connect(r.json.ws_url);
    try {
      const state = await c.next((m) => m.type === 'flow_state');
      assert.equal(state.flow_id, 'ten-questions');
    } finally {
      c.close();
    }
    const again = await connect(r.json.ws_url);
    assert.equal((await again.waitClose()).code, 4401);
  });

  test('validates the request: POST only, JSON only, size, field types', async () => {
    const handler = lib.createSessionHandler({ apiKey: KEY, baseUrl: cloud.url, maxBodyBytes: 1024 });
    const get = await handler(new Request('https://shop.example/s'));
    assert.equal(get.status, 405);
    assert.equal(get.headers.get('allow'), 'POST');
    assert.equal(/** @type {any} */ (await get.json()).error.code, 'method_not_allowed');
    /** @type {[unknown, RequestInit, number, string][]} */
    const cases = [
      ['flow_id=x', { headers: { 'Content-Type': 'application/x-www-form-urlencoded' } }, 415, 'unsupported_media_type'],
      ['{"flow_id":', {}, 400, 'invalid_request'],
      [[1, 2], {}, 400, 'invalid_request'],
      [{ flow_id: 7 }, {}, 400, 'invalid_request'],
      [{ flow_id: 'a', program_id: 'b' }, {}, 400, 'invalid_request'],
      [{ metadata: 'x' }, {}, 400, 'invalid_request'],
      [{ metadata: { note: 'x'.repeat(2000) } }, {}, 413, 'payload_too_large'],
    ];
    for (const [body, init, status, code] of cases) {
      const r = await call(handler, body, init);
      assert.equal(r.status, status, JSON.stringify(body));
      assert.equal(r.json.error.code, code, JSON.stringify(body));
      assert.equal(typeof r.json.error.message, 'string');
    }
    const empty = await handler(new Request('https://shop.example/s', { method: 'POST' }));
    assert.equal(empty.status, 200, 'an empty body starts the default flow');
  });

  test('allowedFlows, and flowId as the default and (alone) the only flow', async () => {
    const only = lib.createSessionHandler({ apiKey: KEY, baseUrl: upstreamUrl, flowId: 'onboarding' });
    script = { status: 200, body: JSON.stringify({ ws_url: 'wss://api.example/v1/ws/st_1', session_token: 'st_1', transport: 'websocket', credits_remaining: 9 }) };
    seen.length = 0;
    assert.equal((await call(only, {})).status, 200);
    assert.equal((await call(only, { flow_id: 'onboarding', metadata: { a: 1 } })).status, 200);
    const other = await call(only, { program_id: 'ten-questions' });
    assert.equal(other.status, 403);
    assert.equal(other.json.error.code, 'flow_not_allowed');
    assert.deepEqual(seen.map((s) => JSON.parse(s.body)), [{ flow_id: 'onboarding' }, { flow_id: 'onboarding', metadata: { a: 1 } }]);
    assert.equal(seen[0]?.headers['x-prepatu-key'], KEY);

    const any = lib.createSessionHandler({ apiKey: KEY, baseUrl: upstreamUrl });
    seen.length = 0;
    assert.equal((await call(any, {})).status, 200);
    assert.equal((await call(any, { flow_id: 'whatever' })).status, 200);
    assert.deepEqual(seen.map((s) => JSON.parse(s.body)), [{}, { flow_id: 'whatever' }]);
    const list = lib.createSessionHandler({ apiKey: KEY, baseUrl: upstreamUrl, flowId: 'a', allowedFlows: ['a', 'b'] });
    assert.equal((await call(list, { flow_id: 'b' })).status, 200);
    assert.equal((await call(list, { flow_id: 'c' })).status, 403);
  });

  test('upstream failures become clear errors, never with the key', async () => {
    /** @type {import('../../src/server/index.js').SessionHandlerError[]} */
    const logged = [];
    const refused = lib.createSessionHandler({ apiKey: WRONG, baseUrl: cloud.url, onError: (e) => logged.push(e) });
    const r = await call(refused, { flow_id: 'onboarding' });
    assert.equal(r.status, 502);
    assert.equal(r.json.error.code, 'api_key_refused');
    assert.ok(!r.text.includes(WRONG) && !r.text.includes(KEY));
    assert.equal(logged[0]?.upstreamStatus, 401);

    const unknown = await call(lib.createSessionHandler({ apiKey: KEY, baseUrl: cloud.url }), { flow_id: 'nope' });
    assert.equal(unknown.status, 404);
    assert.equal(unknown.json.error.code, 'unknown_flow');

    const scripted = lib.createSessionHandler({ apiKey: KEY, baseUrl: upstreamUrl, timeoutMs: 300, onError: (e) => logged.push(e) });
    /** @type {[typeof script, number, string][]} */
    const cases = [
      [{ status: 500, body: `{"detail":"boom for ${KEY}"}` }, 502, 'upstream_error'],
      [{ status: 503, body: 'down' }, 502, 'upstream_error'],
      [{ status: 200, body: '{"session_token":"st_x"}' }, 502, 'upstream_error'],
      [{ status: 200, body: 'not json' }, 502, 'upstream_error'],
      [{ status: 403, body: '{}' }, 502, 'api_key_refused'],
      [{ status: 422, body: '{}' }, 400, 'invalid_request'],
      [{ status: 402, body: '{}' }, 503, 'unavailable'],
      [{ status: 429, body: '{}', headers: { 'Retry-After': '7' } }, 429, 'rate_limited'],
      [{ status: 200, body: '', hang: true }, 504, 'upstream_timeout'],
    ];
    for (const [answer, status, code] of cases) {
      script = answer;
      const got = await call(scripted, { flow_id: 'x' });
      assert.equal(got.status, status, JSON.stringify(answer));
      assert.equal(got.json.error.code, code, JSON.stringify(answer));
      assert.ok(!got.text.includes(KEY));
      if (status === 429) assert.equal(got.headers.get('retry-after'), '7');
    }
    const boom = logged.find((e) => e.upstreamStatus === 500);
    assert.equal(boom?.detail, '{"detail":"boom for [redacted]"}', 'the log gets the upstream answer, key redacted');

    const closed = await listen(() => {});
    closed.server.close();
    const gone = await call(lib.createSessionHandler({ apiKey: KEY, baseUrl: closed.url }), {});
    assert.equal(gone.status, 502);
    assert.equal(gone.json.error.code, 'upstream_unreachable');

    const unset = await call(lib.createSessionHandler({ apiKey: '', baseUrl: cloud.url }), {});
    assert.equal(unset.status, 500);
    assert.equal(unset.json.error.code, 'not_configured');
  });
});

describe('toNodeHandler', () => {
  test('serves the handler from node:http (streamed body, size limit) and after a body parser (Express)', async () => {
    const handler = lib.toNodeHandler(lib.createSessionHandler({ apiKey: KEY, baseUrl: cloud.url, maxBodyBytes: 4096 }));
    const plain = await listen((req, res) => handler(req, res));
    // What express.json() does: the stream is consumed and req.body is the parsed object.
    const parsed = await listen((req, res) => {
      let text = '';
      req.on('data', (c) => (text += c));
      req.on('end', () => handler(Object.assign(req, { body: JSON.parse(text) }), res));
    });
    try {
      for (const { url } of [plain, parsed]) {
        const res = await fetch(`${url}/api/start-session`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"flow_id":"onboarding"}' });
        assert.equal(res.status, 200);
        const body = /** @type {any} */ (await res.json());
        assert.match(body.ws_url, /\/v1\/ws\/st_/);
      }
      const big = await fetch(`${plain.url}/api/start-session`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ metadata: { x: 'y'.repeat(100_000) } }),
      });
      assert.equal(big.status, 413);
      // Chunked, no Content-Length: the limit stops reading the stream.
      const chunk = new TextEncoder().encode(`{"metadata":{"x":"${'y'.repeat(3000)}`);
      const chunked = await fetch(`${plain.url}/api/start-session`, /** @type {RequestInit} */ ({
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: new ReadableStream({ pull: (c) => c.enqueue(chunk) }),
        duplex: 'half',
      }));
      assert.equal(chunked.status, 413);
      const get = await fetch(`${plain.url}/api/start-session`);
      assert.equal(get.status, 405);
    } finally {
      for (const s of [plain.server, parsed.server]) {
        s.closeAllConnections();
        s.close();
      }
    }
  });
});
