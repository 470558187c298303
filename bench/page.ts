// Runs in Chromium under scripts/bench.mjs; each function returns figures, not verdicts.
import { VoiceAgent } from '../src/agent/voice-agent.js';
import { WebAudioPipeline } from '../src/audio/web-audio-pipeline.js';
import { workletModuleUrl } from '../src/audio/worklet-module.js';
import { CAPTURE_PROCESSOR, PLAYBACK_PROCESSOR } from '../src/audio/worklets/messages.js';
import { SincResampler } from '../src/audio/worklets/resampler.js';
import { WebSocketTransport } from '../src/transport/websocket-transport.js';
import { gaps, leads, pacedTrace, playing, renderPlayout, toneFrames, type Arrival, type Network } from './playout.js';

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
        processorOptions: { bus: 'p', serverRate: 16_000, leadMs: 60, maxLeadMs: 400, hangoverMs: 200, rampMs: 5 },
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

/** A live pipeline (silent microphone) whose `playing` reports, audio-clock stamped, can be awaited. */
async function reportingPipeline() {
  const silent = new AudioContext();
  const pipeline = new WebAudioPipeline({ inputStream: silent.createMediaStreamDestination().stream });
  const reports: { p: boolean; at: number; interruptedAt?: number | undefined }[] = [];
  await pipeline.start(
    { frame: () => {}, playing: (p, at, interruptedAt) => reports.push({ p, at, interruptedAt }), levels: () => {}, bargeIn: () => {}, suspended: () => {}, fatal: () => {}, error: () => {} },
    new AbortController().signal,
  );
  /** The audio time of the first report `p` after the `from`-th. */
  const waitFor = async (p: boolean, from: number) => {
    while (!reports.slice(from).some((x) => x.p === p)) await new Promise((r) => setTimeout(r, 5));
    return reports.slice(from).find((x) => x.p === p)!.at;
  };
  const close = async () => {
    await pipeline.close();
    await silent.close();
  };
  return { pipeline, ctx: pipeline.context!, reports, waitFor, close };
}

/** Start latency (play() → audible, audio clock) and the timing error of a long burst. */
export async function playbackTiming(burstSeconds = 10): Promise<{ startMs: number[]; outputLatencyMs: number; burstErrorMs: number }> {
  const { pipeline, ctx, reports: playing, waitFor, close } = await reportingPipeline();
  const startMs: number[] = [];
  for (let i = 0; i < 5; i++) {
    const from = playing.length;
    const t = ctx.currentTime;
    pipeline.play(pcm(0.3));
    startMs.push(((await waitFor(true, from)) - t) * 1000);
    await waitFor(false, from);
    await new Promise((r) => setTimeout(r, 600)); // a new utterance after silence, not the continuation of this one
  }
  const from = playing.length;
  pipeline.play(pcm(burstSeconds));
  const on = await waitFor(true, from);
  const off = await waitFor(false, from);
  const burstErrorMs = (off - on - 0.2 - burstSeconds) * 1000; // minus the 200 ms hangover
  const outputLatencyMs = ((ctx.outputLatency || 0) + ctx.baseLatency) * 1000;
  await close();
  return { startMs, outputLatencyMs, burstErrorMs };
}

/** One paced utterance over a seeded network trace, with a fixed or an adaptive lead. */
export interface PlayoutFigures {
  gaps: number;
  silenceMs: number;
  /** From the last frame's send time + its 20 ms to the last audible sample (includes every gap). */
  endLatencyMs: number;
  /** The lead at the end, and the largest it reached. */
  leadMs: number;
  maxLeadMs: number;
}

async function playoutRun(trace: Arrival[], maxLeadMs: number): Promise<PlayoutFigures> {
  const last = trace.at(-1)!;
  const r = await renderPlayout({ seconds: last.at + 1, deliveries: toneFrames(trace), maxLeadMs });
  const g = gaps(r);
  const l = leads(r).map((x) => x.leadMs);
  const sent = trace[0]!.at - trace[0]!.media + last.media + 0.02; // pacedTrace sends frame k at start + k·20 ms
  return { gaps: g.gaps, silenceMs: g.silenceMs, endLatencyMs: (g.last - sent) * 1000, leadMs: l.at(-1)!, maxLeadMs: Math.max(...l) };
}

/** Fixed 60 ms lead vs adaptive on one seeded trace (offline render, deterministic). */
export async function playout(seed: number, network: Network, seconds = 8): Promise<{ fixed: PlayoutFigures; adaptive: PlayoutFigures }> {
  const trace = pacedTrace({ seed, seconds, network, start: 0.1 });
  return { fixed: await playoutRun(trace, 60), adaptive: await playoutRun(trace, 400) };
}

/** Gap counts over many seeds of the mobile-like network (one 8 s utterance each). */
export async function playoutSeeds(seeds: number): Promise<{ fixed: number[]; adaptive: number[] }> {
  const fixed: number[] = [];
  const adaptive: number[] = [];
  for (let seed = 1; seed <= seeds; seed++) {
    const r = await playout(seed, 'mobile');
    fixed.push(r.fixed.gaps);
    adaptive.push(r.adaptive.gaps);
  }
  return { fixed, adaptive };
}

/**
 * interrupt() → the status leaves "speaking": offline (scheduled at a known audio time: when the
 * report and the silence come) and live (from the audio time read on the main thread at the
 * call to the report's time stamp, in a real AudioContext).
 */
export async function interruptTiming(runs = 5): Promise<{ offlineStatusMs: number; offlineSilentMs: number; liveMs: number[]; landedMs: number[] }> {
  const at = 0.5;
  const tone = toneFrames(Array.from({ length: 50 }, (_, k) => ({ at: 0.01, media: k * 0.02 })));
  const r = await renderPlayout({ seconds: 1, deliveries: [...tone, { at, data: { type: 'interrupt' } }] });
  const off = playing(r).find((x) => !x.playing)!.at;
  let silent = r.out.length;
  while (silent > 0 && r.out[silent - 1] === 0) silent--;

  const { pipeline, ctx, reports, waitFor: until, close } = await reportingPipeline();
  const liveMs: number[] = [];
  const landedMs: number[] = [];
  for (let i = 0; i < runs; i++) {
    const from = reports.length;
    pipeline.play(pcm(2));
    await until(true, from);
    await new Promise((res) => setTimeout(res, 300));
    const asked = ctx.currentTime;
    pipeline.interrupt();
    const off = await until(false, from);
    liveMs.push((off - asked) * 1000);
    landedMs.push((reports.at(-1)!.interruptedAt! - asked) * 1000);
  }
  await close();
  return { offlineStatusMs: (off - at) * 1000, offlineSilentMs: (silent / r.rate - at) * 1000, liveMs, landedMs };
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

Object.assign(globalThis, { bench: { workletCost, micToSocket, playbackTiming, playout, playoutSeeds, interruptTiming, startSession, stopSession } });
