// Recording a session (`record`), wherever its socket runs: what the trace holds matches what
// crossed the wire, against the real development server, in every engine.
import { expect } from '@open-wc/testing';
import { VoiceAgent, type VoiceAgentOptions } from '../../src/agent/voice-agent.js';
import { WebAudioPipeline } from '../../src/audio/web-audio-pipeline.js';
import { PrepatuError, type ServerMessage } from '../../src/protocol/index.js';
import type { TraceEntry, TraceHeader } from '../../src/transport/trace.js';
import { WebRtcTransport } from '../../src/transport/webrtc-transport.js';
import { WebSocketTransport } from '../../src/transport/websocket-transport.js';
import { toneStream } from '../support/dsp.js';
import { askStats, servers, until, wsUrl } from '../support/servers.js';

async function readTrace(blob: Blob): Promise<{ header: TraceHeader; entries: TraceEntry[]; text: string }> {
  expect(blob.type).to.equal('application/x-ndjson');
  const text = await blob.text();
  const [header, ...entries] = text.trimEnd().split('\n').map((l) => JSON.parse(l) as unknown);
  return { header: header as TraceHeader, entries: entries as TraceEntry[], text };
}

const decode = (b64: string): Uint8Array => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));

/** A text-only agent over a WebSocket, with what it heard and a hook to the server's test hooks. */
async function wsAgent(url: string, options: VoiceAgentOptions & { worker?: boolean } = {}) {
  const messages: ServerMessage[] = [];
  const { worker, ...rest } = options;
  const transport = new WebSocketTransport({ url, ...(worker === undefined ? {} : { worker }) });
  const agent = new VoiceAgent(transport, { audio: false, onMessage: (m) => messages.push(m), ...rest });
  await agent.connect();
  const hook = (o: object) => transport.sendText(JSON.stringify({ type: '__test', ...o }));
  return { agent, transport, messages, hook, stats: () => askStats(hook, () => messages) };
}

function checkOrder(entries: TraceEntry[]): void {
  for (let i = 1; i < entries.length; i++) expect(entries[i]!.t, `t of entry ${i}`).to.be.at.least(entries[i - 1]!.t);
  expect(entries[0]).to.deep.include({ dir: 'out', kind: 'open' });
}

