import { html, nothing, type TemplateResult } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import { live } from 'lit/directives/live.js';
import type { FormArtifact, FormField } from '../../protocol/messages.js';
import { autofill, fieldType, inputType } from './form-values.js';
import type { ArtifactStrings } from './strings.js';

export { displayValue, fieldType, formValues, toInputValue, validateForm, type FieldType, type FormValidation } from './form-values.js';

/** What the element remembers about one field of the current form. */
export interface FieldState {
  /** The field's value as text; a checkbox holds `"true"` when checked. */
  value: string;
  /** The agent filled it and the user has not edited it since. */
  voice: boolean;
  /** The user typed in it. */
  edited: boolean;
  error: string | null;
}

export const newFieldState = (): FieldState => ({ value: '', voice: false, edited: false, error: null });

export interface FormRenderContext {
  strings: ArtifactStrings;
  field: (id: string) => FieldState;
  canSubmit: boolean;
  /** The user changed a field (`input` or `change` of its control). */
  onInput: (id: string, event: Event) => void;
  onSubmit: (event: SubmitEvent) => void;
}

/** DOM id of the n-th field's control (a radio group's first radio); server field ids never become DOM ids. */
export const fieldDomId = (index: number) => `field-${index}`;

interface Control {
  id: string;
  f: FormField;
  st: FieldState;
  describedBy: string | undefined;
  on: (e: Event) => void;
}

const requiredMarker = (f: FormField, s: ArtifactStrings) =>
  f.required ? html`<span aria-hidden="true"> ${s.requiredMarker}</span>` : nothing;

function renderControl({ id, f, st, describedBy, on }: Control, s: ArtifactStrings): TemplateResult {
  const type = fieldType(f);
  const hints = autofill(f);
  const invalid = st.error ? 'true' : 'false';
  if (type === 'textarea')
    return html`<textarea
      part="input"
      class=${st.voice ? 'voice' : ''}
      id=${id}
      name=${f.id}
      rows="3"
      placeholder=${ifDefined(f.placeholder)}
      autocomplete=${ifDefined(hints.autocomplete)}
      inputmode=${ifDefined(hints.inputmode)}
      ?required=${f.required === true}
      aria-invalid=${invalid}
      aria-describedby=${ifDefined(describedBy)}
      .value=${live(st.value)}
      @input=${on}
    ></textarea>`;
  if (type === 'select') {
    const options = f.options ?? [];
    const known = options.some((o) => o.id === st.value);
    // Each option's `.selected`, not the select's `.value`: Lit sets element properties before it renders the children.
    return html`<select
      part="input"
      class=${st.voice ? 'voice' : ''}
      id=${id}
      name=${f.id}
      autocomplete=${ifDefined(hints.autocomplete)}
      ?required=${f.required === true}
      aria-invalid=${invalid}
      aria-describedby=${ifDefined(describedBy)}
      @input=${on}
      @change=${on}
    >
      <option value="" .selected=${live(!known)}>${f.placeholder ?? s.choose}</option>
      ${options.map((o) => html`<option value=${o.id} .selected=${live(o.id === st.value)}>${o.label}</option>`)}
    </select>`;
  }
  return html`<input
    part="input"
    class=${st.voice ? 'voice' : ''}
    id=${id}
    name=${f.id}
    type=${inputType(type)}
    placeholder=${ifDefined(f.placeholder)}
    autocomplete=${ifDefined(hints.autocomplete)}
    inputmode=${ifDefined(hints.inputmode)}
    ?required=${f.required === true}
    aria-invalid=${invalid}
    aria-describedby=${ifDefined(describedBy)}
    .value=${live(st.value)}
    @input=${on}
  />`;
}

function renderField(f: FormField, index: number, ctx: FormRenderContext): TemplateResult {
  const s = ctx.strings;
  const id = fieldDomId(index);
  const st = ctx.field(f.id);
  const describedBy = [st.error ? `${id}-error` : '', st.voice ? `${id}-voice` : ''].filter(Boolean).join(' ') || undefined;
  const on = (e: Event) => ctx.onInput(f.id, e);
  const voice = st.voice ? html`<span part="voice-filled" id=${`${id}-voice`}>${s.voiceFilled}</span>` : nothing;
  const error = st.error ? html`<span part="error" id=${`${id}-error`}>${st.error}</span>` : nothing;
  const label = f.label ?? f.id;
  switch (fieldType(f)) {
    case 'radio':
      // A radio group is a fieldset: its legend names it, the browser moves between radios with the arrow keys.
      return html`<fieldset
        part="field fieldset"
        role="radiogroup"
        aria-required=${f.required ? 'true' : 'false'}
        aria-invalid=${st.error ? 'true' : 'false'}
        aria-describedby=${ifDefined(describedBy)}
        class=${st.voice ? 'voice' : ''}
      >
        <legend part="label">${label}${requiredMarker(f, s)}</legend>
        ${voice}
        ${(f.options ?? []).map(
          (o, j) => html`<label part="choice"
            ><input
              part="check"
              type="radio"
              id=${j === 0 ? id : `${id}-${j}`}
              name=${f.id}
              value=${o.id}
              ?required=${f.required === true}
              .checked=${live(st.value === o.id)}
              @change=${on}
            />${o.label}</label
          >`,
        )}
        ${error}
      </fieldset>`;
    case 'checkbox':
      return html`<div part="field field-checkbox">
        <span class="check-row"
          ><input
            part="check"
            class=${st.voice ? 'voice' : ''}
            type="checkbox"
            id=${id}
            name=${f.id}
            ?required=${f.required === true}
            aria-invalid=${st.error ? 'true' : 'false'}
            aria-describedby=${ifDefined(describedBy)}
            .checked=${live(st.value === 'true')}
            @change=${on}
          /><label part="label" for=${id}>${label}${requiredMarker(f, s)}</label></span
        >
        ${voice} ${error}
      </div>`;
    default:
      return html`<div part="field">
        <label part="label" for=${id}>${label}${requiredMarker(f, s)}</label>
        ${voice} ${renderControl({ id, f, st, describedBy, on }, s)} ${error}
      </div>`;
  }
}

export function renderForm(a: FormArtifact, ctx: FormRenderContext): TemplateResult {
  const fields = Array.isArray(a.fields) ? a.fields : [];
  return html`<form part="form" novalidate aria-labelledby=${ifDefined(a.prompt ? 'form-prompt' : undefined)} @submit=${ctx.onSubmit}>
    ${a.prompt ? html`<p class="prompt" part="prompt" id="form-prompt">${a.prompt}</p>` : nothing}
    ${fields.map((f, i) => renderField(f, i, ctx))}
    ${ctx.canSubmit ? html`<button part="submit" type="submit">${ctx.strings.submit}</button>` : nothing}
  </form>`;
}
