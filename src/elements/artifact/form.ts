import { html, nothing, type TemplateResult } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import { live } from 'lit/directives/live.js';
import type { FormArtifact, FormField, JsonObject, JsonValue } from '../../protocol/messages.js';
import type { ArtifactStrings } from './strings.js';

/** What the element remembers about one field of the current form. */
export interface FieldState {
  value: string;
  /** The agent filled it and the user has not edited it since. */
  voice: boolean;
  /** The user typed in it. */
  edited: boolean;
  error: string | null;
}

export const newFieldState = (): FieldState => ({ value: '', voice: false, edited: false, error: null });

const INPUT_TYPES = new Set(['text', 'email', 'number', 'tel', 'date']);
/** Input type for a server field type; anything unknown is plain text. */
export const inputType = (type: string): string => (INPUT_TYPES.has(type) ? type : 'text');

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const pad = (n: number) => String(n).padStart(2, '0');

/** A voice-filled value as an input's `value` (a date input only accepts `yyyy-mm-dd`). */
export function toInputValue(value: JsonValue, type: string): string {
  if (value === null) return '';
  const text = typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
  if (inputType(type) !== 'date' || ISO_DATE.test(text)) return text;
  const d = new Date(text);
  return Number.isNaN(d.getTime()) ? text : `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export interface FormValidation {
  /** Required fields left empty, in field order. */
  missing: string[];
  /** Filled fields whose value is not of the field's type. */
  invalid: string[];
  errors: Map<string, string>;
}

/**
 * Client-side validation (the server does not enforce `required`). `badInput` reports
 * an input whose text the browser could not parse (a number input holding "abc" has `value === ''`).
 */
export function validateForm(
  fields: readonly FormField[],
  value: (id: string) => string,
  badInput: (id: string) => boolean,
  strings: ArtifactStrings,
): FormValidation {
  const result: FormValidation = { missing: [], invalid: [], errors: new Map() };
  for (const f of fields) {
    const v = value(f.id).trim();
    const type = inputType(f.type);
    if (type === 'number' && badInput(f.id)) {
      result.invalid.push(f.id);
      result.errors.set(f.id, strings.invalidNumber);
    } else if (v === '') {
      if (f.required) {
        result.missing.push(f.id);
        result.errors.set(f.id, strings.required);
      }
    } else if ((type === 'email' && !EMAIL.test(v)) || (type === 'number' && !Number.isFinite(Number(v)))) {
      result.invalid.push(f.id);
      result.errors.set(f.id, type === 'email' ? strings.invalidEmail : strings.invalidNumber);
    }
  }
  return result;
}

/** The `form_submit` payload: every field, trimmed text, numbers as numbers, empty as `null`. */
export function formValues(fields: readonly FormField[], value: (id: string) => string): JsonObject {
  const data: JsonObject = {};
  for (const f of fields) {
    const v = value(f.id).trim();
    data[f.id] = v === '' ? null : inputType(f.type) === 'number' ? Number(v) : v;
  }
  return data;
}

export interface FormRenderContext {
  strings: ArtifactStrings;
  field: (id: string) => FieldState;
  canSubmit: boolean;
  onInput: (id: string, event: InputEvent) => void;
  onSubmit: (event: SubmitEvent) => void;
}

/** DOM id of the n-th field's input; server field ids never become DOM ids. */
export const fieldDomId = (index: number) => `field-${index}`;

function renderField(f: FormField, index: number, ctx: FormRenderContext): TemplateResult {
  const id = fieldDomId(index);
  const st = ctx.field(f.id);
  const describedBy = [st.error ? `${id}-error` : '', st.voice ? `${id}-voice` : ''].filter(Boolean).join(' ');
  return html`<div part="field">
    <label part="label" for=${id}>${f.label ?? f.id}${f.required
        ? html`<span aria-hidden="true"> ${ctx.strings.requiredMarker}</span>`
        : nothing}</label>
    ${st.voice ? html`<span part="voice-filled" id=${`${id}-voice`}>${ctx.strings.voiceFilled}</span>` : nothing}
    <input
      part="input"
      class=${st.voice ? 'voice' : ''}
      id=${id}
      name=${f.id}
      type=${inputType(f.type)}
      placeholder=${ifDefined(f.placeholder)}
      ?required=${f.required === true}
      aria-invalid=${st.error ? 'true' : 'false'}
      aria-describedby=${ifDefined(describedBy || undefined)}
      .value=${live(st.value)}
      @input=${(e: InputEvent) => ctx.onInput(f.id, e)}
    />
    ${st.error ? html`<span part="error" id=${`${id}-error`}>${st.error}</span>` : nothing}
  </div>`;
}

export function renderForm(a: FormArtifact, ctx: FormRenderContext): TemplateResult {
  const fields = Array.isArray(a.fields) ? a.fields : [];
  return html`<form part="form" novalidate aria-labelledby=${ifDefined(a.prompt ? 'form-prompt' : undefined)} @submit=${ctx.onSubmit}>
    ${a.prompt ? html`<p class="prompt" part="prompt" id="form-prompt">${a.prompt}</p>` : nothing}
    ${fields.map((f, i) => renderField(f, i, ctx))}
    ${ctx.canSubmit ? html`<button part="submit" type="submit">${ctx.strings.submit}</button>` : nothing}
  </form>`;
}
