// The agent with its real audio pipeline against the development server: the status the user
// sees follows what they hear, and the mic reaches the server.
import { expect } from '@open-wc/testing';
import { VoiceAgent } from '../../src/agent/voice-agent.js';
import { WebAudioPipeline } from '../../src/audio/web-audio-pipeline.js';
import type { AudioPipelineEvents } from '../../src/audio/types.js';
import type { ServerMessage, SessionStatus } from '../../src/protocol/index.js';
import { WebSocketTransport } from '../../src/transport/websocket-transport.js';
import { toneStream } from '../support/dsp.js';
import { askStats, until, wsUrl } from '../support/servers.js';
import { wakeLockGranted } from '../support/wake-lock.js';

/** The real pipeline, with the `playing` reports (audio-clock time stamps) it gives the agent on record. */
class RecordedPipeline extends WebAudioPipeline {
  readonly playing: { playing: boolean; at: number }[] = [];
  override start(events: AudioPipelineEvents, signal: AbortSignal, options?: { capture?: boolean }): Promise<void> {
    const playing = (p: boolean, at: number) => {
      this.playing.push({ playing: p, at });
      events.playing(p, at);
    };
    return super.start({ ...events, playing }, signal, options);
  }
}

async function session(micAmp: number) {
  const mic = toneStream([300], micAmp);
  const pipeline = new RecordedPipeline({ inputStream: mic.stream });
  // Each status change caused by audio happens inside the report that caused it: stamped with its
  // audio-clock time, not with when a loaded main thread got round to it.
  const statuses: { status: SessionStatus; at: number }[] = [];
  const messages: { message: ServerMessage; at: number }[] = [];
  const now = () => pipeline.playing.at(-1)?.at ?? 0;
  const transport = new WebSocketTransport({ url: await wsUrl('reference') });
  const agent = new VoiceAgent(transport, {
    audio: pipeline,
    onStatus: (status) => statuses.push({ status, at: now() }),
    onMessage: (message) => messages.push({ message, at: pipeline.context?.currentTime ?? 0 }),
  });
  const hook = (o: object) => transport.sendText(JSON.stringify({ type: '__test', ...o }));
  const stats = () => askStats(hook, () => messages.map((m) => m.message));
  return { agent, pipeline, mic, statuses, messages, hook, stats };
}

