// @ts-check
/**
 * WebRTC sessions with SmallWebRTC signalling (as the reference backend does,
 * see backend-interop.md), on the same HTTP server as `/ws`:
 *
 *   GET   {base}/ice-servers                 → {iceServers: [], ttlSeconds}
 *   POST  {base}/offer?program_id=…&session_id=…  {sdp, type, pc_id?, restart_pc?} → {pc_id, sdp, type}
 *   PATCH {base}/offer/{pc_id}               {candidates: [{candidate, sdpMid, sdpMLineIndex}]}
 *   WS    {base}/ws?mode=control&session_id=U   the control socket (opened before the offer)
 *
 * `{base}` is the server root or `/api`. Each peer connection runs one flow
 * `Session` through `PeerSocket`, which looks like a `ws` socket to it:
 * PVP JSON goes over the `bot-messages` data channel (or, when the client
 * opened a control socket for the session, over that socket instead, as the
 * reference backend does), the agent's audio goes out on the media track and
 * the microphone comes in on it.
 *
 * Codec: G.711 µ-law (PCMU, 8 kHz) both ways, the only codec offered in the
 * answer. Every browser supports it and it needs no codec library (Node has no
 * Opus encoder without native code or a large wasm build); 8 kHz speech is
 * enough for a development server. Received audio is decoded and resampled to
 * PCM16 16 kHz for the session's VAD; the agent's PCM16 16 kHz is filtered,
 * decimated and sent as 20 ms packets on a drift-free real-time schedule
 * (silence in between).
 */
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { networkInterfaces } from 'node:os';
import { RTCPeerConnection, RtpHeader, RtpPacket, usePCMU } from 'werift';
import { decodeMulaw16k, encodeMulaw8k } from './g711.js';
import { cors, json, readBody } from './http-util.js';
import { Session } from './session.js';

/** @typedef {import('node:http').IncomingMessage} Req */
/** @typedef {import('node:http').ServerResponse} Res */
/** @typedef {import('./types.js').Flow} Flow */
/** @typedef {import('./types.js').Dialect} Dialect */

const MAX_BODY_BYTES = 256 * 1024;
/** A peer whose data channel is not open by then is dropped. */
const CONNECT_TIMEOUT_MS = 30_000;
/** How long ICE may stay `disconnected` before the session ends. */
const DISCONNECTED_GRACE_MS = 10_000;
/** A control socket waits this long for its offer. */
const CONTROL_WAIT_MS = 60_000;
const FRAME_MS = 20;
const SAMPLES_16K_PER_FRAME = 320;
const PCMU_PAYLOAD_TYPE = 0;
const PREFIXES = ['', '/api'];

/** ws-like ready states (`Session` compares with `WebSocket.OPEN`). */
const CONNECTING = 0;
const OPEN = 1;
const CLOSING = 2;
const CLOSED = 3;

/** @param {Req} req @returns {Promise<unknown>} parsed JSON ({} for an empty body) */
async function readJson(req) {
  const text = await readBody(req, MAX_BODY_BYTES);
  return text.trim() ? JSON.parse(text) : {};
}

/** @param {unknown} v @returns {v is Record<string, any>} */
const isObject = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);

/** @param {string} host */
const isLoopback = (host) => host === 'localhost' || host === '::1' || host.startsWith('127.');

/** IPv4 addresses of this machine (a peer on the same machine may use any as its source). */
function localIpv4() {
  const set = new Set(['127.0.0.1']);
  for (const list of Object.values(networkInterfaces())) for (const a of list ?? []) if (a.family === 'IPv4') set.add(a.address);
  return set;
}

/**
 * The agent's audio on the media track: PCM16 16 kHz in, PCMU RTP out, one
 * 20 ms packet per 20 ms (silence when there is nothing to say).
 */
class RtpAudioOut {
  /** @param {(packet: RtpPacket) => void} send */
  constructor(send) {
    this.send = send;
    /** @type {Int16Array[]} */
    this.queue = [];
    this.queueOffset = 0; // samples of queue[0] already sent
    this.queued = 0; // samples waiting
    this.seq = Math.floor(Math.random() * 0x10000);
    this.ts = Math.floor(Math.random() * 0x7fffffff);
    this.prev = 0;
    this.talking = false;
    /** @type {NodeJS.Timeout|undefined} */
    this.timer = undefined;
    this.start = 0;
    this.sent = 0;
    this.packets = 0;
  }

