/** Messages between a `WebSocketTransport` on the page and its socket worker. */
import type { PrepatuErrorCode, PrepatuWarning } from '../../protocol/errors.js';
import { PrepatuError } from '../../protocol/errors.js';
import type { ServerMessage } from '../../protocol/messages.js';
import type { PvpSocketOptions, SocketQueue } from '../pvp-socket.js';
import type { CloseReason, ConnectionQuality } from '../types.js';

/** A `PrepatuError` as structured clone carries it (class and prototype do not survive). */
export interface WireError {
  code: PrepatuErrorCode;
  message: string;
  details: Record<string, unknown>;
}

export type WireCloseReason = Exclude<CloseReason, { kind: 'error' }> | { kind: 'error'; error: WireError };

export type ToWorker =
  | { t: 'connect'; options: PvpSocketOptions }
  | { t: 'text'; text: string }
  | { t: 'audio'; frame: ArrayBuffer }
  /** Server audio waits in the worker for the playback port (sent before `connect`). */
  | { t: 'expect-ports' }
  /** The worklets' ports; both null: there is no audio graph, server audio goes to the page. */
  | { t: 'ports'; capture: MessagePort | null; playback: MessagePort | null }
  | { t: 'close'; code: number }
  | { t: 'queued' }
  /** Asks for the session's trace (answered with `trace`). */
  | { t: 'trace' };

export type FromWorker =
  | { t: 'ready' }
  | { t: 'open' }
  | { t: 'fail'; error: WireError }
  | { t: 'message'; message: ServerMessage }
  | { t: 'audio'; frame: ArrayBuffer }
  | { t: 'warning'; warning: PrepatuWarning }
  | { t: 'rtt'; ms: number }
  | { t: 'quality'; quality: ConnectionQuality; warning?: PrepatuWarning }
  | { t: 'close'; reason: WireCloseReason }
  /** The session's trace (null: not recorded); `final` when the socket is gone, sent before `fail`/`close`. */
  | { t: 'trace'; blob: Blob | null; final: boolean }
  | ({ t: 'queued' } & SocketQueue);

export const toWire = (e: PrepatuError): WireError => ({ code: e.code, message: e.message, details: { ...e.details } });
export const fromWire = (e: WireError): PrepatuError => new PrepatuError(e.code, e.message, e.details);

export const closeToWire = (r: CloseReason): WireCloseReason => (r.kind === 'error' ? { kind: 'error', error: toWire(r.error) } : r);
export const closeFromWire = (r: WireCloseReason): CloseReason => (r.kind === 'error' ? { kind: 'error', error: fromWire(r.error) } : r);
