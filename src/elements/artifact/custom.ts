import type { JsonObject } from '../../protocol/messages.js';

// Names the HTML spec reserves: they match the pattern but are not custom elements.
const RESERVED = new Set([
  'annotation-xml', 'color-profile', 'font-face', 'font-face-src',
  'font-face-uri', 'font-face-format', 'font-face-name', 'missing-glyph',
]);
const TAG = /^[a-z][a-z0-9._-]*-[a-z0-9._-]*$/;

/** A name the page could have defined as a custom element (so never `script`, `img`, `iframe`…). */
export const isValidTagName = (tag: string): boolean => TAG.test(tag) && !RESERVED.has(tag);

/** The documented mapping of a `custom` artifact's `component`: `ScoreGauge` → `score-gauge`, `XMLView` → `xml-view`. */
export const componentToTag = (component: string): string =>
  component
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1-$2')
    .toLowerCase();

/** Tag for a component (the `components` map first, then the mapping), or `null` when it is not a valid custom-element name. */
export function resolveComponentTag(component: unknown, components: Readonly<Record<string, string>>): string | null {
  if (typeof component !== 'string' || component === '') return null;
  const mapped = Object.hasOwn(components, component) ? components[component] : componentToTag(component);
  return typeof mapped === 'string' && isValidTagName(mapped) ? mapped : null;
}

// Props a server must never set on a page element: markup sinks, event-handler
// properties (`onclick`, `onerror`…) and prototype plumbing.
const BLOCKED_PROP = /^(?:on[a-z]*|innerHTML|outerHTML|srcdoc|__proto__|constructor|prototype)$/;

/** Creates the page's element (never from markup) and sets each prop as a property. */
export function createCustomElement(tag: string, props: JsonObject | undefined, doc: Document = document): HTMLElement {
  const el = doc.createElement(tag);
  const safe = props && typeof props === 'object' && !Array.isArray(props) ? props : {};
  for (const [key, value] of Object.entries(safe)) {
    if (BLOCKED_PROP.test(key)) continue;
    try {
      Reflect.set(el, key, value);
    } catch {
      // A read-only or throwing setter on the page's element: skip that prop.
    }
  }
  return el;
}
