// Shared by the element tests: talking to the dev server through a <prepatu-session>.
import type { PrepatuSession } from '../../src/elements/prepatu-session.js';
import type { WebSocketTransport } from '../../src/transport/websocket-transport.js';
import { until, type ServerStats } from '../support/servers.js';

/** Sends a `{"type":"__test",…}` hook over the session's socket. */
export function hook(el: PrepatuSession, o: object): void {
  (el.agent!.transport as WebSocketTransport).sendText(JSON.stringify({ type: '__test', ...o }));
}

/** What the server has seen so far (ui_events, audio…). */
export async function stats(el: PrepatuSession): Promise<ServerStats> {
  let got: ServerStats | undefined;
  const onMessage = (e: HTMLElementEventMap['prepatu-message']) => {
    const m = e.detail.message;
    if (m.type === 'unknown' && m.original_type === '__test_stats') got = m.raw as unknown as ServerStats;
  };
  el.addEventListener('prepatu-message', onMessage);
  try {
    hook(el, { do: 'stats' });
    await until(() => got !== undefined, 'server stats');
    return got!;
  } finally {
    el.removeEventListener('prepatu-message', onMessage);
  }
}

const mounted: HTMLElement[] = [];

/**
 * Puts `markup` in a fresh container on the page. Unlike `fixture()` of a plain element, it
 * does not wait for an animation frame, which a background tab (concurrent test files)
 * may not get for a long time.
 */
export function mount(markup: string): HTMLDivElement {
  const host = document.createElement('div');
  host.innerHTML = markup;
  document.body.append(host);
  mounted.push(host);
  return host;
}

/** Removes what `mount()` added (which also ends the sessions in it). */
export function unmountAll(): void {
  for (const host of mounted.splice(0)) host.remove();
}
