import type { PrepatuWarning, PrepatuWarningCode } from './errors.js';
import type { JsonObject, JsonValue } from './messages.js';

/**
 * Field readers shared by the server and client parsers. Servers are read liberally: a value of
 * an unexpected type is coerced when its meaning is unambiguous, otherwise left out, and either
 * is noted as an issue (`strict: false`). What we send is read strictly, so a client message
 * with a mistyped field is refused instead of being "fixed" (`strict: true`).
 */

export const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A required field is missing or unusable: the message (or the array item) cannot be used. */
export class FieldError extends Error {
  constructor(
    /** The key concerned, e.g. `ts`. */
    readonly field: string,
    /** Its JSON path, e.g. `$.options[2].id`. */
    readonly path: string,
    readonly expected: string,
  ) {
    super(`field "${field}" must be ${expected}`);
  }
}

interface Issue {
  code: PrepatuWarningCode;
  path: string;
  message: string;
  whole?: boolean;
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** `$.options` + `2` → `$.options[2]`; `$` + `first name` → `$["first name"]`. */
export const at = (path: string, key: string | number): string =>
  typeof key === 'number' ? `${path}[${key}]` : IDENTIFIER.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;

const kind = (v: JsonValue): string => (v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v === 'object' ? 'an object' : `a ${typeof v}`);
const shown = (v: JsonValue): string => {
  const s = JSON.stringify(v);
  return s.length > 40 ? `${s.slice(0, 37)}...` : s;
};

/** Own properties only: a JSON key never reaches `Object.prototype`. */
export const get = (o: JsonObject, key: string): JsonValue | undefined => (Object.hasOwn(o, key) ? o[key] : undefined);

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i;
const TRUE = new Set(['true', 'yes', 'y', 'on', '1']);
const FALSE = new Set(['false', 'no', 'n', 'off', '0']);

export class Reader {
  readonly #issues: Issue[] = [];

  constructor(readonly strict: boolean) {}

  #note(issue: Issue, field: string, expected: string): void {
    if (this.strict) throw new FieldError(field, issue.path, expected);
    this.#issues.push(issue);
  }

  coerced(path: string, field: string, expected: string, from: JsonValue, to: JsonValue): void {
    this.#note({ code: 'coerced_field', path, message: `${path} should be ${expected}; read ${shown(from)} as ${shown(to)}` }, field, expected);
  }

  dropped(path: string, field: string, expected: string, from: JsonValue): void {
    this.#note({ code: 'dropped_field', path, message: `${path} should be ${expected}, not ${kind(from)}; left out` }, field, expected);
  }

  missing(path: string, field: string, expected: string, used: JsonValue): void {
    this.#note({ code: 'missing_field', path, message: `${path} is missing (expected ${expected}); used ${shown(used)}` }, field, expected);
  }

  /** Something other than a field that was read leniently (an unknown type or status): `message` is the whole story. */
  notice(code: PrepatuWarningCode, path: string, message: string): void {
    this.#issues.push({ code, path, message, whole: true });
  }

