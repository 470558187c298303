// Signal measurements for the audio tests: Goertzel power, spectral peak search, tone makers.

/** Power of `freq` in `x` (sampled at `rate`), Hann-windowed, normalised so a sine of amplitude A gives ≈ A²/4·… (use ratios). */
export function power(x: ArrayLike<number>, rate: number, freq: number): number {
  const n = x.length;
  const w = (2 * Math.PI * freq) / rate;
  const coeff = 2 * Math.cos(w);
  let s1 = 0;
  let s2 = 0;
  for (let i = 0; i < n; i++) {
    const hann = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / (n - 1));
    const s0 = x[i]! * hann + coeff * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  return (s1 * s1 + s2 * s2 - coeff * s1 * s2) / (n * n);
}

/** Frequency of the strongest component between `lo` and `hi`, searched in `step` Hz. */
export function peak(x: ArrayLike<number>, rate: number, lo: number, hi: number, step = 0.25): number {
  let best = lo;
  let bestP = -1;
  for (let f = lo; f <= hi; f += step) {
    const p = power(x, rate, f);
    if (p > bestP) {
      bestP = p;
      best = f;
    }
  }
  return best;
}

export const dB = (ratio: number): number => 10 * Math.log10(ratio);

export function sine(freq: number, rate: number, seconds: number, amp = 0.5, phase = 0): Float32Array {
  const out = new Float32Array(Math.round(rate * seconds));
  for (let i = 0; i < out.length; i++) out[i] = amp * Math.sin(phase + (2 * Math.PI * freq * i) / rate);
  return out;
}

export function toPcm16(x: Float32Array): Int16Array {
  const out = new Int16Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = Math.round(Math.max(-1, Math.min(1, x[i]!)) * 32767);
  return out;
}

export function fromPcm16(buffers: ArrayBuffer[]): Float32Array {
  const total = buffers.reduce((n, b) => n + b.byteLength / 2, 0);
  const out = new Float32Array(total);
  let o = 0;
  for (const b of buffers) {
    const v = new Int16Array(b);
    for (let i = 0; i < v.length; i++) out[o++] = v[i]! / 32768;
  }
  return out;
}

export function rms(x: ArrayLike<number>, from = 0, to = x.length): number {
  let s = 0;
  for (let i = from; i < to; i++) s += x[i]! * x[i]!;
  return Math.sqrt(s / Math.max(1, to - from));
}

/** A generated microphone: oscillators → MediaStream, in its own AudioContext. */
export function toneStream(freqs: number[], amp: number): { stream: MediaStream; gain: GainNode; ctx: AudioContext; close(): Promise<void> } {
  const ctx = new AudioContext();
  const gain = ctx.createGain();
  gain.gain.value = amp;
  const dest = ctx.createMediaStreamDestination();
  gain.connect(dest);
  const oscs = freqs.map((f) => {
    const o = ctx.createOscillator();
    o.frequency.value = f;
    o.connect(gain);
    o.start();
    return o;
  });
  return {
    stream: dest.stream,
    gain,
    ctx,
    close: async () => {
      for (const o of oscs) o.stop();
      for (const t of dest.stream.getTracks()) t.stop();
      await ctx.close();
    },
  };
}
