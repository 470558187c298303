// @ts-check
/**
 * Energy voice-activity detection on the user's microphone audio (PCM16 mono):
 * RMS over 20 ms windows; speech starts after ≥ 300 ms of windows above the
 * threshold, and the utterance ends after 700 ms below it. Time is counted in
 * samples, not wall-clock time, so audio sent faster than real time works too.
 */

/**
 * @typedef {object} VadOptions
 * @property {number} [sampleRate] default 16000
 * @property {number} [threshold] RMS relative to full scale, default 0.02
 * @property {number} [windowMs] default 20
 * @property {number} [minSpeechMs] default 300
 * @property {number} [hangoverMs] default 700
 * @property {(u: {durationMs: number}) => void} onUtterance
 */

export class EnergyVad {
  /** @param {VadOptions} o */
  constructor({ sampleRate = 16_000, threshold = 0.02, windowMs = 20, minSpeechMs = 300, hangoverMs = 700, onUtterance }) {
    this.threshold = threshold;
    this.windowMs = windowMs;
    this.minSpeechMs = minSpeechMs;
    this.hangoverMs = hangoverMs;
    this.onUtterance = onUtterance;
    this.windowSamples = 320;
    this.sum = 0; // sum of squares in the current window
    this.count = 0; // samples in the current window
    this.above = 0; // consecutive loud windows (before speech)
    this.below = 0; // consecutive quiet windows (during speech)
    this.inSpeech = false;
    this.speechWindows = 0;
    this.setSampleRate(sampleRate);
  }

  /** @param {number} rate */
  setSampleRate(rate) {
    this.windowSamples = Math.max(1, Math.round((rate * this.windowMs) / 1000));
    this.reset();
  }

  reset() {
    this.sum = 0;
    this.count = 0;
    this.above = 0;
    this.below = 0;
    this.inSpeech = false;
    this.speechWindows = 0;
  }

  /**
   * Feeds PCM16 little-endian bytes (an even number).
   * @param {Buffer} bytes
   */
  push(bytes) {
    for (let off = 0; off + 1 < bytes.length; off += 2) {
      const s = bytes.readInt16LE(off) / 32768;
      this.sum += s * s;
      if (++this.count === this.windowSamples) {
        this.window(Math.sqrt(this.sum / this.count));
        this.sum = 0;
        this.count = 0;
      }
    }
  }

  /** @param {number} rms */
  window(rms) {
    const loud = rms >= this.threshold;
    if (!this.inSpeech) {
      this.above = loud ? this.above + 1 : 0;
      if (this.above * this.windowMs >= this.minSpeechMs) {
        this.inSpeech = true;
        this.speechWindows = this.above;
        this.below = 0;
      }
      return;
    }
    this.speechWindows++;
    this.below = loud ? 0 : this.below + 1;
    if (this.below * this.windowMs >= this.hangoverMs) {
      const durationMs = (this.speechWindows - this.below) * this.windowMs;
      this.reset();
      this.onUtterance({ durationMs });
    }
  }
}
