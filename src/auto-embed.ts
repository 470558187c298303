/**
 * The one-script CMS embed: when the bundle's own `<script>` tag carries `data-ws-url` or
 * `data-session-url`, a `<prepatu-widget>` is added to the page with every `data-*`
 * attribute of the tag as its attribute (`data-ws-url` → `ws-url`, `data-placement` →
 * `placement`…).
 *
 * @example
 * <script src="https://cdn.example/prepatu.iife.js" data-session-url="/api/start-session" data-heading="Ask Aria"></script>
 */
export function autoEmbed(doc: Document = document, script: HTMLScriptElement | null = findScript(doc)): HTMLElement | null {
  if (!script || (!script.dataset['wsUrl'] && !script.dataset['sessionUrl'])) return null;
  if (script.dataset['prepatuEmbedded']) return null; // the bundle was loaded twice
  script.dataset['prepatuEmbedded'] = 'true';
  const widget = doc.createElement('prepatu-widget');
  for (const attr of Array.from(script.attributes)) {
    if (!attr.name.startsWith('data-') || attr.name === 'data-prepatu-embedded') continue;
    widget.setAttribute(attr.name.slice(5), attr.value);
  }
  const insert = () => doc.body.append(widget);
  if (doc.body) insert();
  else doc.addEventListener('DOMContentLoaded', insert, { once: true });
  return widget;
}

function findScript(doc: Document): HTMLScriptElement | null {
  // A classic script knows itself; a module script does not (currentScript is null there).
  const current = doc.currentScript;
  if (current instanceof HTMLScriptElement) return current;
  return doc.querySelector<HTMLScriptElement>('script[data-ws-url]:not([data-prepatu-embedded]), script[data-session-url]:not([data-prepatu-embedded])');
}
