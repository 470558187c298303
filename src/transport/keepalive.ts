import type { ClientMessage, ServerMessage } from '../protocol/messages.js';

/**
 * PVP keepalive: `ping {ts}` every `intervalMs`; RTT from the matching `pong`;
 * `onDead` once when a ping stays unanswered longer than `timeoutMs`; `waiting` when a ping is the
 * first one left unanswered (so that a caller can rate the link at the exact moments it ages).
 */
export class Keepalive {
  #timer: ReturnType<typeof setInterval> | undefined;
  #oldestUnanswered: number | null = null;

  constructor(
    private readonly intervalMs: number,
    private readonly timeoutMs: number,
    private readonly hooks: { send(msg: ClientMessage): void; rtt(ms: number): void; dead(): void; waiting?(): void },
  ) {}

  start(): void {
    if (this.intervalMs <= 0 || this.#timer !== undefined) return;
    this.#timer = setInterval(() => {
      const now = Date.now();
      if (this.#oldestUnanswered !== null && now - this.#oldestUnanswered > this.timeoutMs) {
        this.stop();
        this.hooks.dead();
        return;
      }
      const first = this.#oldestUnanswered === null;
      this.#oldestUnanswered ??= now;
      try {
        this.hooks.send({ type: 'ping', ts: now });
      } catch {
        /* the channel is closing; its close handler reports that */
      }
      if (first) this.hooks.waiting?.();
    }, this.intervalMs);
  }

  /** How long the oldest unanswered ping has been waiting, ms (0: none). */
  unansweredFor(now = Date.now()): number {
    return this.#oldestUnanswered === null ? 0 : now - this.#oldestUnanswered;
  }

  /** Feed every server message; pongs answer the keepalive. */
  observe(msg: ServerMessage): void {
    if (msg.type !== 'pong') return;
    this.#oldestUnanswered = null;
    const rtt = Date.now() - msg.ts;
    if (rtt >= 0 && rtt < 600_000) this.hooks.rtt(rtt);
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }
}
