// Writes the fake-microphone WAV Chromium plays: 440 Hz plus 11 kHz at equal amplitude.
// 440 Hz must arrive at 16 kHz as 440 Hz; 11 kHz must be filtered out, not fold back to 5 kHz.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const MIC_TONES = { low: 440, high: 11_000, amplitude: 0.2, rate: 48_000 };

export function wav(samples, rate) {
  const data = Buffer.alloc(samples.length * 2);
  samples.forEach((s, i) => data.writeInt16LE(Math.round(Math.max(-1, Math.min(1, s)) * 32767), i * 2));
  const h = Buffer.alloc(44);
  h.write('RIFF', 0); h.writeUInt32LE(36 + data.length, 4); h.write('WAVE', 8);
  h.write('fmt ', 12); h.writeUInt32LE(16, 16); h.writeUInt16LE(1, 20); h.writeUInt16LE(1, 22);
  h.writeUInt32LE(rate, 24); h.writeUInt32LE(rate * 2, 28); h.writeUInt16LE(2, 32); h.writeUInt16LE(16, 34);
  h.write('data', 36); h.writeUInt32LE(data.length, 40);
  return Buffer.concat([h, data]);
}

export function writeFixtures(dir = resolve('.tmp/fixtures')) {
  mkdirSync(dir, { recursive: true });
  const { low, high, amplitude, rate } = MIC_TONES;
  // Exactly 1 s: both tones complete whole cycles, so the loop has no seam.
  const samples = Array.from({ length: rate }, (_, i) =>
    amplitude * (Math.sin((2 * Math.PI * low * i) / rate) + Math.sin((2 * Math.PI * high * i) / rate)));
  const micWav = join(dir, 'mic-440-11000.wav');
  writeFileSync(micWav, wav(samples, rate));
  return { micWav };
}
