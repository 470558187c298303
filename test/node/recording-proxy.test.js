// @ts-check
// The recording proxy of the privacy test (test/support/recording-proxy.mjs) records what passes
// through it in the three shapes browsers use: plain HTTP in absolute form, a WebSocket in a
// CONNECT tunnel (Chromium, Firefox) and an absolute-form WebSocket upgrade (WebKitGTK).
import assert from 'node:assert/strict';
import { createServer, request } from 'node:http';
import { connect } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { WebSocket, WebSocketServer } from 'ws';
import { startRecordingProxy } from '../support/recording-proxy.mjs';

/** @type {Awaited<ReturnType<typeof startRecordingProxy>>} */
let proxy;
/** @type {import('node:http').Server} */
let origin;
/** @type {string} */
let host;

before(async () => {
  proxy = await startRecordingProxy();
  origin = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Set-Cookie': 'id=42; Path=/' });
      res.end(JSON.stringify({ got: body, token: 'st_server_made' }));
    });
  });
  // Echoes text, answers binary with its length.
  const wss = new WebSocketServer({ server: origin });
  wss.on('connection', (ws) => ws.on('message', (data, binary) => ws.send(binary ? `${/** @type {Buffer} */ (data).length} bytes` : `echo ${data}`)));
  await new Promise((r) => origin.listen(0, '127.0.0.1', () => r(undefined)));
  host = `127.0.0.1:${/** @type {import('node:net').AddressInfo} */ (origin.address()).port}`;
});
after(async () => {
  await proxy.close();
  origin.closeAllConnections();
  origin.close();
});

const until = async (/** @type {() => boolean} */ ok) => {
  for (let i = 0; i < 200 && !ok(); i++) await new Promise((r) => setTimeout(r, 10));
  assert.ok(ok());
};

/** Masks a client text frame by hand (what a browser writes into an upgraded connection). */
function clientTextFrame(/** @type {string} */ text) {
  const payload = Buffer.from(text);
  const mask = Buffer.from([1, 2, 3, 4]);
  return Buffer.concat([Buffer.from([0x81, 0x80 | payload.length]), mask, payload.map((b, i) => b ^ mask[i % 4])]);
}

describe('recording proxy', () => {
  test('absolute-form HTTP: host, method, path, headers, body, JSON answer and Set-Cookie', async () => {
    const from = proxy.seq;
    const res = await new Promise((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: proxy.port, method: 'POST', path: `http://${host}/session?x=1`, headers: { Host: host, Cookie: 'a=b', 'Content-Type': 'application/json' } }, resolve);
      req.on('error', reject);
      req.end('{"flow_id":"f"}');
    });
    const text = await new Promise((r) => {
      let t = '';
      res.on('data', (/** @type {Buffer} */ d) => (t += d));
      res.on('end', () => r(t));
    });
    assert.equal(JSON.parse(String(text)).got, '{"flow_id":"f"}');
    await until(() => proxy.since(from).some((e) => e.closed));
    const [e] = proxy.since(from);
    assert.equal(e.kind, 'http');
    assert.equal(e.host, host);
    assert.equal(e.method, 'POST');
    assert.equal(e.path, '/session?x=1');
    assert.equal(e.headers.cookie, 'a=b');
    assert.equal(e.body, '{"flow_id":"f"}');
    assert.equal(e.status, 200);
    assert.deepEqual(e.responseHeaders['set-cookie'], ['id=42; Path=/']);
    assert.match(e.responseBody, /st_server_made/);
    assert.ok(e.responseSeq > e.seq);
  });

  test('a WebSocket in a CONNECT tunnel: its URL, text both ways (fragments joined), binary counted, and close', async () => {
    const from = proxy.seq;
    const tunnel = await new Promise((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: proxy.port, method: 'CONNECT', path: host });
      req.on('connect', (_res, socket) => resolve(socket));
      req.on('error', reject);
      req.end();
    });
    const ws = new WebSocket(`ws://${host}/v1/ws/st_x?mode=flow`, { createConnection: () => tunnel, perMessageDeflate: false });
    await new Promise((r) => ws.once('open', r));
    const replies = [];
    ws.on('message', (d) => replies.push(String(d)));
    ws.send('{"type":"ui_event",', { fin: false });
    ws.send('"action":"hi"}', { fin: true });
    ws.send(new Uint8Array([0, 0, 0, 0]));
    ws.send(new Uint8Array([0, 7, 0, 0]));
    await until(() => replies.length === 3);
    ws.close();
    await until(() => proxy.since(from).every((e) => e.closed));
    const [e] = proxy.since(from);
    assert.equal(e.kind, 'websocket');
    assert.equal(e.host, host);
    assert.equal(e.url, `ws://${host}/v1/ws/st_x?mode=flow`);
    assert.equal(e.status, 101);
    assert.deepEqual(e.messages.map((/** @type {{from: string, text: string}} */ m) => [m.from, m.text]), [
      ['client', '{"type":"ui_event","action":"hi"}'],
      ['server', 'echo {"type":"ui_event","action":"hi"}'],
      ['server', '4 bytes'],
      ['server', '4 bytes'],
    ]);
    assert.deepEqual(e.binary.client, { frames: 2, bytes: 8 });
    assert.equal(e.compressed, undefined);
  });

  test('an absolute-form WebSocket upgrade (WebKitGTK): URL, handshake and text both ways', async () => {
    const from = proxy.seq;
    const socket = connect(proxy.port, '127.0.0.1');
    await new Promise((r) => socket.once('connect', r));
    let got = Buffer.alloc(0);
    socket.on('data', (d) => (got = Buffer.concat([got, d])));
    socket.write(
      `GET ws://${host}/ws?visitor=1 HTTP/1.1\r\nHost: ${host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nProxy-Connection: keep-alive\r\n\r\n',
    );
    await until(() => got.includes('\r\n\r\n'));
    assert.match(got.toString('latin1'), /^HTTP\/1\.1 101/);
    socket.write(clientTextFrame('hello'));
    await until(() => got.includes('echo hello'));
    socket.destroy();
    await until(() => proxy.since(from).every((e) => e.closed));
    const [e] = proxy.since(from);
    assert.equal(e.kind, 'websocket');
    assert.equal(e.url, `ws://${host}/ws?visitor=1`);
    assert.equal(e.headers['proxy-connection'], 'keep-alive');
    assert.deepEqual(e.messages.map((/** @type {{from: string, text: string}} */ m) => [m.from, m.text]), [['client', 'hello'], ['server', 'echo hello']]);
  });

  test('a host that does not resolve is still recorded, with the error', async () => {
    const from = proxy.seq;
    const status = await new Promise((resolve) => {
      const req = request({ host: '127.0.0.1', port: proxy.port, path: 'http://tracker.invalid/pixel' }, (res) => {
        res.resume();
        resolve(res.statusCode);
      });
      req.on('error', () => resolve(0));
      req.end();
    });
    assert.equal(status, 502);
    const [e] = proxy.since(from);
    assert.equal(e.host, 'tracker.invalid');
    assert.ok(e.error);
  });
});
