import { bus, type Bus } from './bus.js';
import type { PlaybackCommand, PlaybackProcessorOptions, PlaybackReport } from './messages.js';
import { SincResampler } from './resampler.js';
import { scope } from './scope.js';

const CHUNK = 2048; // server samples fed to the resampler at a time
const TRACK_AUDIBLE_RMS = 0.003; // a remote WebRTC track counts as "speaking" above this
const LEVEL_WINDOW_S = 1 / 30;

/**
 * Server PCM16 (any rate) → the context's rate, gapless and real-time however it arrives:
 * a queue of transferred buffers, one continuous resampler across buffer boundaries (no
 * clicks), a start-up lead after silence, a short fade on interrupt, the output level, and
 * "is agent audio audible" for the status the user sees. A remote WebRTC track connected to
 * the input is mixed into the same output, level and audibility.
 */
export class PlaybackProcessor extends scope.AudioWorkletProcessor {
  readonly #opts: PlaybackProcessorOptions;
  readonly #bus: Bus;
  #resampler: SincResampler;
  readonly #queue: Int16Array[] = [];
  #head = 0; // read offset in queue[0]
  #queued = 0; // server samples queued
  readonly #chunk = new Float32Array(CHUNK);
  #state: 'idle' | 'priming' | 'playing' = 'idle';
  #primedAt = 0;
  #flushed = false;
  #ramp = 0; // samples of fade-out left (0: none)
  readonly #rampLen: number;
  #audibleAt = -Infinity;
  #playing = false;
  #levelSum = 0;
  #levelCount = 0;
  #alive = true;
  readonly #ports: MessagePort[] = [];

  constructor(options: { processorOptions: PlaybackProcessorOptions }) {
    super(options);
    this.#opts = options.processorOptions;
    this.#bus = bus(this.#opts.bus);
    this.#resampler = new SincResampler(this.#opts.serverRate, scope.sampleRate);
    this.#rampLen = Math.max(1, Math.round((this.#opts.rampMs / 1000) * scope.sampleRate));
    this.port.onmessage = (e: MessageEvent<PlaybackCommand | ArrayBuffer>) => this.#command(e.data);
  }

  #command(cmd: PlaybackCommand | ArrayBuffer): void {
    if (cmd instanceof ArrayBuffer) return this.#enqueue(cmd);
    switch (cmd.type) {
      case 'rate':
        if (cmd.rate !== this.#resampler.inRate) {
          this.#clear();
          this.#resampler = new SincResampler(cmd.rate, scope.sampleRate);
        }
        break;
      case 'interrupt':
        this.#interrupt();
        break;
      case 'port':
        // The socket worker's audio: its own port, so it never waits for the main thread.
        this.#ports.push(cmd.port);
        cmd.port.onmessage = (e: MessageEvent<PlaybackCommand | ArrayBuffer>) => this.#command(e.data);
        break;
      case 'stop':
        this.#alive = false;
        for (const p of this.#ports) p.close();
        this.port.close();
    }
  }

  #enqueue(buf: ArrayBuffer): void {
    const samples = new Int16Array(buf, 0, buf.byteLength >> 1); // an odd trailing byte is ignored
    if (samples.length === 0) return;
    this.#queue.push(samples);
    this.#queued += samples.length;
    if (this.#state === 'idle' && this.#ramp === 0) {
      this.#state = 'priming';
      this.#primedAt = scope.currentTime;
    }
  }

  #interrupt(): void {
    if (this.#state === 'idle' && this.#queued === 0) return;
    if (this.#ramp === 0) this.#ramp = this.#rampLen;
  }

  #clear(): void {
    this.#queue.length = 0;
    this.#head = this.#queued = 0;
    this.#resampler.reset();
    this.#state = 'idle';
    this.#flushed = false;
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
      this.#flushed = false;
      if (this.#head >= head.length) {
        this.#queue.shift();
        this.#head = 0;
      }
    }
    // End of what we have: push the kernel's tail out so the last words are not clipped.
    if (r.available() < need && !this.#flushed) {
      r.writeSilence(r.half + 1);
      this.#flushed = true;
    }
  }

  process(inputs: Float32Array[][], outputs: Float32Array[][]): boolean {
    if (!this.#alive) return false;
    const out = outputs[0]![0]!;
    const n = out.length;
    if (this.#bus.interrupt) {
      this.#bus.interrupt = false;
      this.#interrupt();
    }
    if (this.#state === 'priming') {
      const lead = (this.#opts.leadMs / 1000) * this.#resampler.inRate;
      // Start when the lead is buffered, or when it has had the lead's time to arrive.
      if (this.#queued >= lead || scope.currentTime - this.#primedAt >= this.#opts.leadMs / 1000) this.#state = 'playing';
    }
    let produced = 0;
    if (this.#state === 'playing') {
      this.#feed(n);
      produced = Math.min(n, this.#resampler.available());
      this.#resampler.read(out, 0, produced);
      if (produced < n) {
        out.fill(0, produced);
        if (this.#queued === 0) this.#state = 'idle'; // drained (or starved: re-prime next time)
      }
    }
    if (this.#ramp > 0) this.#fade(out);
    // A remote WebRTC track goes through the same output, level and audibility.
    let trackSum = 0;
    const track = inputs[0];
    if (track && track.length > 0) {
      for (const ch of track) {
        for (let i = 0; i < n; i++) {
          const s = ch[i]! / track.length;
          out[i]! += s;
          trackSum += s * s;
        }
      }
    }
    let sum = 0;
    for (let i = 0; i < n; i++) sum += out[i]! * out[i]!;
    if (produced > 0 || Math.sqrt(trackSum / n) > TRACK_AUDIBLE_RMS) this.#audibleAt = scope.currentTime;
    this.#level(sum, n);
    this.#report();
    return true;
  }

  /** Linear fade to zero over `rampMs`, then drop everything queued. */
  #fade(out: Float32Array): void {
    for (let i = 0; i < out.length; i++) {
      out[i]! *= this.#ramp > 0 ? this.#ramp / this.#rampLen : 0;
      if (this.#ramp > 0) this.#ramp--;
    }
    if (this.#ramp === 0) {
      this.#clear();
      this.#audibleAt = -Infinity;
    }
  }

  #level(sum: number, n: number): void {
    this.#levelSum += sum;
    this.#levelCount += n;
    if (this.#levelCount >= LEVEL_WINDOW_S * scope.sampleRate) {
      this.#bus.outputRms = Math.min(1, Math.sqrt(this.#levelSum / this.#levelCount));
      this.#levelSum = this.#levelCount = 0;
    }
  }

  /** Tells the main thread when audibility changes (rare), with a hangover across short gaps. */
  #report(): void {
    const playing = this.#state !== 'idle' || scope.currentTime - this.#audibleAt < this.#opts.hangoverMs / 1000;
    this.#bus.playing = playing && this.#ramp === 0;
    if (playing === this.#playing) return;
    this.#playing = playing;
    this.port.postMessage({ type: 'playing', playing, at: scope.currentTime } satisfies PlaybackReport);
  }
}
