// @ts-check
// The server-message parser under 100,000 mutated real messages: it never throws, and whatever
// it accepts is a well-typed ServerMessage (checked at run time below) with at most one
// well-formed warning. Runs on Node (src/protocol has no DOM), bundled with esbuild, so the
// browser suites keep their small property tests.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import fc from 'fast-check';

/** @type {any} */
let protocol;
const dir = mkdtempSync(path.join(tmpdir(), 'prepatu-protocol-'));

before(async () => {
  const outfile = path.join(dir, 'protocol.mjs');
  await build({ entryPoints: ['src/protocol/index.ts'], bundle: true, format: 'esm', platform: 'neutral', outfile, logLevel: 'error' });
  protocol = await import(pathToFileURL(outfile).href);
});
after(() => rmSync(dir, { recursive: true, force: true }));

// ------------------------------------------------------------------ real messages

/** What the documented contract, the reference backend and its model-driven tools send. */
const SAMPLES = [
  // documented (wire-protocol-pvp.txt)
  { type: 'config', audio_sample_rate: 16000, audio_encoding: 'pcm_s16le' },
  { type: 'status', status: 'listening' },
  { type: 'transcript', id: 'u1', role: 'user', text: 'My name is Alex.' },
  { type: 'pong', ts: 1713000000000, server_ts: 1713000000001 },
  { type: 'error', message: 'boom' },
  {
    type: 'flow_state', flow_id: 'onboarding', state: 'collect_info',
    artifact: { artifact_type: 'form', id: 'f1', prompt: 'About you', fields: [
      { id: 'first_name', type: 'text', label: 'First name', required: true },
      { id: 'email', type: 'email', label: 'Email', placeholder: 'you@example.com' },
    ] },
    variables: { first_name: null }, available_actions: ['form_submit'],
  },
  { type: 'flow_state', flow_id: 'onboarding', state: 'pick', artifact: { artifact_type: 'options', prompt: 'Plan?', options: [{ id: 'a', label: 'A', description: 'x' }] }, variables: {}, available_actions: ['option_select'] },
  { type: 'flow_state', flow_id: 'onboarding', state: 'done', artifact: null, variables: {}, available_actions: [] },
  { type: 'flow_variable', flow_id: 'onboarding', key: 'first_name', value: 'Alex' },
  { type: 'artifact', artifact_type: 'field_update', field_id: 'first_name', value: 'Alex' },
  { type: 'artifact', artifact: { artifact_type: 'dismiss', target_id: 'f1' } },
  { type: 'flow_end', flow_id: 'onboarding', reason: 'completed', variables: { first_name: 'Alex' } },
  // reference backend
  { type: 'status', status: 'idle' },
  { type: 'config', audio_sample_rate: 16000, audio_encoding: 'pcm_s16le', audio_channels: 1 },
  { type: 'transcript', id: 'a-1', role: 'assistant', text: 'Welcome!', is_final: true },
  { type: 'pong', ts: 1713000000000 },
  { type: 'artifact', id: 'a1', artifact_type: 'form', fields: [{ id: 'email', type: 'email', label: 'Email' }] },
  { type: 'artifact', artifact_type: 'field_update', field_id: 'email', field_value: 'a@b.c' },
  { type: 'artifact', artifact_type: 'card', prompt: 'Hi {x}', params: { cardType: 'tip', title: 'Breathe', points: ['a', 'b'] } },
  { type: 'artifact', artifact_type: 'orb_layout', position: 'center_bottom' },
  { type: 'artifact', artifact_type: 'dismiss' },
  { type: 'artifact', artifact_type: 'custom' },
  { type: 'navigate', screen: 'Home', params: { tab: 2 } },
  { type: 'transition_blocked', flow_id: 'f', from_state: 'a', attempted_target: 'b', reason: 'pending_confirmation', detail: 'confirm first', variables: {} },
  { type: 'intent', text: 'Question' },
  // the reference's send_artifact tool (the model's arguments, copied through)
  {
    type: 'artifact', id: '5b1e', artifact_type: 'card', card_type: 'score', title: 'Your speaking score',
    content: { overall_band: 6.5, fluency_score: 6, lexical_resource: 7, feedback: 'Good range.', parts: [{ part: 1, band: 6 }, { part: 2, band: 7 }] },
  },
  { type: 'artifact', id: '5b1f', artifact_type: 'card', card_type: 'info', title: 'Tips', content: { tips: ['Slow down', 'Pause'], next: { step: 'Part 2', minutes: 2 } } },
  { type: 'artifact', id: '5b20', artifact_type: 'options', prompt: 'Which part?', options: [{ id: 'part1', label: 'Part 1' }, { id: 'part2', label: 'Part 2' }] },
  { type: 'artifact', id: '5b21', artifact_type: 'navigate', screen: 'results', params: { tab: 'summary' }, options: [{ id: 'retry', label: 'Try again' }] },
  { type: 'artifact', id: '5b22', artifact_type: 'field_update', field_id: 'age', field_value: 41 },
  { type: 'artifact', id: '5b23', artifact_type: 'intent', text: 'Greeting' },
  { type: 'artifact', id: '5b24', artifact_type: 'form', prompt: 'Contact', fields: [
    { id: 'phone', type: 'tel', label: 'Phone' },
    { id: 'plan', type: 'select', label: 'Plan', options: [{ id: 'basic', label: 'Basic' }, { id: 'pro', label: 'Pro' }] },
    { id: 'terms', type: 'checkbox', label: 'I agree', required: true },
  ] },
];

