// @ts-check
/**
 * Example values for simulated tool calls: what a user "said". Sources, in
 * order: the form field's placeholder ("e.g. Jane Smith" → "Jane Smith"), the
 * parameter's enum, an example quoted in its description ("e.g. '2 PM'"),
 * then a plausible value derived from its name or type.
 */

/** @typedef {import('./types.js').ToolParam} ToolParam */

/** [name pattern, value] — first match wins. */
const BY_NAME = /** @type {[RegExp, string|number|boolean][]} */ ([
  [/e-?mail/i, 'jane@example.com'],
  [/birth|dob/i, '15 March 1995'],
  [/full_?name/i, 'Jane Smith'],
  [/last_?name|surname/i, 'Smith'],
  [/name/i, 'Alex'],
  [/phone|mobile|tel/i, '+44 20 7946 0000'],
  [/date|day/i, '15 March 1995'],
  [/time|slot/i, '10 AM'],
  [/city|town/i, 'London'],
  [/country/i, 'United Kingdom'],
  [/address/i, '1 High Street, London'],
  [/secret|thing/i, 'a flamingo'],
  [/guess/i, 'a penguin'],
  [/answer/i, 'Yes!'],
  [/count|number|asked|age|score|qty|quantity/i, '1'],
  [/confirm|agree|accept|consent/i, true],
  [/plan|service|option|choice|selected/i, 'standard'],
]);

/** Placeholders that are instructions, not values. */
const INSTRUCTION = /^(your|enter|type|select|choose|pick|add|write)\b/i;

/** @param {string} placeholder @returns {string|null} */
function fromPlaceholder(placeholder) {
  let p = placeholder.trim();
  const eg = /^(?:e\.?\s?g\.?|for example|ex\.?)[:,]?\s+(.*)$/i.exec(p);
  if (eg) p = /** @type {string} */ (eg[1]);
  else if (INSTRUCTION.test(p) || p.endsWith('…') || p.endsWith('...')) return null;
  // "9 AM, 10 AM, or 4 PM" / "May 20 or next Monday" → the first one
  const first = p.split(/\s*,\s*(?:or\s+)?|\s+or\s+/)[0]?.trim();
  return first || null;
}

/** @param {string} description @returns {string|null} */
function fromDescription(description) {
  const m = /e\.g\.?,?\s*['"“‘]([^'"”’]+)['"”’]/i.exec(description);
  return m ? /** @type {string} */ (m[1]) : null;
}

/**
 * @param {string} name
 * @param {ToolParam|null|undefined} spec
 * @param {{placeholder?: string}|undefined} field the current form's field with this id
 * @returns {unknown}
 */
export function exampleValue(name, spec, field) {
  const typed = (/** @type {unknown} */ v) =>
    spec?.type === 'number' || spec?.type === 'integer' ? Number(v) || 1 : spec?.type === 'boolean' ? true : v;
  const fromField = typeof field?.placeholder === 'string' ? fromPlaceholder(field.placeholder) : null;
  if (fromField) return typed(fromField);
  if (Array.isArray(spec?.enum) && spec.enum.length) return spec.enum[0];
  const fromDesc = typeof spec?.description === 'string' ? fromDescription(spec.description) : null;
  if (fromDesc) return typed(fromDesc);
  if (spec?.type === 'number' || spec?.type === 'integer') return 1;
  if (spec?.type === 'boolean') return true;
  for (const [re, v] of BY_NAME) if (re.test(name)) return v;
  return `example ${name.replace(/_/g, ' ')}`;
}

/**
 * Example arguments for a tool; `given` values win, missing parameters are filled.
 * @param {import('./types.js').ToolDef} tool
 * @param {Record<string, any>[]} fields the current state's form fields
 * @param {Record<string, unknown>} [given]
 */
export function exampleArgs(tool, fields, given = {}) {
  /** @type {Record<string, unknown>} */
  const args = {};
  for (const [name, spec] of Object.entries(tool.parameters ?? {})) {
    args[name] = name in given ? given[name] : exampleValue(name, spec, fields.find((f) => f.id === name));
  }
  return { ...args, ...given };
}
