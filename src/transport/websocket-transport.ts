import { PrepatuError } from '../protocol/errors.js';
import type { ClientMessage } from '../protocol/messages.js';
import { MAX_MESSAGE_CHARS, serializeClientMessage } from '../protocol/parse.js';
import { PvpSocket, type PvpSocketEvents, type PvpSocketOptions, type SocketQueue } from './pvp-socket.js';
import type { TraceMode } from './trace.js';
import { spawnSocketWorker } from './worker-client.js';
import { closeFromWire, fromWire, type FromWorker, type ToWorker } from './worker/messages.js';
import type { AudioPorts, Transport, TransportEvents } from './types.js';

export { closeReasonFor } from './pvp-socket.js';

export interface WebSocketTransportOptions {
  /** `ws://` or `wss://` URL of a PVP endpoint. */
  url: string;
  /** Give up opening the socket after this long (default 10 s). */
  timeoutMs?: number;
  /**
   * Send `ping {ts}` this often (default 2 s, so a stalled link is seen within 5 s; 0 disables
   * keepalive and the stall detection that rests on it).
   */
  keepaliveIntervalMs?: number;
  /** Declare the peer gone when a ping stays unanswered this long (default 15 s). */
  keepaliveTimeoutMs?: number;
  /** Refuse longer text frames (default 1,000,000 characters). */
  maxMessageChars?: number;
  /**
   * Run the socket in a dedicated Worker (default `true`), so that mic frames and agent audio
   * never wait for the page's main thread. Where no worker can start (a CSP without
   * `worker-src` for it, an old browser), the socket runs on the main thread, with one console
   * warning. `false`: always on the main thread.
   */
  worker?: boolean;
  /**
   * The worker's script: the site's own copy of `dist/prepatu-worklets.js` (it is also the
   * worklet module), **same origin** as the page, as a Worker script must be. Default: the
   * inlined module from a `blob:` URL.
   */
  workerUrl?: string;
}

/** The socket of one session, wherever it runs. */
interface SocketLink {
  sendText(text: string): void;
  sendAudio(frame: ArrayBuffer): void;
  queued(): Promise<SocketQueue>;
  /** The session's trace, also once it has ended; null when not recorded. */
  trace(): Promise<Blob | null>;
  close(code: number): void;
}

/**
 * PVP over one WebSocket: text frames are JSON, binary frames PCM16 LE. The socket lives in a
 * dedicated Worker (see `worker`); the audio worklets talk to it over their own ports when the
 * agent routes them (`routeAudio`), and the page receives parsed messages and state changes
 * only. No automatic reconnect: a new socket is a new backend session.
 */
export class WebSocketTransport implements Transport {
  readonly carriesPcm = true;
  readonly #opts: PvpSocketOptions & { worker: boolean; workerUrl?: string };
  #link: SocketLink | null = null;
  #open = false;
  #inWorker = false;
  #worker: Worker | null = null;
  #ports: (() => Promise<AudioPorts | null>) | null = null;
  /** The last session's link, kept after it closed for `exportTrace()`. */
  #last: SocketLink | null = null;

