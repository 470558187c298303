import { PrepatuError, warningFrom } from '../protocol/errors.js';
import type { ClientMessage } from '../protocol/messages.js';
import { parseServerMessage, serializeClientMessage } from '../protocol/parse.js';
import { Keepalive } from './keepalive.js';
import { TraceRecorder, type TraceMode } from './trace.js';
import type { CloseReason, ConnectionQuality, Transport, TransportEvents } from './types.js';

export interface WebRtcTransportOptions {
  /** `http(s)://host[:port]` of a SmallWebRTC endpoint (`/ice-servers`, `/offer`). */
  baseUrl: string;
  /** Sent as the query string of `POST /offer` (e.g. `{ session_type: 'default' }`). */
  metadata?: Record<string, string | number | boolean>;
  /** Skip `GET /ice-servers` and use these. */
  iceServers?: RTCIceServer[];
  iceTransportPolicy?: RTCIceTransportPolicy;
  /**
   * Also open the control WebSocket `{base}/ws?mode=control&session_id=U` before the offer
   * (where the reference backend actually sends PVP JSON). `true` derives the URL from
   * `baseUrl`; a string is the URL to use. Default false: JSON on the data channel only.
   */
  controlUrl?: boolean | string;
  /** Give up if the peer connection and data channel are not up within this long (default 15 s). */
  timeoutMs?: number;
  keepaliveIntervalMs?: number;
  /** How long ICE may stay `disconnected` before the session counts as lost (default 10 s). */
  disconnectedGraceMs?: number;
}

/** Quality figures from `RTCPeerConnection.getStats()`. */
export interface WebRtcQuality {
  /** Seconds, from the candidate pair. */
  roundTripTime: number | null;
  /** Seconds, inbound audio. */
  jitter: number | null;
  packetsLost: number | null;
  packetsReceived: number | null;
  /** 0..1, inbound audio. */
  audioLevel: number | null;
}

/** How often `getStats()` rates the link for `connectionQuality`. */
const QUALITY_EVERY_MS = 2_000;

const fail = (message: string, details: Record<string, unknown> = {}, cause?: unknown) =>
  new PrepatuError('webrtc_failed', message, details, { cause });

/**
 * PVP over WebRTC the way SmallWebRTC signals: `GET /ice-servers`, `POST /offer`,
 * trickle ICE with `PATCH /offer/{pc_id}` (candidates found before `pc_id` is known are
 * queued), audio on media tracks, JSON on the `bot-messages` data channel and,
 * optionally, a control WebSocket.
 */
export class WebRtcTransport implements Transport {
  readonly carriesPcm = false;
  readonly #o: WebRtcTransportOptions;
  #pc: RTCPeerConnection | null = null;
  #dc: RTCDataChannel | null = null;
  #control: WebSocket | null = null;
  #events: TransportEvents | null = null;
  #keepalive: Keepalive | null = null;
  #pcId: string | null = null;
  #pending: RTCIceCandidateInit[] = [];
  #sender: RTCRtpSender | null = null;
  #graceTimer: ReturnType<typeof setTimeout> | undefined;
  #qualityTimer: ReturnType<typeof setInterval> | undefined;
  #quality: ConnectionQuality = 'good';
  #lostPackets: { lost: number; received: number } | null = null;
  #closed = false;
  #record: TraceMode | null = null;
  #trace: TraceRecorder | null = null;
  /** The server sent `flow_end` or `status: ended`. */
  #serverEnded = false;

  constructor(options: WebRtcTransportOptions) {
    this.#o = options;
  }

