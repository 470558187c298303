/** Messages between the main thread and the worklets (and the options they are built with). */

export const CAPTURE_PROCESSOR = 'prepatu-capture';
export const PLAYBACK_PROCESSOR = 'prepatu-playback';
/** The rate PVP carries the microphone at. */
export const CAPTURE_RATE = 16_000;

export interface CaptureProcessorOptions {
  /** Links this capture node with its playback node (same AudioContext, same global scope). */
  bus: string;
  frameSamples: number;
  /** Post PCM16 frames (WebSocket); false when the mic goes out as a WebRTC track. */
  sendFrames: boolean;
  /** Post the input/output levels (~30 times a second); off while nothing shows them. */
  levels: boolean;
  bargeIn: { enabled: boolean; threshold: number; holdMs: number };
}

export interface PlaybackProcessorOptions {
  bus: string;
  serverRate: number;
  /** Audio buffered before playback starts after silence or an underrun: the adaptive lead's floor. */
  leadMs: number;
  /** The adaptive lead's ceiling; equal to `leadMs` for a fixed lead. */
  maxLeadMs: number;
  /** How long the output must stay silent before `playing: false` (not after an interrupt). */
  hangoverMs: number;
  /** Length of the fades: interrupt, and out of / back into an underrun. */
  rampMs: number;
}

export type CaptureCommand =
  | { type: 'mute'; muted: boolean }
  /** From now on, PCM16 frames leave on this port (to the socket worker) instead of the node's. */
  | { type: 'port'; port: MessagePort }
  | { type: 'barge-in'; enabled: boolean; threshold?: number; holdMs?: number }
  | { type: 'levels'; enabled: boolean }
  | { type: 'stop' };

export type PlaybackCommand =
  | { type: 'rate'; rate: number }
  /**
   * Server PCM16 (and these commands) also arrive on this port (from the socket worker), beside
   * the node's own; a buffer arrives at the first render quantum that sees it, whichever port.
   */
  | { type: 'port'; port: MessagePort }
  | { type: 'interrupt' }
  | { type: 'stop' }
  /**
   * Handles `data` (a PCM buffer or a command) at the first render quantum at or after audio time
   * `at`, as if it had arrived then: deterministic delivery for offline renders (tests, bench),
   * where a message cannot be timed against the render otherwise (Firefox has no
   * `OfflineAudioContext.suspend`).
   */
  | { type: 'schedule'; at: number; data: ArrayBuffer | PlaybackCommand }
  /** Answered with the same `sync` report once every message posted before it has been handled. */
  | { type: 'sync'; id: number };

/** `at`: the audio-clock time (`AudioContext.currentTime`) the worklet observed it. */
export type CaptureReport =
  | { type: 'levels'; input: number; output: number; at: number }
  | { type: 'barge-in'; at: number };

export type PlaybackReport =
  /**
   * Agent audio became audible, or stopped being (after the hangover; at once after an interrupt,
   * then with `interruptedAt`: the audio time the interrupt took effect, i.e. the fade began).
   */
  | { type: 'playing'; playing: boolean; at: number; interruptedAt?: number }
  /** The adaptive lead changed. */
  | { type: 'lead'; leadMs: number; at: number }
  | { type: 'sync'; id: number };
