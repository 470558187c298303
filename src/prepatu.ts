// Entry of the script-tag bundle (dist/prepatu.js; dist/prepatu.iife.js loads it). Defines
// <prepatu-widget> at once — its launcher is all a page loads before the visitor shows interest —
// and everything else as it is needed: the widget's panel on the first sign of interest, the other
// elements as soon as one appears in the page, and all of it when the browser is idle after load.
import { autoEmbed } from './auto-embed.js';
import { PrepatuWidget } from './elements/prepatu-widget.js';

export { PrepatuWidget, autoEmbed };

/** Tags whose presence in the page loads the rest at once (pages that compose the elements). */
const ELEMENTS = 'prepatu-session,prepatu-artifact,prepatu-transcript,prepatu-orb';

let rest: Promise<typeof import('./index.js')> | null = null;
let stopWatching = (): void => {};

/**
 * Loads the rest: every element defined, and the whole API (`VoiceAgent`, the protocol, the
 * transports). Resolves with it, for headless use from the script tag:
 * `const { VoiceAgent } = await Prepatu.load()`.
 */
export function load(): Promise<typeof import('./index.js')> {
  if (!rest) {
    stopWatching();
    rest = import('./elements/widget/load-panel.js').then(() => import('./index.js'));
  }
  return rest;
}

PrepatuWidget.define();
autoEmbed();

/** Loads the rest when a page (or a framework, later) puts one of the other elements in. */
function watchForElements(): void {
  if (document.querySelector(ELEMENTS)) return void load();
  if (rest) return;
  const seen = new MutationObserver((records) => {
    for (const r of records)
      for (const n of r.addedNodes) if (n instanceof Element && (n.matches(ELEMENTS) || n.querySelector(ELEMENTS))) return void load();
  });
  seen.observe(document.documentElement, { childList: true, subtree: true });
  stopWatching = () => seen.disconnect();
}

const idle = () => ('requestIdleCallback' in globalThis ? requestIdleCallback(() => void load(), { timeout: 5000 }) : setTimeout(() => void load(), 500));
if (document.readyState === 'complete') idle();
else addEventListener('load', idle, { once: true });
if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', watchForElements, { once: true });
else watchForElements();
