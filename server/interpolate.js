// @ts-check
/**
 * `{variable}` placeholders, as Prepatu fills them: a placeholder whose
 * variable is unset (null/undefined) is left as it is.
 */

const PLACEHOLDER = /\{(\w+)\}/g;

/**
 * @param {string} text
 * @param {Record<string, unknown>} vars
 */
export function fillText(text, vars) {
  return text.replace(PLACEHOLDER, (whole, name) => {
    const v = vars[name];
    return v === null || v === undefined ? whole : typeof v === 'string' ? v : JSON.stringify(v);
  });
}

/**
 * Fills every string inside a JSON-like value (objects and arrays are copied).
 * @template T
 * @param {T} value
 * @param {Record<string, unknown>} vars
 * @returns {T}
 */
export function fillDeep(value, vars) {
  if (typeof value === 'string') return /** @type {T} */ (fillText(value, vars));
  if (Array.isArray(value)) return /** @type {T} */ (value.map((v) => fillDeep(v, vars)));
  if (value && typeof value === 'object') {
    /** @type {Record<string, unknown>} */
    const out = {};
    for (const [k, v] of Object.entries(value)) out[k] = fillDeep(v, vars);
    return /** @type {T} */ (out);
  }
  return value;
}

/** True when the text still has a placeholder for an unset variable. */
export function hasUnfilled(/** @type {string} */ text, /** @type {Record<string, unknown>} */ vars) {
  return /\{\w+\}/.test(fillText(text, vars));
}
