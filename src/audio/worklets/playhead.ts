import { SincResampler } from './resampler.js';

const CHUNK = 2048; // server samples fed to the resampler at a time

/**
 * Queued server PCM16 → the context's rate through one continuous resampler (buffer boundaries
 * are invisible), with fades out of and back into an underrun. Pure arithmetic: no clock, no
 * messages (the playback processor decides when to play).
 */
export class Playhead {
  readonly #resampler: SincResampler;
  readonly #queue: Int16Array[] = [];
  #head = 0; // read offset in queue[0]
  #queued = 0;
  readonly #chunk = new Float32Array(CHUNK);
  readonly #fadeLen: number;
  #gain = 1;

  constructor(inRate: number, outRate: number, fadeLen: number) {
    this.#resampler = new SincResampler(inRate, outRate);
    this.#fadeLen = fadeLen;
  }

  get inRate(): number {
    return this.#resampler.inRate;
  }

  /** Server samples queued, not yet resampled. */
  get queued(): number {
    return this.#queued;
  }

  /** Output samples ready in the resampler. */
  get ready(): number {
    return this.#resampler.available();
  }

  push(samples: Int16Array): void {
    this.#queue.push(samples);
    this.#queued += samples.length;
  }

  /** Forgets everything (interrupt, end of an utterance): the next samples start a new stream. */
  clear(): void {
    this.#queue.length = 0;
    this.#head = this.#queued = 0;
    this.#resampler.reset();
    this.#gain = 1;
  }

  /**
   * Fills `out` as far as the audio goes; returns how many samples that was. Running dry, the
   * last samples fade to zero exactly where the audio ends (one fade length is kept in view
   * ahead), so an underrun starts without a click, and what comes after it fades back in. The
   * resampler is not flushed: after an underrun the stream resumes seamlessly.
   */
  render(out: Float32Array): number {
    const r = this.#resampler;
    const ahead = out.length + this.#fadeLen;
    this.#feed(ahead);
    const avail = r.available();
    const produced = Math.min(out.length, avail);
    r.read(out, 0, produced);
    const dry = this.#queued === 0 && avail < ahead;
    if (dry || this.#gain < 1) {
      const step = dry ? -this.#gain / Math.max(1, avail) : 1 / this.#fadeLen;
      let g = this.#gain;
      for (let i = 0; i < produced; i++) {
        g = Math.min(1, Math.max(0, g + step));
        out[i]! *= g;
      }
      this.#gain = g;
    }
    out.fill(0, produced);
    if (produced < out.length) this.#gain = 0;
    return produced;
  }

  /** Moves queued samples into the resampler until it can produce `need` outputs. */
  #feed(need: number): void {
    const r = this.#resampler;
    while (r.available() < need && this.#queue.length > 0) {
      const head = this.#queue[0]!;
      const n = Math.min(CHUNK, head.length - this.#head);
      const src = head.subarray(this.#head, this.#head + n);
      for (let i = 0; i < n; i++) this.#chunk[i] = src[i]! / 32768;
      r.write(this.#chunk.subarray(0, n));
      this.#head += n;
      this.#queued -= n;
      if (this.#head >= head.length) {
        this.#queue.shift();
        this.#head = 0;
      }
    }
  }
}
