import { html, nothing, type TemplateResult } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import type { OptionsArtifact } from '../../protocol/messages.js';
import type { ArtifactStrings } from './strings.js';

export interface OptionsRenderContext {
  strings: ArtifactStrings;
  /** `option_select` is available. */
  enabled: boolean;
  selectedId: string | null;
  /** The option that takes the Tab stop (roving tabindex). */
  activeIndex: number;
  onSelect: (id: string) => void;
  onKeydown: (event: KeyboardEvent) => void;
}

/**
 * Options as a group of buttons with one Tab stop: arrow keys, Home and End move
 * between them, Enter and Space choose (native button behaviour).
 */
export function renderOptions(a: OptionsArtifact, ctx: OptionsRenderContext): TemplateResult {
  const options = Array.isArray(a.options) ? a.options : [];
  const active = Math.min(ctx.activeIndex, options.length - 1);
  return html`<div part="options-container">
    ${a.prompt ? html`<p class="prompt" part="prompt" id="options-prompt" tabindex="-1">${a.prompt}</p>` : nothing}
    <div
      part="options"
      role="group"
      aria-labelledby=${ifDefined(a.prompt ? 'options-prompt' : undefined)}
      aria-label=${ifDefined(a.prompt ? undefined : ctx.strings.optionsLabel)}
      @keydown=${ctx.onKeydown}
    >
      ${options.map(
        (o, i) => html`<button
          type="button"
          part=${o.id === ctx.selectedId ? 'option option-selected' : 'option'}
          data-index=${i}
          tabindex=${i === active ? '0' : '-1'}
          aria-pressed=${o.id === ctx.selectedId ? 'true' : 'false'}
          ?disabled=${!ctx.enabled}
          @click=${() => ctx.onSelect(o.id)}
        >
          <span class="label">${o.label}</span>
          ${o.description ? html`<span class="description">${o.description}</span>` : nothing}
        </button>`,
      )}
    </div>
  </div>`;
}

/** Index to move to for a navigation key, or `null` for any other key. */
export function nextOptionIndex(key: string, current: number, count: number): number | null {
  if (count === 0) return null;
  switch (key) {
    case 'ArrowDown':
    case 'ArrowRight':
      return (current + 1) % count;
    case 'ArrowUp':
    case 'ArrowLeft':
      return (current - 1 + count) % count;
    case 'Home':
      return 0;
    case 'End':
      return count - 1;
    default:
      return null;
  }
}
