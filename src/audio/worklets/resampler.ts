/**
 * Streaming windowed-sinc resampler for any pair of rates (non-integer ratios included).
 *
 * Why a sinc and not linear interpolation: capture goes from 44.1/48 kHz to 16 kHz, and
 * everything between 8 kHz and the input Nyquist would otherwise fold back into the speech
 * band. The kernel is a low-pass at `cutoffHz` (−6 dB point, default 45 % of the lower rate,
 * i.e. 7.2 kHz for 16 kHz) shaped by a Kaiser window (β = 8.6, ≈ −86 dB side lobes), tabulated
 * for 512 fractional phases so the per-sample work is one dot product.
 *
 * Pure arithmetic, no DOM: runs in the AudioWorklet scope, in Node and in tests alike.
 */
export interface ResamplerOptions {
  /** Low-pass cut-off; default 45 % of min(inRate, outRate). */
  cutoffHz?: number;
  /** Sinc zero crossings on each side of the centre (kernel length). Default 20. */
  zeroCrossings?: number;
}

const PHASES = 512;
const BETA = 8.6;
const RING = 1 << 15; // input history; callers never write more than RING / 2 at once

function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  for (let k = 1; k < 40; k++) {
    term *= (x / (2 * k)) ** 2;
    sum += term;
    if (term < 1e-12 * sum) break;
  }
  return sum;
}

export class SincResampler {
  readonly inRate: number;
  readonly outRate: number;
  /** Input samples per output sample. */
  readonly step: number;
  /** Half the kernel length, in input samples: also the added latency. */
  readonly half: number;
  readonly #taps: number;
  readonly #table: Float32Array;
  readonly #ring = new Float32Array(RING);
  /** Absolute count of input samples written. */
  #written = 0;
  /** Absolute input position of the next output sample. */
  #pos = 0;

  constructor(inRate: number, outRate: number, options: ResamplerOptions = {}) {
    if (!(inRate > 0 && outRate > 0)) throw new RangeError(`bad sample rates ${inRate} → ${outRate}`);
    this.inRate = inRate;
    this.outRate = outRate;
    this.step = inRate / outRate;
    const cutoff = Math.min(options.cutoffHz ?? 0.45 * Math.min(inRate, outRate), 0.5 * Math.min(inRate, outRate));
    const fc = cutoff / inRate; // normalised to the input rate
    const zc = options.zeroCrossings ?? 20;
    this.half = Math.ceil(zc / (2 * fc));
    this.#taps = 2 * this.half;
    this.#table = new Float32Array((PHASES + 1) * this.#taps);
    const i0Beta = besselI0(BETA);
    for (let p = 0; p <= PHASES; p++) {
      const frac = p / PHASES;
      let sum = 0;
      const row = p * this.#taps;
      for (let j = 0; j < this.#taps; j++) {
        const d = j - this.half + 1 - frac; // distance from the output instant, in input samples
        const x = (2 * fc * d) * Math.PI;
        const sinc = x === 0 ? 1 : Math.sin(x) / x;
        const w = Math.abs(d) >= this.half ? 0 : besselI0(BETA * Math.sqrt(1 - (d / this.half) ** 2)) / i0Beta;
        const h = 2 * fc * sinc * w;
        this.#table[row + j] = h;
        sum += h;
      }
      // Unity gain at DC for every phase: no amplitude ripple at the frame rate.
      for (let j = 0; j < this.#taps; j++) this.#table[row + j]! /= sum;
    }
  }

  /** Appends input samples (at most 16 384 at a time). */
  write(input: ArrayLike<number>, scale = 1): void {
    const n = input.length;
    let w = this.#written;
    for (let i = 0; i < n; i++) this.#ring[(w + i) & (RING - 1)] = input[i]! * scale;
    w += n;
    this.#written = w;
  }

  /** How many output samples can be produced from what was written. */
  available(): number {
    const last = this.#written - this.half - 1; // the last position whose kernel is complete
    return last < this.#pos ? 0 : Math.floor((last - this.#pos) / this.step) + 1;
  }

  /** Produces `count` samples (≤ `available()`) into `out` from `offset`. */
  read(out: Float32Array, offset: number, count: number): void {
    const taps = this.#taps;
    const table = this.#table;
    const ring = this.#ring;
    let pos = this.#pos;
    for (let n = 0; n < count; n++) {
      const i0 = Math.floor(pos);
      const row = Math.round((pos - i0) * PHASES) * taps;
      const start = i0 - this.half + 1;
      let acc = 0;
      for (let j = 0; j < taps; j++) acc += ring[(start + j) & (RING - 1)]! * table[row + j]!;
      out[offset + n] = acc;
      pos += this.step;
    }
    this.#pos = pos;
  }

  /** Forgets everything written (after an interrupt): the next write starts a new stream. */
  reset(): void {
    this.#ring.fill(0);
    this.#written = 0;
    this.#pos = 0;
  }
}