  #url(path: string): string {
    return this.#o.baseUrl.replace(/\/+$/, '') + path;
  }

  async #iceServers(signal: AbortSignal): Promise<RTCIceServer[]> {
    if (this.#o.iceServers) return this.#o.iceServers;
    try {
      const res = await fetch(this.#url('/ice-servers'), { signal });
      const body = (await res.json()) as { iceServers?: RTCIceServer[] };
      return Array.isArray(body.iceServers) ? body.iceServers : [];
    } catch {
      return []; // the reference backend answers 502 with an empty list; host candidates still work
    }
  }

  /**
   * Keeps a trace of each following session's JSON (data channel and control socket; the audio
   * rides media tracks and is not recorded); `null` stops. See `exportTrace()`.
   */
  record(mode: TraceMode | null): void {
    this.#record = mode;
  }

  /** The current or last session's trace (JSONL, docs/traces.md); `null` when it was not recorded. */
  exportTrace(): Promise<Blob | null> {
    return Promise.resolve(this.#trace?.toBlob() ?? null);
  }

  async connect(events: TransportEvents, signal: AbortSignal, micTrack?: () => Promise<MediaStreamTrack>): Promise<void> {
    // A transport carries one session after another (an agent reconnecting): start clean.
    this.#closed = this.#serverEnded = false;
    this.#pcId = null;
    this.#pending = [];
    this.#quality = 'good';
    this.#lostPackets = null;
    this.#events = events;
    this.#trace = this.#record ? new TraceRecorder({ transport: 'webrtc', url: this.#o.baseUrl, mode: this.#record }) : null;
    const timeoutMs = this.#o.timeoutMs ?? 15_000;
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), timeoutMs);
    const onAbort = () => deadline.abort();
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      await this.#establish(events, deadline.signal, micTrack);
    } catch (e) {
      this.#trace?.close('out', undefined, signal.aborted ? 'aborted' : deadline.signal.aborted ? 'connect_timeout' : 'connect_failed');
      this.#teardown();
      if (signal.aborted) throw new PrepatuError('aborted', 'Connection was cancelled.');
      if (deadline.signal.aborted) throw new PrepatuError('connect_timeout', `WebRTC connection to ${this.#o.baseUrl} was not up within ${timeoutMs} ms.`, { baseUrl: this.#o.baseUrl });
      throw e instanceof PrepatuError ? e : fail(`WebRTC connection failed: ${(e as Error).message}`, {}, e);
    } finally {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
    }
  }

  async #establish(events: TransportEvents, signal: AbortSignal, micTrack?: () => Promise<MediaStreamTrack>): Promise<void> {
    const aborted = new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(new Error('aborted')), { once: true }));
    const race = <T>(p: Promise<T>) => Promise.race([p, aborted]);
    const sessionId = crypto.randomUUID();
    if (this.#o.controlUrl) await race(this.#openControl(sessionId));
    const iceServers = await race(this.#iceServers(signal));
    const pc = new RTCPeerConnection({ iceServers, iceTransportPolicy: this.#o.iceTransportPolicy ?? 'all' });
    this.#pc = pc;
    const track = micTrack ? await race(micTrack()) : null;
    if (track) this.#sender = pc.addTrack(track, new MediaStream([track]));
    else pc.addTransceiver('audio', { direction: 'recvonly' });
    pc.ontrack = (ev) => events.remoteTrack?.(ev.track);
    pc.onicecandidate = (ev) => {
      if (ev.candidate) this.#queueCandidate(ev.candidate.toJSON());
    };
    const dc = pc.createDataChannel('bot-messages', { ordered: true });
    this.#dc = dc;
    dc.onmessage = (ev) => this.#onText(ev.data);
    const dcOpen = new Promise<void>((resolve, reject) => {
      dc.onopen = () => resolve();
      dc.onclose = () => reject(fail('The data channel closed before it opened.'));
    });
    const connected = new Promise<void>((resolve, reject) => {
      pc.onconnectionstatechange = () => {
        const s = pc.connectionState;
        if (s === 'connected') resolve();
        if (s === 'failed') reject(fail('ICE failed: no network path to the voice server.', { state: s }));
        this.#onConnectionState(s);
      };
    });

    await pc.setLocalDescription(await pc.createOffer());
    const query = new URLSearchParams(Object.entries(this.#o.metadata ?? {}).map(([k, v]) => [k, String(v)]));
    if (this.#o.controlUrl) query.set('session_id', sessionId);
    const offerUrl = this.#url(`/offer${query.size ? `?${query}` : ''}`);
    let res: Response;
    try {
      res = await race(fetch(offerUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ sdp: pc.localDescription?.sdp, type: pc.localDescription?.type }),
        signal,
      }));
    } catch (e) {
      if (signal.aborted) throw e;
      throw new PrepatuError('connection_failed', `Could not reach the WebRTC endpoint ${offerUrl}.`, { url: offerUrl }, { cause: e });
    }
    if (!res.ok) {
      const body = (await res.json().catch(() => null)) as { error?: unknown } | null;
      const why = typeof body?.error === 'string' ? `: ${body.error}` : '';
      throw fail(`The server refused the WebRTC offer (HTTP ${res.status})${why}.`, { status: res.status, url: offerUrl, ...(why ? { serverError: body?.error } : {}) });
    }
    const answer = (await race(res.json()).catch(() => ({}))) as { pc_id?: string; sdp?: string; type?: RTCSdpType };
    if (!answer.sdp || !answer.type || !answer.pc_id) throw fail('The WebRTC answer is missing pc_id, sdp or type.');
    this.#pcId = answer.pc_id;
    await pc.setRemoteDescription({ sdp: answer.sdp, type: answer.type });
    void this.#flushCandidates();
    await race(Promise.all([dcOpen, connected]));
    // The server closing the channel after it said the session ended is a normal end.
    dc.onclose = () => this.#finish({ kind: this.#serverEnded ? 'ended' : 'connection_lost' });
    this.#keepalive = new Keepalive(this.#o.keepaliveIntervalMs ?? 5_000, (this.#o.keepaliveIntervalMs ?? 5_000) * 3, {
      send: (m) => this.send(m),
      rtt: (ms) => this.#events?.rtt(ms),
      dead: () => this.#finish({ kind: 'keepalive_timeout' }),
    });
    this.#keepalive.start();
    this.#trace?.open();
    this.#qualityTimer = setInterval(() => void this.#rateQuality(), QUALITY_EVERY_MS);
  }

  /** `poor` on a slow round trip, jitter or loss over the last period; `stalled` while ICE is disconnected. */
  async #rateQuality(): Promise<void> {
    const q = await this.quality().catch(() => null);
    if (!q || this.#closed) return;
    const prev = this.#lostPackets;
    const now = { lost: q.packetsLost ?? 0, received: q.packetsReceived ?? 0 };
    this.#lostPackets = now;
    const lost = prev ? now.lost - prev.lost : 0;
    const total = prev ? lost + now.received - prev.received : 0;
    const poor = (q.roundTripTime ?? 0) > 0.5 || (q.jitter ?? 0) > 0.08 || (total > 0 && lost / total > 0.05);
    if (this.#pc?.connectionState === 'connected') this.#setQuality(poor ? 'poor' : 'good');
  }

  #setQuality(quality: ConnectionQuality): void {
    if (quality === this.#quality) return;
    this.#quality = quality;
    this.#events?.quality?.(
      quality,
      quality === 'stalled' ? { code: 'network_slow', message: 'The connection to the voice server is interrupted (ICE disconnected); waiting for it to come back.' } : undefined,
    );
  }

  #openControl(sessionId: string): Promise<void> {
    const base = typeof this.#o.controlUrl === 'string' ? this.#o.controlUrl : this.#url('/ws').replace(/^http/, 'ws');
    const url = new URL(base);
    url.searchParams.set('mode', 'control');
    url.searchParams.set('session_id', sessionId);
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url);
      this.#control = ws;
      ws.onopen = () => resolve();
      ws.onmessage = (ev) => this.#onText(ev.data);
      ws.onclose = () => {
        reject(fail(`Could not open the control socket ${url}.`));
        // Once up, the data channel is the session; losing only the control socket is reported.
        if (!this.#closed) this.#events?.error(fail('The control socket closed.'));
      };
    });
  }

  #onText(data: unknown): void {
    if (this.#closed || !this.#events) return;
    if (typeof data !== 'string') return;
    this.#trace?.text('in', data);
    const r = parseServerMessage(data);
    if (!r.ok) return this.#events.warning(warningFrom(r.error));
    if (r.warning) this.#events.warning(r.warning);
    if (r.message.type === 'flow_end' || (r.message.type === 'status' && r.message.status === 'ended')) this.#serverEnded = true;
    this.#keepalive?.observe(r.message);
    this.#events.message(r.message);
  }

  #queueCandidate(c: RTCIceCandidateInit): void {
    this.#pending.push(c);
    if (this.#pcId) void this.#flushCandidates();
  }

  async #flushCandidates(): Promise<void> {
    if (!this.#pcId || !this.#pending.length) return;
    const candidates = this.#pending.splice(0);
    try {
      await fetch(this.#url(`/offer/${encodeURIComponent(this.#pcId)}`), {
        method: 'PATCH',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ candidates: candidates.map(({ candidate, sdpMid, sdpMLineIndex }) => ({ candidate, sdpMid, sdpMLineIndex })) }),
      });
    } catch (e) {
      this.#events?.error(fail('Could not send ICE candidates.', {}, e));
    }
  }

  #onConnectionState(s: RTCPeerConnectionState): void {
    clearTimeout(this.#graceTimer);
    if (s === 'disconnected') this.#setQuality('stalled');
    else if (s === 'connected' && this.#quality === 'stalled') this.#setQuality('good');
    // A `disconnected` that recovers is normal on Wi-Fi/mobile; only a lasting one ends the session.
    if (s === 'disconnected')
      this.#graceTimer = setTimeout(() => this.#finish({ kind: 'connection_lost' }), this.#o.disconnectedGraceMs ?? 10_000);
    if (s === 'failed' || s === 'closed') this.#finish({ kind: 'connection_lost' });
  }

  send(msg: ClientMessage): void {
    const text = serializeClientMessage(msg);
    if (!text.ok) throw text.error;
    this.sendText(text.message);
  }

  /** Sends a raw text frame on the data channel (or the control socket when that is all there is). */
  sendText(text: string): void {
    if (this.#dc?.readyState === 'open') this.#dc.send(text);
    else if (this.#control?.readyState === WebSocket.OPEN) this.#control.send(text);
    else throw new PrepatuError('not_connected', 'Cannot send: the session is not connected.');
    this.#trace?.text('out', text);
  }

  sendAudio(): void {
    // Mic audio rides the media track.
  }

  /** Another microphone on the same track sender: no renegotiation, no new connection. */
  async replaceMicTrack(track: MediaStreamTrack): Promise<void> {
    await this.#sender?.replaceTrack(track);
  }

  /** Round-trip time, jitter, loss and audio level of the live connection. */
  /** The peer connection's state (`'new'` before `connect()`, `'closed'` after): a `disconnected` that recovers is not an error. */
  get connectionState(): RTCPeerConnectionState {
    return this.#pc?.connectionState ?? (this.#closed ? 'closed' : 'new');
  }

  async quality(): Promise<WebRtcQuality> {
    const q: WebRtcQuality = { roundTripTime: null, jitter: null, packetsLost: null, packetsReceived: null, audioLevel: null };
    const stats = await this.#pc?.getStats();
    stats?.forEach((r: Record<string, unknown>) => {
      if (r['type'] === 'candidate-pair' && r['nominated'] && typeof r['currentRoundTripTime'] === 'number') q.roundTripTime = r['currentRoundTripTime'];
      if (r['type'] === 'inbound-rtp' && r['kind'] === 'audio') {
        q.jitter = (r['jitter'] as number) ?? null;
        q.packetsLost = (r['packetsLost'] as number) ?? null;
        q.packetsReceived = (r['packetsReceived'] as number) ?? null;
        q.audioLevel = (r['audioLevel'] as number) ?? null;
      }
    });
    return q;
  }

  close(): void {
    this.#finish({ kind: 'ended' }, 'out');
  }

  /** `by`: who ended it, for the trace (`in`: the server or the network). */
  #finish(reason: CloseReason, by: 'in' | 'out' = 'in'): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#trace?.close(by, undefined, reason.kind === 'ended' ? undefined : reason.kind);
    const events = this.#events;
    this.#teardown();
    events?.close(reason);
  }

  #teardown(): void {
    clearTimeout(this.#graceTimer);
    clearInterval(this.#qualityTimer);
    this.#keepalive?.stop();
    this.#keepalive = null;
    const { pc, dc, control } = { pc: this.#pc, dc: this.#dc, control: this.#control };
    this.#pc = this.#dc = null;
    this.#sender = null;
    this.#control = null;
    if (dc) dc.onmessage = dc.onclose = dc.onopen = null;
    dc?.close();
    if (pc) pc.onconnectionstatechange = pc.onicecandidate = pc.ontrack = null;
    // Sender tracks belong to the audio pipeline, which stops them.
    pc?.close();
    if (control) control.onclose = control.onmessage = null;
    control?.close(1000);
  }
}