// ------------------------------------------------------------------ a run-time type checker

/** @param {unknown} v @returns {v is Record<string, unknown>} */
const isObj = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);

/** @param {unknown} v @returns {boolean} */
function isJson(v) {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return true;
  if (typeof v === 'number') return Number.isFinite(v);
  if (Array.isArray(v)) return v.every(isJson);
  return isObj(v) && Object.values(v).every(isJson);
}

/**
 * Checks `o` has exactly the fields of `shape` (`?` marks optional ones, which must then be
 * absent rather than `undefined`), each passing its test.
 * @param {unknown} o @param {Record<string, (v: unknown) => boolean>} shape @param {string} where
 */
function shaped(o, shape, where) {
  assert.ok(isObj(o), `${where}: not an object`);
  for (const key of Object.keys(o)) assert.ok(key in shape || `${key}?` in shape, `${where}: unexpected key ${key}`);
  for (const [spec, ok] of Object.entries(shape)) {
    const optional = spec.endsWith('?');
    const key = optional ? spec.slice(0, -1) : spec;
    if (!Object.hasOwn(o, key)) {
      assert.ok(optional, `${where}: missing ${key}`);
      continue;
    }
    assert.ok(ok(o[key]), `${where}.${key}: ill-typed ${JSON.stringify(o[key])?.slice(0, 80)}`);
  }
}

const str = (/** @type {unknown} */ v) => typeof v === 'string';
const num = (/** @type {unknown} */ v) => typeof v === 'number' && Number.isFinite(v);
const bool = (/** @type {unknown} */ v) => typeof v === 'boolean';
const jsonObject = (/** @type {unknown} */ v) => isObj(v) && isJson(v);
const strings = (/** @type {unknown} */ v) => Array.isArray(v) && v.every(str);
const is = (/** @type {unknown[]} */ ...values) => (/** @type {unknown} */ v) => values.includes(v);
const option = (/** @type {unknown} */ v) => (shaped(v, { id: str, label: str, 'description?': str }, 'option'), true);
const optionList = (/** @type {unknown} */ v) => Array.isArray(v) && v.every(option);
const field = (/** @type {unknown} */ v) =>
  (shaped(v, { id: str, type: str, 'label?': str, 'placeholder?': str, 'required?': bool, 'options?': optionList }, 'field'), true);
const ORB = ['center', 'bottom', 'bottom_right', 'top_right', 'center_bottom'];

