import type { PrepatuError, PrepatuWarning } from '../protocol/errors.js';
import type { ClientMessage, ServerMessage } from '../protocol/messages.js';

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
  close(): void;
}
