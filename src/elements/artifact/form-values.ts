import type { FormField, JsonObject, JsonValue, OptionItem } from '../../protocol/messages.js';
import type { ArtifactStrings } from './strings.js';

/** What a field renders as. */
export type FieldType =
  | 'text'
  | 'email'
  | 'tel'
  | 'number'
  | 'date'
  | 'time'
  | 'url'
  | 'textarea'
  | 'select'
  | 'radio'
  | 'checkbox';

const TYPES = new Set<string>(['text', 'email', 'tel', 'number', 'date', 'time', 'url', 'textarea', 'select', 'radio', 'checkbox']);

const choices = (f: FormField): OptionItem[] => (Array.isArray(f.options) ? f.options : []);

/** The field's type; an unknown type, or a choice without options, is text. */
export function fieldType(f: FormField): FieldType {
  const t = TYPES.has(f.type) ? (f.type as FieldType) : 'text';
  return (t === 'select' || t === 'radio') && choices(f).length === 0 ? 'text' : t;
}

/** The `<input type>` of an input-rendered field (`text` for anything else). */
export const inputType = (type: FieldType): string =>
  type === 'textarea' || type === 'select' || type === 'radio' ? 'text' : type;

// ------------------------------------------------------------------ autofill

/** Autocomplete tokens that a field's id suggests (`first_name`, `firstName` → `given-name`). */
const ID_TOKENS: [RegExp, string][] = [
  [/^(first_?name|given_?name|fname|forename)$/, 'given-name'],
  [/^(last_?name|surname|family_?name|lname)$/, 'family-name'],
  [/^(full_?name|name|your_?name)$/, 'name'],
  [/(^|_)e_?mail(_|$)/, 'email'],
  [/(^|_)(phone|tel|telephone|mobile|cell)(_|$)/, 'tel'],
  [/(^|_)(zip|zip_?code|post_?code|postal_?code)(_|$)/, 'postal-code'],
  [/(^|_)(address|street)(_|$)/, 'street-address'],
  [/(^|_)(city|town)(_|$)/, 'address-level2'],
  [/(^|_)country(_|$)/, 'country-name'],
  [/^(birthday|date_of_birth|dob|birth_?date)$/, 'bday'],
  [/(^|_)(organi[sz]ation|company)(_|$)/, 'organization'],
  [/(^|_)(url|website|web_site|homepage)(_|$)/, 'url'],
];
const TYPE_TOKENS: Partial<Record<FieldType, string>> = { email: 'email', tel: 'tel', url: 'url' };
const INPUT_MODES: Partial<Record<string, string>> = { email: 'email', tel: 'tel', url: 'url' };
const WHOLE_NUMBER_ID = /(^|_)(age|count|quantity|qty|year|years|pin|otp)(_|$)/;

const snake = (id: string): string =>
  id.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_|_$/g, '');

/**
 * The `autocomplete` token and `inputmode` a field's id and type suggest, so the browser can
 * autofill it and a phone shows the right keyboard. Empty for what they do not suggest.
 */
export function autofill(f: FormField): { autocomplete?: string; inputmode?: string } {
  const type = fieldType(f);
  if (type === 'radio' || type === 'checkbox') return {};
  const id = snake(f.id);
  const autocomplete = ID_TOKENS.find(([re]) => re.test(id))?.[1] ?? TYPE_TOKENS[type];
  if (type === 'date' || type === 'time' || type === 'select') return autocomplete ? { autocomplete } : {};
  const inputmode = type === 'number' ? (WHOLE_NUMBER_ID.test(id) ? 'numeric' : 'decimal') : INPUT_MODES[type] ?? INPUT_MODES[autocomplete ?? ''];
  return { ...(autocomplete ? { autocomplete } : {}), ...(inputmode ? { inputmode } : {}) };
}

// ------------------------------------------------------------------ values filled by voice

const pad = (n: number) => String(n).padStart(2, '0');
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME = /^([01]\d|2[0-3]):([0-5]\d)(:[0-5]\d(\.\d+)?)?$/;
const SPOKEN_TIME = /^(\d{1,2})(?:[:.h](\d{2}))?(?::\d{2})?\s*([ap])?\.?\s*m?\.?$/i;
const TRUE = new Set(['true', 'yes', 'y', 'on', '1', 'checked', 'x']);

const asText = (v: JsonValue): string => (v === null ? '' : typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v));

function toTime(text: string): string {
  const t = text.includes('T') ? text.slice(text.indexOf('T') + 1) : text.trim();
  if (TIME.test(t)) return t.slice(0, 5);
  const m = SPOKEN_TIME.exec(t);
  if (!m) return text;
  let h = Number(m[1]);
  const ampm = m[3]?.toLowerCase();
  if (ampm === 'p' && h < 12) h += 12;
  if (ampm === 'a' && h === 12) h = 0;
  return h < 24 ? `${pad(h)}:${m[2] ?? '00'}` : text;
}

