// @ts-check
/**
 * Transition guards: `guard: {all: [{variable, operator, value?}]}` (or `any`,
 * or a bare list / single condition, read as `all`).
 */

/** @param {unknown} a @param {unknown} b */
const same = (a, b) => a === b || (a !== null && a !== undefined && b !== null && b !== undefined && String(a) === String(b));

/** @param {unknown} v */
const isEmpty = (v) => v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0);

/**
 * @param {{variable: string, operator: string, value?: unknown}} c
 * @param {Record<string, unknown>} vars
 */
function holds(c, vars) {
  const v = vars[c.variable];
  const n = Number(v);
  const m = Number(c.value);
  const numeric = v !== null && v !== '' && Number.isFinite(n) && Number.isFinite(m);
  switch (c.operator) {
    case 'eq': return same(v, c.value);
    case 'neq': return !same(v, c.value);
    case 'in': return Array.isArray(c.value) && c.value.some((x) => same(v, x));
    case 'not_in': return !(Array.isArray(c.value) && c.value.some((x) => same(v, x)));
    case 'not_empty': return !isEmpty(v);
    case 'empty': return isEmpty(v);
    case 'gt': return numeric && n > m;
    case 'lt': return numeric && n < m;
    case 'gte': return numeric && n >= m;
    case 'lte': return numeric && n <= m;
    case 'matches': return new RegExp(String(c.value)).test(String(v ?? ''));
    default: return false;
  }
}

/**
 * @param {unknown} guard
 * @param {Record<string, unknown>} vars
 * @returns {boolean} true when there is no guard or it passes
 */
export function guardPasses(guard, vars) {
  if (guard === undefined || guard === null) return true;
  const g = /** @type {any} */ (guard);
  if (Array.isArray(g)) return g.every((c) => holds(c, vars));
  if (Array.isArray(g.all)) return g.all.every((/** @type {any} */ c) => holds(c, vars));
  if (Array.isArray(g.any)) return g.any.some((/** @type {any} */ c) => holds(c, vars));
  return holds(g, vars);
}
