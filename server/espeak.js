// @ts-check
/**
 * Real offline speech for the demo: eSpeak NG compiled to WebAssembly (the optional
 * `espeak-ng` npm package, GPL-3.0, used only by this development server, never bundled
 * into the widget). eSpeak writes 22,050 Hz WAV; we resample to PVP's 16 kHz with a
 * windowed-sinc low-pass so nothing above 8 kHz folds back.
 */
import { SAMPLE_RATE } from './speech.js';

const CACHE_LIMIT = 64;
/** @type {Map<string, Int16Array>} prompts repeat (flows loop), synthesis costs ~0.3 s */
const cache = new Map();

/** @returns {Promise<((args: {arguments: string[]}) => Promise<{FS: {readFile(p: string): Uint8Array}}>) | null>} */
async function loadEspeak() {
  try {
    // @ts-expect-error: the package ships no types
    return (await import('espeak-ng')).default;
  } catch {
    return null;
  }
}

/**
 * Resamples PCM16 with a Blackman-windowed sinc (cutoff 0.45 × the lower rate).
 * @param {Int16Array} input @param {number} from @param {number} to
 */
export function resample(input, from, to) {
  if (from === to) return input;
  const ratio = from / to;
  const cutoff = (0.45 * Math.min(from, to)) / from; // cycles per input sample
  const half = 32;
  const out = new Int16Array(Math.floor(input.length / ratio));
  for (let n = 0; n < out.length; n++) {
    const center = n * ratio;
    const first = Math.ceil(center - half);
    let acc = 0;
    let norm = 0;
    for (let k = first; k <= center + half; k++) {
      const t = k - center;
      const w = 0.42 + 0.5 * Math.cos((Math.PI * t) / half) + 0.08 * Math.cos((2 * Math.PI * t) / half);
      const h = t === 0 ? 2 * cutoff : Math.sin(2 * Math.PI * cutoff * t) / (Math.PI * t);
      const c = h * w;
      norm += c;
      if (k >= 0 && k < input.length) acc += c * /** @type {number} */ (input[k]);
    }
    out[n] = Math.max(-32768, Math.min(32767, Math.round(acc / norm)));
  }
  return out;
}

/** Reads the PCM16 mono samples and rate of a canonical WAV file. @param {Uint8Array} wav */
function readWav(wav) {
  const view = new DataView(wav.buffer, wav.byteOffset, wav.byteLength);
  const rate = view.getUint32(24, true);
  let p = 12;
  while (p + 8 <= wav.length) {
    const id = String.fromCharCode(...wav.subarray(p, p + 4));
    const size = view.getUint32(p + 4, true);
    if (id === 'data') return { rate, samples: new Int16Array(wav.slice(p + 8, p + 8 + size).buffer) };
    p += 8 + size + (size % 2);
  }
  throw new Error('eSpeak NG wrote a WAV without data');
}

/**
 * A `synthesize(text)` backed by eSpeak NG, or `null` when the optional package is missing.
 * @param {{voice?: string, wordsPerMinute?: number}} [o]
 * @returns {Promise<((text: string) => Promise<Int16Array>) | null>}
 */
export async function createEspeakSynthesizer({ voice = 'en-us', wordsPerMinute = 165 } = {}) {
  const ESpeakNg = await loadEspeak();
  if (!ESpeakNg) return null;
  return async (text) => {
    const key = `${voice}|${wordsPerMinute}|${text}`;
    const hit = cache.get(key);
    if (hit) return hit;
    // Text goes in as one argv entry: no shell, nothing to escape.
    const es = await ESpeakNg({ arguments: ['-v', voice, '-s', String(wordsPerMinute), '-w', 'out.wav', text.replace(/\s+/g, ' ').trim() || '.'] });
    const { rate, samples } = readWav(es.FS.readFile('out.wav'));
    const pcm = resample(samples, rate, SAMPLE_RATE);
    if (cache.size >= CACHE_LIMIT) cache.delete(/** @type {string} */ (cache.keys().next().value));
    cache.set(key, pcm);
    return pcm;
  };
}