describe('VoiceAgent with audio, against the reference-dialect server (TTS sent faster than real time)', function () {
  this.timeout(30_000);

  it('stays "speaking" until the agent audio has been heard, though the server says "listening" when it stops sending', async () => {
    const s = await session(0);
    await s.agent.connect();
    // The welcome line arrives as a burst; wait until it has played out.
    await until(() => s.statuses.some((x) => x.status === 'speaking'), `welcome speaking (${JSON.stringify(s.statuses)}, suspended ${s.agent.state.audioSuspended})`, 10_000);
    await until(() => s.agent.status === 'listening', 'welcome heard', 15_000);
    const from = s.messages.length;
    const statusesFrom = s.statuses.length;
    s.hook({ do: 'tone', freq: 440, ms: 2000, paced: false });
    await until(() => s.statuses.slice(statusesFrom).some((x) => x.status === 'speaking'), 'speaking');
    await until(() => s.statuses.slice(statusesFrom).some((x) => x.status === 'listening'), 'listening', 8000);
    const spoke = s.statuses.slice(statusesFrom).find((x) => x.status === 'speaking')!.at;
    const heard = s.statuses.slice(statusesFrom).find((x) => x.status === 'listening')!.at;
    const serverListening = s.messages.slice(from).find((m) => m.message.type === 'status' && m.message.status === 'listening');
    const quantum = 128 / s.pipeline.context!.sampleRate;
    await s.agent.disconnect();
    await s.mic.close();
    // The server sends the 2 s as one burst (faster than real time: no underrun): from the first
    // quantum with audio to the first one 200 ms (hangover) after the last, less the resampler's
    // 1.5 ms kernel tail, rounded to render quanta.
    expect(heard - spoke).to.be.within(2.2 - quantum - 0.002, 2.2 + quantum);
    if (serverListening) expect(serverListening.at).to.be.below(heard - 1);
  });

  it('sends the microphone as 640-byte PCM16 frames (the rate: test/audio, on the audio clock); the server receives no odd frame', async () => {
    const s = await session(0.1);
    await s.agent.connect();
    // Until a second of audio has reached the server, however long a loaded machine takes.
    let st = await s.stats();
    for (const start = performance.now(); st.audio_bytes <= 32_000 && performance.now() - start < 10_000; st = await s.stats()) {
      await new Promise((r) => setTimeout(r, 250));
    }
    await s.agent.disconnect();
    await s.mic.close();
    expect(st.odd_frames).to.equal(0);
    expect(st.audio_bytes).to.equal(st.audio_frames * 640);
    expect(st.audio_bytes).to.be.above(32_000);
  });

  it('barge-in: the user talking over the agent stops playback and is reported', async () => {
    const s = await session(0);
    let bargeIns = 0;
    const agent = new VoiceAgent(s.agent.transport, { audio: s.pipeline, onBargeIn: () => bargeIns++ });
    await agent.connect();
    await until(() => agent.status === 'speaking', 'welcome speaking', 10_000);
    await until(() => agent.status === 'listening', 'welcome heard', 15_000);
    // 8 s of agent audio to talk over: WebKit's generated microphone can stall for seconds on a
    // loaded machine, and barge-in only counts while the agent is heard. The reaction time is
    // measured on the audio clock in test/audio/pipeline.test.ts.
    s.hook({ do: 'tone', freq: 440, ms: 8000, paced: false });
    await until(() => agent.status === 'speaking', 'the tone heard', 5000);
    s.mic.gain.gain.value = 0.1;
    await until(() => bargeIns > 0, `barge-in (status ${agent.status}, input level ${agent.state.levels.input.toFixed(3)})`, 7000);
    await until(() => agent.status === 'listening', 'listening after barge-in', 2000);
    await agent.disconnect();
    await s.mic.close();
  });

  it('keeps the screen on while the call is live and lets it go when it ends; keepScreenOn: false never asks', async () => {
    const grants = await wakeLockGranted();
    const mic = toneStream([300], 0);
    const logs: string[] = [];
    const agent = new VoiceAgent(new WebSocketTransport({ url: await wsUrl('documented') }), {
      audio: new WebAudioPipeline({ inputStream: mic.stream }),
      onLog: (line) => logs.push(line),
    });
    expect(agent.screenKeptOn).to.equal(false);
    await agent.connect();
    if (grants) await until(() => agent.screenKeptOn, 'the screen wake lock');
    else await until(() => logs.some((l) => l.includes('wake lock')), 'the refusal, logged');
    expect(agent.status).to.be.oneOf(['listening', 'speaking']); // a refusal costs nothing else
    await agent.disconnect();
    expect(agent.screenKeptOn).to.equal(false);

    const off = new VoiceAgent(new WebSocketTransport({ url: await wsUrl('documented') }), {
      audio: new WebAudioPipeline({ inputStream: mic.stream }),
      keepScreenOn: false,
      onLog: (line) => logs.push(line),
    });
    logs.length = 0;
    await off.connect();
    await new Promise((r) => setTimeout(r, 300));
    expect(off.screenKeptOn).to.equal(false);
    expect(logs.filter((l) => l.includes('wake lock'))).to.deep.equal([]);
    await off.disconnect();

    // A connect that fails lets the lock go too, even one granted after the failure.
    const failed = new VoiceAgent(new WebSocketTransport({ url: 'ws://127.0.0.1:9/ws' }), { audio: new WebAudioPipeline({ inputStream: mic.stream }) });
    await failed.connect().catch(() => {});
    await new Promise((r) => setTimeout(r, 300));
    expect(failed.status).to.equal('ended');
    expect(failed.screenKeptOn).to.equal(false);
    await mic.close();
  });

  it('disconnect releases the microphone it opened and closes the context', async () => {
    const pipeline = new WebAudioPipeline();
    const agent = new VoiceAgent(new WebSocketTransport({ url: await wsUrl('documented') }), { audio: pipeline });
    await agent.connect();
    const track = pipeline.micTrack!;
    const ctx = pipeline.context!;
    expect(track.readyState).to.equal('live');
    expect(agent.status).to.be.oneOf(['listening', 'speaking']);
    await agent.disconnect();
    expect(agent.status).to.equal('ended');
    expect(track.readyState).to.equal('ended');
    expect(ctx.state).to.equal('closed');
  });
});