/** @param {unknown} a */
function artifact(a) {
  assert.ok(isObj(a), 'artifact: not an object');
  const id = { 'id?': str };
  switch (a.artifact_type) {
    case 'form': shaped(a, { artifact_type: str, ...id, 'prompt?': str, fields: (v) => Array.isArray(v) && v.every(field) }, 'form'); break;
    case 'field_update': shaped(a, { artifact_type: str, ...id, field_id: str, value: isJson }, 'field_update'); break;
    case 'options': shaped(a, { artifact_type: str, ...id, 'prompt?': str, options: optionList }, 'options'); break;
    case 'card': shaped(a, { artifact_type: str, ...id, 'card_type?': str, 'title?': str, 'content?': (v) => v !== null && isJson(v), 'prompt?': str, 'params?': jsonObject }, 'card'); break;
    case 'orb_layout': shaped(a, { artifact_type: str, ...id, position: is(...ORB) }, 'orb_layout'); break;
    case 'navigate': shaped(a, { artifact_type: str, ...id, screen: str, 'params?': jsonObject, 'options?': optionList }, 'navigate'); break;
    case 'dismiss': shaped(a, { artifact_type: str, ...id, 'target_id?': (v) => v === null || str(v) }, 'dismiss'); break;
    case 'custom': shaped(a, { artifact_type: str, ...id, 'component?': str, 'props?': jsonObject }, 'custom'); break;
    case 'unknown': shaped(a, { artifact_type: str, ...id, original_type: str, raw: jsonObject }, 'unknown artifact'); break;
    default: assert.fail(`artifact_type ${JSON.stringify(a.artifact_type)}`);
  }
  return true;
}

/** Asserts that `m` is a ServerMessage of src/protocol/messages.ts. @param {unknown} m */
function checkServerMessage(m) {
  assert.ok(isObj(m), 'message: not an object');
  switch (m.type) {
    case 'config': return shaped(m, { type: str, audio_sample_rate: (v) => num(v) && /** @type {number} */ (v) > 0, audio_encoding: str, 'audio_channels?': num }, 'config');
    case 'status': return shaped(m, { type: str, status: is('idle', 'listening', 'speaking', 'ended') }, 'status');
    case 'transcript': return shaped(m, { type: str, 'id?': str, role: is('user', 'assistant'), text: str, 'is_final?': bool }, 'transcript');
    case 'pong': return shaped(m, { type: str, ts: num, 'server_ts?': num }, 'pong');
    case 'error': return shaped(m, { type: str, message: str }, 'error');
    case 'flow_state': return shaped(m, { type: str, flow_id: str, state: str, artifact: (v) => v === null || artifact(v), variables: jsonObject, available_actions: strings }, 'flow_state');
    case 'flow_variable': return shaped(m, { type: str, 'flow_id?': str, key: str, value: isJson }, 'flow_variable');
    case 'artifact': return shaped(m, { type: str, artifact }, 'artifact');
    case 'flow_end': return shaped(m, { type: str, 'flow_id?': str, 'reason?': str, variables: jsonObject }, 'flow_end');
    case 'transition_blocked':
      return shaped(m, { type: str, 'flow_id?': str, 'from_state?': str, 'attempted_target?': str, 'reason?': str, 'detail?': str, 'variables?': jsonObject }, 'transition_blocked');
    case 'intent': return shaped(m, { type: str, text: str }, 'intent');
    case 'unknown': return shaped(m, { type: str, original_type: str, raw: jsonObject }, 'unknown');
    default: assert.fail(`type ${JSON.stringify(m.type)}`);
  }
}

const WARNING_CODES = ['invalid_json', 'invalid_message', 'message_too_large', 'unknown_message', 'coerced_field', 'dropped_field', 'missing_field', 'unknown_status'];

/** @param {unknown} w */
function checkWarning(w) {
  shaped(w, { code: is(...WARNING_CODES), message: str, 'path?': (v) => str(v) && /^\$/.test(/** @type {string} */ (v)), 'details?': isObj }, 'warning');
}

// ------------------------------------------------------------------ mutations

/** @typedef {(string|number)[]} Path */

/** Every path in `v`, the root included. @param {unknown} v @param {Path} at @returns {Path[]} */
function paths(v, at = []) {
  const out = [at];
  if (Array.isArray(v)) v.forEach((x, i) => out.push(...paths(x, [...at, i])));
  else if (isObj(v)) for (const [k, x] of Object.entries(v)) out.push(...paths(x, [...at, k]));
  return out;
}

const KEYS = ['id', 'label', 'value', 'text', 'title', 'name', 'type', 'artifact_type', 'options', 'fields', 'content', 'required', 'status', 'role', 'is_final', 'screen', 'params', 'field_id', 'field_value', 'position', 'target_id', 'artifact'];

/**
 * @param {unknown} v
 * @param {{op: string, value: unknown, key: string}} m
 * @returns {unknown} the mutated value (the root may be replaced)
 */
