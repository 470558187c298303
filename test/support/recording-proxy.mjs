// A recording HTTP proxy for the privacy test (test/privacy/): in its own pass of the browser
// suite (PREPATU_SOLO=proxy, scripts/test.mjs) every engine sends all of its page traffic through
// it, loopback included, and it writes down every request (host, method, path, headers, body),
// every response's headers and JSON/text body, and every WebSocket message both ways. The test
// reads the log from GET /__prepatu/proxy?from=<seq> (recordingProxyPlugin).
//
// What reaches it: plain HTTP in absolute form (`GET http://host:port/path`), WebSockets either
// as an absolute-form upgrade (WebKitGTK) or through a CONNECT tunnel (Chromium, Firefox: they
// tunnel ws:// through an HTTP proxy). Everything here is http/ws on loopback, so a tunnel's bytes
// are plain text and are read like the rest; a TLS tunnel would be recorded by host only.
import { createServer, request as httpRequest, Agent } from 'node:http';
import { connect } from 'node:net';

/** Bodies are kept up to this size (an SDP offer is a few KB; audio never goes through HTTP). */
const MAX_BODY = 256 * 1024;
/** Response bodies worth keeping: what a server says, not the scripts it serves. */
const TEXTUAL = /json|text\/plain/i;
/** The log's own endpoint (recordingProxyPlugin): its answers hold the log, so they are not kept in it. */
const OWN_LOG = '/__prepatu/proxy';

/** Headers as a plain object with lower-case names (repeated ones joined by ", " except Set-Cookie). */
function headerObject(raw) {
  const out = {};
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i].toLowerCase();
    if (name === 'set-cookie') (out[name] ??= []).push(raw[i + 1]);
    else out[name] = name in out ? `${out[name]}, ${raw[i + 1]}` : raw[i + 1];
  }
  return out;
}

/** Splits an HTTP head ("line\r\nName: value\r\n…") into its first line and headers. */
function parseHead(text) {
  const [first, ...lines] = text.split('\r\n');
  const raw = [];
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) raw.push(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
  }
  return { first, headers: headerObject(raw) };
}

/**
 * Reads WebSocket frames from one direction of a connection: text messages are recorded whole
 * (fragments joined), binary ones are counted, and masked client frames are unmasked.
 * `permessage-deflate` is never negotiated by the servers under test (ws defaults it off); a
 * compressed frame is flagged rather than misread.
 */
class FrameReader {
  constructor(onText, onBinary, onCompressed) {
    this.buf = Buffer.alloc(0);
    this.parts = null;
    this.onText = onText;
    this.onBinary = onBinary;
    this.onCompressed = onCompressed;
  }

  push(chunk) {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    for (;;) {
      const b = this.buf;
      if (b.length < 2) return;
      const fin = (b[0] & 0x80) !== 0;
      const rsv1 = (b[0] & 0x40) !== 0;
      const op = b[0] & 0x0f;
      const masked = (b[1] & 0x80) !== 0;
      let len = b[1] & 0x7f;
      let off = 2;
      if (len === 126) {
        if (b.length < 4) return;
        len = b.readUInt16BE(2);
        off = 4;
      } else if (len === 127) {
        if (b.length < 10) return;
        len = Number(b.readBigUInt64BE(2));
        off = 10;
      }
      const maskAt = off;
      if (masked) off += 4;
      if (b.length < off + len) return;
      const payload = () => {
        const p = Buffer.from(b.subarray(off, off + len));
        if (masked) for (let i = 0; i < p.length; i++) p[i] ^= b[maskAt + (i & 3)];
        return p;
      };
      if (rsv1) this.onCompressed();
      if (op === 0x1 || (op === 0x0 && this.parts)) {
        (this.parts ??= []).push(payload());
        if (fin) {
          this.onText(Buffer.concat(this.parts).toString('utf8'));
          this.parts = null;
        }
      } else if (op === 0x2 || op === 0x0) {
        this.onBinary(payload());
      }
      this.buf = b.subarray(off + len);
    }
  }
}

/** Reads one direction of a tunnelled connection: an HTTP head, then (after a 101) WebSocket frames. */
class StreamReader {
  constructor({ onHead, frames }) {
    this.buf = Buffer.alloc(0);
    this.state = 'head';
    this.onHead = onHead;
    this.frames = frames;
  }

