import { PrepatuError, warningFrom, type PrepatuWarning } from '../protocol/errors.js';
import type { ServerMessage } from '../protocol/messages.js';
import { MAX_MESSAGE_CHARS, parseServerMessage } from '../protocol/parse.js';
import { Keepalive } from './keepalive.js';
import { TraceRecorder, type TraceMode } from './trace.js';
import type { CloseReason, ConnectionQuality } from './types.js';

/** PCM16 mono at 16 kHz. */
const AUDIO_BYTES_PER_S = 32_000;

export interface PvpSocketOptions {
  url: string;
  timeoutMs: number;
  keepaliveIntervalMs: number;
  keepaliveTimeoutMs: number;
  maxMessageChars?: number;
  /**
   * Mic audio the client itself may hold (the socket's `bufferedAmount`) before it drops new
   * frames, in bytes (default 2 s of audio). Sending resumes below half of it.
   */
  maxBufferedBytes?: number;
  /** Keep a trace of the session (`trace()`); default: nothing is recorded. */
  record?: TraceMode;
}

export interface SocketQueue {
  bufferedBytes: number;
  droppedBytes: number;
}

export interface PvpSocketEvents {
  message(msg: ServerMessage): void;
  audio(frame: ArrayBuffer): void;
  warning(warning: PrepatuWarning): void;
  rtt(ms: number): void;
  /** As `TransportEvents.quality`: the `network_slow` warning travels with the change to `stalled`. */
  quality(quality: ConnectionQuality, warning?: PrepatuWarning): void;
  /** After the socket opened: it is gone for good. */
  close(reason: CloseReason): void;
}

/** What the quality checks read, every `CHECK_MS`. */
const CHECK_MS = 250;
/** A keepalive `ping` unanswered this long makes the link `poor`… */
const POOR_AFTER_MS = 1000;
/** …and this long `stalled` (with pings every 2 s, a stall is seen within 4.5 s). */
const STALLED_AFTER_MS = 2500;

/** Close codes → what they mean for the session. */
export function closeReasonFor(code: number): CloseReason {
  if (code === 1000 || code === 1001) return { kind: 'ended', code };
  if (code === 4401 || code === 4403) return { kind: 'auth_failed', code };
  if (code === 1006) return { kind: 'connection_lost', code };
  if (code >= 4000 || code === 1008 || code === 1011)
    return { kind: 'error', error: new PrepatuError('server_error', `The server closed the session (code ${code}).`, { code }) };
  return { kind: 'connection_lost', code };
}

/**
 * One PVP WebSocket, wherever it runs (a dedicated Worker, or the page when no worker can
 * start): opening with a timeout, JSON and PCM16 frames, the keepalive, close codes, the link's
 * quality and the bound on mic audio the client holds. No DOM; no automatic reconnect (a new
 * socket is a new backend session).
 */
export class PvpSocket {
  readonly #o: PvpSocketOptions;
  readonly #events: PvpSocketEvents;
  #ws: WebSocket | null = null;
  #keepalive: Keepalive | null = null;
  #checks: ReturnType<typeof setInterval> | undefined;
  #ageChecks = new Set<ReturnType<typeof setTimeout>>();
  #quality: ConnectionQuality = 'good';
  #slowReported = false;
  #dropping = false;
  #droppedBytes = 0;
  #lastRtt = 0;
  #closed = false;
  #trace: TraceRecorder | null = null;
  /** Rejects `open()` while it is still pending. */
  #cancelOpen: ((error: PrepatuError) => void) | null = null;

  constructor(options: PvpSocketOptions, events: PvpSocketEvents) {
    this.#o = options;
    this.#events = events;
  }

