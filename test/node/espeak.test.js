// @ts-check
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createEspeakSynthesizer, resample } from '../../server/espeak.js';

/** Goertzel power of `freq` in `x` at `rate`. @param {Int16Array} x @param {number} freq @param {number} rate */
function power(x, freq, rate) {
  const k = (2 * Math.cos((2 * Math.PI * freq) / rate));
  let s1 = 0, s2 = 0;
  for (const v of x) { const s = v + k * s1 - s2; s2 = s1; s1 = s; }
  return s1 * s1 + s2 * s2 - k * s1 * s2;
}

test('resample 22,050 → 16,000 keeps a 1 kHz tone and removes a 10 kHz one (≥ 40 dB)', () => {
  const tone = (f) => Int16Array.from({ length: 22050 }, (_, i) => Math.round(8000 * Math.sin((2 * Math.PI * f * i) / 22050)));
  const low = resample(tone(1000), 22050, 16000);
  const high = resample(tone(10000), 22050, 16000);
  assert.equal(low.length, 16000);
  const pLow = power(low, 1000, 16000);
  const pAlias = power(high, 6000, 16000); // where 10 kHz would fold to
  assert.ok(10 * Math.log10(pLow / pAlias) > 40, `alias only ${10 * Math.log10(pLow / pAlias)} dB down`);
});

test('eSpeak NG speaks a prompt as 16 kHz PCM of plausible length', { skip: !(await createEspeakSynthesizer()) && 'espeak-ng not installed' }, async () => {
  const speak = /** @type {(t: string) => Promise<Int16Array>} */ (await createEspeakSynthesizer());
  const pcm = await speak("Hi! Let's start with your contact details.");
  const seconds = pcm.length / 16000;
  assert.ok(seconds > 1 && seconds < 5, `${seconds} s`);
  const rms = Math.sqrt(pcm.reduce((s, v) => s + v * v, 0) / pcm.length) / 32768;
  assert.ok(rms > 0.01, `rms ${rms}`);
  assert.equal(await speak("Hi! Let's start with your contact details."), pcm, 'repeated prompts come from the cache');
});