  push(chunk) {
    if (this.state === 'frames') return this.frames.push(chunk);
    if (this.state !== 'head') return;
    this.buf = Buffer.concat([this.buf, chunk]);
    const end = this.buf.indexOf('\r\n\r\n');
    if (end < 0) {
      if (this.buf.length > 64 * 1024) this.state = 'opaque';
      return;
    }
    const head = parseHead(this.buf.subarray(0, end).toString('latin1'));
    const rest = this.buf.subarray(end + 4);
    this.buf = Buffer.alloc(0);
    this.state = this.onHead(head) ? 'frames' : 'opaque';
    if (this.state === 'frames' && rest.length) this.frames.push(rest);
  }
}

/** Starts the proxy on a free loopback port. */
export async function startRecordingProxy() {
  let seq = 0;
  const entries = [];
  const sockets = new Set();
  const agent = new Agent({ keepAlive: true });
  const track = (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => {});
  };
  const add = (entry) => {
    const e = { seq: ++seq, at: Date.now(), closed: false, ...entry };
    entries.push(e);
    return e;
  };

  /** Records a WebSocket's messages on `entry` as they pass. */
  const wsRecorder = (entry) => {
    entry.messages = [];
    entry.binary = { client: { frames: 0, bytes: 0 }, server: { frames: 0, bytes: 0 } };
    const onText = (from) => (text) => entry.messages.push({ seq: ++seq, from, text: text.length > MAX_BODY ? text.slice(0, MAX_BODY) : text });
    const compressed = () => (entry.compressed = true);
    return {
      client: new FrameReader(onText('client'), (p) => {
        entry.binary.client.frames++;
        entry.binary.client.bytes += p.length;
      }, compressed),
      server: new FrameReader(onText('server'), (p) => {
        entry.binary.server.frames++;
        entry.binary.server.bytes += p.length;
      }, compressed),
    };
  };

  /** Reads the server's side of a WebSocket: its handshake answer, then (after a 101) frames. */
  const handshakeReader = (entry, frames) =>
    new StreamReader({
      frames,
      onHead: ({ first, headers }) => {
        entry.status = Number(first.split(' ')[1]);
        entry.responseHeaders = headers;
        entry.responseSeq = ++seq;
        return entry.status === 101;
      },
    });

  /** Pipes two sockets together, feeding what passes to the readers; marks the entry closed. */
  const splice = (entry, client, target, readClient, readServer) => {
    client.on('data', (d) => readClient(d));
    target.on('data', (d) => readServer(d));
    client.pipe(target);
    target.pipe(client);
    let open = 2;
    const done = () => {
      if (--open === 0) entry.closed = true;
      client.destroy();
      target.destroy();
    };
    client.once('close', done);
    target.once('close', done);
  };

  const server = createServer((req, res) => {
    let url;
    try {
      url = new URL(req.url);
    } catch {
      res.writeHead(400).end('absolute-form requests only');
      return;
    }
    const entry = add({ kind: 'http', method: req.method, url: url.href, host: url.host, path: url.pathname + url.search, headers: headerObject(req.rawHeaders) });
    const body = [];
    let size = 0;
    req.on('data', (d) => {
      size += d.length;
      if (size <= MAX_BODY) body.push(d);
    });
    req.on('end', () => {
      if (size) entry.body = Buffer.concat(body).toString('utf8');
    });
    const headers = { ...req.headers };
    delete headers['proxy-connection'];
    const up = httpRequest({ agent, host: url.hostname, port: url.port || 80, method: req.method, path: url.pathname + url.search, headers }, (r) => {
      entry.status = r.statusCode;
      entry.responseHeaders = headerObject(r.rawHeaders);
      const keep = TEXTUAL.test(r.headers['content-type'] ?? '') && url.pathname !== OWN_LOG;
      const chunks = [];
      let got = 0;
      r.on('data', (d) => {
        got += d.length;
        if (keep && got <= MAX_BODY) chunks.push(d);
      });
      r.on('end', () => {
        if (keep) entry.responseBody = Buffer.concat(chunks).toString('utf8');
        entry.responseSeq = ++seq;
        entry.closed = true;
      });
      res.writeHead(r.statusCode, r.rawHeaders);
      r.pipe(res);
    });
    up.on('error', (e) => {
      entry.error = e.code ?? e.message;
      entry.closed = true;
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(up);
  });

  // WebSockets through a CONNECT tunnel (Chromium, Firefox).
  server.on('connect', (req, client, head) => {
    track(client);
    const [hostname, port] = [req.url.slice(0, req.url.lastIndexOf(':')).replace(/^\[|\]$/g, ''), req.url.slice(req.url.lastIndexOf(':') + 1)];
    const entry = add({ kind: 'tunnel', method: 'CONNECT', host: req.url, headers: headerObject(req.rawHeaders) });
    const target = connect(Number(port), hostname);
    track(target);
    target.on('error', (e) => {
      entry.error = e.code ?? e.message;
      entry.closed = true;
      client.end('HTTP/1.1 502 Bad Gateway\r\n\r\n');
    });
    target.on('connect', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      const frames = wsRecorder(entry);
      const fromClient = new StreamReader({
        frames: frames.client,
        onHead: ({ first, headers }) => {
          const [method, path] = first.split(' ');
          Object.assign(entry, { kind: 'websocket', method, path, url: `ws://${req.url}${path}`, headers });
          return /websocket/i.test(headers.upgrade ?? '');
        },
      });
      const fromServer = handshakeReader(entry, frames.server);
      if (head.length) {
        fromClient.push(head);
        target.write(head);
      }
      splice(entry, client, target, (d) => fromClient.push(d), (d) => fromServer.push(d));
    });
  });

  // WebSockets as an absolute-form upgrade (WebKitGTK).
  server.on('upgrade', (req, client, head) => {
    track(client);
    let url;
    try {
      url = new URL(req.url);
    } catch {
      client.destroy();
      return;
    }
    const headers = headerObject(req.rawHeaders);
    const entry = add({ kind: 'websocket', method: req.method, url: url.href, host: url.host, path: url.pathname + url.search, headers });
    const target = connect(Number(url.port || 80), url.hostname);
    track(target);
    target.on('error', (e) => {
      entry.error = e.code ?? e.message;
      entry.closed = true;
      client.destroy();
    });
    target.on('connect', () => {
      const lines = [`${req.method} ${url.pathname}${url.search} HTTP/1.1`];
      for (let i = 0; i < req.rawHeaders.length; i += 2)
        if (!/^proxy-/i.test(req.rawHeaders[i])) lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
      target.write(`${lines.join('\r\n')}\r\n\r\n`);
      const frames = wsRecorder(entry);
      const fromServer = handshakeReader(entry, frames.server);
      if (head.length) {
        frames.client.push(head);
        target.write(head);
      }
      splice(entry, client, target, (d) => frames.client.push(d), (d) => fromServer.push(d));
    });
  });

  server.on('connection', track);
  await new Promise((res) => server.listen(0, '127.0.0.1', res));
  const { port } = server.address();
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    /** The last sequence number handed out (requests and WebSocket messages share one counter). */
    get seq() {
      return seq;
    },
    /** Requests recorded after `from`, each with its messages. */
    since(from) {
      return entries.filter((e) => e.seq > from);
    },
    close() {
      for (const s of sockets) s.destroy();
      agent.destroy();
      return new Promise((res) => server.close(() => res()));
    },
  };
}

