// @ts-check
/**
 * Sends PCM16 audio to a client as binary WebSocket frames, either paced in
 * real time (20 ms / 640-byte frames on a drift-free schedule: frame i is due
 * at start + i × 20 ms, whatever the timer jitter) or unpaced (1,280-byte
 * frames, all at once, as the reference backend does).
 */
import { endianness } from 'node:os';

export const PACED_FRAME_BYTES = 640; // 20 ms at 16 kHz mono PCM16
export const UNPACED_FRAME_BYTES = 1280; // 40 ms
const BYTES_PER_MS = 32; // 16,000 samples/s × 2 bytes

/** PCM16 little-endian bytes of the samples. @param {Int16Array} pcm */
export function pcmBytes(pcm) {
  const bytes = Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength);
  return endianness() === 'LE' ? bytes : Buffer.from(bytes).swap16();
}

/**
 * @param {(frame: Buffer) => boolean} sendFrame returns false when the socket is gone
 * @param {Int16Array} pcm
 * @param {{paced: boolean}} options
 * @returns {{done: Promise<boolean>, cancel: () => void}} done: true when every frame was sent
 */
export function sendAudio(sendFrame, pcm, { paced }) {
  const bytes = pcmBytes(pcm);
  if (!paced) {
    let ok = true;
    for (let off = 0; off < bytes.length && ok; off += UNPACED_FRAME_BYTES)
      ok = sendFrame(bytes.subarray(off, off + UNPACED_FRAME_BYTES));
    return { done: Promise.resolve(ok), cancel: () => {} };
  }
  const frameMs = PACED_FRAME_BYTES / BYTES_PER_MS;
  const frames = Math.ceil(bytes.length / PACED_FRAME_BYTES);
  const start = performance.now();
  /** @type {NodeJS.Timeout|undefined} */
  let timer;
  /** @type {(ok: boolean) => void} */
  let finish = () => {};
  const done = new Promise((resolve) => {
    let settled = false;
    finish = (ok) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(ok);
    };
  });
  let next = 0;
  const tick = () => {
    // Send every frame that is due (catches up after a late timer).
    while (next < frames && performance.now() >= start + next * frameMs) {
      const off = next * PACED_FRAME_BYTES;
      if (!sendFrame(bytes.subarray(off, off + PACED_FRAME_BYTES))) return finish(false);
      next++;
    }
    if (next >= frames) {
      // The last frame's 20 ms play out before the sender calls it done.
      timer = setTimeout(() => finish(true), Math.max(0, start + frames * frameMs - performance.now()));
      return;
    }
    timer = setTimeout(tick, Math.max(0, start + next * frameMs - performance.now()));
  };
  tick();
  return { done, cancel: () => finish(false) };
}
