// Shared by the element tests: talking to the dev server through a <prepatu-session>, media
// emulation where the launcher has it, and phone-sized or dark frames where it has not.
import { emulateMedia } from '@web/test-runner-commands';
import type { PrepatuSession } from '../../src/elements/prepatu-session.js';
import type { WebSocketTransport } from '../../src/transport/websocket-transport.js';
import { isStatsAnswer, statsId, until, type ServerStats } from '../support/servers.js';

/** Sends a `{"type":"__test",…}` hook over the session's socket. */
export function hook(el: PrepatuSession, o: object): void {
  (el.agent!.transport as WebSocketTransport).sendText(JSON.stringify({ type: '__test', ...o }));
}

/** What the server has seen so far (ui_events, audio…). */
export async function stats(el: PrepatuSession): Promise<ServerStats> {
  let got: ServerStats | undefined;
  const id = statsId();
  const onMessage = (e: HTMLElementEventMap['prepatu-message']) => {
    const m = e.detail.message;
    if (isStatsAnswer(m, id)) got = m.raw as unknown as ServerStats;
  };
  el.addEventListener('prepatu-message', onMessage);
  try {
    hook(el, { do: 'stats', id });
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

export interface TestFrame {
  win: Window & typeof globalThis;
  doc: Document;
  remove(): void;
}

/**
 * A same-origin iframe of its own size with the elements defined in it. It is a real viewport
 * in every engine (the WebDriver launchers of Firefox and WebKit cannot resize the page), and
 * Firefox takes the frame's `prefers-color-scheme` from the iframe element's `color-scheme`.
 */
export async function frame(body: string, { width = 360, height = 640, colorScheme = 'light' } = {}): Promise<TestFrame> {
  const iframe = document.createElement('iframe');
  iframe.title = 'test frame';
  iframe.setAttribute('style', `width:${width}px;height:${height}px;border:0;color-scheme:${colorScheme}`);
  iframe.srcdoc = `<!doctype html><html lang="en"><meta name="viewport" content="width=device-width"><title>frame</title>
    <body style="margin:0">${body}<script type="module">import '/src/define.ts';</script></body></html>`;
  const loaded = new Promise((r) => iframe.addEventListener('load', r, { once: true }));
  document.body.append(iframe);
  await loaded;
  const win = iframe.contentWindow as Window & typeof globalThis;
  await until(() => !!win.customElements.get('prepatu-widget'), 'the elements to be defined in the frame', 15_000);
  return { win, doc: win.document, remove: () => iframe.remove() };
}

/**
 * Only Playwright's Chromium launcher implements `emulateMedia` here. Puppeteer's Firefox
 * (WebDriver BiDi) throws "CDP support is required", or hangs when two pages ask at once, and
 * WebKitWebDriver has no such command, so those engines are not asked at all.
 */
const canEmulate = /Chrome\//.test(navigator.userAgent);

/** `emulateMedia` where the launcher has it: true once applied, false where it cannot be. */
export async function emulate(media: Parameters<typeof emulateMedia>[0]): Promise<boolean> {
  if (!canEmulate) return false;
  await emulateMedia(media);
  return true;
}

/**
 * Renders `body` somewhere whose `prefers-color-scheme` is dark: this page under emulation
 * (Chromium), else a frame whose embedder asks for dark (Firefox), else null (WebKitGTK can do
 * neither here).
 */
export async function darkScheme(body: string): Promise<{ doc: Document; restore(): Promise<void> } | null> {
  if ((await emulate({ colorScheme: 'dark' })) && matchMedia('(prefers-color-scheme: dark)').matches) {
    const host = mount(body);
    return {
      doc: document,
      restore: async () => {
        host.remove();
        await emulate({ colorScheme: 'light' });
      },
    };
  }
  const f = await frame(body, { colorScheme: 'dark' });
  if (f.win.matchMedia('(prefers-color-scheme: dark)').matches) return { doc: f.doc, restore: async () => f.remove() };
  f.remove();
  return null;
}

/** Runs axe-core inside the element's own window (chai-a11y-axe only checks this page's nodes). */
export async function axeViolations(el: Element): Promise<string[]> {
  const win = el.ownerDocument.defaultView as Window & { axe?: { run(el: Element): Promise<{ violations: { id: string; help: string }[] }> } };
  if (!win.axe) {
    const script = el.ownerDocument.createElement('script');
    script.src = '/node_modules/axe-core/axe.min.js';
    const loaded = new Promise((resolve, reject) => ((script.onload = resolve), (script.onerror = reject)));
    el.ownerDocument.head.append(script);
    await loaded;
  }
  const { violations } = await win.axe!.run(el);
  return violations.map((v) => `${v.id}: ${v.help}`);
}

/** The widget's shadow root and its panel's (where the session, the artifact and the controls live). */
export function widgetRoots(el: Element): ShadowRoot[] {
  const panel = el.shadowRoot?.querySelector('prepatu-widget-panel');
  return [el.shadowRoot, panel?.shadowRoot].filter((r): r is ShadowRoot => r != null);
}

/** The first match of `selector` in the widget or its panel. */
export function widgetQuery<T extends Element = HTMLElement>(el: Element, selector: string): T | null {
  for (const root of widgetRoots(el)) {
    const found = root.querySelector<T>(selector);
    if (found) return found;
  }
  return null;
}

/** The focused element inside the widget (its panel's, when focus is in the panel). */
export function widgetFocus(el: Element): Element | null {
  const [shell, panel] = widgetRoots(el);
  return panel?.activeElement ?? shell?.activeElement ?? null;
}
