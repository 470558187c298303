import { bus, dropBus, type Bus } from './bus.js';
import { CAPTURE_RATE, type CaptureCommand, type CaptureProcessorOptions, type CaptureReport } from './messages.js';
import { SincResampler } from './resampler.js';
import { scope } from './scope.js';

const LEVELS_PER_SECOND = 30;

/**
 * Microphone → 16 kHz PCM16 LE frames, input level, and barge-in detection.
 * Runs at the context's own rate; each full frame leaves by transfer (no copy).
 */
export class CaptureProcessor extends scope.AudioWorkletProcessor {
  readonly #opts: CaptureProcessorOptions;
  readonly #bus: Bus;
  readonly #resampler: SincResampler | null;
  readonly #mono = new Float32Array(128);
  readonly #resampled = new Float32Array(256);
  #frame: Int16Array;
  #fill = 0;
  #muted = false;
  #frameMuted = false;
  #alive = true;
  /** Where frames go: the socket worker's port once routed, else the node's own port. */
  #framePort: MessagePort | null = null;
  // levels
  #levelsOn: boolean;
  readonly #levelWindow = Math.round(scope.sampleRate / LEVELS_PER_SECOND);
  #levelSum = 0;
  #levelCount = 0;
  // barge-in: milliseconds of speech-level signal heard while the agent plays
  #bargeIn: CaptureProcessorOptions['bargeIn'];
  #voicedMs = 0;

  constructor(options: { processorOptions: CaptureProcessorOptions }) {
    super(options);
    this.#opts = options.processorOptions;
    this.#bus = bus(this.#opts.bus);
    this.#bargeIn = { ...this.#opts.bargeIn };
    this.#levelsOn = this.#opts.levels;
    this.#frame = new Int16Array(this.#opts.frameSamples);
    this.#resampler = scope.sampleRate === CAPTURE_RATE ? null : new SincResampler(scope.sampleRate, CAPTURE_RATE);
    this.port.onmessage = (e: MessageEvent<CaptureCommand>) => this.#command(e.data);
  }

  #command(cmd: CaptureCommand): void {
    if (cmd.type === 'mute') this.#muted = cmd.muted;
    else if (cmd.type === 'port') this.#framePort = cmd.port;
    else if (cmd.type === 'barge-in') this.#bargeIn = { ...this.#bargeIn, ...cmd };
    else if (cmd.type === 'levels') this.#levelsOn = cmd.enabled;
    else if (cmd.type === 'stop') {
      this.#alive = false;
      dropBus(this.#opts.bus);
      this.#framePort?.close();
      this.port.close();
    }
  }

  #post(report: CaptureReport): void {
    this.port.postMessage(report);
  }

  process(inputs: Float32Array[][], outputs: Float32Array[][]): boolean {
    if (!this.#alive) return false;
    const channels = inputs[0] ?? [];
    // No input channels: the track delivers nothing (Firefox does this for a silent or inactive
    // track). That is silence: levels (the agent's output level included) and frames go on.
    const n = channels[0]?.length ?? outputs[0]?.[0]?.length ?? 128;
    const mono = this.#mono.length >= n ? this.#mono.subarray(0, n) : new Float32Array(n);
    if (channels.length === 0) mono.fill(0);
    else if (channels.length === 1) mono.set(channels[0]!);
    else {
      mono.fill(0);
      for (const ch of channels) for (let i = 0; i < n; i++) mono[i]! += ch[i]! / channels.length;
    }
    let sum = 0;
    for (let i = 0; i < n; i++) sum += mono[i]! * mono[i]!;
    this.#levels(sum, n);
    this.#detectBargeIn(sum, n);
    if (!this.#opts.sendFrames) return true;
    if (!this.#resampler) this.#emit(mono, n);
    else {
      this.#resampler.write(mono);
      let avail = this.#resampler.available();
      while (avail > 0) {
        const k = Math.min(avail, this.#resampled.length);
        this.#resampler.read(this.#resampled, 0, k);
        this.#emit(this.#resampled, k);
        avail -= k;
      }
    }
    return true;
  }

  #levels(sum: number, n: number): void {
    this.#levelSum += sum;
    this.#levelCount += n;
    if (this.#levelCount < this.#levelWindow) return;
    const input = this.#muted ? 0 : Math.min(1, Math.sqrt(this.#levelSum / this.#levelCount));
    // Each report is a task on the page's main thread: only while something shows the levels.
    if (this.#levelsOn) this.#post({ type: 'levels', input, output: this.#bus.outputRms, at: scope.currentTime });
    this.#levelSum = this.#levelCount = 0;
  }

  /**
   * Speech over the agent: the processed (echo-cancelled) mic signal stays above the
   * threshold for `holdMs` in total, with quiet quanta slowly giving time back, so the
   * gaps between syllables do not reset it but a click or a cough does not reach it.
   */
  #detectBargeIn(sum: number, n: number): void {
    const { enabled, threshold, holdMs } = this.#bargeIn;
    if (!enabled || this.#muted || !this.#bus.playing) {
      this.#voicedMs = 0;
      return;
    }
    const ms = (n / scope.sampleRate) * 1000;
    const rms = Math.sqrt(sum / n);
    this.#voicedMs = rms >= threshold ? this.#voicedMs + ms : Math.max(0, this.#voicedMs - ms / 2);
    if (this.#voicedMs >= holdMs) {
      this.#voicedMs = 0;
      this.#bus.interrupt = true;
      this.#bus.playing = false;
      this.#post({ type: 'barge-in', at: scope.currentTime });
    }
  }

  /** Appends 16 kHz samples to the frame; full frames leave by transfer. */
  #emit(samples: Float32Array, count: number): void {
    for (let i = 0; i < count; i++) {
      if (this.#fill === 0) this.#frameMuted = this.#muted; // mute takes effect per frame
      const s = this.#frameMuted ? 0 : Math.max(-1, Math.min(1, samples[i]!));
      // Int16Array is little-endian on every platform browsers run on, as PVP requires.
      this.#frame[this.#fill++] = s < 0 ? Math.round(s * 0x8000) : Math.round(s * 0x7fff);
      if (this.#fill === this.#frame.length) {
        const buf = this.#frame.buffer as ArrayBuffer;
        (this.#framePort ?? this.port).postMessage(buf, [buf]);
        this.#frame = new Int16Array(this.#opts.frameSamples);
        this.#fill = 0;
      }
    }
  }
}