  /** Resolves when the socket is open; rejects with a typed error (and closes) otherwise. */
  open(): Promise<void> {
    const { url, timeoutMs, record } = this.#o;
    this.#trace = record ? new TraceRecorder({ transport: 'websocket', url, mode: record }) : null;
    return new Promise<void>((resolve, reject) => {
      let ws: WebSocket;
      try {
        ws = new WebSocket(url);
      } catch (cause) {
        return reject(new PrepatuError('connection_failed', `Invalid WebSocket URL "${url}".`, { url }, { cause }));
      }
      ws.binaryType = 'arraybuffer';
      this.#ws = ws;
      let opened = false;
      const fail = (error: PrepatuError) => {
        clearTimeout(timeout);
        this.#cancelOpen = null;
        this.#closed = true;
        this.#teardown(error.code);
        reject(error);
      };
      this.#cancelOpen = fail;
      const timeout = setTimeout(
        () => fail(new PrepatuError('connect_timeout', `The server did not answer within ${timeoutMs} ms (${url}).`, { url })),
        timeoutMs,
      );
      ws.onopen = () => {
        opened = true;
        this.#trace?.open();
        this.#cancelOpen = null;
        clearTimeout(timeout);
        this.#start();
        resolve();
      };
      ws.onmessage = (ev: MessageEvent) => this.#onMessage(ev.data);
      ws.onclose = (ev: CloseEvent) => {
        this.#trace?.close('in', ev.code, ev.reason);
        if (opened) return this.#finish(closeReasonFor(ev.code));
        fail(
          closeReasonFor(ev.code).kind === 'auth_failed'
            ? new PrepatuError('auth_failed', 'The server refused the session token (authentication failed).', { code: ev.code })
            : new PrepatuError('connection_failed', `Could not connect to ${url} (is the server running?).`, { url, code: ev.code }),
        );
      };
      // `error` is always followed by `close`, which carries the code.
      ws.onerror = () => {};
    });
  }

  /** What the client holds and has given up: the socket's `bufferedAmount` and the mic bytes dropped so far. */
  get queued(): SocketQueue {
    return { bufferedBytes: this.#ws?.bufferedAmount ?? 0, droppedBytes: this.#droppedBytes };
  }

  get isOpen(): boolean {
    return this.#ws?.readyState === WebSocket.OPEN;
  }

  /** The session's trace as JSONL (also after it ended); `null` when it is not recorded. */
  trace(): Blob | null {
    return this.#trace?.toBlob() ?? null;
  }

  #onMessage(data: unknown): void {
    if (this.#closed) return;
    if (typeof data === 'string') {
      this.#trace?.text('in', data);
      const result = parseServerMessage(data, this.#o.maxMessageChars ?? MAX_MESSAGE_CHARS);
      if (!result.ok) return this.#events.warning(warningFrom(result.error));
      if (result.warning) this.#events.warning(result.warning);
      this.#keepalive?.observe(result.message);
      this.#events.message(result.message);
      return;
    }
    if (data instanceof ArrayBuffer) {
      this.#trace?.binary('in', data);
      if (data.byteLength === 0 || data.byteLength % 2 !== 0) {
        this.#events.warning({
          code: 'invalid_audio_frame',
          message: `Dropped a ${data.byteLength}-byte audio frame: PCM16 frames must hold whole, non-zero samples.`,
          details: { bytes: data.byteLength },
        });
        return;
      }
      this.#events.audio(data);
    }
  }