  /** @param {Buffer} bytes PCM16 little-endian, 16 kHz mono */
  push(bytes) {
    const n = bytes.length >> 1;
    if (!n) return;
    const samples = new Int16Array(n);
    for (let i = 0; i < n; i++) samples[i] = bytes.readInt16LE(2 * i);
    this.queue.push(samples);
    this.queued += n;
  }

  /** Drops audio not yet sent (a new utterance replaces the old one). */
  flush() {
    this.queue = [];
    this.queueOffset = 0;
    this.queued = 0;
  }

  run() {
    if (this.timer) return;
    this.start = performance.now();
    this.sent = 0;
    const tick = () => {
      const now = performance.now();
      // After a long stall, skip ahead rather than burst.
      if (now - (this.start + this.sent * FRAME_MS) > 200) {
        const skip = Math.floor((now - this.start) / FRAME_MS) - this.sent;
        this.sent += skip;
        this.ts = (this.ts + skip * 160) >>> 0;
      }
      while (performance.now() >= this.start + this.sent * FRAME_MS) {
        this.packet();
        this.sent++;
      }
      this.timer = setTimeout(tick, Math.max(0, this.start + this.sent * FRAME_MS - performance.now()));
    };
    tick();
  }

  stop() {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  packet() {
    const frame = new Int16Array(SAMPLES_16K_PER_FRAME);
    const hadAudio = this.queued > 0;
    let filled = 0;
    while (filled < frame.length && this.queue.length) {
      const head = /** @type {Int16Array} */ (this.queue[0]);
      const take = Math.min(frame.length - filled, head.length - this.queueOffset);
      frame.set(head.subarray(this.queueOffset, this.queueOffset + take), filled);
      filled += take;
      this.queueOffset += take;
      this.queued -= take;
      if (this.queueOffset >= head.length) {
        this.queue.shift();
        this.queueOffset = 0;
      }
    }
    const payload = encodeMulaw8k(frame, this.prev);
    this.prev = /** @type {number} */ (frame[frame.length - 1]);
    const header = new RtpHeader({
      payloadType: PCMU_PAYLOAD_TYPE,
      sequenceNumber: this.seq,
      timestamp: this.ts,
      marker: hadAudio && !this.talking, // the start of a talkspurt
    });
    this.talking = hadAudio;
    this.seq = (this.seq + 1) & 0xffff;
    this.ts = (this.ts + 160) >>> 0;
    this.packets++;
    this.send(new RtpPacket(header, payload));
  }
}

/**
 * One WebRTC peer, dressed as a `ws` socket for `Session`: `send(text)` →
 * data channel (or control socket), `send(buffer, {binary: true})` → the
 * media track; incoming data-channel text and decoded microphone audio come
 * out as `message` events.
 */
export class PeerSocket extends EventEmitter {
  /**
   * @param {object} o
   * @param {string} o.pcId
   * @param {RTCPeerConnection} o.pc
   * @param {import('werift').RTCRtpTransceiver} o.transceiver
   * @param {import('ws').WebSocket|null} o.control
   * @param {(m: string) => void} o.log
   * @param {() => void} o.onClosed
   */
  constructor({ pcId, pc, transceiver, control, log, onClosed }) {
    super();
    this.pcId = pcId;
    this.pc = pc;
    this.transceiver = transceiver;
    /** @type {import('ws').WebSocket|null} */
    this.control = null;
    this.log = log;
    this.onClosed = onClosed;
    this.readyState = CONNECTING;
    this.paused = false;
    /** @type {import('werift').RTCDataChannel|null} */
    this.dc = null;
    /** mic RTP packets and payload bytes received */
    this.rtpPackets = 0;
    this.lastSample = 0;
    /** @type {NodeJS.Timeout|undefined} */
    this.graceTimer = undefined;
    this.connectTimer = setTimeout(() => {
      if (this.readyState === CONNECTING) {
        this.log(`webrtc ${pcId}: no data channel within ${CONNECT_TIMEOUT_MS} ms; dropped`);
        this.finish(1006, 'connect timeout');
      }
    }, CONNECT_TIMEOUT_MS);
    this.audioOut = new RtpAudioOut((p) => {
      this.transceiver.sender.sendRtp(p).catch(() => {});
    });
    /** go_silent: stop reading (`ws._socket.pause()` in test-hooks.js) */
    this._socket = { pause: () => this.pause() };
    if (control) this.attachControl(control);

    transceiver.onTrack.subscribe((track) => {
      track.onReceiveRtp.subscribe((rtp) => this.onRtp(rtp));
    });
    pc.onDataChannel.subscribe((dc) => this.onDataChannel(dc));
    pc.connectionStateChange.subscribe((state) => {
      clearTimeout(this.graceTimer);
      if (state === 'connected') this.audioOut.run();
      if (state === 'disconnected') this.graceTimer = setTimeout(() => this.finish(1006, 'ICE disconnected'), DISCONNECTED_GRACE_MS);
      if (state === 'failed' || state === 'closed') this.finish(1006, `ICE ${state}`);
    });
  }

