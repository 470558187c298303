import { PrepatuError } from '../../protocol/errors.js';
import { PvpSocket } from '../pvp-socket.js';
import { closeToWire, toWire, type FromWorker, type ToWorker } from './messages.js';

/** The dedicated worker's global scope, typed locally (the library's `lib` is the DOM's). */
export interface WorkerScope {
  postMessage(message: FromWorker, transfer?: Transferable[]): void;
  onmessage: ((event: MessageEvent<ToWorker>) => void) | null;
  close(): void;
}

/** Server audio held while the playback port is on its way: at most this much (60 s of 16 kHz PCM16). */
const MAX_HELD_BYTES = 60 * 32_000;

/**
 * The socket worker: owns the PVP WebSocket of one session. Mic frames come straight from the
 * capture worklet's port and leave on the socket; server audio goes straight to the playback
 * worklet's port. The page only gets parsed messages and state changes, so a busy main thread
 * delays no audio frame (where the engine lets a worker's socket run on its own).
 */
export function startSocketWorker(scope: WorkerScope): void {
  let socket: PvpSocket | null = null;
  let playback: MessagePort | null = null;
  let capture: MessagePort | null = null;
  /** Waiting for the playback port: server audio is held, in order. */
  let holding = false;
  let held: ArrayBuffer[] = [];
  let heldBytes = 0;
  const post = (m: FromWorker, transfer?: Transferable[]) => scope.postMessage(m, transfer);

  const deliver = (frame: ArrayBuffer) => {
    if (playback) playback.postMessage(frame, [frame]);
    else if (holding) {
      held.push(frame);
      heldBytes += frame.byteLength;
      while (heldBytes > MAX_HELD_BYTES) heldBytes -= held.shift()!.byteLength;
    } else post({ t: 'audio', frame }, [frame]);
  };

  const setPorts = (c: MessagePort | null, p: MessagePort | null) => {
    capture?.close();
    playback?.close();
    capture = c;
    playback = p;
    if (capture) capture.onmessage = (e: MessageEvent<ArrayBuffer>) => socket?.sendAudio(e.data);
    holding = false;
    const frames = held;
    held = [];
    heldBytes = 0;
    for (const f of frames) deliver(f);
  };

  const end = () => {
    setPorts(null, null);
    socket = null;
    // Lets the close frame leave before the worker goes.
    setTimeout(() => scope.close(), 100);
  };

  scope.onmessage = (e) => {
    const m = e.data;
    switch (m.t) {
      case 'connect': {
        const s = new PvpSocket(m.options, {
          message: (message) => post({ t: 'message', message }),
          audio: deliver,
          warning: (warning) => post({ t: 'warning', warning }),
          rtt: (ms) => post({ t: 'rtt', ms }),
          quality: (quality, warning) => post(warning ? { t: 'quality', quality, warning } : { t: 'quality', quality }),
          close: (reason) => {
            // The worker goes away with the socket: the page keeps the trace from here on.
            post({ t: 'trace', blob: s.trace(), final: true });
            post({ t: 'close', reason: closeToWire(reason) });
            end();
          },
        });
        socket = s;
        s.open().then(
          () => post({ t: 'open' }),
          (error: unknown) => {
            post({ t: 'trace', blob: s.trace(), final: true });
            post({ t: 'fail', error: toWire(error instanceof PrepatuError ? error : new PrepatuError('connection_failed', String(error))) });
            end();
          },
        );
        break;
      }
      case 'text':
        try {
          socket?.sendText(m.text);
        } catch {
          /* closing: the close event says why */
        }
        break;
      case 'audio':
        socket?.sendAudio(m.frame);
        break;
      case 'expect-ports':
        holding = true;
        break;
      case 'ports':
        setPorts(m.capture, m.playback);
        break;
      case 'queued':
        post({ t: 'queued', ...(socket?.queued ?? { bufferedBytes: 0, droppedBytes: 0 }) });
        break;
      case 'trace':
        post({ t: 'trace', blob: socket?.trace() ?? null, final: false });
        break;
      case 'close':
        if (socket) socket.close(m.code);
        else end();
        break;
    }
  };
  post({ t: 'ready' });
}
