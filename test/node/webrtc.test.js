// @ts-check
/** WebRTC in the development server: signalling errors, and werift ↔ werift sessions on loopback. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { RTCPeerConnection, RtpHeader, RtpPacket, usePCMU } from 'werift';
import { WebSocket } from 'ws';
import { decodeMulaw16k, encodeMulaw8k, linearToMulaw, mulawToLinear } from '../../server/g711.js';
import { startServer } from '../../server/index.js';

/** @type {Awaited<ReturnType<typeof startServer>>} */
let documented;
/** @type {Awaited<ReturnType<typeof startServer>>} */
let reference;

before(async () => {
  documented = await startServer({ port: 0, testHooks: true, synthesize: async () => new Int16Array(16_000).fill(3000) });
  reference = await startServer({ port: 0, testHooks: true, dialect: 'reference', synthesize: async () => new Int16Array(8_000).fill(3000) });
});
after(async () => {
  await documented.close();
  await reference.close();
});

/** @param {string} url @param {RequestInit} [init] */
async function call(url, init) {
  const res = await fetch(url, init);
  return { status: res.status, headers: res.headers, body: /** @type {any} */ (await res.json()) };
}

const post = (/** @type {string} */ url, /** @type {unknown} */ body) =>
  call(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });

/** A werift client: what a browser does, in Node. */
class RtcClient {
  constructor() {
    this.pc = new RTCPeerConnection({
      codecs: { audio: [usePCMU()], video: [] },
      bundlePolicy: 'max-bundle', // else werift leaves the unbundled transport's sockets open
      iceServers: [],
      iceUseIpv6: false,
      iceInterfaceAddresses: { udp4: '127.0.0.1' },
      iceAdditionalHostAddresses: ['127.0.0.1'],
      iceFilterCandidatePair: (pair) => pair.remoteCandidate.host === '127.0.0.1',
    });
    this.transceiver = this.pc.addTransceiver('audio', { direction: 'sendrecv' });
    this.dc = this.pc.createDataChannel('bot-messages', { ordered: true });
    /** @type {Record<string, any>[]} */
    this.messages = [];
    this.rtpIn = 0;
    this.loudRtpIn = 0;
    this.dcClosed = false;
    this.dc.onMessage.subscribe((d) => this.messages.push(JSON.parse(d.toString())));
    this.dc.stateChanged.subscribe((s) => {
      if (s === 'closed') this.dcClosed = true;
    });
    this.transceiver.onTrack.subscribe((track) =>
      track.onReceiveRtp.subscribe((rtp) => {
        this.rtpIn++;
        if (rtp.payload.some((b) => b !== 0xff && b !== 0x7f)) this.loudRtpIn++;
      }),
    );
    this.seq = 0;
    this.ts = 0;
  }

  /** @param {string} base @param {string} query */
  async connect(base, query = 'program_id=sample-onboarding') {
    await this.pc.setLocalDescription(await this.pc.createOffer());
    const res = await post(`${base}/offer?${query}`, { sdp: this.pc.localDescription?.sdp, type: 'offer' });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.match(res.body.pc_id, /^pc_/);
    assert.equal(res.body.type, 'answer');
    assert.match(res.body.sdp, /PCMU\/8000/);
    this.pcId = res.body.pc_id;
    await this.pc.setRemoteDescription({ type: 'answer', sdp: res.body.sdp });
    await this.until(() => this.dc.readyState === 'open', 'the data channel to open', 10_000);
    return res.body;
  }

  /** @param {Record<string, unknown>} msg */
  send(msg) {
    this.dc.send(JSON.stringify(msg));
  }

  /** Sends `ms` of a loud tone as PCMU RTP on the mic track. @param {number} ms */
  async sendTone(ms) {
    for (let i = 0; i < ms / 20; i++) {
      const pcm = new Int16Array(320).map((_, j) => Math.round(8000 * Math.sin((2 * Math.PI * 440 * (i * 320 + j)) / 16000)));
      const header = new RtpHeader({ payloadType: 0, sequenceNumber: this.seq++ & 0xffff, timestamp: (this.ts += 160) >>> 0 });
      await this.transceiver.sender.sendRtp(new RtpPacket(header, encodeMulaw8k(pcm)));
    }
  }

