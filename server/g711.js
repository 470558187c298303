// @ts-check
/**
 * G.711 µ-law (PCMU) for the WebRTC media track, and the 8 kHz ↔ 16 kHz
 * resampling around it. Every browser's WebRTC supports PCMU; it needs no
 * codec library (the development server has no Opus encoder).
 */

const BIAS = 0x84;
const CLIP = 32635;

/** µ-law byte → linear PCM16 sample. */
const DECODE = new Int16Array(256);
for (let i = 0; i < 256; i++) {
  const u = ~i & 0xff;
  const exponent = (u >> 4) & 0x07;
  const mantissa = u & 0x0f;
  const magnitude = (((mantissa << 3) + BIAS) << exponent) - BIAS;
  DECODE[i] = u & 0x80 ? -magnitude : magnitude;
}

/**
 * Linear PCM16 sample → µ-law byte.
 * @param {number} sample
 */
export function linearToMulaw(sample) {
  let s = Math.max(-32768, Math.min(32767, Math.round(sample)));
  const sign = s < 0 ? 0x80 : 0;
  if (s < 0) s = -s;
  if (s > CLIP) s = CLIP;
  s += BIAS;
  let exponent = 7;
  for (let mask = 0x4000; (s & mask) === 0 && exponent > 0; mask >>= 1) exponent--;
  const mantissa = (s >> (exponent + 3)) & 0x0f;
  return ~(sign | (exponent << 4) | mantissa) & 0xff;
}

/** @param {number} byte µ-law @returns {number} PCM16 sample */
export const mulawToLinear = (byte) => /** @type {number} */ (DECODE[byte & 0xff]);

/**
 * 16 kHz PCM16 samples → 8 kHz µ-law bytes (a 3-tap low-pass, then every
 * second sample). `prev` is the sample before `pcm` (for the filter).
 * @param {Int16Array} pcm an even number of samples
 * @param {number} [prev]
 * @returns {Buffer} pcm.length / 2 bytes
 */
export function encodeMulaw8k(pcm, prev = 0) {
  const out = Buffer.alloc(pcm.length >> 1);
  for (let i = 0; i < out.length; i++) {
    const a = i === 0 ? prev : /** @type {number} */ (pcm[2 * i - 1]);
    const b = /** @type {number} */ (pcm[2 * i]);
    const c = /** @type {number} */ (pcm[2 * i + 1]);
    out[i] = linearToMulaw((a + 2 * b + c) / 4);
  }
  return out;
}

/**
 * 8 kHz µ-law bytes → 16 kHz PCM16 little-endian bytes (linear interpolation).
 * `prev` is the last decoded sample of the previous packet.
 * @param {Buffer} mulaw
 * @param {number} [prev]
 * @returns {{pcm: Buffer, last: number}} pcm: mulaw.length × 4 bytes
 */
export function decodeMulaw16k(mulaw, prev = 0) {
  const pcm = Buffer.alloc(mulaw.length * 4);
  let last = prev;
  for (let i = 0; i < mulaw.length; i++) {
    const s = mulawToLinear(/** @type {number} */ (mulaw[i]));
    pcm.writeInt16LE(Math.round((last + s) / 2), 4 * i);
    pcm.writeInt16LE(s, 4 * i + 2);
    last = s;
  }
  return { pcm, last };
}
