// The playback worklet rendered offline: deterministic checks of gapless, click-free playback
// and of the interrupt fade, independent of the machine's load.
import { expect } from '@open-wc/testing';
import { workletModuleUrl } from '../../src/audio/worklet-module.js';
import { PLAYBACK_PROCESSOR, type PlaybackProcessorOptions } from '../../src/audio/worklets/messages.js';
import { peak, rms, sine, toPcm16 } from '../support/dsp.js';

const RATE = 48_000;
const settle = () => new Promise((r) => setTimeout(r, 150));

async function playbackNode(seconds: number, serverRate = 16_000) {
  const ctx = new OfflineAudioContext(1, Math.round(RATE * seconds), RATE);
  await ctx.audioWorklet.addModule(workletModuleUrl());
  const processorOptions: PlaybackProcessorOptions = { bus: `offline-${Math.random()}`, serverRate, leadMs: 60, hangoverMs: 200, rampMs: 5 };
  const node = new AudioWorkletNode(ctx, PLAYBACK_PROCESSOR, { numberOfInputs: 1, numberOfOutputs: 1, outputChannelCount: [1], processorOptions });
  node.connect(ctx.destination);
  return { ctx, node };
}

/** Posts `pcm` in chunks of the given sizes (cycled), each transferred. */
function post(node: AudioWorkletNode, pcm: Int16Array, sizes: number[]): void {
  for (let i = 0, k = 0; i < pcm.length; k++) {
    const n = sizes[k % sizes.length]!;
    const buf = pcm.slice(i, i + n).buffer;
    node.port.postMessage(buf, [buf]);
    i += n;
  }
}

/** Largest sample-to-sample step: a click or a gap shows up as a step far above the tone's own. */
function maxStep(x: Float32Array, from: number, to: number): number {
  let m = 0;
  for (let i = from + 1; i < to; i++) m = Math.max(m, Math.abs(x[i]! - x[i - 1]!));
  return m;
}

describe('playback worklet (offline render)', () => {
  for (const [name, sizes] of [
    ['steady 20 ms frames', [320]],
    ['irregular bursts', [37, 2000, 1, 555, 8000, 13]],
  ] as const) {
    it(`plays ${name} gaplessly and click-free, at the right pitch and duration`, async () => {
      const { ctx, node } = await playbackNode(1.5);
      const amp = 0.5;
      post(node, toPcm16(sine(440, 16_000, 1, amp)), [...sizes]);
      await settle();
      const out = (await ctx.startRendering()).getChannelData(0);
      const first = out.findIndex((v) => Math.abs(v) > 1e-4);
      let last = out.length - 1;
      while (last > 0 && Math.abs(out[last]!) <= 1e-4) last--;
      expect(first).to.be.within(0, 256);
      expect((last - first) / RATE).to.be.closeTo(1, 0.003);
      // A sine's largest step is 2π·f/rate·A; a seam, gap or click would be far above it.
      // (The first and last 10 ms hold the low-pass filter's onset/offset response.)
      const ideal = ((2 * Math.PI * 440) / RATE) * amp;
      expect(maxStep(out, first + 480, last - 480)).to.be.below(ideal * 1.02);
      expect(peak(out.subarray(first + 2400, last - 2400), RATE, 430, 450)).to.be.closeTo(440, 1);
      expect(rms(out, first + 2400, last - 2400)).to.be.closeTo(amp / Math.SQRT2, 0.01);
    });
  }

  it('plays 24 kHz server audio (config audio_sample_rate) at the right pitch', async () => {
    const { ctx, node } = await playbackNode(1, 24_000);
    post(node, toPcm16(sine(1000, 24_000, 0.5, 0.4)), [480]);
    await settle();
    const out = (await ctx.startRendering()).getChannelData(0);
    expect(peak(out.subarray(4800, 20_000), RATE, 980, 1020)).to.be.closeTo(1000, 1);
  });

  it('interrupt: silent within 10 ms through a fade (no hard cut), and the queue is dropped', async function () {
    const { ctx, node } = await playbackNode(2);
    // Firefox has no OfflineAudioContext.suspend(); the fade is the same code in every engine.
    if (typeof ctx.suspend !== 'function') this.skip();
    const amp = 0.5;
    post(node, toPcm16(sine(440, 16_000, 1.8, amp)), [320]);
    await settle();
    const at = 0.5;
    const suspended = ctx.suspend(at).then(async () => {
      node.port.postMessage({ type: 'interrupt' });
      await settle();
      await ctx.resume();
    });
    const out = (await ctx.startRendering()).getChannelData(0);
    await suspended;
    const cut = Math.round(at * RATE);
    expect(rms(out, cut - 4800, cut)).to.be.above(0.3); // playing before
    const silentFrom = cut + Math.round(0.010 * RATE);
    expect(Math.max(...Array.from(out.subarray(silentFrom)).map(Math.abs))).to.equal(0);
    const ideal = ((2 * Math.PI * 440) / RATE) * amp;
    expect(maxStep(out, cut - 480, silentFrom)).to.be.below(ideal * 1.05);
  });
});
