// @ts-check
/**
 * `--replay trace.jsonl`: plays the server's side of a recorded session back to each client
 * that connects, with its original timing. Each server → client entry is sent at its recorded
 * offset from the connection (never earlier; later only by what the event loop adds), binary
 * frames as recorded (or silence of the same length when the trace kept no audio), then the
 * socket closes the way the trace's server closed it, or stays open. What the client sends is
 * logged, not answered, except `ping` (answered with `pong`, so the client's keepalive holds).
 */
import { WebSocket } from 'ws';

/** @typedef {import('./trace-file.js').Trace} Trace */
/** @typedef {import('./trace-file.js').TraceEntry} TraceEntry */

const MAX_LOGGED_MESSAGES = 1000;

/** @param {string} text */
const typeOf = (text) => {
  try {
    const m = JSON.parse(text);
    return typeof m?.type === 'string' ? m.type : null;
  } catch {
    return null;
  }
};

/**
 * What a replay sends, in order, with when (ms after the connection): the trace's server
 * entries, timed from its `open`. Recorded `pong`s answered the recording client's pings; this
 * client's pings get their own.
 * @param {Trace} trace
 */
export function replayPlan(trace) {
  // A session longer than the client's 10-minute bound lost its `open`: replay from the first entry kept.
  const t0 = (trace.entries.find((e) => e.kind === 'open') ?? trace.entries[0])?.t ?? 0;
  return trace.entries
    .filter((e) => e.dir === 'in' && e.kind !== 'open' && !(e.kind === 'text' && typeOf(/** @type {string} */ (e.text)) === 'pong'))
    .map((e) => ({ at: Math.max(0, Math.round((e.t - t0) * 10) / 10), entry: e }));
}

/** A figure for the start-up banner. @param {Trace} trace */
export function describeTrace(trace) {
  const plan = replayPlan(trace);
  const close = plan.find((p) => p.entry.kind === 'close');
  return {
    messages: plan.filter((p) => p.entry.kind === 'text').length,
    frames: plan.filter((p) => p.entry.kind === 'binary').length,
    durationMs: plan.at(-1)?.at ?? 0,
    close: close ? (close.entry.code ?? null) : undefined,
  };
}

/**
 * @param {{trace: Trace, testHooks: boolean, log: (msg: string) => void}} o
 */
export function createReplay(o) {
  const plan = replayPlan(o.trace);
  let count = 0;
  return {
    /** @param {WebSocket} ws */
    serve(ws) {
      const session = new ReplaySession(ws, plan, { testHooks: o.testHooks, log: (m) => o.log(`[r${++count} replay] ${m}`) });
      session.start();
    },
  };
}

class ReplaySession {
  /**
   * @param {WebSocket} ws
   * @param {{at: number, entry: TraceEntry}[]} plan
   * @param {{testHooks: boolean, log: (msg: string) => void}} o
   */
  constructor(ws, plan, o) {
    this.ws = ws;
    this.plan = plan;
    this.o = o;
    this.started = 0;
    this.next = 0;
    /** @type {ReturnType<typeof setTimeout>|undefined} */
    this.timer = undefined;
    /** @type {{line: number, due_ms: number, at_ms: number}[]} */
    this.sent = [];
    /** @type {unknown[]} */
    this.messages = [];
    this.audio = { bytes: 0, frames: 0 };
    ws.on('message', (data, isBinary) => {
      const buf = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
      if (isBinary) {
        this.audio.bytes += buf.length;
        this.audio.frames++;
      } else this.onText(buf.toString('utf8'));
    });
    ws.on('close', (code) => {
      clearTimeout(this.timer);
      o.log(`closed (${code}) after ${this.next}/${plan.length} entries; client audio: ${this.audio.bytes} bytes in ${this.audio.frames} frames`);
    });
    ws.on('error', (err) => o.log(`socket error: ${err.message}`));
  }

  start() {
    this.started = performance.now();
    this.o.log(`connected: replaying ${this.plan.length} entries over ${Math.round(this.plan.at(-1)?.at ?? 0)} ms`);
    this.tick();
  }

  /** Sends what is due, then sleeps until the next entry (re-checking: a timer may fire a little early). */
  tick() {
    const now = performance.now() - this.started;
    while (this.next < this.plan.length && /** @type {{at: number}} */ (this.plan[this.next]).at <= now) {
      if (this.ws.readyState !== WebSocket.OPEN) return;
      const { at, entry } = /** @type {{at: number, entry: TraceEntry}} */ (this.plan[this.next++]);
      this.sent.push({ line: entry.line, due_ms: at, at_ms: performance.now() - this.started });
      this.send(entry);
    }
    const next = this.plan[this.next];
    if (next) this.timer = setTimeout(() => this.tick(), Math.max(1, next.at - now));
  }

  /** @param {TraceEntry} e */
  send(e) {
    const ws = this.ws;
    if (e.kind === 'text') return ws.send(/** @type {string} */ (e.text));
    if (e.kind === 'binary') return ws.send(e.audio ?? Buffer.alloc(e.bytes ?? 0), { binary: true });
    if (e.kind !== 'close') return;
    this.o.log(`closing as recorded (${e.code ?? 'no code'})`);
    // 1005 (none), 1006 (abnormal) and 1015 (TLS) are never sent: they describe a close without a close frame.
    if (e.code === 1006 || e.code === 1015) return ws.terminate();
    try {
      if (e.code === undefined || e.code === 1005) ws.close();
      else ws.close(e.code, Buffer.from(e.reason ?? '').subarray(0, 123).toString());
    } catch {
      ws.terminate();
    }
  }

  /** @param {string} text */
  onText(text) {
    let msg;
    try {
      msg = JSON.parse(text);
    } catch {
      return this.o.log(`client sent text that is not JSON: ${text.slice(0, 200)}`);
    }
    if (msg?.type === 'ping') {
      if (typeof msg.ts === 'number') this.ws.send(JSON.stringify({ type: 'pong', ts: msg.ts, server_ts: Date.now() }));
      return;
    }
    if (msg?.type === '__test' && this.o.testHooks) return this.onTestHook(msg);
    if (this.messages.length < MAX_LOGGED_MESSAGES) this.messages.push(msg);
    this.o.log(`client: ${text.slice(0, 500)}`);
  }

  /** @param {Record<string, unknown>} msg */
  onTestHook(msg) {
    if (msg.do !== 'stats') {
      this.ws.send(JSON.stringify({ type: 'error', message: `__test: a replay answers only "stats", not ${JSON.stringify(msg.do)}` }));
      return;
    }
    const uiEvents = this.messages.flatMap((m) => (/** @type {any} */ (m)?.type === 'ui_event' ? [{ action: /** @type {any} */ (m).action, data: /** @type {any} */ (m).data ?? {} }] : []));
    this.ws.send(
      JSON.stringify({
        type: '__test_stats',
        ...(msg.id !== undefined ? { id: msg.id } : {}),
        replay: true,
        messages: this.messages,
        ui_events: uiEvents,
        audio_bytes: this.audio.bytes,
        audio_frames: this.audio.frames,
        sent: this.sent,
        pending: this.plan.length - this.next,
      }),
    );
  }
}