function mutateValue(v, { op, value, key }) {
  switch (op) {
    case 'replace': return value;
    case 'null': return null;
    case 'stringify': return typeof v === 'string' ? v : JSON.stringify(v);
    case 'numberify': return typeof v === 'string' ? (Number.isFinite(Number(v)) ? Number(v) : v.length) : typeof v === 'boolean' ? Number(v) : 7;
    case 'boolify': return typeof v === 'string' ? (v.length % 2 ? 'yes' : 'false') : Boolean(v);
    case 'upper': return typeof v === 'string' ? v.toUpperCase() : v;
    case 'wrap': return [v];
    case 'unwrap': return Array.isArray(v) ? v[0] ?? null : isObj(v) ? Object.values(v)[0] ?? null : v;
    case 'add': return isObj(v) ? { ...v, [key]: value } : Array.isArray(v) ? [...v, value] : v;
    default: return v;
  }
}

/** @param {unknown} root @param {{pick: number, op: string, value: unknown, key: string}} m */
function mutate(root, m) {
  const all = paths(root);
  const at = /** @type {Path} */ (all[m.pick % all.length]);
  if (at.length === 0) return mutateValue(root, m);
  const parent = /** @type {any} */ (at.slice(0, -1).reduce((o, k) => /** @type {any} */ (o)[k], root));
  const last = /** @type {string|number} */ (at.at(-1));
  if (m.op === 'delete') {
    if (Array.isArray(parent)) parent.splice(/** @type {number} */ (last), 1);
    else delete parent[last];
  } else if (m.op === 'rename' && !Array.isArray(parent)) {
    const v = parent[last];
    delete parent[last];
    parent[m.key] = v;
  } else parent[last] = mutateValue(parent[last], m);
  return root;
}

const mutation = fc.record({
  pick: fc.nat(),
  op: fc.constantFrom('replace', 'null', 'delete', 'rename', 'stringify', 'numberify', 'boolify', 'upper', 'wrap', 'unwrap', 'add'),
  value: fc.jsonValue({ maxDepth: 2 }),
  key: fc.constantFrom(...KEYS),
});

const mutated = fc.tuple(fc.nat({ max: SAMPLES.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 4 })).map(([i, ms]) => {
  /** @type {unknown} */
  let v = structuredClone(SAMPLES[i]);
  for (const m of ms) v = mutate(v, m);
  return v;
});

/** @param {string} text */
function parsedWellTyped(text) {
  const r = protocol.parseServerMessage(text);
  assert.equal(typeof r.ok, 'boolean');
  if (!r.ok) {
    assert.equal(r.error.name, 'PrepatuError');
    assert.ok(protocol.warningFrom(r.error).code, 'a dropped message becomes a warning');
    return r;
  }
  checkServerMessage(r.message);
  if ('warning' in r) checkWarning(r.warning);
  return r;
}

describe('parseServerMessage, liberally', () => {
  test('every real message reads without a warning, and is well typed', () => {
    for (const sample of SAMPLES) {
      const r = parsedWellTyped(JSON.stringify(sample));
      assert.ok(r.ok, JSON.stringify(sample));
      assert.equal(r.warning, undefined, `${JSON.stringify(sample)} → ${JSON.stringify(r.warning)}`);
    }
  });

  test('100,000 mutated real messages: never throws; what it accepts is a well-typed ServerMessage with at most one warning', (t) => {
    let accepted = 0;
    let warned = 0;
    /** @type {Record<string, number>} */
    const refused = {};
    fc.assert(
      fc.property(mutated, (v) => {
        const r = parsedWellTyped(JSON.stringify(v));
        if (r.ok) accepted++;
        if (r.ok && r.warning) warned++;
        if (!r.ok) {
          const why = `${r.error.details.type}: ${r.error.details.path ?? r.error.message}`;
          refused[why] = (refused[why] ?? 0) + 1;
        }
      }),
      { numRuns: 100_000 },
    );
    t.diagnostic(`accepted ${accepted} (${warned} with a warning); most refused: ${JSON.stringify(Object.entries(refused).sort((a, b) => b[1] - a[1]).slice(0, 8))}`);
    // The mutations must exercise the lenient path, not just the refusals.
    assert.ok(accepted > 35_000, `accepted ${accepted}`);
    assert.ok(warned > 15_000, `warned ${warned}`);
  });

  test('arbitrary JSON and text: never throws, well typed when accepted', () => {
    fc.assert(fc.property(fc.oneof(fc.jsonValue(), fc.string()), (v) => void parsedWellTyped(typeof v === 'string' ? v : JSON.stringify(v))), { numRuns: 10_000 });
  });
});
