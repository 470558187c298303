import { html, nothing, type TemplateResult } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import type { CardArtifact, JsonObject, JsonValue } from '../../protocol/messages.js';
import type { ArtifactStrings } from './strings.js';

export interface CardRenderContext {
  strings: ArtifactStrings;
  /** `confirm` is available. */
  canConfirm: boolean;
  onConfirm: () => void;
  /** Formats numbers in the page's language. */
  number: (n: number) => string;
}

/** `cardType` → "Card type", `fluency_score` → "Fluency score": a readable term for a key. */
export const humanizeKey = (key: string): string => {
  const words = key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/[_-]+/g, ' ').trim().toLowerCase();
  return words ? words[0]!.toUpperCase() + words.slice(1) : key;
};

/** Levels of lists and definition lists inside a card; deeper values are one line of text. */
const MAX_DEPTH = 2;

const isObject = (v: JsonValue | undefined): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A value as one line of text: numbers in the page's language, lists joined, objects as `Key: value`. */
function plain(v: JsonValue, ctx: CardRenderContext): string {
  if (v === null) return '';
  if (typeof v === 'number') return ctx.number(v);
  if (typeof v === 'boolean') return v ? ctx.strings.yes : ctx.strings.no;
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return v.map((x) => plain(x, ctx)).join(', ');
  return Object.entries(v)
    .map(([k, x]) => `${humanizeKey(k)}: ${plain(x, ctx)}`)
    .join('; ');
}

function renderValue(v: JsonValue, depth: number, ctx: CardRenderContext): TemplateResult | string {
  if (depth > MAX_DEPTH || v === null || typeof v !== 'object') return plain(v, ctx);
  if (Array.isArray(v)) return html`<ul>${v.map((item) => html`<li>${renderValue(item, depth + 1, ctx)}</li>`)}</ul>`;
  return renderEntries(Object.entries(v), depth, ctx);
}

function renderEntries(entries: [string, JsonValue][], depth: number, ctx: CardRenderContext, part?: string): TemplateResult {
  return html`<dl part=${ifDefined(part)}>
    ${entries.map(([k, v]) => html`<dt>${humanizeKey(k)}</dt><dd>${renderValue(v, depth + 1, ctx)}</dd>`)}
  </dl>`;
}

const SCORE_KEY = /^(score|band|overall)$/i;
const numeric = (v: JsonValue | undefined): v is number | string =>
  typeof v === 'number' || (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)));

/**
 * The main score of a `score` card: a `score`, `band` or `overall` key (or one with `overall`
 * in its name), else the first number.
 */
export function mainScore(content: JsonObject): [string, number | string] | null {
  const entries = Object.entries(content).filter((e): e is [string, number | string] => numeric(e[1]));
  return entries.find(([k]) => SCORE_KEY.test(k)) ?? entries.find(([k]) => /overall/i.test(k)) ?? entries[0] ?? null;
}

/**
 * A card in either shape: documented `card_type/title/content`, or the reference backend's
 * `prompt/params` (real flows put `title`, `cardType`, `points`, `question`, `instructions` in
 * `params`). Content that is an object renders as a definition list, a list as a list; a
 * `score` card shows its main score first, large. Long content scrolls inside the card.
 */
export function renderCard(a: CardArtifact, ctx: CardRenderContext): TemplateResult {
  const params = isObject(a.params) ? a.params : {};
  const paramTitle = typeof params.title === 'string' ? params.title : undefined;
  const title = a.title ?? paramTitle ?? a.prompt;
  const cardType = a.card_type ?? (typeof params.cardType === 'string' ? params.cardType : undefined);
  let content = a.content;
  let score: [string, number | string] | null = null;
  if (cardType?.toLowerCase() === 'score') {
    score = isObject(content) ? mainScore(content) : numeric(content) ? ['score', content] : null;
    if (score && isObject(content)) content = Object.fromEntries(Object.entries(content).filter(([k]) => k !== score![0]));
    else if (score) content = undefined;
  }
  // The prompt is body text unless it had to serve as the title.
  const texts = [typeof content === 'string' ? content : undefined, title === a.prompt ? undefined : a.prompt].filter((s): s is string => !!s);
  const structured = content !== undefined && typeof content !== 'string' ? content : undefined;
  const entries = Object.entries(params).filter(
    ([k]) => k !== 'cardType' && !(k === 'title' && title === paramTitle && paramTitle !== undefined),
  );
  const hasBody = texts.length > 0 || structured !== undefined || entries.length > 0;
  return html`<section part="card" data-card-type=${ifDefined(cardType)} aria-labelledby=${ifDefined(title ? 'card-title' : undefined)}>
    ${title ? html`<h2 part="card-title" id="card-title" tabindex="-1">${title}</h2>` : nothing}
    ${score
      ? html`<p part="card-score" class="score"><span class="score-label">${humanizeKey(score[0])}</span>
          <span class="score-value">${typeof score[1] === 'number' ? ctx.number(score[1]) : score[1]}</span></p>`
      : nothing}
    ${hasBody
      ? html`<div part="card-body" class="card-body" data-label=${ctx.strings.cardDetails}>
          ${texts.map((b) => html`<p part="card-content">${b}</p>`)}
          ${structured === undefined
            ? nothing
            : isObject(structured)
              ? renderEntries(Object.entries(structured), 0, ctx, 'card-content')
              : html`<div part="card-content">${renderValue(structured, 0, ctx)}</div>`}
          ${entries.length ? renderEntries(entries, 0, ctx, 'card-params') : nothing}
        </div>`
      : nothing}
    ${ctx.canConfirm ? html`<button part="confirm" type="button" @click=${ctx.onConfirm}>${ctx.strings.confirm}</button>` : nothing}
  </section>`;
}
