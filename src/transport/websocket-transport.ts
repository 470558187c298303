import { PrepatuError, warningFrom } from '../protocol/errors.js';
import type { ClientMessage } from '../protocol/messages.js';
import { MAX_MESSAGE_CHARS, parseServerMessage, serializeClientMessage } from '../protocol/parse.js';
import { Keepalive } from './keepalive.js';
import type { CloseReason, Transport, TransportEvents } from './types.js';

export interface WebSocketTransportOptions {
  /** `ws://` or `wss://` URL of a PVP endpoint. */
  url: string;
  /** Give up opening the socket after this long (default 10 s). */
  timeoutMs?: number;
  /** Send `ping {ts}` this often (default 5 s; 0 disables keepalive). */
  keepaliveIntervalMs?: number;
  /** Declare the peer gone when a ping stays unanswered this long (default 3 × interval). */
  keepaliveTimeoutMs?: number;
  /** Refuse longer text frames (default 1,000,000 characters). */
  maxMessageChars?: number;
}

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
 * PVP over one WebSocket: text frames are JSON, binary frames PCM16 LE. No
 * automatic reconnect: a new socket is a new backend session.
 */
export class WebSocketTransport implements Transport {
  readonly carriesPcm = true;
  readonly #opts: Required<WebSocketTransportOptions>;
  #ws: WebSocket | null = null;
  #events: TransportEvents | null = null;
  #keepalive: Keepalive | null = null;
  #closed = false;

  constructor(options: WebSocketTransportOptions) {
    const interval = options.keepaliveIntervalMs ?? 5_000;
    this.#opts = {
      url: options.url,
      timeoutMs: options.timeoutMs ?? 10_000,
      keepaliveIntervalMs: interval,
      keepaliveTimeoutMs: options.keepaliveTimeoutMs ?? interval * 3,
      maxMessageChars: options.maxMessageChars ?? MAX_MESSAGE_CHARS,
    };
  }

  connect(events: TransportEvents, signal: AbortSignal): Promise<void> {
    this.#teardown();
    this.#closed = false; // a transport can carry one session after another
    this.#events = events;
    return new Promise<void>((resolve, reject) => {
      if (signal.aborted) return reject(new PrepatuError('aborted', 'Connection was cancelled.'));
      let ws: WebSocket;
      try {
        ws = new WebSocket(this.#opts.url);
      } catch (cause) {
        return reject(new PrepatuError('connection_failed', `Invalid WebSocket URL "${this.#opts.url}".`, { url: this.#opts.url }, { cause }));
      }
      ws.binaryType = 'arraybuffer';
      this.#ws = ws;
      let opened = false;
      const fail = (error: PrepatuError) => {
        cleanup();
        this.#teardown();
        reject(error);
      };
      const timeout = setTimeout(
        () => fail(new PrepatuError('connect_timeout', `The server did not answer within ${this.#opts.timeoutMs} ms (${this.#opts.url}).`, { url: this.#opts.url })),
        this.#opts.timeoutMs,
      );
      const onAbort = () => fail(new PrepatuError('aborted', 'Connection was cancelled.'));
      const cleanup = () => {
        clearTimeout(timeout);
        signal.removeEventListener('abort', onAbort);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      ws.onopen = () => {
        opened = true;
        cleanup();
        this.#startKeepalive();
        resolve();
      };
      ws.onmessage = (ev: MessageEvent) => this.#onMessage(ev.data);
      ws.onclose = (ev: CloseEvent) => {
        if (!opened) {
          const reason = closeReasonFor(ev.code);
          fail(
            reason.kind === 'auth_failed'
              ? new PrepatuError('auth_failed', 'The server refused the session token (authentication failed).', { code: ev.code })
              : new PrepatuError('connection_failed', `Could not connect to ${this.#opts.url} (is the server running?).`, { url: this.#opts.url, code: ev.code }),
          );
          return;
        }
        this.#finish(closeReasonFor(ev.code));
      };
      // `error` is always followed by `close`, which carries the code.
      ws.onerror = () => {};
    });
  }

  #onMessage(data: unknown): void {
    const events = this.#events;
    if (!events || this.#closed) return;
    if (typeof data === 'string') {
      const result = parseServerMessage(data, this.#opts.maxMessageChars);
      if (!result.ok) return events.warning(warningFrom(result.error));
      if (result.warning) events.warning(result.warning);
      const msg = result.message;
      this.#keepalive?.observe(msg);
      events.message(msg);
      return;
    }
    if (data instanceof ArrayBuffer) {
      if (data.byteLength === 0 || data.byteLength % 2 !== 0) {
        events.warning({
          code: 'invalid_audio_frame',
          message: `Dropped a ${data.byteLength}-byte audio frame: PCM16 frames must hold whole, non-zero samples.`,
          details: { bytes: data.byteLength },
        });
        return;
      }
      events.audio(data);
    }
  }

  #startKeepalive(): void {
    this.#keepalive = new Keepalive(this.#opts.keepaliveIntervalMs, this.#opts.keepaliveTimeoutMs, {
      send: (m) => this.send(m),
      rtt: (ms) => this.#events?.rtt(ms),
      dead: () => this.#finish({ kind: 'keepalive_timeout' }),
    });
    this.#keepalive.start();
  }

  send(msg: ClientMessage): void {
    const ws = this.#ws;
    if (!ws || ws.readyState !== WebSocket.OPEN) throw new PrepatuError('not_connected', 'Cannot send: the session is not connected.');
    const text = serializeClientMessage(msg);
    if (!text.ok) throw text.error;
    ws.send(text.message);
  }

  /**
   * Sends a raw text frame, unchecked: for server extensions the typed
   * `ClientMessage` union does not know (and the development server's test hooks).
   */
  sendText(text: string): void {
    const ws = this.#ws;
    if (!ws || ws.readyState !== WebSocket.OPEN) throw new PrepatuError('not_connected', 'Cannot send: the session is not connected.');
    ws.send(text);
  }

  sendAudio(frame: ArrayBuffer): void {
    const ws = this.#ws;
    if (ws && ws.readyState === WebSocket.OPEN) ws.send(frame);
  }

  close(): void {
    this.#finish({ kind: 'ended', code: 1000 });
  }

  /** Ends once: stops the timer, closes the socket, reports the reason. */
  #finish(reason: CloseReason): void {
    if (this.#closed) return;
    this.#closed = true;
    const events = this.#events;
    this.#teardown();
    events?.close(reason);
  }

  #teardown(): void {
    this.#keepalive?.stop();
    this.#keepalive = null;
    const ws = this.#ws;
    this.#ws = null;
    this.#events = this.#closed ? null : this.#events;
    if (!ws) return;
    ws.onopen = ws.onmessage = ws.onclose = ws.onerror = null;
    if (ws.readyState === WebSocket.OPEN || ws.readyState === WebSocket.CONNECTING) ws.close(1000);
  }
}