  /** @param {import('ws').WebSocket} ws */
  attachControl(ws) {
    this.control = ws;
    ws.on('message', (data, isBinary) => {
      if (this.paused || this.readyState !== OPEN) return;
      const buf = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
      this.emit('message', buf, isBinary);
    });
    ws.on('close', () => {
      if (this.control === ws) this.control = null; // the data channel carries on
    });
  }

  /** @param {import('werift').RTCDataChannel} dc */
  onDataChannel(dc) {
    if (this.dc && this.dc.label === 'bot-messages') return;
    if (this.dc && dc.label !== 'bot-messages') return;
    this.dc = dc;
    dc.onMessage.subscribe((data) => {
      if (this.paused || this.readyState !== OPEN || this.dc !== dc) return;
      const isBinary = typeof data !== 'string';
      this.emit('message', isBinary ? data : Buffer.from(data, 'utf8'), isBinary);
    });
    dc.stateChanged.subscribe((s) => {
      if (s === 'open') this.open();
      if (s === 'closed' && this.dc === dc) this.finish(1006, 'data channel closed');
    });
    if (dc.readyState === 'open') this.open();
  }

  open() {
    if (this.readyState !== CONNECTING) return;
    clearTimeout(this.connectTimer);
    this.readyState = OPEN;
    this.log(`webrtc ${this.pcId}: data channel "${this.dc?.label}" open${this.control ? ' (JSON on the control socket)' : ''}`);
    this.emit('open');
  }

  /** @param {RtpPacket} rtp */
  onRtp(rtp) {
    if (this.paused || this.readyState !== OPEN) return;
    this.rtpPackets++;
    const pt = rtp.header.payloadType;
    if (pt !== PCMU_PAYLOAD_TYPE || !rtp.payload.length) return; // comfort noise, DTMF…
    const { pcm, last } = decodeMulaw16k(rtp.payload, this.lastSample);
    this.lastSample = last;
    this.emit('message', pcm, true);
  }

  /**
   * @param {string|Buffer} data
   * @param {{binary?: boolean}} [options]
   */
  send(data, options = {}) {
    if (this.readyState !== OPEN) return;
    if (typeof data === 'string' && !options.binary) {
      // A new utterance replaces whatever is still queued for the track.
      if (data.startsWith('{"type":"status","status":"speaking"')) this.audioOut.flush();
      if (this.control && this.control.readyState === 1) this.control.send(data);
      else if (this.dc?.readyState === 'open') this.dc.send(data);
      return;
    }
    this.audioOut.push(Buffer.isBuffer(data) ? data : Buffer.from(data));
  }

  /**
   * Closes after what was sent on the data channel has left.
   * @param {number} [code]
   * @param {string} [reason]
   */
  close(code = 1000, reason = '') {
    if (this.readyState >= CLOSING) return;
    this.readyState = CLOSING;
    const started = performance.now();
    const wait = () => {
      const pending = (this.dc?.bufferedAmount ?? 0) > 0 && this.dc?.readyState === 'open';
      if (pending && performance.now() - started < 2000) setTimeout(wait, 20);
      else setTimeout(() => this.finish(code, reason), 250);
    };
    wait();
  }

  /** No goodbye: the peer connection goes at once (the client notices when ICE consent fails). */
  terminate() {
    this.finish(1006, '', false);
  }

  pause() {
    this.paused = true;
    this.audioOut.stop();
  }