  /** At most one warning per message: the first issue, with the count and paths of all in `details`. */
  warning(type: string | undefined): PrepatuWarning | undefined {
    const [first, ...rest] = this.#issues;
    if (!first) return undefined;
    const more = rest.length ? ` (and ${rest.length} more)` : '';
    return {
      code: first.code,
      message: first.whole ? `${first.message}${more}` : `PVP ${type ?? 'message'} read leniently: ${first.message}${more}.`,
      path: first.path,
      details: { type, count: this.#issues.length, paths: this.#issues.slice(0, 10).map((i) => i.path) },
    };
  }

  // ------------------------------------------------------------ scalars

  /** Text: a string as is; a number or boolean spelled out (coerced); anything else `undefined`. */
  text(v: JsonValue, path: string, field: string): string | undefined {
    if (typeof v === 'string') return v;
    if ((typeof v === 'number' && Number.isFinite(v)) || typeof v === 'boolean') {
      const s = String(v);
      this.coerced(path, field, 'a string', v, s);
      return s;
    }
    return undefined;
  }

  /** A finite number, or a string that spells one (coerced). */
  number(v: JsonValue, path: string, field: string): number | undefined {
    if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
    if (typeof v === 'string' && NUMBER.test(v.trim())) {
      const n = Number(v.trim());
      if (!Number.isFinite(n)) return undefined;
      this.coerced(path, field, 'a number', v, n);
      return n;
    }
    return undefined;
  }

  /** A boolean, or `"true"`/`"false"`, `"yes"`/`"no"`, `1`/`0` and the like (coerced). */
  boolean(v: JsonValue, path: string, field: string): boolean | undefined {
    if (typeof v === 'boolean') return v;
    const key = typeof v === 'string' ? v.trim().toLowerCase() : typeof v === 'number' ? String(v) : undefined;
    const b = key === undefined ? undefined : TRUE.has(key) ? true : FALSE.has(key) ? false : undefined;
    if (b !== undefined) this.coerced(path, field, 'a boolean', v, b);
    return b;
  }

  // ------------------------------------------------------------ fields of an object

  /** Optional text; `null` counts as absent, an unusable value is left out. */
  optText(o: JsonObject, key: string, path: string): string | undefined {
    return this.#opt(o, key, path, 'a string', (v, p) => this.text(v, p, key));
  }

  reqText(o: JsonObject, key: string, path: string): string {
    return this.#req(o, key, path, 'a string', (v, p) => this.text(v, p, key));
  }

  optNumber(o: JsonObject, key: string, path: string): number | undefined {
    return this.#opt(o, key, path, 'a finite number', (v, p) => this.number(v, p, key));
  }

  reqNumber(o: JsonObject, key: string, path: string): number {
    return this.#req(o, key, path, 'a finite number', (v, p) => this.number(v, p, key));
  }

  optBoolean(o: JsonObject, key: string, path: string): boolean | undefined {
    return this.#opt(o, key, path, 'a boolean', (v, p) => this.boolean(v, p, key));
  }

  optObject(o: JsonObject, key: string, path: string): JsonObject | undefined {
    return this.#opt(o, key, path, 'an object', (v) => (isObject(v) ? v : undefined));
  }

  /** An array of text: a lone string becomes a one-item array, unusable items are left out. */
  optTextArray(o: JsonObject, key: string, path: string): string[] | undefined {
    const p = at(path, key);
    return this.#opt(o, key, path, 'an array of strings', (v) => {
      if (typeof v === 'string') {
        this.coerced(p, key, 'an array of strings', v, [v]);
        return [v];
      }
      return Array.isArray(v) ? this.items(v, p, key, 'a string', (item, ip) => this.text(item, ip, key)) : undefined;
    });
  }

  /** Each item read by `read`; an item it cannot use (`undefined` or a `FieldError`) is left out. */
  items<T>(
    list: JsonValue[],
    path: string,
    field: string,
    expected: string,
    read: (item: JsonValue, path: string) => T | undefined,
  ): T[] {
    const out: T[] = [];
    list.forEach((item, i) => {
      const p = at(path, i);
      let value: T | undefined;
      try {
        value = read(item, p);
      } catch (e) {
        if (!(e instanceof FieldError) || this.strict) throw e;
      }
      if (value === undefined) this.dropped(p, field, expected, item);
      else out.push(value);
    });
    return out;
  }

  #opt<T>(o: JsonObject, key: string, path: string, expected: string, read: (v: JsonValue, path: string) => T | undefined): T | undefined {
    const v = get(o, key);
    if (v === undefined || v === null) return undefined;
    const p = at(path, key);
    const value = read(v, p);
    if (value === undefined) this.dropped(p, key, expected, v);
    return value;
  }

  #req<T>(o: JsonObject, key: string, path: string, expected: string, read: (v: JsonValue, path: string) => T | undefined): T {
    const v = get(o, key);
    const p = at(path, key);
    const value = v === undefined || v === null ? undefined : read(v, p);
    if (value === undefined) throw new FieldError(key, p, expected);
    return value;
  }
}

/**
 * `value` when it is one of `names`; else its normalised spelling (`"Speaking"` → `speaking`,
 * `"orb-layout"` → `orb_layout`, coerced) when that is; else `undefined`.
 */
export function oneOf<T extends string>(r: Reader, value: string, names: readonly T[], path: string, field: string): T | undefined {
  if ((names as readonly string[]).includes(value)) return value as T;
  const n = value.trim().toLowerCase().replace(/[\s-]+/g, '_');
  if (!(names as readonly string[]).includes(n)) return undefined;
  r.coerced(path, field, `one of ${names.join(', ')}`, value, n);
  return n as T;
}

/** Copies only the keys that are present, so round-trips do not grow `undefined`s. */
export function defined<T extends object>(o: T): T {
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] === undefined) delete o[k];
  return o;
}
