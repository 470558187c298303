// Runs in Chromium under scripts/bench.mjs; each function returns figures, not verdicts.
import { VoiceAgent } from '../src/agent/voice-agent.js';
import { WebAudioPipeline } from '../src/audio/web-audio-pipeline.js';
import { workletModuleUrl } from '../src/audio/worklet-module.js';
import { CAPTURE_PROCESSOR, PLAYBACK_PROCESSOR } from '../src/audio/worklets/messages.js';
import { SincResampler } from '../src/audio/worklets/resampler.js';
import { WebSocketTransport } from '../src/transport/websocket-transport.js';

const RATE = 48_000;

function pcm(seconds: number, rate = 16_000, freq = 440, amp = 0.3): ArrayBuffer {
  const out = new Int16Array(Math.round(seconds * rate));
  for (let i = 0; i < out.length; i++) out[i] = Math.round(amp * 32767 * Math.sin((2 * Math.PI * freq * i) / rate));
  return out.buffer;
}

async function renderMs(seconds: number, build: (ctx: OfflineAudioContext) => Promise<void> | void): Promise<number> {
  const ctx = new OfflineAudioContext(1, RATE * seconds, RATE);
  await ctx.audioWorklet.addModule(workletModuleUrl());
  await build(ctx);
  await new Promise((r) => setTimeout(r, 200));
  const t = performance.now();
  await ctx.startRendering();
  return performance.now() - t;
}

function oscillator(ctx: BaseAudioContext): OscillatorNode {
  const o = ctx.createOscillator();
  o.frequency.value = 440;
  o.start();
  return o;
}

/** Worklet CPU per second of audio: offline render time with the node minus without. */
export async function workletCost(seconds = 30): Promise<{ captureMsPerS: number; playbackMsPerS: number }> {
  const median = async (f: () => Promise<number>) => {
    const runs = [await f(), await f(), await f()].sort((a, b) => a - b);
    return runs[1]!;
  };
  const base = await median(() => renderMs(seconds, (ctx) => void oscillator(ctx).connect(ctx.destination)));
  const capture = await median(() =>
    renderMs(seconds, (ctx) => {
      const node = new AudioWorkletNode(ctx, CAPTURE_PROCESSOR, {
        numberOfInputs: 1, numberOfOutputs: 1, outputChannelCount: [1],
        processorOptions: { bus: 'b', frameSamples: 320, sendFrames: true, levels: true, bargeIn: { enabled: true, threshold: 0.02, holdMs: 150 } },
      });
      oscillator(ctx).connect(node);
      node.connect(ctx.destination);
    }),
  );
  const playback = await median(() =>
    renderMs(seconds, (ctx) => {
      const node = new AudioWorkletNode(ctx, PLAYBACK_PROCESSOR, {
        numberOfInputs: 1, numberOfOutputs: 1, outputChannelCount: [1],
        processorOptions: { bus: 'p', serverRate: 16_000, leadMs: 60, hangoverMs: 200, rampMs: 5 },
      });
      for (let i = 0; i < seconds * 50; i++) {
        const b = pcm(0.02);
        node.port.postMessage(b, [b]);
      }
      node.connect(ctx.destination);
    }),
  );
  return { captureMsPerS: (capture - base) / seconds, playbackMsPerS: (playback - base) / seconds };
}

/** Latency budget from mic to socket: one frame, the resampler's delay, one render quantum. */
export function micToSocket(): { frameMs: number; filterDelayMs: number; quantumMs: number; totalMs: number; rate: number } {
  const rate = new AudioContext().sampleRate;
  const r = new SincResampler(rate, 16_000);
  const filterDelayMs = (r.half / rate) * 1000;
  const quantumMs = (128 / rate) * 1000;
  return { frameMs: 20, filterDelayMs, quantumMs, totalMs: 20 + filterDelayMs + quantumMs, rate };
}

/** Start latency (play() → audible, audio clock) and the timing error of a long burst. */
export async function playbackTiming(burstSeconds = 10): Promise<{ startMs: number[]; outputLatencyMs: number; burstErrorMs: number }> {
  const silent = new AudioContext();
  const dest = silent.createMediaStreamDestination();
  const pipeline = new WebAudioPipeline({ inputStream: dest.stream });
  const playing: { p: boolean; at: number }[] = [];
  await pipeline.start(
    { frame: () => {}, playing: (p) => playing.push({ p, at: pipeline.context!.currentTime }), levels: () => {}, bargeIn: () => {}, suspended: () => {}, fatal: () => {}, error: () => {} },
    new AbortController().signal,
  );
  const ctx = pipeline.context!;
  const waitFor = async (p: boolean, from: number) => {
    while (!playing.slice(from).some((x) => x.p === p)) await new Promise((r) => setTimeout(r, 5));
    return playing.slice(from).find((x) => x.p === p)!.at;
  };
  const startMs: number[] = [];
  for (let i = 0; i < 5; i++) {
    const from = playing.length;
    const t = ctx.currentTime;
    pipeline.play(pcm(0.3));
    startMs.push(((await waitFor(true, from)) - t) * 1000);
    await waitFor(false, from);
  }
  const from = playing.length;
  pipeline.play(pcm(burstSeconds));
  const on = await waitFor(true, from);
  const off = await waitFor(false, from);
  const burstErrorMs = (off - on - 0.2 - burstSeconds) * 1000; // minus the 200 ms hangover
  const outputLatencyMs = ((ctx.outputLatency || 0) + ctx.baseLatency) * 1000;
  await pipeline.close();
  await silent.close();
  return { startMs, outputLatencyMs, burstErrorMs };
}

let live: { agent: VoiceAgent; ctx: AudioContext; transport: WebSocketTransport } | null = null;

/** Starts a real session (mic from an oscillator; the server sends paced agent audio). */
export async function startSession(url: string, seconds: number, watchLevels = false): Promise<void> {
  const ctx = new AudioContext();
  const dest = ctx.createMediaStreamDestination();
  oscillator(ctx).connect(dest);
  const transport = new WebSocketTransport({ url });
  const agent = new VoiceAgent(transport, { audio: new WebAudioPipeline({ inputStream: dest.stream }), bargeIn: { enabled: false } });
  if (watchLevels) agent.watchLevels(); // what an orb on the page asks for
  await agent.connect();
  transport.sendText(JSON.stringify({ type: '__test', do: 'tone', freq: 300, ms: seconds * 1000 + 2000, paced: true }));
  await new Promise((r) => setTimeout(r, 500)); // past the start-up work
  live = { agent, ctx, transport };
}

export async function stopSession(): Promise<{ status: string; inWorker: boolean }> {
  const status = live!.agent.status;
  const inWorker = live!.transport.inWorker;
  await live!.agent.disconnect();
  await live!.ctx.close();
  live = null;
  return { status, inWorker };
}

Object.assign(globalThis, { bench: { workletCost, micToSocket, playbackTiming, startSession, stopSession } });
