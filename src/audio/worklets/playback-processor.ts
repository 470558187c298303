import { bus, type Bus } from './bus.js';
import type { PlaybackCommand, PlaybackProcessorOptions, PlaybackReport } from './messages.js';
import { Playhead } from './playhead.js';
import { PlayoutPolicy } from './playout-policy.js';
import { scope } from './scope.js';

const TRACK_AUDIBLE_RMS = 0.003; // a remote WebRTC track counts as "speaking" above this
const LEVEL_WINDOW_S = 1 / 30;
/** A starved stream that gets nothing for this long has ended: the next buffer starts an utterance. */
const UTTERANCE_GAP_S = 0.5;

type Message = PlaybackCommand | ArrayBuffer;

/**
 * Server PCM16 (any rate) → the context's rate, gapless and real-time however it arrives:
 * transferred buffers from any port into the Playhead (one continuous resampler, underrun
 * fades), started after an adaptive lead (PlayoutPolicy), a short fade on interrupt, the output
 * level, and "is agent audio audible" for the status the user sees. A remote WebRTC track
 * connected to the input is mixed into the same output.
 *
 * Every time it uses is the audio clock at a render quantum: a buffer "arrives" at the first
 * quantum that sees it, and Chromium's first `process()` call of a new processor (whose
 * `currentTime` can be stale by hundreds of ms on a loaded machine) only starts the clock.
 */
export class PlaybackProcessor extends scope.AudioWorkletProcessor {
  readonly #opts: PlaybackProcessorOptions;
  readonly #bus: Bus;
  readonly #policy: PlayoutPolicy;
  #playhead: Playhead;
  /** Sizes of buffers queued since the last quantum: they arrive at the next one. */
  readonly #arrivals: number[] = [];
  readonly #scheduled: { at: number; data: Message }[] = [];
  #state: 'idle' | 'priming' | 'playing' | 'starved' = 'idle';
  #since = 0; // audio time the state began
  #ramp = 0; // samples of interrupt fade left (0: none)
  readonly #rampLen: number;
  #interruptedAt = NaN; // when the current interrupt's fade began
  #audibleAt = -Infinity;
  #playing = false;
  #reportedLead = NaN;
  #now = NaN;
  #levelSum = 0;
  #levelCount = 0;
  #alive = true;
  readonly #ports: MessagePort[];

  constructor(options: { processorOptions: PlaybackProcessorOptions }) {
    super(options);
    this.#opts = options.processorOptions;
    this.#bus = bus(this.#opts.bus);
    this.#policy = new PlayoutPolicy(this.#opts.leadMs / 1000, this.#opts.maxLeadMs / 1000);
    this.#rampLen = Math.max(1, Math.round((this.#opts.rampMs / 1000) * scope.sampleRate));
    this.#playhead = new Playhead(this.#opts.serverRate, scope.sampleRate, this.#rampLen);
    this.#ports = [this.port];
    this.#listen(this.port);
  }

