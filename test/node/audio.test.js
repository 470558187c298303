// @ts-check
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sineTone, synthesize } from '../../server/speech.js';
import { EnergyVad } from '../../server/vad.js';
import { pcmTone } from './helpers.js';

describe('synthetic speech', () => {
  test('~60 ms per character, capped at 6 s; peak ≤ 0.3; silent ends; deterministic', async () => {
    const short = await synthesize('Hello there, how are you?');
    assert.equal(short.length, 25 * 60 * 16);
    const long = await synthesize('x'.repeat(500));
    assert.equal(long.length, 6 * 16000);
    let peak = 0;
    for (const v of short) peak = Math.max(peak, Math.abs(v));
    assert.ok(peak <= 0.3 * 32767 + 1 && peak > 0.25 * 32767, `peak ${peak / 32767}`);
    assert.equal(short[0], 0);
    assert.equal(short.at(-1), 0);
    assert.deepEqual(await synthesize('Hello there, how are you?'), short);
  });

  test('speech-like: it has syllable-rate loudness changes, not a steady tone', async () => {
    const pcm = await synthesize('Welcome! Let us set up your account. What is your name?');
    const rms = [];
    for (let i = 0; i + 320 <= pcm.length; i += 320) {
      let s = 0;
      for (let j = i; j < i + 320; j++) s += (/** @type {number} */ (pcm[j]) / 32768) ** 2;
      rms.push(Math.sqrt(s / 320));
    }
    const quiet = rms.filter((r) => r < 0.01).length;
    const loud = rms.filter((r) => r > 0.05).length;
    assert.ok(quiet > rms.length * 0.1 && loud > rms.length * 0.3, `quiet ${quiet}, loud ${loud} of ${rms.length} windows`);
  });

  test('sineTone has the asked length and amplitude', () => {
    const t = sineTone(1000, 250, 0.5);
    assert.equal(t.length, 4000);
    assert.ok(Math.abs(Math.max(...t) / 32767 - 0.5) < 0.01);
  });
});

describe('energy VAD', () => {
  /** @param {Buffer[]} chunks @param {number} [threshold] */
  function run(chunks, threshold) {
    /** @type {number[]} */
    const got = [];
    const vad = new EnergyVad({ threshold, onUtterance: (u) => got.push(u.durationMs) });
    for (const c of chunks) vad.push(c);
    return got;
  }

  test('≥ 300 ms of speech then 700 ms of silence is one utterance', () => {
    assert.deepEqual(run([pcmTone(500, 0.3), Buffer.alloc(32 * 700)]), [500]);
  });

  test('too short, or not followed by enough silence: nothing', () => {
    assert.deepEqual(run([pcmTone(200, 0.3), Buffer.alloc(32 * 1000)]), []);
    assert.deepEqual(run([pcmTone(500, 0.3), Buffer.alloc(32 * 600)]), []);
  });

  test('below the threshold: nothing; the threshold is configurable', () => {
    const quiet = [pcmTone(1000, 0.02), Buffer.alloc(32 * 800)]; // rms ≈ 0.014
    assert.deepEqual(run(quiet), []);
    assert.equal(run(quiet, 0.01).length, 1);
  });

  test('frame boundaries do not matter (odd sample splits included)', () => {
    const all = Buffer.concat([pcmTone(400, 0.3), Buffer.alloc(32 * 800), pcmTone(400, 0.3), Buffer.alloc(32 * 800)]);
    /** @type {Buffer[]} */
    const chunks = [];
    for (let off = 0; off < all.length; off += 258) chunks.push(all.subarray(off, off + 258));
    assert.equal(run(chunks).length, 2);
  });
});
