// @ts-check
/**
 * The agent's voice in one session: `status speaking`, the assistant
 * transcript, the audio, `status listening`. One utterance at a time: a new
 * one cancels the one in progress, and so does a state transition.
 */
import { randomUUID } from 'node:crypto';
import { sendAudio } from './audio-out.js';

export class Speaker {
  /**
   * @param {object} o
   * @param {(msg: Record<string, unknown>) => void} o.send
   * @param {(frame: Buffer) => boolean} o.sendFrame
   * @param {boolean} o.paced real-time audio (documented) or as fast as possible (reference)
   * @param {boolean} o.isFinal add `is_final: true` to transcripts (reference)
   * @param {(text: string) => Promise<Int16Array>} o.synthesize
   * @param {(text: string) => void} [o.onTurnEnd] after a whole utterance went out (`status listening`)
   */
  constructor({ send, sendFrame, paced, isFinal, synthesize, onTurnEnd }) {
    this.send = send;
    this.sendFrame = sendFrame;
    this.paced = paced;
    this.isFinal = isFinal;
    this.synthesize = synthesize;
    this.onTurnEnd = onTurnEnd;
    /** Token of the utterance in progress (0: none). */
    this.active = 0;
    this.seq = 0;
    /** @type {{cancel: () => void}|null} audio being sent */
    this.job = null;
    /** performance.now() until which unpaced audio is (presumably) still playing on the client */
    this.busyUntil = 0;
    /** @type {(() => void)[]} */
    this.idleWaiters = [];
  }

  /** True while the agent talks (half-duplex: the mic is ignored meanwhile). */
  isBusy() {
    return this.active !== 0 || performance.now() < this.busyUntil;
  }

  /**
   * Says `text`. Resolves true when all of it was sent, false when cancelled.
   * @param {string} text
   */
  async speak(text) {
    const token = this.begin();
    /** @type {Int16Array} */
    let pcm;
    try {
      pcm = await this.synthesize(text);
    } catch (e) {
      if (this.active === token) {
        this.active = 0;
        this.flushIdle();
      }
      throw e;
    }
    if (this.active !== token) return false;
    return this.play(token, pcm, text, this.paced);
  }

  /**
   * Plays raw audio (test tones) as the agent, without a transcript.
   * @param {Int16Array} pcm
   * @param {boolean} paced
   */
  playRaw(pcm, paced) {
    return this.play(this.begin(), pcm, null, paced);
  }

  /** Cancels quietly what is in progress and takes a new token. */
  begin() {
    this.cancel(true);
    this.active = ++this.seq;
    return this.active;
  }

  /**
   * @param {number} token
   * @param {Int16Array} pcm
   * @param {string|null} text
   * @param {boolean} paced
   */
  async play(token, pcm, text, paced) {
    this.send({ type: 'status', status: 'speaking' });
    if (text !== null)
      this.send({ type: 'transcript', id: randomUUID(), role: 'assistant', text, ...(this.isFinal ? { is_final: true } : {}) });
    // Unpaced audio plays on the client long after it was sent: stay deaf until then.
    this.busyUntil = paced ? 0 : performance.now() + pcm.length / 16;
    const job = sendAudio(this.sendFrame, pcm, { paced });
    this.job = job;
    const ok = await job.done;
    if (this.active !== token) return false;
    this.active = 0;
    this.job = null;
    this.send({ type: 'status', status: 'listening' });
    if (ok && text !== null) this.onTurnEnd?.(text);
    this.flushIdle();
    return ok;
  }

  /**
   * Stops the utterance in progress. Unless `quiet` (a new utterance follows
   * at once), tells the client the agent stopped (`status listening`).
   * @param {boolean} [quiet]
   */
  cancel(quiet = false) {
    if (!this.active) return false;
    const wasSending = this.job !== null;
    this.active = 0;
    this.job?.cancel();
    this.job = null;
    if (!quiet) {
      if (wasSending) this.send({ type: 'status', status: 'listening' });
      this.flushIdle();
    }
    return true;
  }

  /** Resolves once no utterance is in progress. */
  whenIdle() {
    if (!this.active) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(() => resolve(undefined)));
  }

  flushIdle() {
    if (this.active) return;
    const waiters = this.idleWaiters.splice(0);
    for (const w of waiters) w();
  }
}