function toDate(text: string): string {
  if (ISO_DATE.test(text)) return text;
  const d = new Date(text);
  return Number.isNaN(d.getTime()) ? text : `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/**
 * A value the agent filled by voice, as the field's own value: `"yes"`/`true`/`1` check a
 * checkbox (`"true"`), a choice's label or id picks its id, numeric text becomes a number,
 * dates become `yyyy-mm-dd` and times `HH:MM`. What cannot be coerced stays as said (and fails
 * validation, so the user sees it).
 */
export function toInputValue(value: JsonValue, f: FormField): string {
  const text = asText(value);
  switch (fieldType(f)) {
    case 'checkbox':
      return value === true || TRUE.has(text.trim().toLowerCase()) ? 'true' : '';
    case 'select':
    case 'radio': {
      const said = text.trim().toLowerCase();
      const o = choices(f).find((c) => c.id === text) ?? choices(f).find((c) => c.id.toLowerCase() === said || c.label.trim().toLowerCase() === said);
      return o ? o.id : text;
    }
    case 'number': {
      const n = Number(text.trim().replace(/^(-?\d+),(\d+)$/, '$1.$2'));
      return text.trim() !== '' && Number.isFinite(n) ? String(n) : text;
    }
    case 'date':
      return toDate(text);
    case 'time':
      return toTime(text);
    default:
      return text;
  }
}

/** A field's value in words for the voice-filled announcement (a choice's label, yes/no). */
export function displayValue(value: string, f: FormField, strings: ArtifactStrings): string {
  const type = fieldType(f);
  if (type === 'checkbox') return value === 'true' ? strings.yes : strings.no;
  if (type === 'select' || type === 'radio') return choices(f).find((c) => c.id === value)?.label ?? value;
  return value;
}

// ------------------------------------------------------------------ validation and submit

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const TEL = /^\+?[\d\s().\-/]+$/;

function isUrl(v: string): boolean {
  for (const candidate of [v, `https://${v}`]) {
    try {
      const u = new URL(candidate);
      if ((u.protocol === 'http:' || u.protocol === 'https:') && u.hostname.includes('.') && !/\s/.test(v)) return true;
    } catch {
      // not this spelling
    }
  }
  return false;
}

function isDate(v: string): boolean {
  const m = ISO_DATE.exec(v);
  if (!m) return false;
  const d = new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!));
  return d.getUTCMonth() === +m[2]! - 1 && d.getUTCDate() === +m[3]!;
}

/** The error for a filled value that is not of the field's type, or `null`. */
function invalid(type: FieldType, v: string, f: FormField, s: ArtifactStrings): string | null {
  switch (type) {
    case 'email':
      return EMAIL.test(v) ? null : s.invalidEmail;
    case 'number':
      return Number.isFinite(Number(v)) ? null : s.invalidNumber;
    case 'url':
      return isUrl(v) ? null : s.invalidUrl;
    case 'tel':
      return TEL.test(v) && (v.match(/\d/g)?.length ?? 0) >= 3 ? null : s.invalidTel;
    case 'date':
      return isDate(v) ? null : s.invalidDate;
    case 'time':
      return TIME.test(v) ? null : s.invalidTime;
    case 'select':
    case 'radio':
      return choices(f).some((c) => c.id === v) ? null : s.invalidChoice;
    default:
      return null;
  }
}

const BAD_INPUT_ERROR: Partial<Record<FieldType, keyof ArtifactStrings>> = { number: 'invalidNumber', date: 'invalidDate', time: 'invalidTime' };

export interface FormValidation {
  /** Required fields left empty (or a required checkbox left unchecked), in field order. */
  missing: string[];
  /** Filled fields whose value is not of the field's type. */
  invalid: string[];
  errors: Map<string, string>;
}

/**
 * Client-side validation (the server does not enforce `required`). `badInput` reports an
 * input whose text the browser could not parse (a number input holding "abc" has `value === ''`).
 */
export function validateForm(
  fields: readonly FormField[],
  value: (id: string) => string,
  badInput: (id: string) => boolean,
  strings: ArtifactStrings,
): FormValidation {
  const result: FormValidation = { missing: [], invalid: [], errors: new Map() };
  const fail = (list: string[], id: string, error: string) => {
    list.push(id);
    result.errors.set(id, error);
  };
  for (const f of fields) {
    const v = value(f.id).trim();
    const type = fieldType(f);
    const bad = BAD_INPUT_ERROR[type];
    if (bad && badInput(f.id)) fail(result.invalid, f.id, strings[bad]);
    else if (type === 'checkbox') {
      if (f.required && v !== 'true') fail(result.missing, f.id, strings.checkboxRequired);
    } else if (v === '') {
      if (f.required) fail(result.missing, f.id, strings.required);
    } else {
      const error = invalid(type, v, f, strings);
      if (error) fail(result.invalid, f.id, error);
    }
  }
  return result;
}

/** The `form_submit` payload: every field, trimmed text, numbers as numbers, checkboxes as booleans, empty as `null`. */
export function formValues(fields: readonly FormField[], value: (id: string) => string): JsonObject {
  const data: JsonObject = {};
  for (const f of fields) {
    const v = value(f.id).trim();
    const type = fieldType(f);
    data[f.id] = type === 'checkbox' ? v === 'true' : v === '' ? null : type === 'number' ? Number(v) : v;
  }
  return data;
}