describe('recording a session (record)', function () {
  this.timeout(30_000);

  it('records nothing unless asked: exportTrace() rejects with no_trace, the transport holds no trace', async () => {
    for (const worker of [true, false]) {
      const s = await wsAgent(await wsUrl('reference'), { worker });
      await until(() => s.messages.some((m) => m.type === 'config'), 'config');
      await s.agent.disconnect();
      expect(await s.transport.exportTrace()).to.equal(null);
      const error = await s.agent.exportTrace().then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).to.be.instanceOf(PrepatuError);
      expect((error as PrepatuError).code).to.equal('no_trace');
    }
  });

  for (const worker of [true, false]) {
    it(`keeps every text frame as sent or received, binary frames as lengths, open and close (socket ${worker ? 'in its worker' : 'on the main thread'})`, async () => {
      const s = await wsAgent(await wsUrl('reference'), { worker, record: true });
      expect(s.transport.inWorker).to.equal(worker);
      const raw = '{"type":  "from_the_future" ,"x":[1, 2]}';
      s.hook({ do: 'send_text', text: raw });
      s.hook({ do: 'send_binary', bytes: 1280 });
      s.hook({ do: 'send_binary', bytes: 3 });
      s.agent.sendUiEvent('form_submit', { name: 'Alex', email: 'alex@example.com' });
      const stats = await s.stats();
      expect(stats.ui_events.length).to.equal(1);
      // A trace can be read while the session runs…
      const live = await readTrace(await s.agent.exportTrace());
      expect(live.entries.some((e) => e.text === raw)).to.equal(true);
      await s.agent.disconnect();
      // …and after it ended (the worker, if any, is gone by now).
      const { header, entries } = await readTrace(await s.agent.exportTrace());
      expect(header).to.deep.include({ format: 'prepatu-trace', version: 1, transport: 'websocket', dialect: 'unknown', audio: false, user_agent: navigator.userAgent });
      expect(header.url).to.equal(await wsUrl('reference'));
      expect(Date.parse(header.started_at)).to.be.closeTo(Date.now(), 60_000);
      checkOrder(entries);
      expect(entries.at(-1)).to.deep.equal({ ...entries.at(-1), dir: 'out', kind: 'close', code: 1000 });

      // Server → client: the texts are the frames as they arrived, in order, one per message heard.
      const inTexts = entries.filter((e) => e.dir === 'in' && e.kind === 'text').map((e) => e.text!);
      expect(inTexts).to.include(raw);
      const heard = s.messages.map((m) => (m.type === 'unknown' ? m.original_type : m.type));
      expect(inTexts.map((t) => (JSON.parse(t) as { type: string }).type)).to.deep.equal(heard);
      const frames = entries.filter((e) => e.dir === 'in' && e.kind === 'binary');
      expect(frames.map((e) => e.bytes)).to.include.members([1280, 3]);
      expect(frames.every((e) => e.audio === undefined)).to.equal(true);

      // Client → server: exactly what was sent, the keepalive included.
      const outTexts = entries.filter((e) => e.dir === 'out' && e.kind === 'text').map((e) => JSON.parse(e.text!) as { type: string; do?: string });
      expect(outTexts.map((m) => m.do ?? m.type)).to.include.ordered.members(['send_text', 'send_binary', 'send_binary', 'ui_event', 'stats']);
      const ui = entries.find((e) => e.dir === 'out' && e.text?.includes('"ui_event"'))!;
      expect(JSON.parse(ui.text!)).to.deep.equal({ type: 'ui_event', action: 'form_submit', data: { name: 'Alex', email: 'alex@example.com' } });
    });
  }

  it('record: "audio" keeps the frames both ways: the mic frames before a stats request are exactly what the server counted', async () => {
    const mic = toneStream([300], 0.1);
    const messages: ServerMessage[] = [];
    const transport = new WebSocketTransport({ url: await wsUrl('reference') });
    const agent = new VoiceAgent(transport, { audio: new WebAudioPipeline({ inputStream: mic.stream }), record: 'audio', onMessage: (m) => messages.push(m) });
    await agent.connect();
    const hook = (o: object) => transport.sendText(JSON.stringify({ type: '__test', ...o }));
    await new Promise((r) => setTimeout(r, 1000));
    hook({ do: 'tone', freq: 440, ms: 200, amplitude: 0.3, paced: false });
    const stats = await askStats(hook, () => messages);
    await agent.disconnect();
    await mic.close();
    const { header, entries } = await readTrace(await agent.exportTrace());
    expect(header.audio).to.equal(true);
    const statsAt = entries.findIndex((e) => e.dir === 'out' && e.text?.includes('"stats"'));
    const sent = entries.slice(0, statsAt).filter((e) => e.dir === 'out' && e.kind === 'binary');
    expect(sent.length).to.be.above(10);
    expect(sent.reduce((n, e) => n + e.bytes!, 0)).to.equal(stats.audio_bytes);
    for (const e of sent) expect(decode(e.audio!).length).to.equal(e.bytes);
    // The agent's tone: recorded as it arrived, not silence.
    const received = entries.filter((e) => e.dir === 'in' && e.kind === 'binary');
    const pcm = received.flatMap((e) => Array.from(new Int16Array(decode(e.audio!).buffer)));
    expect(received.reduce((n, e) => n + e.bytes!, 0)).to.be.at.least(6400);
    expect(Math.max(...pcm.map(Math.abs))).to.be.above(0.2 * 32767);
  });

  it('the cloud session token never enters the trace', async () => {
    const res = await fetch(`${(await servers()).siteBackend}/session`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"flow_id":"appointment-booking"}' });
    const { ws_url: url } = (await res.json()) as { ws_url: string };
    const token = /\/v1\/ws\/([^/?]+)/.exec(url)![1]!;
    const s = await wsAgent(url, { record: true });
    await until(() => s.messages.some((m) => m.type === 'config'), 'config');
    await s.agent.disconnect();
    const { header, text } = await readTrace(await s.agent.exportTrace());
    expect(header.url).to.match(/\/v1\/ws\/redacted$/);
    expect(text).not.to.include(token);
  });

  it('failed sessions are recorded too: a refused connection (no open), a refused token (the error, then 4401)', async () => {
    const { refused, documented } = await servers();
    const traceOf = async (url: string) => {
      const agent = new VoiceAgent(new WebSocketTransport({ url }), { audio: false, record: true });
      await agent.connect().catch(() => {});
      await until(() => agent.status === 'ended', 'the end');
      return (await readTrace(await agent.exportTrace())).entries;
    };
    const noServer = await traceOf(`${refused.replace(/^http/, 'ws')}/ws`);
    expect(noServer.map((e) => [e.dir, e.kind])).to.deep.equal([['in', 'close']]);
    const badToken = await traceOf(`${documented.replace(/^http/, 'ws')}/v1/ws/st_not_a_token`);
    expect(badToken.map((e) => e.kind)).to.deep.equal(['open', 'text', 'close']);
    expect(JSON.parse(badToken[1]!.text!)).to.deep.include({ type: 'error' });
    expect(badToken[2]).to.deep.include({ dir: 'in', code: 4401 });
  });

  (typeof RTCPeerConnection === 'undefined' ? it.skip : it)('WebRTC: the JSON of the data channel or the control socket, both ways, with open and close (no audio frames)', async () => {
    for (const controlUrl of [false, true]) {
      const messages: ServerMessage[] = [];
      const transport = new WebRtcTransport({ baseUrl: (await servers()).reference, metadata: { program_id: 'sample-onboarding' }, controlUrl, keepaliveIntervalMs: 300 });
      const agent = new VoiceAgent(transport, { audio: false, record: true, onMessage: (m) => messages.push(m) });
      await agent.connect();
      await until(() => messages.some((m) => m.type === 'artifact') && messages.some((m) => m.type === 'pong'), 'a state entry and a pong', 10_000);
      agent.sendUiEvent('form_submit', { name: 'Alex' });
      await agent.disconnect();
      const { header, entries } = await readTrace(await agent.exportTrace());
      expect(header.transport).to.equal('webrtc');
      expect(header.url).to.equal(new URL((await servers()).reference).toString());
      expect(entries.filter((e) => e.kind === 'open').length).to.equal(1);
      expect(entries.some((e) => e.kind === 'binary')).to.equal(false);
      const inTypes = entries.filter((e) => e.dir === 'in' && e.kind === 'text').map((e) => (JSON.parse(e.text!) as { type: string }).type);
      expect(inTypes).to.deep.equal(messages.map((m) => (m.type === 'unknown' ? m.original_type : m.type)));
      const outTypes = entries.filter((e) => e.dir === 'out' && e.kind === 'text').map((e) => (JSON.parse(e.text!) as { type: string }).type);
      expect(outTypes).to.include.members(['ping', 'ui_event']);
      expect(entries.at(-1)).to.deep.include({ dir: 'out', kind: 'close' });
    }
  });
});