  /**
   * network_outage: for `ms`, every UDP datagram of this peer connection is dropped both ways
   * (STUN, DTLS, SCTP, RTP), as on a train going through a tunnel; then traffic flows again.
   * @param {number} ms
   */
  outage(ms) {
    const protocols = this.pc.iceTransports.flatMap((t) => /** @type {any} */ (t).connection?.protocols ?? []);
    /** @type {(() => void)[]} */
    const restore = [];
    for (const p of protocols) {
      const { datagramReceived } = p;
      const send = p.transport.send;
      p.datagramReceived = () => {};
      p.transport.send = async () => {};
      restore.push(() => {
        p.datagramReceived = datagramReceived;
        p.transport.send = send;
      });
    }
    this.log(`webrtc ${this.pcId}: network outage for ${ms} ms (${protocols.length} sockets)`);
    setTimeout(() => {
      for (const r of restore) r();
      this.log(`webrtc ${this.pcId}: network back`);
    }, ms);
  }

  /**
   * @param {number} code
   * @param {string} reason
   * @param {boolean} [goodbye] close the data channel first, so that the client sees it close
   */
  finish(code, reason, goodbye = true) {
    if (this.readyState === CLOSED) return;
    const wasOpen = this.readyState !== CONNECTING;
    this.readyState = CLOSED;
    clearTimeout(this.connectTimer);
    clearTimeout(this.graceTimer);
    this.audioOut.stop();
    // Collected first: once the data channel is closed, werift's pc.close() may
    // no longer find the shared transport and would leave its UDP sockets open.
    const transports = this.pc.dtlsTransports;
    const dc = this.dc;
    const closePc = () =>
      this.pc
        .close()
        .catch((e) => this.log(`webrtc ${this.pcId}: close failed: ${e?.message}`))
        .finally(() => Promise.allSettled(transports.map((t) => t.stop())));
    if (goodbye && dc?.readyState === 'open') {
      // Not from inside a data-channel callback (this may run in one): werift drops the reset then.
      setTimeout(() => {
        try {
          dc.close(); // an SCTP stream reset: the client sees the channel close
        } catch {
          /* already gone */
        }
        setTimeout(closePc, 200);
      }, 0);
    } else void closePc();
    const control = this.control;
    this.control = null;
    if (control && control.readyState <= 1) control.close(code === 1006 ? 1000 : code, reason);
    this.onClosed();
    this.log(`webrtc ${this.pcId}: closed (${reason || code}); mic RTP packets: ${this.rtpPackets}, sent: ${this.audioOut.packets}`);
    if (wasOpen || this.listenerCount('close')) this.emit('close', code, Buffer.from(reason));
  }
}

/**
 * @typedef {object} WebRtcOptions
 * @property {string} host the address the server binds (loopback: ICE restricted to 127.0.0.1)
 * @property {Flow[]} flows default first
 * @property {Dialect} dialect
 * @property {boolean} testHooks
 * @property {boolean} [agentArtifacts]
 * @property {(text: string) => Promise<Int16Array>} synthesize
 * @property {number} vadThreshold
 * @property {(msg: string) => void} log
 * @property {() => string} nextId a session id for the log
 */

/**
 * The WebRTC endpoints.
 * @param {WebRtcOptions} o
 */
export function createWebRtc(o) {
  /** @type {Map<string, {peer: PeerSocket, session: Session}>} */
  const peers = new Map();
  /** control sockets waiting for (or attached to) their offer, by session_id */
  /** @type {Map<string, import('ws').WebSocket>} */
  const controls = new Map();
  const loopback = isLoopback(o.host);
  const localAddrs = localIpv4();

  /** @returns {ConstructorParameters<typeof RTCPeerConnection>[0]} */
  const peerConfig = () => ({
    codecs: { audio: [usePCMU()], video: [] },
    // One transport for audio and data (else werift leaks the unbundled one's socket).
    bundlePolicy: /** @type {const} */ ('max-bundle'),
    iceServers: [],
    iceUseIpv6: false,
    ...(loopback
      ? {
          // werift skips loopback addresses unless told; a browser on this machine
          // then reaches 127.0.0.1 (Chromium through a peer-reflexive pair).
          iceAdditionalHostAddresses: ['127.0.0.1'],
          iceFilterCandidatePair: (pair) => localAddrs.has(pair.remoteCandidate.host),
        }
      : {}),
  });

  /** @param {string} pathname @returns {{route: 'ice'|'offer'|'patch', pcId?: string}|null} */
  function route(pathname) {
    for (const p of PREFIXES) {
      if (pathname === `${p}/ice-servers`) return { route: 'ice' };
      if (pathname === `${p}/offer`) return { route: 'offer' };
      const m = pathname.startsWith(`${p}/offer/`) ? pathname.slice(`${p}/offer/`.length) : null;
      if (m && !m.includes('/')) return { route: 'patch', pcId: decodeURIComponent(m) };
    }
    return null;
  }

  /**
   * @param {Req} req
   * @param {Res} res
   * @param {URL} url
   */
  async function offer(req, res, url) {
    let body;
    try {
      body = await readJson(req);
    } catch (e) {
      return json(res, 400, { error: `invalid request body: ${/** @type {Error} */ (e).message}` });
    }
    if (!isObject(body) || typeof body.sdp !== 'string' || !body.sdp.trim()) return json(res, 400, { error: 'the body must be {"sdp": "…", "type": "offer"}' });
    if (body.type !== 'offer') return json(res, 400, { error: `"type" must be "offer", got ${JSON.stringify(body.type)}` });
    if (!/^v=0/m.test(body.sdp) || !/^m=/m.test(body.sdp)) return json(res, 400, { error: 'invalid SDP: no "v=0" or no media section' });

    const existing = typeof body.pc_id === 'string' ? peers.get(body.pc_id) : undefined;
    if (existing && !body.restart_pc) {
      // Renegotiation on the same peer connection.
      try {
        await existing.peer.pc.setRemoteDescription({ type: 'offer', sdp: body.sdp });
        await existing.peer.pc.setLocalDescription(await existing.peer.pc.createAnswer());
      } catch (e) {
        return json(res, 400, { error: `invalid SDP offer: ${/** @type {Error} */ (e).message}` });
      }
      const local = existing.peer.pc.localDescription;
      return json(res, 200, { pc_id: existing.peer.pcId, sdp: local?.sdp, type: local?.type });
    }
    if (existing) existing.peer.terminate();
    if (!/^m=application/m.test(body.sdp)) return json(res, 400, { error: 'the offer has no data channel (the client must create "bot-messages")' });

    const ids = o.flows.map((f) => f.id);
    const flowId = url.searchParams.get('program_id') || ids[0];
    const flow = o.flows.find((f) => f.id === flowId);
    if (!flow) return json(res, 404, { error: `unknown program_id "${flowId}"; this server has: ${ids.join(', ')}` });
    const sessionId = url.searchParams.get('session_id');
    const control = sessionId ? (controls.get(sessionId) ?? null) : null;
    if (sessionId && !control) o.log(`webrtc: offer for session_id ${sessionId} without a control socket: JSON goes over the data channel`);

    const pc = new RTCPeerConnection(peerConfig());
    const transceiver = pc.addTransceiver('audio', { direction: 'sendrecv' });
    const pcId = `pc_${randomUUID()}`;
    const sessionName = o.nextId();
    const log = (/** @type {string} */ m) => o.log(`[${sessionName} ${flow.id}] ${m}`);
    const peer = new PeerSocket({
      pcId,
      pc,
      transceiver,
      control,
      log,
      onClosed: () => {
        peers.delete(pcId);
        if (sessionId && controls.get(sessionId) === control) controls.delete(sessionId);
      },
    });
    try {
      await pc.setRemoteDescription({ type: 'offer', sdp: body.sdp });
      await pc.setLocalDescription(await pc.createAnswer());
    } catch (e) {
      peer.terminate();
      return json(res, 400, { error: `invalid SDP offer: ${/** @type {Error} */ (e).message}` });
    }
    const session = new Session(/** @type {any} */ (peer), {
      flow,
      dialect: o.dialect,
      testHooks: o.testHooks,
      agentArtifacts: o.agentArtifacts,
      synthesize: o.synthesize,
      vadThreshold: o.vadThreshold,
      log: o.log,
      id: sessionName,
    });
    peer.once('open', () => session.start());
    peers.set(pcId, { peer, session });
    const local = pc.localDescription;
    log(`webrtc ${pcId}: answered${sessionId ? ` (session_id ${sessionId})` : ''}`);
    json(res, 200, { pc_id: pcId, sdp: local?.sdp, type: local?.type });
  }

  /**
   * @param {Req} req
   * @param {Res} res
   * @param {string|undefined} pcIdInPath
   */
  async function patch(req, res, pcIdInPath) {
    let body;
    try {
      body = await readJson(req);
    } catch (e) {
      return json(res, 400, { error: `invalid request body: ${/** @type {Error} */ (e).message}` });
    }
    if (!isObject(body)) return json(res, 400, { error: 'the body must be {"candidates": [...]}' });
    const pcId = pcIdInPath ?? body.pc_id;
    if (typeof pcId !== 'string' || !pcId) return json(res, 400, { error: 'missing pc_id' });
    const entry = peers.get(pcId);
    if (!entry) return json(res, 404, { error: `unknown pc_id "${pcId}"` });
    if (!Array.isArray(body.candidates)) return json(res, 400, { error: '"candidates" must be an array' });
    for (const c of body.candidates) {
      if (!isObject(c) || typeof c.candidate !== 'string') return json(res, 400, { error: 'each candidate needs a string "candidate"' });
    }
    for (const c of body.candidates) {
      if (!c.candidate) continue; // end of candidates
      try {
        await entry.peer.pc.addIceCandidate({ candidate: c.candidate, sdpMid: c.sdpMid ?? undefined, sdpMLineIndex: c.sdpMLineIndex ?? undefined });
      } catch (e) {
        o.log(`webrtc ${pcId}: candidate ignored (${/** @type {Error} */ (e).message}): ${c.candidate}`);
      }
    }
    json(res, 200, { status: 'success' });
  }

  return {
    /**
     * Answers a WebRTC request; false when `pathname` is not one.
     * @param {Req} req
     * @param {Res} res
     * @returns {boolean}
     */
    handle(req, res) {
      const url = new URL(req.url ?? '/', 'http://x');
      const r = route(url.pathname);
      if (!r) return false;
      cors(req, res);
      const done = (/** @type {unknown} */ e) => {
        o.log(`webrtc ${req.method} ${url.pathname} failed: ${/** @type {Error} */ (e)?.message}`);
        if (!res.headersSent) json(res, 500, { error: 'internal error' });
        else res.destroy();
      };
      if (req.method === 'OPTIONS') {
        res.writeHead(204);
        res.end();
      } else if (r.route === 'ice') {
        if (req.method !== 'GET') json(res, 405, { error: 'use GET' });
        // Host candidates are enough for a development server.
        else json(res, 200, { iceServers: [], ttlSeconds: 86_400 });
      } else if (r.route === 'offer' && req.method === 'POST') offer(req, res, url).catch(done);
      else if (req.method === 'PATCH') patch(req, res, r.pcId).catch(done);
      else json(res, 405, { error: r.route === 'offer' ? 'use POST (or PATCH with pc_id)' : 'use PATCH' });
      return true;
    },

    /** Paths (besides `/ws`) where the control socket may be opened. */
    controlPaths: PREFIXES.filter(Boolean).map((p) => `${p}/ws`),

    /**
     * A control socket `…/ws?mode=control&session_id=U`.
     * @param {import('ws').WebSocket} ws
     * @param {URL} url
     */
    control(ws, url) {
      const sessionId = url.searchParams.get('session_id');
      if (!sessionId) {
        ws.send(JSON.stringify({ type: 'error', message: 'mode=control needs a session_id' }));
        ws.close(1008, 'missing session_id');
        return;
      }
      const old = controls.get(sessionId);
      if (old && old !== ws) old.close(1008, 'replaced by a new control socket');
      controls.set(sessionId, ws);
      o.log(`webrtc: control socket for session_id ${sessionId}`);
      const timer = setTimeout(() => {
        // Never followed by an offer.
        if (controls.get(sessionId) === ws && ![...peers.values()].some((p) => p.peer.control === ws)) {
          controls.delete(sessionId);
          ws.close(1008, 'no offer for this session_id');
        }
      }, CONTROL_WAIT_MS);
      ws.on('close', () => {
        clearTimeout(timer);
        if (controls.get(sessionId) === ws) controls.delete(sessionId);
      });
      ws.on('error', () => {});
    },

    /** Number of live peer connections. */
    get size() {
      return peers.size;
    },

    close() {
      for (const { peer } of [...peers.values()]) peer.terminate();
      for (const ws of controls.values()) ws.terminate();
      controls.clear();
    },
  };
}