  #listen(port: MessagePort): void {
    port.onmessage = (e: MessageEvent<Message>) => this.#command(e.data);
  }

  #command(cmd: Message): void {
    if (cmd instanceof ArrayBuffer) return this.#enqueue(cmd);
    switch (cmd.type) {
      case 'rate':
        if (cmd.rate !== this.#playhead.inRate) {
          this.#clear();
          this.#playhead = new Playhead(cmd.rate, scope.sampleRate, this.#rampLen);
        }
        break;
      case 'interrupt':
        if ((this.#state !== 'idle' || this.#playhead.queued > 0) && this.#ramp === 0) this.#ramp = this.#rampLen;
        break;
      case 'schedule': {
        let i = this.#scheduled.length;
        while (i > 0 && this.#scheduled[i - 1]!.at > cmd.at) i--;
        this.#scheduled.splice(i, 0, { at: cmd.at, data: cmd.data });
        break;
      }
      case 'sync':
        this.#post({ type: 'sync', id: cmd.id });
        break;
      case 'port':
        // The socket worker's audio: its own port, so it never waits for the main thread.
        this.#ports.push(cmd.port);
        this.#listen(cmd.port);
        break;
      case 'stop':
        this.#alive = false;
        for (const p of this.#ports) p.close();
    }
  }

  #enqueue(buf: ArrayBuffer): void {
    const samples = new Int16Array(buf, 0, buf.byteLength >> 1); // an odd trailing byte is ignored
    if (samples.length === 0) return;
    this.#playhead.push(samples);
    this.#arrivals.push(samples.length);
  }

  /** Drops everything queued: the next buffer starts a new utterance. */
  #clear(): void {
    this.#playhead.clear();
    this.#arrivals.length = 0;
    if (this.#state !== 'idle' && !Number.isNaN(this.#now)) this.#policy.end(this.#now);
    this.#state = 'idle';
  }

  process(inputs: Float32Array[][], outputs: Float32Array[][]): boolean {
    if (!this.#alive) return false;
    const out = outputs[0]![0]!;
    const n = out.length;
    const first = Number.isNaN(this.#now);
    this.#now = scope.currentTime;
    if (first) return true;
    const now = this.#now;
    while (this.#scheduled.length > 0 && this.#scheduled[0]!.at <= now + 1e-9) this.#command(this.#scheduled.shift()!.data);
    if (this.#bus.interrupt) {
      this.#bus.interrupt = false;
      this.#command({ type: 'interrupt' });
    }
    this.#arrive(now);
    this.#policy.tick(now);
    if (this.#state === 'starved' && now - this.#since >= UTTERANCE_GAP_S) {
      this.#playhead.clear(); // the kernel's tail of a finished utterance, faded out already
      this.#policy.end(this.#since);
      this.#state = 'idle';
    }
    if (this.#state === 'priming') {
      const [queued, rate] = [this.#playhead.queued, this.#playhead.inRate];
      // Start when the lead is buffered, or when it has had the lead's time to arrive; after an
      // underrun, once the policy knows what it was (unless no lead could ask for more).
      const lead = this.#policy.settling && queued < this.#policy.max * rate ? Infinity : this.#policy.lead;
      if (queued >= lead * rate || now - this.#since >= lead - 1e-9) {
        this.#state = 'playing';
        this.#policy.started();
      }
    }
    let produced = 0;
    if (this.#state === 'playing') {
      produced = this.#playhead.render(out);
      if (produced < n) [this.#state, this.#since] = ['starved', now + produced / scope.sampleRate];
    }
    if (this.#ramp === this.#rampLen) this.#interruptedAt = now;
    const interrupted = this.#ramp > 0 && this.#fade(out);
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
    if (produced > 0 || Math.sqrt(trackSum / n) > TRACK_AUDIBLE_RMS) this.#audibleAt = now;
    // The fade's own last samples must not hold "speaking" for a hangover: the user asked for silence.
    if (interrupted) this.#audibleAt = -Infinity;
    this.#level(sum, n);
    this.#report(now);
    return true;
  }

  /** Buffers queued since the last quantum arrive now: the policy learns how early they came. */
  #arrive(now: number): void {
    const rate = this.#playhead.inRate;
    let later = 0; // samples of this batch after the current buffer
    for (const size of this.#arrivals) later += size;
    for (const size of this.#arrivals) {
      later -= size;
      const before = (this.#playhead.queued - later - size) / rate; // seconds queued ahead of this buffer
      const starved = this.#state === 'starved';
      if (this.#state === 'idle') {
        this.#policy.begin(now);
        [this.#state, this.#since] = ['priming', now];
      }
      let ahead: number;
      if (starved) {
        ahead = before - (now - this.#since); // the playhead has been waiting since it ran dry
        [this.#state, this.#since] = ['priming', now];
      } else if (this.#state === 'playing') ahead = before + this.#playhead.ready / scope.sampleRate;
      else ahead = before + Math.max(0, this.#since + this.#policy.lead - now); // playback starts by then
      this.#policy.arrive(now, size / rate, ahead, starved);
    }
    this.#arrivals.length = 0;
  }

  /** Interrupt: linear fade to zero over `rampMs`, then drop everything queued. True when done. */
  #fade(out: Float32Array): boolean {
    for (let i = 0; i < out.length; i++) {
      out[i]! *= this.#ramp > 0 ? this.#ramp / this.#rampLen : 0;
      if (this.#ramp > 0) this.#ramp--;
    }
    if (this.#ramp > 0) return false;
    this.#clear();
    return true;
  }

  #level(sum: number, n: number): void {
    this.#levelSum += sum;
    this.#levelCount += n;
    if (this.#levelCount >= LEVEL_WINDOW_S * scope.sampleRate) {
      this.#bus.outputRms = Math.min(1, Math.sqrt(this.#levelSum / this.#levelCount));
      this.#levelSum = this.#levelCount = 0;
    }
  }

  #post(report: PlaybackReport): void {
    this.port.postMessage(report);
  }

  /** Tells the main thread when audibility or the lead changes (rare), with a hangover across short gaps. */
  #report(now: number): void {
    // Audible now, or waiting for the lead again mid-utterance, or within the hangover of the
    // last audible sample; not while the first lead of an utterance is being buffered (nothing
    // is heard yet).
    const active = this.#state === 'playing' || (this.#state === 'priming' && this.#playing);
    const playing = active || now - this.#audibleAt < this.#opts.hangoverMs / 1000;
    this.#bus.playing = playing && this.#ramp === 0;
    if (playing !== this.#playing) {
      this.#playing = playing;
      const cause = playing || Number.isNaN(this.#interruptedAt) ? {} : { interruptedAt: this.#interruptedAt };
      this.#post({ type: 'playing', playing, at: now, ...cause });
    }
    if (this.#ramp === 0) this.#interruptedAt = NaN;
    const lead = this.#policy.lead;
    if (lead !== this.#reportedLead) {
      this.#reportedLead = lead;
      this.#post({ type: 'lead', leadMs: lead * 1000, at: now });
    }
  }
}
