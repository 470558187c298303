import { html, nothing, type TemplateResult } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import type { CardArtifact, JsonValue } from '../../protocol/messages.js';
import type { ArtifactStrings } from './strings.js';

export interface CardRenderContext {
  strings: ArtifactStrings;
  /** `confirm` is available. */
  canConfirm: boolean;
  onConfirm: () => void;
}

const text = (v: JsonValue): string =>
  v === null ? '' : typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);

/** `cardType` → "Card type", `points` → "Points": a readable term for a param key. */
export const humanizeKey = (key: string): string => {
  const words = key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/[_-]+/g, ' ').trim().toLowerCase();
  return words ? words[0]!.toUpperCase() + words.slice(1) : key;
};

function renderValue(v: JsonValue): TemplateResult | string {
  if (Array.isArray(v)) return html`<ul>${v.map((item) => html`<li>${text(item)}</li>`)}</ul>`;
  return text(v);
}

/**
 * A card in either shape: documented `card_type/title/content`, or the reference
 * backend's `prompt/params` (real flows put `title`, `cardType`, `points`,
 * `question`, `instructions` in `params`). Params render as a definition list.
 */
export function renderCard(a: CardArtifact, ctx: CardRenderContext): TemplateResult {
  const params = a.params && typeof a.params === 'object' && !Array.isArray(a.params) ? a.params : {};
  const paramTitle = typeof params.title === 'string' ? params.title : undefined;
  const title = a.title ?? paramTitle ?? a.prompt;
  // The prompt is body text unless it had to serve as the title.
  const body = [a.content, title === a.prompt ? undefined : a.prompt].filter((s): s is string => !!s);
  const cardType = a.card_type ?? (typeof params.cardType === 'string' ? params.cardType : undefined);
  const entries = Object.entries(params).filter(
    ([k]) => k !== 'cardType' && !(k === 'title' && title === paramTitle && paramTitle !== undefined),
  );
  return html`<section part="card" data-card-type=${ifDefined(cardType)} aria-labelledby=${ifDefined(title ? 'card-title' : undefined)}>
    ${title ? html`<h2 part="card-title" id="card-title" tabindex="-1">${title}</h2>` : nothing}
    ${body.map((b) => html`<p part="card-content">${b}</p>`)}
    ${entries.length
      ? html`<dl part="card-params">
          ${entries.map(([k, v]) => html`<dt>${humanizeKey(k)}</dt><dd>${renderValue(v)}</dd>`)}
        </dl>`
      : nothing}
    ${ctx.canConfirm ? html`<button part="confirm" type="button" @click=${ctx.onConfirm}>${ctx.strings.confirm}</button>` : nothing}
  </section>`;
}
