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
  /** Audio buffered before playback starts after silence. */
  leadMs: number;
  /** How long the output must stay silent before `playing: false`. */
  hangoverMs: number;
  /** Length of the fade-out on interrupt. */
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
  /** Server PCM16 also arrives on this port (from the socket worker), beside the node's own. */
  | { type: 'port'; port: MessagePort }
  | { type: 'interrupt' }
  | { type: 'stop' };

/** `at`: the audio-clock time (`AudioContext.currentTime`) the worklet observed it. */
export type CaptureReport =
  | { type: 'levels'; input: number; output: number; at: number }
  | { type: 'barge-in'; at: number };

export type PlaybackReport = { type: 'playing'; playing: boolean; at: number };