/**
 * How each engine is told to use the proxy, loopback included. Chromium takes it per browser
 * context (Playwright), so the browser's own background requests (component updates, sign-in
 * probes), which use the browser-wide network context, stay out of the page's log. Firefox takes
 * prefs, plus the one switch that stops its remote-settings sync (release builds ignore the
 * server pref unless MOZ_REMOTE_SETTINGS_DEVTOOLS is set). WebKitGTK's MiniBrowser has `--proxy`.
 */
export function proxySettings(proxy) {
  return {
    // Chromium asks its autofill server about every form a page shows; an invalid server URL turns
    // that browser service off (a second --disable-features would replace Playwright's list).
    chromiumArgs: ['--autofill-server-url=data:,'],
    chromiumContext: ({ browser }) => browser.newContext({ proxy: { server: proxy.url, bypass: '<-loopback>' } }),
    firefoxPrefs: {
      'network.proxy.type': 1,
      'network.proxy.http': '127.0.0.1',
      'network.proxy.http_port': proxy.port,
      'network.proxy.ssl': '127.0.0.1',
      'network.proxy.ssl_port': proxy.port,
      'network.proxy.no_proxies_on': '',
      'network.proxy.allow_hijacking_localhost': true,
      'services.settings.server': 'data:,#remote-settings-dummy/v1',
    },
    firefoxEnv: { ...process.env, MOZ_REMOTE_SETTINGS_DEVTOOLS: '1' },
    webkitArgs: [`--proxy=${proxy.url}`],
  };
}

/** Serves the log to the test page: GET /__prepatu/proxy?from=<seq> → { active, seq, entries }. */
export function recordingProxyPlugin(proxy) {
  return {
    name: 'prepatu-recording-proxy',
    async serverStop() {
      await proxy?.close();
    },
    serve(context) {
      if (context.path !== OWN_LOG) return undefined;
      if (!proxy) return { body: JSON.stringify({ active: false }), type: 'json' };
      const from = Number(new URLSearchParams(context.querystring).get('from') ?? 0);
      return { body: JSON.stringify({ active: true, seq: proxy.seq, entries: proxy.since(from) }), type: 'json' };
    },
  };
}
