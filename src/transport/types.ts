import type { PrepatuError, PrepatuWarning } from '../protocol/errors.js';
import type { ClientMessage, ServerMessage } from '../protocol/messages.js';
import type { TraceMode } from './trace.js';

/**
 * How well the link carries the session now: `good`; `poor` (late keepalive answers, audio
 * queueing up, WebRTC loss or jitter); `stalled` (the server has not answered for seconds, or the
 * client has started to drop mic audio it cannot send).
 */
export type ConnectionQuality = 'good' | 'poor' | 'stalled';

/**
 * The two ends of the audio's own path off the main thread: `capture` delivers the capture
 * worklet's PCM16 frames, `playback` takes server PCM16 for the playback worklet.
 */
export interface AudioPorts {
  capture: MessagePort | null;
  playback: MessagePort | null;
}

/** Why a transport closed, as something a caller can branch on. */
export type CloseReason =
  | { kind: 'ended'; code?: number }
  | { kind: 'auth_failed'; code?: number }
  | { kind: 'connection_lost'; code?: number }
  | { kind: 'keepalive_timeout' }
  | { kind: 'error'; error: PrepatuError };

export interface TransportEvents {
  /** A parsed PVP message. */
  message(msg: ServerMessage): void;
  /** One PCM16 LE frame of server audio (WebSocket) – never odd-length, never empty. */
  audio(frame: ArrayBuffer): void;
  /** A problem with the connection that the session survives (a WebRTC control socket lost). */
  error(error: PrepatuError): void;
  /** Something dropped or read leniently (bad JSON, an odd-length frame, a coerced field): the session goes on. */
  warning(warning: PrepatuWarning): void;
  /** Round-trip time from the keepalive. */
  rtt(ms: number): void;
  /**
   * The link's quality changed. `warning` (a `network_slow`, on entering `stalled`) comes in the
   * same call, so that whoever sees the new quality has also been told why.
   */
  quality?(quality: ConnectionQuality, warning?: PrepatuWarning): void;
  /** The transport is gone for good; fires exactly once. */
  close(reason: CloseReason): void;
  /** WebRTC only: the remote audio track, played through the same pipeline. */
  remoteTrack?(track: MediaStreamTrack): void;
}

/**
 * What a `VoiceAgent` needs from a connection. WebSocket and WebRTC both
 * implement it; tests may implement it too.
 */
export interface Transport {
  /** `true` when mic audio travels as PCM16 frames through `sendAudio`; `false` when it rides a media track. */
  readonly carriesPcm: boolean;
  connect(events: TransportEvents, signal: AbortSignal, micTrack?: () => Promise<MediaStreamTrack>): Promise<void>;
  send(msg: ClientMessage): void;
  /** Hands one PCM16 frame to the socket (transferred ownership). */
  sendAudio(frame: ArrayBuffer): void;
  /**
   * Optional: carry the audio between the socket and the worklets over these ports, so no audio
   * frame needs the page's main thread. Called before `connect()`; the transport calls `ports`
   * only if it can use them (else audio keeps flowing through `sendAudio` and the `audio` event),
   * and holds server audio until they arrive. A later call (audio switched on mid-session)
   * routes the new ports at once; `null` from `ports` means "no audio".
   */
  routeAudio?(ports: () => Promise<AudioPorts | null>): void;
  /** Optional (WebRTC): send this microphone track instead of the current one, on the same connection. */
  replaceMicTrack?(track: MediaStreamTrack): Promise<void>;
  /** Optional: keep a trace of each following session (`null`: stop); called before `connect()`. */
  record?(mode: TraceMode | null): void;
  /** Optional: the current or last session's trace as JSONL (docs/traces.md); `null` when it was not recorded. */
  exportTrace?(): Promise<Blob | null>;
  close(): void;
}
