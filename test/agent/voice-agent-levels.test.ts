// Live levels cost a main-thread task each (~30 a second): the agent measures them out of the
// audio thread only while something shows them (an orb, a meter), and the page pays nothing else.
import { expect } from '@open-wc/testing';
import { VoiceAgent } from '../../src/agent/voice-agent.js';
import { WebAudioPipeline } from '../../src/audio/web-audio-pipeline.js';
import { PrepatuSession } from '../../src/elements/prepatu-session.js';
import { PrepatuOrb } from '../../src/elements/prepatu-orb.js';
import type { AudioLevels, AudioPipelineEvents } from '../../src/audio/types.js';
import { WebSocketTransport } from '../../src/transport/websocket-transport.js';
import { toneStream } from '../support/dsp.js';
import { until, wsUrl } from '../support/servers.js';

PrepatuSession.define();
PrepatuOrb.define();

/** The real pipeline, keeping the events it reports to the agent through (to replay a late report). */
class KeptEventsPipeline extends WebAudioPipeline {
  events: AudioPipelineEvents | null = null;
  override start(events: AudioPipelineEvents, signal: AbortSignal, options?: { capture?: boolean }): Promise<void> {
    this.events = events;
    return super.start(events, signal, options);
  }
}

describe('Live levels, only while watched', function () {
  this.timeout(20_000);

  it('state.levels stays still without a watcher, follows the mic with one, and stops again', async () => {
    const mic = toneStream([300], 0.1);
    const agent = new VoiceAgent(new WebSocketTransport({ url: await wsUrl('documented') }), {
      audio: new WebAudioPipeline({ inputStream: mic.stream, bargeIn: { enabled: false } }),
    });
    const seen: AudioLevels[] = [];
    agent.subscribe((s) => {
      if (seen.at(-1) !== s.levels) seen.push(s.levels);
    });
    await agent.connect();
    await new Promise((r) => setTimeout(r, 700));
    expect(seen.every((l) => l.input === 0 && l.output === 0)).to.equal(true);

    const stop = agent.watchLevels();
    await until(() => agent.state.levels.input > 0.01, `a mic level (${agent.state.levels.input})`, 8000);
    stop();
    expect(agent.state.levels).to.deep.equal({ input: 0, output: 0 });
    const after = seen.length;
    await new Promise((r) => setTimeout(r, 500));
    expect(seen.length).to.equal(after);
    await agent.disconnect();
    await mic.close();
  });

  it('a level report still on its way from the audio thread when the last watcher leaves is not shown', async () => {
    const mic = toneStream([300], 0.1);
    const audio = new KeptEventsPipeline({ inputStream: mic.stream, bargeIn: { enabled: false } });
    const agent = new VoiceAgent(new WebSocketTransport({ url: await wsUrl('documented') }), { audio });
    await agent.connect();
    const stop = agent.watchLevels();
    await until(() => agent.state.levels.input > 0.01, `a mic level (${agent.state.levels.input})`, 8000);
    stop();
    // What the capture worklet posted just before it was told to stop arrives after stop().
    audio.events!.levels({ input: 0.2, output: 0 }, 0);
    expect(agent.state.levels).to.deep.equal({ input: 0, output: 0 });
    await agent.disconnect();
    await mic.close();
  });

  it('an orb inside the session watches the levels while it is in the page', async () => {
    const host = document.createElement('div');
    host.innerHTML = `<prepatu-session ws-url="${await wsUrl('documented')}"><prepatu-orb></prepatu-orb></prepatu-session>`;
    document.body.append(host);
    const session = host.querySelector('prepatu-session')!;
    const orb = host.querySelector('prepatu-orb')!;
    await session.connect();
    // The engine's fake microphone (Chromium: a WAV; Firefox: a sine; WebKit: a hum).
    await until(() => session.state.levels.input > 0.005, `a mic level (${session.state.levels.input})`, 8000);
    orb.remove();
    await until(() => session.state.levels.input === 0, 'levels back to zero once no orb shows them');
    await session.disconnect();
    host.remove();
  });
});
