import { expect } from '@open-wc/testing';
import { VoiceAgent } from '../../src/agent/voice-agent.js';
import { PrepatuError, type ServerMessage, type SessionStatus } from '../../src/protocol/index.js';
import type { CloseReason, TransportEvents } from '../../src/transport/types.js';
import { WebRtcTransport, type WebRtcTransportOptions } from '../../src/transport/webrtc-transport.js';
import { DIALECTS, askStats, servers, until } from '../support/servers.js';

// WebKitGTK as packaged here (2.50, Debian 12) is built without WebRTC: no RTCPeerConnection,
// even when MiniBrowser is started with --enable-webrtc=true (checked). Other engines must have it.
const noWebRtc = typeof RTCPeerConnection === 'undefined';
const maybe = noWebRtc ? describe.skip : describe;
if (noWebRtc) console.warn('webrtc.test.ts skipped: this engine has no RTCPeerConnection (WebKitGTK built without WebRTC)');

let mics: MediaStreamTrack[] = [];
async function mic(): Promise<MediaStreamTrack> {
  const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
  const track = stream.getAudioTracks()[0]!;
  mics.push(track);
  return track;
}

/** A transport plus everything it reported. */
async function open(options: WebRtcTransportOptions, withMic = true) {
  const log = {
    messages: [] as ServerMessage[],
    errors: [] as PrepatuError[],
    rtts: [] as number[],
    closes: [] as CloseReason[],
    tracks: [] as MediaStreamTrack[],
    warnings: [] as string[],
    qualities: [] as string[],
  };
  const events: TransportEvents = {
    message: (m) => log.messages.push(m),
    audio: () => {
      throw new Error('WebRTC audio must come on the track, not as frames');
    },
    error: (e) => log.errors.push(e),
    warning: (w) => log.warnings.push(w.code),
    quality: (q, w) => {
      log.qualities.push(q);
      if (w) log.warnings.push(w.code); // the network_slow travels with the change to stalled
    },
    rtt: (r) => log.rtts.push(r),
    close: (c) => log.closes.push(c),
    remoteTrack: (t) => log.tracks.push(t),
  };
  const t = new WebRtcTransport({ keepaliveIntervalMs: 0, ...options });
  await t.connect(events, new AbortController().signal, withMic ? mic : undefined);
  const hook = (o: object) => t.sendText(JSON.stringify({ type: '__test', ...o }));
  const stats = () => askStats(hook, () => log.messages);
  return { t, log, hook, stats };
}

/** Connect must reject with a PrepatuError; returns it. */
async function refused(options: WebRtcTransportOptions, signal = new AbortController().signal): Promise<PrepatuError> {
  const closes: CloseReason[] = [];
  const events: TransportEvents = { message: () => {}, audio: () => {}, error: () => {}, rtt: () => {}, close: (c) => closes.push(c) };
  const t = new WebRtcTransport(options);
  try {
    await t.connect(events, signal, mic);
  } catch (e) {
    expect(e).to.be.instanceOf(PrepatuError);
    expect(closes, 'no close event for a connection that never opened').to.deep.equal([]);
    return e as PrepatuError;
  }
  throw new Error('connect() resolved');
}

const flowStarted = (dialect: string) => (m: ServerMessage) => (dialect === 'documented' ? m.type === 'flow_state' : m.type === 'artifact');