  constructor(options: WebSocketTransportOptions) {
    this.#opts = {
      url: options.url,
      timeoutMs: options.timeoutMs ?? 10_000,
      keepaliveIntervalMs: options.keepaliveIntervalMs ?? 2_000,
      keepaliveTimeoutMs: options.keepaliveTimeoutMs ?? 15_000,
      maxMessageChars: options.maxMessageChars ?? MAX_MESSAGE_CHARS,
      worker: options.worker ?? true,
      ...(options.workerUrl ? { workerUrl: options.workerUrl } : {}),
    };
  }

  /** Whether the current (or last) session's socket runs in a Worker, off the main thread. */
  get inWorker(): boolean {
    return this.#inWorker;
  }

  routeAudio(ports: () => Promise<AudioPorts | null>): void {
    this.#ports = ports;
    // Mid-session (audio switched on later): route the new ports now.
    if (this.#open && this.#worker) this.#sendPorts(this.#worker, ports);
  }

  /**
   * Keeps a trace of each following session (`null`: stops): where the socket runs, so in the
   * worker when there is one. See `exportTrace()`.
   */
  record(mode: TraceMode | null): void {
    if (mode) this.#opts.record = mode;
    else delete this.#opts.record;
  }

  /** The current or last session's trace (JSONL, docs/traces.md); `null` when it was not recorded. */
  exportTrace(): Promise<Blob | null> {
    return this.#last?.trace() ?? Promise.resolve(null);
  }

  async connect(events: TransportEvents, signal: AbortSignal): Promise<void> {
    this.#link?.close(1000);
    this.#link = null;
    this.#last = null;
    this.#open = false;
    if (signal.aborted) throw new PrepatuError('aborted', 'Connection was cancelled.');
    const worker = this.#opts.worker ? await spawnSocketWorker(this.#opts.workerUrl) : null;
    if (signal.aborted) {
      worker?.terminate();
      throw new PrepatuError('aborted', 'Connection was cancelled.');
    }
    this.#inWorker = worker !== null;
    let closed = false;
    const handlers: PvpSocketEvents = {
      message: (m) => !closed && events.message(m),
      audio: (a) => !closed && events.audio(a),
      warning: (w) => !closed && events.warning(w),
      rtt: (ms) => !closed && events.rtt(ms),
      quality: (q, w) => !closed && events.quality?.(q, w),
      close: (reason) => {
        if (closed) return;
        closed = true;
        this.#open = false;
        this.#link = null;
        this.#worker = null;
        events.close(reason);
      },
    };
    const { link, opened } = worker ? this.#viaWorker(worker, handlers) : this.#direct(handlers);
    this.#link = this.#last = link;
    const onAbort = () => link.close(1000);
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      await opened;
    } catch (e) {
      closed = true;
      this.#link = null;
      throw signal.aborted ? new PrepatuError('aborted', 'Connection was cancelled.') : e;
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
    this.#open = true;
  }

  #direct(events: PvpSocketEvents): { link: SocketLink; opened: Promise<void> } {
    const socket = new PvpSocket(this.#opts, events);
    const opened = socket.open();
    const link: SocketLink = {
      sendText: (text) => socket.sendText(text),
      sendAudio: (frame) => socket.sendAudio(frame),
      queued: () => Promise.resolve(socket.queued),
      trace: () => Promise.resolve(socket.trace()),
      close: (code) => socket.close(code),
    };
    return { link, opened };
  }

  #viaWorker(worker: Worker, events: PvpSocketEvents): { link: SocketLink; opened: Promise<void> } {
    this.#worker = worker;
    const post = (m: ToWorker, transfer: Transferable[] = []) => worker.postMessage(m, transfer);
    const asked: ((q: SocketQueue) => void)[] = [];
    const traceAsked: ((blob: Blob | null) => void)[] = [];
    /** The trace the worker handed over as it ended (`undefined`: still running). */
    let finalTrace: Blob | null | undefined;
    const traced = (blob: Blob | null) => {
      for (const resolve of traceAsked.splice(0)) resolve(blob);
    };
    const link: SocketLink = {
      sendText: (text) => post({ t: 'text', text }),
      sendAudio: (frame) => post({ t: 'audio', frame }, [frame]),
      queued: () =>
        new Promise((resolve) => {
          asked.push(resolve);
          post({ t: 'queued' });
        }),
      trace: () =>
        finalTrace !== undefined
          ? Promise.resolve(finalTrace)
          : new Promise((resolve) => {
              traceAsked.push(resolve);
              post({ t: 'trace' });
            }),
      close: (code) => post({ t: 'close', code }),
    };
    const opened = new Promise<void>((resolve, reject) => {
      worker.onmessage = (e: MessageEvent<FromWorker>) => {
        const m = e.data;
        switch (m.t) {
          case 'open':
            return resolve();
          case 'fail':
            worker.onmessage = worker.onerror = null;
            return reject(fromWire(m.error));
          case 'message':
            return events.message(m.message);
          case 'audio':
            return events.audio(m.frame);
          case 'warning':
            return events.warning(m.warning);
          case 'rtt':
            return events.rtt(m.ms);
          case 'quality':
            return events.quality(m.quality, m.warning);
          case 'queued':
            return asked.shift()?.({ bufferedBytes: m.bufferedBytes, droppedBytes: m.droppedBytes });
          case 'trace':
            if (m.final) finalTrace = m.blob;
            return traced(finalTrace !== undefined ? finalTrace : m.blob);
          case 'close':
            worker.onmessage = worker.onerror = null;
            return events.close(closeFromWire(m.reason));
        }
      };
      worker.onerror = (e) => {
        e.preventDefault();
        worker.onmessage = worker.onerror = null;
        worker.terminate();
        finalTrace = null;
        traced(null);
        const error = new PrepatuError('connection_lost', `The session's socket worker failed: ${e.message}`);
        reject(error);
        events.close({ kind: 'error', error });
      };
    });
    if (this.#ports) {
      post({ t: 'expect-ports' });
      this.#sendPorts(worker, this.#ports);
    }
    post({ t: 'connect', options: { url: this.#opts.url, timeoutMs: this.#opts.timeoutMs, keepaliveIntervalMs: this.#opts.keepaliveIntervalMs, keepaliveTimeoutMs: this.#opts.keepaliveTimeoutMs, maxMessageChars: this.#opts.maxMessageChars, ...(this.#opts.record ? { record: this.#opts.record } : {}) } });
    return { link, opened };
  }

  #sendPorts(worker: Worker, ports: () => Promise<AudioPorts | null>): void {
    void ports()
      .catch(() => null)
      .then((p) => {
        if (this.#worker !== worker) return; // the session ended meanwhile
        const capture = p?.capture ?? null;
        const playback = p?.playback ?? null;
        worker.postMessage({ t: 'ports', capture, playback } satisfies ToWorker, [capture, playback].filter((x): x is MessagePort => x !== null));
      });
  }

  send(msg: ClientMessage): void {
    const text = serializeClientMessage(msg);
    if (!text.ok) throw text.error;
    this.sendText(text.message);
  }

  /**
   * Sends a raw text frame, unchecked: for server extensions the typed
   * `ClientMessage` union does not know (and the development server's test hooks).
   */
  sendText(text: string): void {
    if (!this.#link || !this.#open) throw new PrepatuError('not_connected', 'Cannot send: the session is not connected.');
    this.#link.sendText(text);
  }

  /** Mic audio that did not come over a routed port (a custom pipeline, or no worker). */
  sendAudio(frame: ArrayBuffer): void {
    if (this.#open) this.#link?.sendAudio(frame);
  }

  /**
   * What the client holds and has given up: the socket's `bufferedAmount` (bounded: past 2 s of
   * mic audio, new frames are dropped rather than sent seconds late) and the mic bytes dropped.
   */
  queued(): Promise<SocketQueue> {
    return this.#link?.queued() ?? Promise.resolve({ bufferedBytes: 0, droppedBytes: 0 });
  }

  close(): void {
    this.#link?.close(1000);
  }
}