  #start(): void {
    this.#keepalive = new Keepalive(this.#o.keepaliveIntervalMs, this.#o.keepaliveTimeoutMs, {
      send: (m) => this.sendText(JSON.stringify(m)),
      rtt: (ms) => {
        this.#lastRtt = ms;
        this.#events.rtt(ms);
      },
      dead: () => this.#finish({ kind: 'keepalive_timeout' }),
      // Re-rated the moment the ping turns "poor" and "stalled" old, not up to a check later.
      waiting: () => {
        for (const ms of [POOR_AFTER_MS, STALLED_AFTER_MS]) {
          const t = setTimeout(() => {
            this.#ageChecks.delete(t);
            this.#check();
          }, ms + 1);
          this.#ageChecks.add(t);
        }
      },
    });
    this.#keepalive.start();
    this.#checks = setInterval(() => this.#check(), CHECK_MS);
  }

  /** Sends a text frame; throws `not_connected` when the socket is not open. */
  sendText(text: string): void {
    const ws = this.#ws;
    if (!ws || ws.readyState !== WebSocket.OPEN) throw new PrepatuError('not_connected', 'Cannot send: the session is not connected.');
    ws.send(text);
    this.#trace?.text('out', text);
  }

  /**
   * Sends one mic frame, unless the link has stopped taking them: past `maxBufferedBytes` the
   * frames are dropped (they would reach the server seconds late) until half of it has drained.
   */
  sendAudio(frame: ArrayBuffer): void {
    const ws = this.#ws;
    if (!ws || ws.readyState !== WebSocket.OPEN) return;
    const max = this.#o.maxBufferedBytes ?? 2 * AUDIO_BYTES_PER_S;
    const buffered = ws.bufferedAmount;
    if (this.#dropping ? buffered > max / 2 : buffered + frame.byteLength > max) {
      if (!this.#dropping) {
        this.#dropping = true;
        this.#check();
      }
      this.#droppedBytes += frame.byteLength;
      return;
    }
    this.#dropping = false;
    this.#trace?.binary('out', frame);
    ws.send(frame);
  }

  /** Re-rates the link from the oldest unanswered keepalive, the last RTT and the send queue. */
  #check(): void {
    const ws = this.#ws;
    if (!ws || this.#closed) return;
    const waiting = this.#keepalive?.unansweredFor() ?? 0;
    const buffered = ws.bufferedAmount;
    const quality: ConnectionQuality =
      this.#dropping || waiting > STALLED_AFTER_MS
        ? 'stalled'
        : waiting > POOR_AFTER_MS || this.#lastRtt > POOR_AFTER_MS || buffered > AUDIO_BYTES_PER_S / 2
          ? 'poor'
          : 'good';
    if (quality === this.#quality) return;
    this.#quality = quality;
    if (quality === 'good') this.#slowReported = false;
    if (quality !== 'stalled' || this.#slowReported) return this.#events.quality(quality);
    this.#slowReported = true;
    this.#events.quality(quality, {
      code: 'network_slow',
      message: this.#dropping
        ? 'The connection is not carrying audio: the microphone audio the server cannot take is being dropped rather than sent seconds late.'
        : `The server has not answered for ${(waiting / 1000).toFixed(1)} s: the connection is stalled.`,
      details: { unansweredMs: waiting, bufferedBytes: buffered, droppedBytes: this.#droppedBytes },
    });
  }

  /** Closes the socket: before it opened, `open()` rejects with `aborted` (no close event). */
  close(code = 1000): void {
    if (this.#cancelOpen) this.#cancelOpen(new PrepatuError('aborted', 'Connection was cancelled.'));
    else this.#finish({ kind: 'ended', code });
  }

  /** Ends once: stops the timers, closes the socket, reports the reason. */
  #finish(reason: CloseReason): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#teardown(reason.kind === 'ended' ? undefined : reason.kind);
    this.#events.close(reason);
  }

  /** `why`: the client's reason to close, for the trace. */
  #teardown(why?: string): void {
    this.#keepalive?.stop();
    this.#keepalive = null;
    clearInterval(this.#checks);
    for (const t of this.#ageChecks) clearTimeout(t);
    this.#ageChecks.clear();
    const ws = this.#ws;
    this.#ws = null;
    if (!ws) return;
    ws.onopen = ws.onmessage = ws.onclose = ws.onerror = null;
    if (ws.readyState === WebSocket.OPEN || ws.readyState === WebSocket.CONNECTING) {
      this.#trace?.close('out', 1000, why);
      ws.close(1000);
    }
  }
}