  /**
   * @template T
   * @param {() => T} pred
   * @param {string} what
   * @param {number} [ms]
   * @returns {Promise<NonNullable<T>>}
   */
  async until(pred, what, ms = 5000) {
    const end = performance.now() + ms;
    for (;;) {
      const v = pred();
      if (v) return /** @type {NonNullable<T>} */ (v);
      if (performance.now() > end) throw new Error(`timed out waiting for ${what}; got ${JSON.stringify(this.messages.slice(-8))}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  /** @param {(m: Record<string, any>) => boolean} pred @param {number} [ms] */
  next(pred, ms) {
    return this.until(() => this.messages.find(pred), pred.toString(), ms);
  }

  async stats() {
    const from = this.messages.length;
    this.send({ type: '__test', do: 'stats' });
    return this.until(() => this.messages.slice(from).find((m) => m.type === '__test_stats'), 'stats');
  }

  close() {
    return this.pc.close();
  }
}

describe('g711', () => {
  test('µ-law round trip stays within the quantisation step', () => {
    for (const s of [0, 1, -1, 100, -100, 1000, -5000, 12345, 32767, -32768]) {
      const back = mulawToLinear(linearToMulaw(s));
      assert.ok(Math.abs(back - s) <= Math.max(8, Math.abs(s) / 16), `${s} → ${back}`);
    }
    assert.equal(linearToMulaw(0), 0xff);
  });

  test('16 kHz → 8 kHz µ-law → 16 kHz keeps a 440 Hz tone', () => {
    const pcm = new Int16Array(320).map((_, i) => Math.round(10000 * Math.sin((2 * Math.PI * 440 * i) / 16000)));
    const mu = encodeMulaw8k(pcm);
    assert.equal(mu.length, 160);
    const { pcm: out } = decodeMulaw16k(mu);
    assert.equal(out.length, 640);
    // The decoder lags one 16 kHz sample (it interpolates towards the newest sample).
    let err = 0;
    for (let i = 10; i < 310; i++) err += Math.abs(out.readInt16LE(2 * (i + 1)) - /** @type {number} */ (pcm[i]));
    assert.ok(err / 300 < 1000, `mean error ${err / 300}`);
  });
});

describe('WebRTC signalling', () => {
  test('GET /ice-servers, with CORS', async () => {
    for (const path of ['/ice-servers', '/api/ice-servers']) {
      const r = await call(`${documented.url}${path}`, { headers: { Origin: 'https://example.org' } });
      assert.equal(r.status, 200);
      assert.deepEqual(r.body.iceServers, []);
      assert.equal(r.headers.get('access-control-allow-origin'), '*');
    }
  });

  test('CORS preflight allows PATCH on /offer/{pc_id}', async () => {
    const res = await fetch(`${documented.url}/offer/pc_x`, {
      method: 'OPTIONS',
      headers: { Origin: 'https://example.org', 'Access-Control-Request-Method': 'PATCH', 'Access-Control-Request-Headers': 'content-type' },
    });
    assert.equal(res.status, 204);
    assert.match(res.headers.get('access-control-allow-methods') ?? '', /PATCH/);
  });

  test('bad offers → 400 with a JSON error', async () => {
    for (const body of ['{not json', {}, { sdp: 'hello', type: 'offer' }, { sdp: 'v=0\r\n', type: 'offer' }, { sdp: 'v=0\r\nm=audio 9 x 0\r\n', type: 'answer' }]) {
      const r = await post(`${documented.url}/offer`, body);
      assert.equal(r.status, 400, JSON.stringify(body));
      assert.equal(typeof r.body.error, 'string');
    }
    const garbage = await post(`${documented.url}/offer`, { sdp: 'v=0\r\nm=application 9 garbage\r\nxx', type: 'offer' });
    assert.equal(garbage.status, 400);
    assert.equal(typeof garbage.body.error, 'string');
  });

  test('unknown program_id → 404; unknown pc_id → 404; bad PATCH → 400', async () => {
    const c = new RtcClient();
    try {
      await c.pc.setLocalDescription(await c.pc.createOffer());
      const r = await post(`${documented.url}/offer?program_id=nope`, { sdp: c.pc.localDescription?.sdp, type: 'offer' });
      assert.equal(r.status, 404);
      assert.match(r.body.error, /unknown program_id "nope"/);
    } finally {
      await c.close();
    }
    const p = await call(`${documented.url}/offer/pc_missing`, {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ candidates: [] }),
    });
    assert.equal(p.status, 404);
    assert.match(p.body.error, /unknown pc_id/);
    const bad = await call(`${documented.url}/offer`, { method: 'PATCH', body: '{"candidates": 3}' });
    assert.equal(bad.status, 400);
    const get = await call(`${documented.url}/offer`);
    assert.equal(get.status, 405);
  });

  test('control socket without session_id is refused', async () => {
    const ws = new WebSocket(`${documented.url.replace('http', 'ws')}/ws?mode=control`);
    /** @type {string[]} */
    const got = [];
    ws.on('message', (d) => got.push(d.toString()));
    const code = await new Promise((resolve) => ws.on('close', resolve));
    assert.equal(code, 1008);
    assert.match(got[0] ?? '', /session_id/);
  });
});

describe('WebRTC sessions (werift client)', () => {
  test('documented: a whole flow over the data channel, mic audio counted, server audio on the track', async () => {
    const c = new RtcClient();
    try {
      const { pc_id } = await c.connect(documented.url);
      // A trickled candidate for a known pc_id is accepted.
      const p = await call(`${documented.url}/offer/${pc_id}`, {
        method: 'PATCH',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ candidates: [{ candidate: 'candidate:1 1 udp 2122260223 127.0.0.1 9 typ host', sdpMid: '0', sdpMLineIndex: 0 }] }),
      });
      assert.equal(p.status, 200);
      await c.next((m) => m.type === 'config');
      const st = await c.next((m) => m.type === 'flow_state');
      assert.equal(st.flow_id, 'sample-onboarding');
      assert.ok(st.artifact);
      c.send({ type: 'ping', ts: 42 });
      const pong = await c.next((m) => m.type === 'pong');
      assert.equal(pong.ts, 42);
      c.send({ type: 'ui_event', action: 'hello_clicked', data: { x: 1 } });
      await c.sendTone(400);
      const stats = await waitStats(c, (s) => s.audio_bytes > 0 && s.ui_events.length > 0);
      assert.equal(stats.flow_id, 'sample-onboarding');
      assert.ok(stats.audio_bytes >= 640 * 10, `audio_bytes ${stats.audio_bytes}`);
      assert.deepEqual(stats.ui_events[0], { action: 'hello_clicked', data: { x: 1 } });
      await c.until(() => c.rtpIn > 20, 'RTP from the server');
      await c.until(() => c.loudRtpIn > 5, 'non-silent RTP (the agent speaking)', 5000);
    } finally {
      await c.close();
    }
  });

  test('test hooks work over the data channel: send_text, close ends the peer', async () => {
    const c = new RtcClient();
    try {
      await c.connect(documented.url);
      const first = await c.next((m) => m.type === 'flow_state');
      c.send({ type: '__test', do: 'send_text', text: '{"type":"custom_raw"}' });
      await c.next((m) => m.type === 'custom_raw');
      c.send({ type: '__test', do: 'close', code: 1000 });
      await c.until(() => c.dcClosed || c.pc.connectionState === 'closed', 'the server to close', 5000);
      assert.ok(first.state);
    } finally {
      await c.close();
    }
  });

  test('reference: JSON over the control socket when one was opened for the session_id', async () => {
    const sessionId = 'u-123';
    const ws = new WebSocket(`${reference.url.replace('http', 'ws')}/ws?mode=control&session_id=${sessionId}`);
    /** @type {Record<string, any>[]} */
    const onControl = [];
    ws.on('message', (d) => onControl.push(JSON.parse(d.toString())));
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    const c = new RtcClient();
    try {
      await c.connect(reference.url, `program_id=sample-onboarding&session_id=${sessionId}`);
      await c.until(() => onControl.find((m) => m.type === 'artifact'), 'an artifact on the control socket');
      assert.equal(onControl[0]?.type, 'status');
      assert.equal(onControl[0]?.status, 'idle');
      assert.equal(c.messages.length, 0, 'nothing on the data channel');
      // The client may send on either.
      c.send({ type: 'ui_event', action: 'via_dc', data: {} });
      ws.send(JSON.stringify({ type: 'ui_event', action: 'via_control', data: {} }));
      const from = onControl.length;
      await new Promise((r) => setTimeout(r, 200));
      ws.send(JSON.stringify({ type: '__test', do: 'stats' }));
      const stats = await c.until(() => onControl.slice(from).find((m) => m.type === '__test_stats'), 'stats on the control socket');
      assert.deepEqual(
        stats.ui_events.map((/** @type {any} */ e) => e.action).sort(),
        ['via_control', 'via_dc'],
      );
    } finally {
      await c.close();
      ws.close();
    }
  });
});

/**
 * @param {RtcClient} c
 * @param {(s: Record<string, any>) => boolean} pred
 */
async function waitStats(c, pred) {
  const end = performance.now() + 5000;
  for (;;) {
    const s = await c.stats();
    if (pred(s) || performance.now() > end) return s;
    await new Promise((r) => setTimeout(r, 100));
  }
}
