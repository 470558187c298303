import { consume } from '@lit/context';
import { LitElement, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { EMPTY_FLOW_VIEW, isActionAvailable, type FlowView } from '../protocol/flow-view.js';
import type { Artifact, FormArtifact, JsonObject, JsonValue } from '../protocol/messages.js';
import { renderCard } from './artifact/card.js';
import { createCustomElement, resolveComponentTag } from './artifact/custom.js';
import {
  displayValue,
  fieldDomId,
  formValues,
  newFieldState,
  renderForm,
  toInputValue,
  validateForm,
  type FieldState,
} from './artifact/form.js';
import { nextOptionIndex, renderOptions } from './artifact/options.js';
import { DEFAULT_ARTIFACT_STRINGS, formatString, type ArtifactStrings } from './artifact/strings.js';
import { ScrollRegionController } from './artifact/scroll-region.js';
import { artifactStyles } from './artifact/styles.js';
import { sessionContext, type SessionContextValue } from './context.js';
import { PrepatuNavigateEvent, PrepatuUiEvent, PrepatuUnknownArtifactEvent } from './events.js';

export { DEFAULT_ARTIFACT_STRINGS, type ArtifactStrings } from './artifact/strings.js';

/**
 * Renders the flow's current UI artifact (form, options, card, custom component)
 * and turns what the user does with it into `prepatu-ui-event`s. Inside
 * `<prepatu-session>` it follows the session's flow view; alone, set `artifact`.
 *
 * Server text is only ever rendered as text. Values the agent fills by voice never
 * overwrite a field the user is typing in. Actions missing from the server's
 * `available_actions` are not offered.
 *
 * Form fields may be `text`, `email`, `tel`, `number`, `date`, `time`, `url`, `textarea`,
 * `select` and `radio` (with `options`; a radio group is a fieldset) or `checkbox` (a boolean in
 * `form_submit`); anything else is text. Each input gets the `autocomplete` token and
 * `inputmode` its id suggests (`first_name` → `given-name`, `phone` → `tel`…), is validated
 * for its type, and takes voice-filled values coerced to it ("yes" checks a box, a label picks
 * its option, dates become yyyy-mm-dd). A card's `content` may be text, a list or an object
 * (a definition list with readable keys and numbers in the page's language); a `score` card
 * shows its main score large; long content scrolls inside the card, reachable by keyboard.
 *
 * @example
 * ```html
 * <prepatu-session ws-url="wss://voice.example.com/ws?mode=flow" program-id="onboarding">
 *   <prepatu-artifact focus-on-change></prepatu-artifact>
 * </prepatu-session>
 * ```
 *
 * @tagname prepatu-artifact
 * @summary The current flow artifact of a Prepatu voice session, as accessible UI.
 *
 * @csspart surface - Wrapper of the rendered artifact.
 * @csspart form - The `<form>` of a form artifact.
 * @csspart prompt - Prompt text of a form or options artifact.
 * @csspart field - One label + control group (`field field-checkbox` for a checkbox, `field fieldset` for a radio group).
 * @csspart fieldset - A radio group's `<fieldset>` (its legend is the `label` part).
 * @csspart label - A field's label, or a radio group's legend.
 * @csspart input - A field's input, textarea or select.
 * @csspart choice - The label of one radio button.
 * @csspart check - A checkbox or radio button.
 * @csspart error - A field's validation message.
 * @csspart voice-filled - Badge on a field the agent filled by voice.
 * @csspart submit - The form's submit button.
 * @csspart options-container - Wrapper of prompt and options.
 * @csspart options - The group of option buttons.
 * @csspart option - One option button (`option-selected` too once chosen).
 * @csspart card - A card artifact.
 * @csspart card-title - The card's title.
 * @csspart card-score - The main score of a `score` card, shown large.
 * @csspart card-body - The card's text and values; scrolls (and becomes a focusable region) when long.
 * @csspart card-content - The card's content: a paragraph of text, a list, or a definition list of its values.
 * @csspart card-params - Definition list of the card's params.
 * @csspart confirm - The card's confirm button.
 * @csspart custom - Wrapper of the page's own element for a `custom` artifact.
 * @csspart notice - Polite status notice (transition blocked).
 *
 * @cssprop --prepatu-font - Font family.
 * @cssprop --prepatu-accent - Accent colour (buttons, voice-filled inputs, focus).
 * @cssprop --prepatu-on-accent - Text colour on the accent.
 * @cssprop --prepatu-bg - Background colour.
 * @cssprop --prepatu-fg - Text colour.
 * @cssprop --prepatu-muted - Secondary text and borders.
 * @cssprop --prepatu-radius - Corner radius.
 * @cssprop --prepatu-focus-ring - Focus outline colour.
 * @cssprop --prepatu-error - Validation error colour.
 * @cssprop [--prepatu-card-max-height=18rem] - Height from which a card's content scrolls.
 *
 * @fires {PrepatuUiEvent} prepatu-ui-event - `form_submit`, `form_validation_error`, `option_select` or `confirm`; cancelable.
 * @fires {PrepatuNavigateEvent} prepatu-navigate - Once per `navigate` artifact (`detail.screen`, `params`, `options`); cancelable, the page decides what a screen is.
 * @fires {PrepatuUnknownArtifactEvent} prepatu-unknown-artifact - Once per artifact it cannot render (unknown type, invalid custom component).
 */
export class PrepatuArtifact extends LitElement {
  static override styles = artifactStyles;

  /** Registers the element; a second call (or an already-used tag) is a no-op. */
  static define(tag = 'prepatu-artifact', registry: CustomElementRegistry = customElements): void {
    if (registry.get(tag)) return;
    try {
      registry.define(tag, this);
    } catch {
      // This class is already registered under another tag: register a subclass.
      registry.define(tag, class extends this {});
    }
  }

  /** Artifact to render instead of the session's current one (`undefined`: follow the session). */
  @property({ attribute: false }) artifact?: Artifact | null;

  /** `custom` component name → tag name, over the default mapping `ScoreGauge` → `score-gauge`. */
  @property({ attribute: false }) components: Record<string, string> = {};

  /** Overrides for the element's own text (i18n). */
  @property({ attribute: false }) strings: Partial<ArtifactStrings> = {};

  /** Move focus into each new artifact even when focus is elsewhere on the page. */
  @property({ type: Boolean, attribute: 'focus-on-change' }) focusOnChange = false;

  /** The session this element is inside, if any. */
  @consume({ context: sessionContext, subscribe: true })
  @state()
  protected session?: SessionContextValue;

  @state() private _announcement = '';
  @state() private _selectedId: string | null = null;
  @state() private _optionIndex = 0;

  #shown: Artifact | null = null;
  #changed = false;
  #hadFocus = false;
  #fields = new Map<string, FieldState>();
  #lastFilled: FlowView['filled'] | null = null;
  #applied = new Map<string, string>();
  #custom: { tag: string; el: HTMLElement } | null = null;
  #reported = new WeakSet<object>();
  #numbers: { lang: string; format: Intl.NumberFormat } | null = null;

  constructor() {
    super();
    new ScrollRegionController(this, '.card-body');
  }

  private get flow(): FlowView {
    return this.session?.state.flow ?? EMPTY_FLOW_VIEW;
  }

  private get text(): ArtifactStrings {
    return { ...DEFAULT_ARTIFACT_STRINGS, ...this.strings };
  }

  private get current(): Artifact | null {
    return this.artifact !== undefined ? this.artifact : this.flow.artifact;
  }

  #can(action: string): boolean {
    return isActionAvailable(this.flow, action);
  }

  #field(id: string): FieldState {
    let st = this.#fields.get(id);
    if (!st) this.#fields.set(id, (st = newFieldState()));
    return st;
  }

  protected override willUpdate(changed: PropertyValues): void {
    const artifact = this.current;
    if (artifact !== this.#shown) {
      // Checked before the old artifact's DOM goes away.
      this.#hadFocus = this.shadowRoot?.activeElement != null;
      this.#shown = artifact;
      this.#changed = true;
      this.#fields = new Map();
      this.#applied = new Map();
      this.#lastFilled = null;
      this.#custom = null;
      this._selectedId = null;
      this._optionIndex = 0;
      this._announcement = '';
    }
    if (artifact?.artifact_type === 'form') this.#applyFilled(artifact);
    if (artifact?.artifact_type === 'custom' && (this.#changed || changed.has('components'))) this.#resolveCustom(artifact);
    const orb = artifact?.artifact_type === 'orb_layout' ? artifact.position : this.flow.orbPosition;
    if (orb) this.setAttribute('orb-position', orb);
    else this.removeAttribute('orb-position');
  }

  /** Applies new voice-filled values, except over a field the user is typing in. */
  #applyFilled(form: FormArtifact): void {
    const filled = this.flow.filled;
    if (filled === this.#lastFilled) return;
    this.#lastFilled = filled;
    const focused = (this.shadowRoot?.activeElement as HTMLInputElement | null)?.name;
    const said: string[] = [];
    for (const f of form.fields ?? []) {
      if (!Object.hasOwn(filled, f.id)) continue;
      const value = filled[f.id] as JsonValue;
      const key = JSON.stringify(value);
      if (this.#applied.get(f.id) === key) continue;
      this.#applied.set(f.id, key);
      const st = this.#field(f.id);
      if (st.edited && focused === f.id) continue; // the user's text wins
      Object.assign(st, { value: toInputValue(value, f), voice: true, edited: false, error: null });
      said.push(formatString(this.text.voiceFilledAnnouncement, { field: f.label ?? f.id, value: displayValue(st.value, f, this.text) }));
    }
    if (said.length) this._announcement = said.join('. ');
  }

  #resolveCustom(a: Extract<Artifact, { artifact_type: 'custom' }>): void {
    const tag = resolveComponentTag(a.component, this.components);
    if (tag === null) this.#custom = null;
    else if (this.#custom?.tag !== tag) this.#custom = { tag, el: createCustomElement(tag, a.props) };
  }

  protected override render(): TemplateResult {
    const blocked = this.flow.blocked;
    const reason = blocked ? (blocked.detail ?? blocked.reason ?? '') : '';
    return html`<div class="surface" part="surface">${this.#renderArtifact()}</div><div
        part="notice"
        role="status"
        class=${blocked ? 'shown' : ''}
      >${blocked ? html`<span class="notice-prefix">${this.text.blocked}</span> ${reason}` : nothing}</div><div
        class="sr-only"
        aria-live="polite"
      >${this._announcement}</div>`;
  }

  #renderArtifact(): TemplateResult | typeof nothing {
    const a = this.#shown;
    const strings = this.text;
    switch (a?.artifact_type) {
      case 'form':
        return renderForm(a, {
          strings,
          field: (id) => this.#field(id),
          canSubmit: this.#can('form_submit'),
          onInput: this.#onInput,
          onSubmit: this.#onSubmit,
        });
      case 'options':
        return renderOptions(a, {
          strings,
          enabled: this.#can('option_select'),
          selectedId: this._selectedId,
          activeIndex: this._optionIndex,
          onSelect: this.#onSelect,
          onKeydown: this.#onOptionsKeydown,
        });
      case 'card':
        return renderCard(a, { strings, canConfirm: this.#can('confirm'), onConfirm: this.#onConfirm, number: this.#formatNumber });
      case 'custom':
        return this.#custom ? html`<div part="custom">${this.#custom.el}</div>` : nothing;
      default:
        // orb_layout, navigate, dismiss, field_update, unknown: nothing to show here.
        return nothing;
    }
  }

  protected override updated(): void {
    if (!this.#changed) return;
    this.#changed = false;
    const a = this.#shown;
    if (!a) return;
    if (!this.#reported.has(a)) {
      // Built before dispatch so the manifest analyzer takes the @fires docs, not a guess.
      const event =
        a.artifact_type === 'navigate'
          ? new PrepatuNavigateEvent(a.screen, a.params ?? {}, a.options ?? [])
          : a.artifact_type === 'unknown' || (a.artifact_type === 'custom' && !this.#custom)
            ? new PrepatuUnknownArtifactEvent(a)
            : null;
      if (event) {
        this.#reported.add(a);
        this.dispatchEvent(event);
      }
    }
    // Follow the user's focus into the new artifact; never take it from the page uninvited.
    if (this.#hadFocus || this.focusOnChange) this.#focusTarget()?.focus();
  }

  #focusTarget(): HTMLElement | null {
    const root = this.shadowRoot;
    if (!root) return null;
    return root.querySelector<HTMLElement>(
      'form :is(input, select, textarea), #options-prompt, [part~="option"]:not(:disabled), #card-title, [part~="confirm"]',
    );
  }

  #emit(action: string, data: JsonObject): boolean {
    const event = new PrepatuUiEvent({ action, data, flow_id: this.flow.flowId });
    return this.dispatchEvent(event);
  }

  /** Numbers in the language of the page (or of the nearest `lang` around this element). */
  #formatNumber = (n: number): string => {
    const lang = this.closest<HTMLElement>('[lang]')?.lang || this.ownerDocument.documentElement.lang || '';
    if (this.#numbers?.lang !== lang) {
      let format: Intl.NumberFormat;
      try {
        format = new Intl.NumberFormat(lang || undefined);
      } catch {
        format = new Intl.NumberFormat(); // not a language tag: the browser's own
      }
      this.#numbers = { lang, format };
    }
    return this.#numbers.format.format(n);
  };

  #onInput = (id: string, e: Event): void => {
    const st = this.#field(id);
    const target = e.target as HTMLInputElement;
    const value = target.type === 'checkbox' ? (target.checked ? 'true' : '') : target.value;
    st.value = value;
    st.edited = true;
    st.voice = false;
    st.error = null;
    this.requestUpdate();
  };

  #onSubmit = async (e: SubmitEvent): Promise<void> => {
    e.preventDefault();
    const a = this.#shown;
    // Enter in a lone text field submits even without a button: honour available_actions here too.
    if (a?.artifact_type !== 'form' || !this.#can('form_submit')) return;
    const fields = a.fields ?? [];
    const value = (id: string) => this.#field(id).value;
    const input = (id: string) =>
      [...(this.shadowRoot?.querySelectorAll('input') ?? [])].find((i) => i.name === id) ?? null;
    const check = validateForm(fields, value, (id) => input(id)?.validity.badInput === true, this.text);
    for (const f of fields) this.#field(f.id).error = check.errors.get(f.id) ?? null;
    if (check.errors.size === 0) {
      this.requestUpdate();
      this.#emit('form_submit', formValues(fields, value));
      return;
    }
    this._announcement = formatString(this.text.formInvalid, { count: check.errors.size });
    const data: JsonObject = { missing_fields: check.missing };
    if (check.invalid.length) data.invalid_fields = check.invalid;
    this.#emit('form_validation_error', data);
    await this.updateComplete;
    const first = fields.findIndex((f) => check.errors.has(f.id));
    this.shadowRoot?.getElementById(fieldDomId(first))?.focus();
  };

  #onSelect = (id: string): void => {
    if (!this.#can('option_select')) return;
    this._selectedId = id;
    this.#emit('option_select', { selected_id: id });
  };

  #onOptionsKeydown = (e: KeyboardEvent): void => {
    const buttons = [...(e.currentTarget as HTMLElement).querySelectorAll<HTMLButtonElement>('button')];
    const current = buttons.indexOf(e.target as HTMLButtonElement);
    const next = nextOptionIndex(e.key, current < 0 ? this._optionIndex : current, buttons.length);
    if (next === null) return;
    e.preventDefault();
    this._optionIndex = next;
    buttons[next]?.focus();
  };

  #onConfirm = (): void => {
    if (this.#can('confirm')) this.#emit('confirm', {});
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'prepatu-artifact': PrepatuArtifact;
  }
}
