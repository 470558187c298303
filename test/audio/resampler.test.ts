import { expect } from '@open-wc/testing';
import { SincResampler } from '../../src/audio/worklets/resampler.js';
import { dB, peak, power, rms, sine } from '../support/dsp.js';

function resample(x: Float32Array, from: number, to: number, chunk = 128): Float32Array {
  const r = new SincResampler(from, to);
  const out: number[] = [];
  const buf = new Float32Array(4096);
  for (let i = 0; i < x.length; i += chunk) {
    r.write(x.subarray(i, i + chunk));
    const n = r.available();
    for (let done = 0; done < n; ) {
      const k = Math.min(buf.length, n - done);
      r.read(buf, 0, k);
      out.push(...buf.subarray(0, k));
      done += k;
    }
  }
  return Float32Array.from(out);
}

describe('SincResampler (the capture and playback resampler)', () => {
  for (const rate of [16_000, 22_050, 32_000, 44_100, 48_000, 96_000]) {
    it(`${rate} Hz → 16 kHz: 440 Hz stays 440 Hz, the length is exact, the level is kept`, () => {
      const y = resample(sine(440, rate, 2, 0.5), rate, 16_000);
      // Only the kernel's latency (half its length) is still inside the resampler.
      const latency = new SincResampler(rate, 16_000).half / (rate / 16_000);
      expect(32_000 - y.length).to.be.within(0, latency + 1);
      const steady = y.subarray(1600, 30_400);
      expect(peak(steady, 16_000, 420, 460)).to.be.closeTo(440, 2);
      expect(rms(steady)).to.be.closeTo(0.5 / Math.SQRT2, 0.01);
    });
  }

  for (const [rate, tone] of [
    [44_100, 11_000],
    [48_000, 11_000],
    [48_000, 9_000],
    [96_000, 20_000],
    [32_000, 12_000],
  ] as const) {
    it(`${rate} Hz → 16 kHz: a ${tone} Hz tone is attenuated ≥ 40 dB instead of folding back`, () => {
      const x = sine(440, rate, 1, 0.3);
      const hi = sine(tone, rate, 1, 0.3);
      for (let i = 0; i < x.length; i++) x[i]! += hi[i]!;
      const y = resample(x, rate, 16_000).subarray(800, 15_200);
      const alias = Math.abs(16_000 - (tone % 16_000)) % 16_000;
      const folded = alias > 8000 ? 16_000 - alias : alias;
      expect(dB(power(y, 16_000, 440) / power(y, 16_000, folded))).to.be.above(40);
    });
  }

  it('16 kHz → 48 kHz and 44.1 kHz: chunking does not change a single sample (no seams)', () => {
    for (const to of [48_000, 44_100]) {
      const x = sine(1000, 16_000, 0.5, 0.5);
      const whole = resample(x, 16_000, to, x.length);
      const chunked = resample(x, 16_000, to, 320);
      expect(chunked.length).to.equal(whole.length);
      let maxDiff = 0;
      for (let i = 0; i < whole.length; i++) maxDiff = Math.max(maxDiff, Math.abs(whole[i]! - chunked[i]!));
      expect(maxDiff).to.be.below(1e-6);
    }
  });

  it('upsampled speech-band tones keep their frequency and carry no image above 8 kHz', () => {
    const y = resample(sine(3000, 16_000, 1, 0.5), 16_000, 48_000).subarray(2400, 45_600);
    expect(peak(y, 48_000, 2950, 3050, 1)).to.be.closeTo(3000, 2);
    expect(dB(power(y, 48_000, 3000) / power(y, 48_000, 13_000))).to.be.above(60);
  });
});
