/** What the headless agent needs from the audio side. `src/audio` knows nothing of PVP. */
import type { PrepatuError } from '../protocol/errors.js';

export interface AudioLevels {
  /** RMS of the processed mic signal, 0..1. */
  input: number;
  /** RMS of what is being played, 0..1. */
  output: number;
}

export interface CaptureOptions {
  echoCancellation?: boolean;
  noiseSuppression?: boolean;
  autoGainControl?: boolean;
  /** `deviceId` of the microphone to use. */
  inputDeviceId?: string;
  /** Duration of each PCM16 frame handed to the transport, in ms (default 20 → 640 bytes). */
  frameMs?: number;
  /**
   * Use this stream instead of opening the microphone (the page already has one, or a test
   * feeds a generated signal). Its tracks belong to the caller and are not stopped on close.
   */
  inputStream?: MediaStream;
}

export interface BargeInOptions {
  /** Default true. */
  enabled?: boolean;
  /** RMS threshold of the processed mic signal that counts as speech. */
  threshold?: number;
  /** How long the mic must stay above threshold, in ms. */
  holdMs?: number;
}

export interface AudioPipelineOptions extends CaptureOptions {
  bargeIn?: BargeInOptions;
  /** Output device (`setSinkId`) where supported. */
  outputDeviceId?: string;
  /** URL of a hosted worklet module (strict CSP sites); default: inlined Blob URL. */
  workletUrl?: string;
  /**
   * Audio buffered before agent speech starts after silence or an underrun, in ms: the floor of
   * the adaptive lead, which grows when audio arrives late (default 60).
   */
  playbackLeadMs?: number;
  /** Ceiling of the adaptive lead, in ms (default 400; `playbackLeadMs` for a fixed lead). */
  playbackMaxLeadMs?: number;
  /**
   * `context` (default): play through `AudioContext.destination`, the shortest path.
   * `element`: through a `MediaStreamAudioDestinationNode` into an `<audio>` element (used
   * automatically when an output device is chosen in a browser without `AudioContext.setSinkId`).
   */
  outputRoute?: 'context' | 'element';
}

export interface AudioPipelineEvents {
  /** One PCM16 LE 16 kHz mono frame, ownership transferred. */
  frame(buffer: ArrayBuffer): void;
  // `at`: the audio-clock time (`AudioContext.currentTime`) the worklet observed it, free of
  // main-thread delays.
  /**
   * `true` while agent audio is audible, `false` when the queue drained (after a 200 ms hangover)
   * or, at once, when an interrupt's fade ended; then `interruptedAt` is when the fade began.
   */
  playing(playing: boolean, at: number, interruptedAt?: number): void;
  /** ~30 times a second. */
  levels(levels: AudioLevels, at: number): void;
  /** Local VAD heard the user talk over the agent; playback already stopped. */
  bargeIn(at: number): void;
  /** The AudioContext is suspended (autoplay policy/iOS) or running again. */
  suspended(suspended: boolean): void;
  /** Fatal audio problem (mic refused, device gone): the agent ends the session. */
  fatal(error: Error): void;
  /** A problem the session survives (the chosen output device could not be used: the default plays). */
  error(error: PrepatuError): void;
  /** The microphone now in use changed (`setInputDevice`, or the system default followed); its `deviceId`. */
  inputDevice?(deviceId: string | null): void;
}

/**
 * Far ends of the worklets' own message channels: `capture` delivers PCM16 frames, `playback`
 * takes server PCM16. Whoever holds them (the socket worker) moves audio without the main thread.
 */
export interface AudioPorts {
  capture: MessagePort | null;
  playback: MessagePort | null;
}

export interface AudioPipeline {
  /** Creates and resumes the AudioContext, opens the mic (unless `capture` is false), loads worklets. */
  start(events: AudioPipelineEvents, signal: AbortSignal, options?: { capture?: boolean }): Promise<void>;
  /** The live mic track (for WebRTC), after `start`. */
  readonly micTrack: MediaStreamTrack | null;
  /**
   * Optional, after `start`: new ports straight to the worklets. From then on mic frames leave on
   * `capture` instead of the `frame` event, and `playback` takes server audio beside `play()`.
   */
  audioPorts?(): AudioPorts | null;
  /** Server PCM16 at `sampleRate`; ownership transferred to the worklet. */
  play(pcm16: ArrayBuffer): void;
  setServerSampleRate(rate: number): void;
  /** Plays a remote WebRTC track through the same output path. */
  playTrack(track: MediaStreamTrack): void;
  /** Silence within 10 ms (ramped) and drop the queue. */
  interrupt(): void;
  setMicEnabled(enabled: boolean): void;
  /**
   * Optional: switch the microphone during the session, feeding the same capture worklet (no gap
   * but the new device's start-up). `null`: the system default, followed as it changes.
   */
  setInputDevice?(deviceId: string | null): Promise<void>;
  /** Optional: turn the `levels` reports on or off (each is a main-thread task; default on). */
  setLevelsEnabled?(enabled: boolean): void;
  setOutputDevice(deviceId: string): Promise<void>;
  /** Resume a suspended context from a user gesture. */
  resume(): Promise<void>;
  /** Stops tracks, closes contexts, clears timers. Idempotent. */
  close(): Promise<void>;
}
