// @ts-check
/**
 * The agent's voice: PCM16, 16 kHz, mono. `synthesize` is a procedural
 * stand-in for a real text-to-speech engine (swap it through the server's
 * `synthesize` option): a vowel-like harmonic tone, one amplitude bump per
 * syllable, pitch gliding and falling over the sentence, silence at word gaps
 * and punctuation. Deterministic: the same text gives the same samples.
 */

export const SAMPLE_RATE = 16_000;
const MS_PER_CHAR = 60;
const MIN_MS = 400;
const MAX_MS = 6_000;
const PEAK = 0.3;
const FADE_MS = 10;

/** Rough first/second formants (Hz) of the vowels. */
const FORMANTS = /** @type {Record<string, [number, number]>} */ ({
  a: [730, 1090], e: [530, 1840], i: [270, 2290], o: [570, 840], u: [300, 870], y: [270, 2290], _: [500, 1500],
});

/** @param {string} text */
function hash(text) {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return (h >>> 0) / 2 ** 32;
}

/**
 * Splits text into syllables (weight 1, with a vowel) and pauses.
 * @param {string} text
 * @returns {{vowel: string|null, weight: number}[]}
 */
function units(text) {
  /** @type {{vowel: string|null, weight: number}[]} */
  const out = [];
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const groups = word.toLowerCase().match(/[aeiouy]+/g) ?? ['_'];
    for (const g of groups) out.push({ vowel: /** @type {string} */ (g[0]), weight: 1 });
    out.push({ vowel: null, weight: /[.!?…:;]$/.test(word) ? 1.2 : /,$/.test(word) ? 0.6 : 0.25 });
  }
  if (!out.length) out.push({ vowel: '_', weight: 1 });
  return out;
}

/** Applies FADE_MS raised-cosine fades at both ends, in place. @param {Float32Array} x */
function fade(x) {
  const n = Math.min(Math.round((SAMPLE_RATE * FADE_MS) / 1000), Math.floor(x.length / 2));
  for (let i = 0; i < n; i++) {
    const g = 0.5 - 0.5 * Math.cos((Math.PI * i) / n);
    x[i] = /** @type {number} */ (x[i]) * g;
    x[x.length - 1 - i] = /** @type {number} */ (x[x.length - 1 - i]) * g;
  }
}

/** @param {Float32Array} x @param {number} peak fraction of full scale */
function toPcm16(x, peak) {
  let max = 0;
  for (const v of x) max = Math.max(max, Math.abs(v));
  const scale = max > 0 ? (peak * 32767) / max : 0;
  const out = new Int16Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = Math.round(/** @type {number} */ (x[i]) * scale);
  return out;
}

/** Duration of the synthetic speech for a text, in ms. @param {string} text */
export function speechDurationMs(text) {
  return Math.min(MAX_MS, Math.max(MIN_MS, [...text].length * MS_PER_CHAR));
}

/**
 * Speech-like audio for `text`: PCM16 16 kHz mono, peak ≤ 0.3 of full scale.
 * @param {string} text
 * @returns {Promise<Int16Array>}
 */
export async function synthesize(text) {
  const total = Math.round((SAMPLE_RATE * speechDurationMs(text)) / 1000);
  const parts = units(text);
  const weights = parts.reduce((s, u) => s + u.weight, 0);
  const seed = hash(text);
  const question = /\?\s*$/.test(text);
  const x = new Float32Array(total);
  let phase = 0;
  let f0 = 0;
  let start = 0;
  let syllable = 0;
  for (const [index, u] of parts.entries()) {
    const len = index === parts.length - 1 ? total - start : Math.round((total * u.weight) / weights);
    if (u.vowel !== null) {
      const progress = start / total;
      const intonation = question && progress > 0.7 ? 1 + (progress - 0.7) * 1.2 : 1.1 - 0.25 * progress;
      const target = 130 * intonation * (1 + 0.1 * Math.sin(syllable * 1.9 + seed * 6.28));
      if (f0 === 0) f0 = target;
      const [f1, f2] = FORMANTS[u.vowel] ?? FORMANTS._;
      const k = Math.max(1, Math.floor(3800 / (target * 1.15)));
      const gains = Array.from({ length: k }, (_, i) => {
        const f = (i + 1) * target;
        return (1 / (1 + ((f - f1) / 110) ** 2) + 0.7 / (1 + ((f - f2) / 150) ** 2) + 0.05) / Math.sqrt(i + 1);
      });
      const loud = 0.75 + 0.25 * Math.sin(syllable * 2.7 + seed * 12.1);
      for (let n = 0; n < len && start + n < total; n++) {
        f0 += (target - f0) * 0.002; // ~30 ms glide: no pitch jumps
        phase += (2 * Math.PI * f0) / SAMPLE_RATE;
        if (phase > 2 * Math.PI * 1000) phase -= 2 * Math.PI * 1000;
        const env = loud * Math.sin((Math.PI * (n + 0.5)) / len); // 0 at both edges: no clicks
        let s = 0;
        for (let h = 0; h < k; h++) s += /** @type {number} */ (gains[h]) * Math.sin((h + 1) * phase);
        x[start + n] = env * s;
      }
      syllable++;
    }
    start += len;
  }
  fade(x);
  return toPcm16(x, PEAK);
}

/**
 * A sine tone with 10 ms fades (test hook `tone`).
 * @param {number} freq Hz
 * @param {number} ms
 * @param {number} [amplitude] peak, fraction of full scale
 */
export function sineTone(freq, ms, amplitude = 0.3) {
  const x = new Float32Array(Math.max(0, Math.round((SAMPLE_RATE * ms) / 1000)));
  for (let i = 0; i < x.length; i++) x[i] = Math.sin((2 * Math.PI * freq * i) / SAMPLE_RATE);
  fade(x);
  return toPcm16(x, Math.max(0, Math.min(1, amplitude)));
}