maybe('WebRtcTransport against the development server', function () {
  this.timeout(30_000);
  afterEach(() => {
    for (const m of mics) m.stop();
    mics = [];
  });

  for (const dialect of DIALECTS) {
    describe(`${dialect} dialect`, () => {
      it('carries the session on the data channel: flow messages in, ui_event out, mic audio reaches the server', async () => {
        const base = (await servers())[dialect];
        const { t, log, stats } = await open({ baseUrl: base, metadata: { program_id: 'sample-onboarding' } });
        await until(() => log.messages.some(flowStarted(dialect)), 'the first state');
        expect(log.messages[0]!.type).to.equal(dialect === 'documented' ? 'config' : 'status');
        expect(log.tracks.length, 'remote track').to.equal(1);
        expect(log.tracks[0]!.kind).to.equal('audio');
        t.send({ type: 'ui_event', action: 'form_submit', data: { name: 'Alex Doe', email: 'alex@example.com' } });
        let s = await stats();
        const start = performance.now();
        while (s.audio_bytes === 0 && performance.now() - start < 5000) {
          await new Promise((r) => setTimeout(r, 200));
          s = await stats();
        }
        expect(s.ui_events.map((e) => e.action)).to.deep.equal(['form_submit']);
        expect(s.audio_bytes, 'mic audio bytes at the server').to.be.greaterThan(0);
        expect(s.variables['name']).to.equal('Alex Doe');
        expect(log.errors).to.deep.equal([]);
        t.close();
        expect(log.closes).to.deep.equal([{ kind: 'ended' }]);
      });
    });
  }

  it('walks the sample flow to its end; the server closing afterwards is a normal "ended"', async () => {
    const { log, t } = await open({ baseUrl: (await servers()).documented, metadata: { program_id: 'sample-onboarding' } });
    const state = (name: string) => until(() => log.messages.some((m) => m.type === 'flow_state' && m.state === name), name);
    await state('collect_details');
    t.send({ type: 'ui_event', action: 'form_submit', data: { name: 'Alex Doe', email: 'alex@example.com' } });
    await state('choose_plan');
    t.send({ type: 'ui_event', action: 'option_select', data: { selected_id: 'pro' } });
    await state('summary');
    t.send({ type: 'ui_event', action: 'confirm', data: {} });
    await until(() => log.closes.length > 0, 'the end of the session', 20_000);
    expect(log.messages.some((m) => m.type === 'flow_end')).to.equal(true);
    expect(log.closes).to.deep.equal([{ kind: 'ended' }]);
  });

  it('receives the agent’s audio on the remote track', async () => {
    const { t, log, hook } = await open({ baseUrl: (await servers()).reference, metadata: { program_id: 'sample-onboarding' } });
    const track = log.tracks[0]!;
    // Chromium feeds a remote track into Web Audio only while a media element also plays it.
    const audio = new Audio();
    audio.muted = true;
    audio.srcObject = new MediaStream([track]);
    void audio.play().catch(() => {});
    const ctx = new AudioContext();
    void ctx.resume();
    const analyser = ctx.createAnalyser();
    analyser.fftSize = 2048;
    ctx.createMediaStreamSource(new MediaStream([track])).connect(analyser);
    const buf = new Float32Array(analyser.fftSize);
    const rms = () => {
      analyser.getFloatTimeDomainData(buf);
      let sum = 0;
      for (const v of buf) sum += v * v;
      return Math.sqrt(sum / buf.length);
    };
    try {
      let packets = 0;
      const start = performance.now();
      while (packets < 10 && performance.now() - start < 5000) {
        await new Promise((r) => setTimeout(r, 100));
        packets = (await t.quality()).packetsReceived ?? 0;
      }
      expect(packets, 'RTP packets from the server').to.be.greaterThan(9);
      // A loud tone as the agent (it replaces the greeting).
      hook({ do: 'tone', freq: 440, ms: 3000, amplitude: 0.5, paced: true });
      let loudest = 0;
      let level = 0;
      const t0 = performance.now();
      while (loudest < 0.05 && level < 0.05 && performance.now() - t0 < 4000) {
        await new Promise((r) => setTimeout(r, 50));
        loudest = Math.max(loudest, rms());
        level = Math.max(level, (await t.quality()).audioLevel ?? 0);
      }
      expect(Math.max(loudest, level), `remote audio during the tone (Web Audio RMS ${loudest}, inbound audioLevel ${level}, context ${ctx.state})`).to.be.greaterThan(0.05);
    } finally {
      audio.srcObject = null;
      void ctx.close();
      t.close();
    }
  });

  it('reference: JSON on the control socket when asked (controlUrl: true)', async () => {
    const { t, log, stats } = await open({ baseUrl: (await servers()).reference, metadata: { program_id: 'sample-onboarding' }, controlUrl: true });
    await until(() => log.messages.some((m) => m.type === 'artifact'), 'an artifact');
    t.send({ type: 'ui_event', action: 'form_submit', data: { name: 'Kim', email: 'kim@example.com' } });
    const s = await stats();
    expect(s.ui_events.map((e) => e.action)).to.deep.equal(['form_submit']);
    t.close();
    expect(log.closes).to.deep.equal([{ kind: 'ended' }]);
  });

  it('keeps a session without a microphone (recvonly)', async () => {
    const { t, log } = await open({ baseUrl: (await servers()).documented }, false);
    await until(() => log.messages.some((m) => m.type === 'flow_state'), 'flow_state');
    expect(log.tracks.length).to.equal(1);
    t.close();
  });

  it('measures round-trip time over the data channel', async () => {
    const { t, log } = await open({ baseUrl: (await servers()).documented, keepaliveIntervalMs: 100 });
    await until(() => log.rtts.length >= 2, 'two RTT samples');
    expect(log.rtts.every((r) => r >= 0 && r < 1000)).to.equal(true);
    t.close();
  });

  it('a server that stops answering ends in keepalive_timeout', async () => {
    const { log, hook } = await open({ baseUrl: (await servers()).documented, keepaliveIntervalMs: 100 });
    hook({ do: 'go_silent' });
    await until(() => log.closes.length > 0, 'keepalive timeout', 3000);
    expect(log.closes).to.deep.equal([{ kind: 'keepalive_timeout' }]);
  });

  it('the server dropping the peer connection is connection_lost, once', async () => {
    // No goodbye: the browser notices when ICE consent checks go unanswered.
    const { log, hook } = await open({ baseUrl: (await servers()).documented, disconnectedGraceMs: 500 });
    hook({ do: 'terminate' });
    await until(() => log.closes.length > 0, 'close', 25_000);
    await new Promise((r) => setTimeout(r, 200));
    expect(log.closes).to.deep.equal([{ kind: 'connection_lost' }]);
  });

  it('a network outage that heals (ICE disconnected → connected) is not an error: the session goes on, its quality goes stalled then good', async function () {
    this.timeout(60_000);
    // Chromium calls ICE disconnected a few seconds into silence, Firefox only after more than 8 s: a
    // 14 s outage reaches it in both, and a 25 s grace outlasts it (the default is 10 s).
    const { t, log, hook, stats } = await open({ baseUrl: (await servers()).documented, disconnectedGraceMs: 25_000 });
    const states: RTCPeerConnectionState[] = [];
    const watch = setInterval(() => states.at(-1) !== t.connectionState && states.push(t.connectionState), 50);
    try {
      hook({ do: 'network_outage', ms: 14_000 }); // every datagram dropped, both ways
      await until(() => states.includes('disconnected'), 'ICE disconnected', 20_000);
      await until(() => states.at(-1) === 'connected', 'ICE connected again', 25_000);
    } finally {
      clearInterval(watch);
    }
    expect(log.closes).to.deep.equal([]);
    expect(log.errors).to.deep.equal([]);
    expect(log.qualities).to.include('stalled');
    expect(log.qualities.at(-1)).to.be.oneOf(['good', 'poor']);
    expect(log.warnings.filter((w) => w === 'network_slow')).to.have.length(1);
    expect((await stats()).flow_id).to.be.a('string'); // the data channel carries the session still
    t.close();
  });

  it('VoiceAgent.withWebRTC: the audio pipeline’s mic goes out on the track, the agent’s track plays, the flow runs', async () => {
    const log = { statuses: [] as SessionStatus[], messages: [] as ServerMessage[], errors: [] as PrepatuError[] };
    const agent = VoiceAgent.withWebRTC(
      { baseUrl: (await servers()).documented, metadata: { program_id: 'sample-onboarding' } },
      { onStatus: (st) => log.statuses.push(st), onMessage: (m) => log.messages.push(m), onError: (e) => log.errors.push(e) },
    );
    const hook = (o: object) => (agent.transport as WebRtcTransport).sendText(JSON.stringify({ type: '__test', ...o }));
    const stats = () => askStats(hook, () => log.messages);
    try {
      await agent.connect();
      await until(() => agent.state.flow.artifact !== null, 'the first artifact');
      let s = await stats();
      const start = performance.now();
      while (s.audio_bytes === 0 && performance.now() - start < 5000) {
        await new Promise((r) => setTimeout(r, 200));
        s = await stats();
      }
      expect(s.audio_bytes, 'mic audio at the server').to.be.greaterThan(0);
      agent.sendUiEvent('form_submit', { name: 'Alex Doe', email: 'alex@example.com' });
      await until(() => log.messages.some((m) => m.type === 'flow_state' && m.state === 'choose_plan'), 'the next state');
      expect(log.statuses).to.include('connected');
      expect(log.errors.map((e) => e.code)).to.deep.equal([]);
    } finally {
      await agent.disconnect();
    }
    expect(agent.status).to.equal('ended');
  });

  it('one agent connects, ends and connects again over the same transport: the second session runs too', async () => {
    const messages: ServerMessage[] = [];
    const agent = VoiceAgent.withWebRTC(
      { baseUrl: (await servers()).documented, metadata: { program_id: 'sample-onboarding' } },
      { audio: false, onMessage: (m) => messages.push(m) },
    );
    for (let run = 0; run < 2; run++) {
      await agent.connect();
      await until(() => agent.state.flow.artifact !== null, `the first artifact of session ${run + 1}`);
      await agent.disconnect();
      expect(agent.status).to.equal('ended');
    }
    expect(messages.filter((m) => m.type === 'flow_state').length).to.be.at.least(2);
  });

  describe('failures are typed PrepatuErrors', () => {
    it('unknown program_id: the offer is refused (HTTP 404) with the server’s reason', async () => {
      const e = await refused({ baseUrl: (await servers()).documented, metadata: { program_id: 'no-such-flow' } });
      expect(e.code).to.equal('webrtc_failed');
      expect(e.details['status']).to.equal(404);
      expect(e.message).to.contain('no-such-flow');
    });

    it('a base URL without the endpoints (HTTP 404)', async () => {
      // (under /api/ so that the 404 carries CORS headers and the page may read it)
      const e = await refused({ baseUrl: `${(await servers()).documented}/api/not-here`, iceServers: [] });
      expect(e.code).to.equal('webrtc_failed');
      expect(e.details['status']).to.equal(404);
    });

    it('nothing listening: connection_failed', async () => {
      const e = await refused({ baseUrl: (await servers()).refused });
      expect(e.code).to.equal('connection_failed');
    });

    it('a server that never answers: connect_timeout', async () => {
      const e = await refused({ baseUrl: (await servers()).blackHole, timeoutMs: 1500 });
      expect(e.code).to.equal('connect_timeout');
    });

    it('cancelled: aborted', async () => {
      const ac = new AbortController();
      setTimeout(() => ac.abort(), 300);
      const e = await refused({ baseUrl: (await servers()).blackHole, timeoutMs: 5000 }, ac.signal);
      expect(e.code).to.equal('aborted');
    });
  });
});
