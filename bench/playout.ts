// Deterministic playout renders, shared by `npm run bench` and test/audio/: the playback worklet
// in an OfflineAudioContext, fed on a schedule of arrival times (a seeded network trace), judged
// by what it outputs. No wall clock anywhere: the same trace renders the same samples.
import { workletModuleUrl } from '../src/audio/worklet-module.js';
import { PLAYBACK_PROCESSOR, type PlaybackCommand, type PlaybackProcessorOptions, type PlaybackReport } from '../src/audio/worklets/messages.js';

export const SERVER_RATE = 16_000;

/** One buffer (or command) reaching the worklet at audio time `at`. */
export interface Delivery {
  at: number;
  data: Int16Array | PlaybackCommand;
}

/** A frame of a paced stream: `media` is its position in the utterance, `at` when it arrives. */
export interface Arrival {
  at: number;
  media: number;
}

/** Small seeded PRNG (mulberry32): the same seed gives the same trace in every engine. */
export function prng(seed: number): () => number {
  let a = seed | 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Network delay of each frame, in seconds. `mobile`: most frames 0–20 ms late, some 20–120 ms,
 * a few 120–350 ms (86 / 12.5 / 1.5 %); `calm`: 0–20 ms.
 */
export type Network = 'mobile' | 'calm';
const PROFILES: Record<Network, [share: number, from: number, to: number][]> = {
  mobile: [[0.86, 0, 0.02], [0.125, 0.02, 0.12], [0.015, 0.12, 0.35]],
  calm: [[1, 0, 0.02]],
};

/**
 * A server sending `seconds` of audio in real time, in `frameMs` frames, from `start` on, over
 * TCP: each frame is delayed by the network, and none overtakes another (head-of-line blocking:
 * a late frame holds back the ones behind it, which then arrive together).
 */
export function pacedTrace(o: { seed: number; seconds: number; network: Network; start?: number; frameMs?: number }): Arrival[] {
  const random = prng(o.seed);
  const frame = (o.frameMs ?? 20) / 1000;
  const start = o.start ?? 0.1;
  const out: Arrival[] = [];
  let last = 0;
  for (let k = 0; k < Math.round(o.seconds / frame); k++) {
    let u = random();
    const v = random();
    let delay = 0;
    for (const [share, from, to] of PROFILES[o.network]) {
      delay = from + v * (to - from);
      if ((u -= share) < 0) break;
    }
    last = Math.max(last, start + k * frame + delay);
    out.push({ at: last, media: k * frame });
  }
  return out;
}

/** A continuous tone cut into frames (so any seam, gap or click is the worklet's). */
export function toneFrames(arrivals: Arrival[], frameMs = 20, freq = 440, amp = 0.3, offset = 0): Delivery[] {
  const n = Math.round((SERVER_RATE * frameMs) / 1000);
  return arrivals.map((a, k) => {
    const pcm = new Int16Array(n);
    for (let i = 0; i < n; i++) pcm[i] = Math.round(amp * 32767 * Math.sin((2 * Math.PI * freq * (offset + k * n + i)) / SERVER_RATE));
    return { at: a.at, data: pcm };
  });
}

export interface Render {
  out: Float32Array;
  rate: number;
  reports: PlaybackReport[];
}

/**
 * Renders the playback worklet for `seconds`, with each delivery handed over at its audio time;
 * `viaPort`: through a second port attached with a `port` command (as the socket worker's is).
 */
export async function renderPlayout(o: { seconds: number; deliveries: Delivery[]; leadMs?: number; maxLeadMs?: number; rate?: number; viaPort?: boolean }): Promise<Render> {
  const rate = o.rate ?? 48_000;
  const ctx = new OfflineAudioContext(1, Math.round(rate * o.seconds), rate);
  await ctx.audioWorklet.addModule(workletModuleUrl());
  const processorOptions: PlaybackProcessorOptions = {
    bus: `offline-${Math.random()}`,
    serverRate: SERVER_RATE,
    leadMs: o.leadMs ?? 60,
    maxLeadMs: o.maxLeadMs ?? 400,
    hangoverMs: 200,
    rampMs: 5,
  };
  const node = new AudioWorkletNode(ctx, PLAYBACK_PROCESSOR, { numberOfInputs: 1, numberOfOutputs: 1, outputChannelCount: [1], processorOptions });
  node.connect(ctx.destination);
  const reports: PlaybackReport[] = [];
  const synced = new Map<number, () => void>();
  node.port.onmessage = (e: MessageEvent<PlaybackReport>) => {
    if (e.data.type === 'sync') synced.get(e.data.id)?.();
    else reports.push(e.data);
  };
  const sync = (id: number) => new Promise<void>((r) => synced.set(id, r));
  let port = node.port;
  if (o.viaPort) {
    const channel = new MessageChannel();
    node.port.postMessage({ type: 'port', port: channel.port2 } satisfies PlaybackCommand, [channel.port2]);
    port = channel.port1;
  }
  for (const d of o.deliveries) {
    if (d.data instanceof Int16Array) {
      const buf = d.data.slice().buffer;
      port.postMessage({ type: 'schedule', at: d.at, data: buf } satisfies PlaybackCommand, [buf]);
    } else port.postMessage({ type: 'schedule', at: d.at, data: d.data } satisfies PlaybackCommand);
  }
  // The last quantum answers a sync: every report is in when it arrives.
  const length = Math.round(rate * o.seconds);
  const end = { type: 'sync', id: 1 } satisfies PlaybackCommand;
  port.postMessage({ type: 'schedule', at: (Math.ceil(length / 128) - 1) * (128 / rate), data: end } satisfies PlaybackCommand);
  const done = sync(1);
  // Rendering must not start before the worklet has every message: an offline render does not
  // stop to handle messages (Chromium, WebKit), so a late one would land mid-render or never.
  const ready = sync(0);
  port.postMessage({ type: 'sync', id: 0 } satisfies PlaybackCommand);
  await ready;
  const out = (await ctx.startRendering()).getChannelData(0);
  await done;
  return { out, rate, reports };
}

export interface Gaps {
  /** Silences of at least 1 ms between the first and the last audible sample. */
  gaps: number;
  silenceMs: number;
  /** Seconds: first and last audible sample. */
  first: number;
  last: number;
}

export function gaps({ out, rate }: Render, from = 0, to = out.length): Gaps {
  const audible = (i: number) => Math.abs(out[i]!) > 1e-3;
  let first = from;
  while (first < to && !audible(first)) first++;
  let last = to - 1;
  while (last > first && !audible(last)) last--;
  let count = 0;
  let silent = 0;
  let run = 0;
  for (let i = first; i <= last; i++) {
    if (!audible(i)) run++;
    else {
      if (run >= rate / 1000) {
        count++;
        silent += run;
      }
      run = 0;
    }
  }
  return { gaps: count, silenceMs: (silent / rate) * 1000, first: first / rate, last: last / rate };
}

/** The lead after each change, in ms, with the audio time of the change. */
export function leads(r: Render): { leadMs: number; at: number }[] {
  return r.reports.flatMap((x) => (x.type === 'lead' ? [{ leadMs: x.leadMs, at: x.at }] : []));
}

/** The `playing` reports (what the status follows). */
export function playing(r: Render): Extract<PlaybackReport, { type: 'playing' }>[] {
  return r.reports.flatMap((x) => (x.type === 'playing' ? [x] : []));
}

/** Largest sample-to-sample step: a click or a cut shows up as a step far above the tone's own. */
export function maxStep(x: Float32Array, from: number, to: number): number {
  let m = 0;
  for (let i = Math.max(1, from); i < to; i++) m = Math.max(m, Math.abs(x[i]! - x[i - 1]!));
  return m;
}
