// The capture worklet rendered offline: the microphone path's DSP (mix, resample to 16 kHz,
// PCM16 frames) judged on what it sends, deterministic in every engine. (A live microphone
// generated in another AudioContext can stall for many seconds in WebKit on a loaded machine.)
import { expect } from '@open-wc/testing';
import { workletModuleUrl } from '../../src/audio/worklet-module.js';
import { CAPTURE_PROCESSOR, type CaptureProcessorOptions } from '../../src/audio/worklets/messages.js';
import { dB, fromPcm16, peak, power, rms } from '../support/dsp.js';
import { until } from '../support/servers.js';

/** Frames the capture worklet sends for `seconds` of the given tones at `rate`. */
async function capture(rate: number, seconds: number, tones: number[], amp: number): Promise<ArrayBuffer[]> {
  const ctx = new OfflineAudioContext(1, Math.round(rate * seconds), rate);
  await ctx.audioWorklet.addModule(workletModuleUrl());
  const processorOptions: CaptureProcessorOptions = { bus: `capture-${Math.random()}`, frameSamples: 320, sendFrames: true, bargeIn: { enabled: false, threshold: 1, holdMs: 1000 } };
  const node = new AudioWorkletNode(ctx, CAPTURE_PROCESSOR, { numberOfInputs: 1, numberOfOutputs: 1, outputChannelCount: [1], processorOptions });
  const gain = ctx.createGain();
  gain.gain.value = amp;
  for (const f of tones) {
    const o = ctx.createOscillator();
    o.frequency.value = f;
    o.connect(gain);
    o.start();
  }
  gain.connect(node);
  node.connect(ctx.destination);
  const frames: ArrayBuffer[] = [];
  node.port.onmessage = (e: MessageEvent<unknown>) => {
    if (e.data instanceof ArrayBuffer) frames.push(e.data);
  };
  await ctx.startRendering();
  // Every frame made during the render is delivered, however late a loaded main thread gets them.
  const expected = Math.floor((seconds * 16_000 - 64) / 320);
  await until(() => frames.length >= expected, `${expected} frames`, 10_000);
  return frames;
}

describe('capture worklet (offline render)', function () {
  this.timeout(30_000);

  for (const rate of [44_100, 48_000]) {
    it(`${rate / 1000} kHz microphone, 440 Hz + 11 kHz: 440 Hz arrives as 440 Hz, 11 kHz is ≥ 40 dB down, 640-byte frames at 16 kHz`, async () => {
      const frames = await capture(rate, 2, [440, 11_000], 0.2);
      expect(new Set(frames.map((b) => b.byteLength))).to.deep.equal(new Set([640]));
      const x = fromPcm16(frames.slice(5, 95)); // past the filter's onset
      expect(peak(x, 16_000, 420, 460)).to.be.closeTo(440, 2);
      // 11 kHz sampled at 16 kHz would fold to 5 kHz.
      expect(dB(power(x, 16_000, 440) / power(x, 16_000, 5000))).to.be.above(40);
      // Two oscillators at 0.2 sum to 0.4 peak; only 440 Hz (0.2, RMS 0.141) gets through.
      expect(rms(x)).to.be.closeTo(0.2 / Math.SQRT2, 0.005);
    });
  }
});
