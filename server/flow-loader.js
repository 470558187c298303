// @ts-check
/**
 * Loads Prepatu flow YAML files and checks them before the server starts.
 * Every problem is reported as `<file>:<line>:<col>: <reason>` pointing at
 * the offending YAML node (or its closest existing parent).
 */
import { readFile, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { LineCounter, parseDocument } from 'yaml';

/** @typedef {import('./types.js').Flow} Flow */

export const RESERVED_TARGETS = ['__end__', '__error__'];
const GUARD_OPERATORS = ['eq', 'neq', 'in', 'not_in', 'not_empty', 'empty', 'gt', 'lt', 'gte', 'lte', 'matches'];
const VARIABLE_TYPES = ['string', 'number', 'integer', 'boolean', 'enum', 'array', 'object'];
const TARGET_MAPS = ['on_tool_call', 'on_ui_event', 'on_action'];

export class FlowLoadError extends Error {
  /**
   * @param {string} file
   * @param {number} line
   * @param {number} col
   * @param {string} reason
   */
  constructor(file, line, col, reason) {
    super(`${file}:${line}:${col}: ${reason}`);
    this.name = 'FlowLoadError';
    this.file = file;
    this.line = line;
    this.col = col;
    this.reason = reason;
  }
}

/** @param {unknown} v @returns {v is Record<string, any>} */
const isMap = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Parses and validates one flow file's text.
 * @param {string} text
 * @param {string} file shown in error messages
 * @returns {Flow}
 */
export function parseFlow(text, file) {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true });
  const yamlError = doc.errors[0];
  if (yamlError) {
    const pos = yamlError.linePos?.[0] ?? { line: 1, col: 1 };
    const reason = yamlError.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
    throw new FlowLoadError(file, pos.line, pos.col, `YAML syntax error: ${reason}`);
  }

  /**
   * Throws at the node for `keys`, or the closest parent that exists.
   * @param {(string|number)[]} keys
   * @param {string} reason
   * @returns {never}
   */
  const fail = (keys, reason) => {
    for (let n = keys.length; n >= 0; n--) {
      const node = n === 0 ? doc.contents : doc.getIn(keys.slice(0, n), true);
      const range = /** @type {any} */ (node)?.range;
      if (range) {
        const { line, col } = lineCounter.linePos(range[0]);
        throw new FlowLoadError(file, line, col, reason);
      }
    }
    throw new FlowLoadError(file, 1, 1, reason);
  };

  const flow = doc.toJS({ maxAliasCount: 1000 });
  if (!isMap(flow)) fail([], 'a flow file must be a YAML mapping');
  checkFlow(flow, fail);
  const idRange = /** @type {any} */ (doc.get('id', true))?.range;
  const idPos = idRange ? lineCounter.linePos(idRange[0]) : { line: 1, col: 1 };
  return /** @type {Flow} */ ({ ...flow, file, idPos });
}

/**
 * @param {Record<string, any>} flow
 * @param {(keys: (string|number)[], reason: string) => never} fail
 */
function checkFlow(flow, fail) {
  if (typeof flow.id !== 'string' || !flow.id.trim())
    fail(flow.id === undefined ? [] : ['id'], flow.id === undefined ? 'missing required key "id"' : '"id" must be a non-empty string');
  if (!isMap(flow.states) || Object.keys(flow.states).length === 0)
    fail(flow.states === undefined ? [] : ['states'], flow.states === undefined ? 'missing required key "states"' : '"states" must be a non-empty mapping of state name → state');
  const states = /** @type {Record<string, any>} */ (flow.states);
  const stateNames = Object.keys(states);

  if (flow.initial_state === undefined) fail([], 'missing required key "initial_state"');
  if (typeof flow.initial_state !== 'string') fail(['initial_state'], '"initial_state" must be a state name');
  if (!(flow.initial_state in states))
    fail(['initial_state'], `initial_state "${flow.initial_state}" is not a state (states: ${stateNames.join(', ')})`);

  /** @param {(string|number)[]} keys @param {unknown} target @param {boolean} [allowReserved] */
  const checkStateName = (keys, target, allowReserved = true) => {
    if (typeof target !== 'string') fail(keys, 'a transition target must be a state name');
    if (target in states || (allowReserved && RESERVED_TARGETS.includes(target))) return;
    fail(keys, `transition target "${target}" is not a state (states: ${stateNames.join(', ')}; or __end__, __error__)`);
  };

  /** @param {(string|number)[]} keys @param {unknown} spec */
  const checkTarget = (keys, spec) => {
    if (Array.isArray(spec)) return spec.forEach((s, i) => checkTarget([...keys, i], s));
    if (typeof spec === 'string') return checkStateName(keys, spec);
    if (!isMap(spec)) fail(keys, 'a transition target must be a state name or {target, set?, guard?}');
    if (spec.target === undefined) fail(keys, 'missing "target" in transition');
    checkStateName([...keys, 'target'], spec.target);
    if (spec.set !== undefined && spec.set !== null && !isMap(spec.set)) fail([...keys, 'set'], '"set" must be a mapping of variable → value');
    if (spec.guard !== undefined) checkGuard([...keys, 'guard'], spec.guard, fail);
  };

  if (flow.variables !== undefined && flow.variables !== null) {
    if (!isMap(flow.variables)) fail(['variables'], '"variables" must be a mapping of name → {type, ...}');
    for (const [name, def] of Object.entries(flow.variables)) {
      if (def === null) continue;
      if (!isMap(def)) fail(['variables', name], `variable "${name}" must be a mapping like {type: string}`);
      if (def.type !== undefined && !VARIABLE_TYPES.includes(def.type))
        fail(['variables', name, 'type'], `variable "${name}": unknown type "${def.type}" (expected ${VARIABLE_TYPES.join(', ')})`);
      if (def.type === 'enum' && !Array.isArray(def.enum)) fail(['variables', name], `variable "${name}": type enum needs an "enum" list`);
    }
  }

  if (flow.settings !== undefined && flow.settings !== null) {
    if (!isMap(flow.settings)) fail(['settings'], '"settings" must be a mapping');
    for (const key of ['on_timeout', 'on_error'])
      if (flow.settings[key] !== undefined && flow.settings[key] !== null) checkStateName(['settings', key], flow.settings[key]);
  }

  for (const [name, state] of Object.entries(states)) {
    const at = ['states', name];
    if (RESERVED_TARGETS.includes(name)) fail(at, `"${name}" is a reserved state name`);
    if (state === null) continue; // an empty (terminal) state
    if (!isMap(state)) fail(at, `state "${name}" must be a mapping`);

    if (state.ui !== undefined && state.ui !== null) {
      if (!isMap(state.ui)) fail([...at, 'ui'], `state "${name}": "ui" must be a mapping with an artifact_type`);
      if (typeof state.ui.artifact_type !== 'string' || !state.ui.artifact_type)
        fail([...at, 'ui'], `state "${name}": ui has no artifact_type`);
      if (state.ui.artifact_type === 'form') {
        if (!Array.isArray(state.ui.fields)) fail([...at, 'ui'], `state "${name}": a form needs a "fields" list`);
        state.ui.fields.forEach((/** @type {any} */ f, /** @type {number} */ i) => {
          if (!isMap(f) || typeof f.id !== 'string') fail([...at, 'ui', 'fields', i], `state "${name}": every form field needs a string "id"`);
        });
      }
      if (state.ui.artifact_type === 'options' && !Array.isArray(state.ui.options))
        fail([...at, 'ui'], `state "${name}": an options artifact needs an "options" list`);
    }

    if (state.agent !== undefined && state.agent !== null) {
      if (!isMap(state.agent)) fail([...at, 'agent'], `state "${name}": "agent" must be a mapping`);
      const tools = state.agent.tools;
      if (tools !== undefined && tools !== null && (!Array.isArray(tools) || !tools.every((t) => typeof t === 'string')))
        fail([...at, 'agent', 'tools'], `state "${name}": agent.tools must be a list of tool names`);
    }

    if (state.tools !== undefined && state.tools !== null) {
      if (!isMap(state.tools)) fail([...at, 'tools'], `state "${name}": "tools" must be a mapping of tool name → definition`);
      for (const [tool, def] of Object.entries(state.tools)) {
        if (def === null) continue;
        if (!isMap(def)) fail([...at, 'tools', tool], `tool "${tool}" must be a mapping`);
        if (def.parameters !== undefined && def.parameters !== null && !isMap(def.parameters))
          fail([...at, 'tools', tool, 'parameters'], `tool "${tool}": parameters must be a mapping of name → {type, ...}`);
      }
    }

    const tr = state.transitions;
    if (tr !== undefined && tr !== null) {
      if (!isMap(tr)) fail([...at, 'transitions'], `state "${name}": "transitions" must be a mapping`);
      for (const kind of TARGET_MAPS) {
        if (tr[kind] === undefined || tr[kind] === null) continue;
        if (!isMap(tr[kind])) fail([...at, 'transitions', kind], `${kind} must be a mapping of name → target`);
        for (const [key, spec] of Object.entries(tr[kind])) checkTarget([...at, 'transitions', kind, key], spec);
      }
      if (tr.on_timeout !== undefined && tr.on_timeout !== null) {
        const t = tr.on_timeout;
        const tk = [...at, 'transitions', 'on_timeout'];
        if (!isMap(t)) fail(tk, 'on_timeout must be a mapping {seconds, target, max_retries?, fallback?}');
        if (typeof t.seconds !== 'number' || !(t.seconds > 0)) fail([...tk, 'seconds'], 'on_timeout.seconds must be a positive number');
        checkStateName([...tk, 'target'], t.target);
        if (t.fallback !== undefined) checkStateName([...tk, 'fallback'], t.fallback);
      }
      if (tr.on_utterance !== undefined && tr.on_utterance !== null) {
        if (!Array.isArray(tr.on_utterance)) fail([...at, 'transitions', 'on_utterance'], 'on_utterance must be a list');
        tr.on_utterance.forEach((/** @type {any} */ u, /** @type {number} */ i) => {
          const uk = [...at, 'transitions', 'on_utterance', i];
          if (!isMap(u) || typeof u.pattern !== 'string') fail(uk, 'an on_utterance entry needs a string "pattern"');
          try {
            new RegExp(u.pattern);
          } catch {
            fail([...uk, 'pattern'], `invalid regular expression ${JSON.stringify(u.pattern)}`);
          }
          if (u.target !== undefined) checkStateName([...uk, 'target'], u.target);
        });
      }
    }

    for (const hook of ['on_enter', 'on_exit']) {
      if (state[hook] === undefined || state[hook] === null) continue;
      const list = Array.isArray(state[hook]) ? state[hook] : [state[hook]];
      list.forEach((/** @type {any} */ h, /** @type {number} */ i) => {
        const hk = Array.isArray(state[hook]) ? [...at, hook, i] : [...at, hook];
        if (!isMap(h) || (h.set === undefined && h.emit === undefined)) fail(hk, `${hook} hooks are "- set: {var: value}" or "- emit: event"`);
        if (h.set !== undefined && !isMap(h.set)) fail([...hk, 'set'], `${hook}: "set" must be a mapping`);
      });
    }

    const gateKey = state.confirmation_gate !== undefined ? 'confirmation_gate' : 'confirmation';
    const gate = state[gateKey];
    if (gate !== undefined && gate !== null) {
      const gk = [...at, gateKey];
      if (!isMap(gate)) fail(gk, `${gateKey} must be a mapping {variables, on_confirm, on_reject}`);
      if (!Array.isArray(gate.variables) || !gate.variables.every((/** @type {unknown} */ v) => typeof v === 'string'))
        fail([...gk, 'variables'], `${gateKey}.variables must be a list of variable names`);
      if (gate.on_confirm !== undefined) checkTarget([...gk, 'on_confirm'], gate.on_confirm);
      if (gate.on_reject !== undefined && gate.on_reject !== null) {
        if (isMap(gate.on_reject) && gate.on_reject.target === undefined) {
          /* no target: re-enter the same state */
        } else checkTarget([...gk, 'on_reject'], gate.on_reject);
      }
    }
  }
}

/**
 * @param {(string|number)[]} keys
 * @param {unknown} guard
 * @param {(keys: (string|number)[], reason: string) => never} fail
 */
function checkGuard(keys, guard, fail) {
  /** @type {[unknown, (string|number)[]][]} */
  let conditions;
  if (Array.isArray(guard)) conditions = guard.map((c, i) => [c, [...keys, i]]);
  else if (isMap(guard) && (Array.isArray(guard.all) || Array.isArray(guard.any))) {
    const k = Array.isArray(guard.all) ? 'all' : 'any';
    conditions = guard[k].map((/** @type {unknown} */ c, /** @type {number} */ i) => [c, [...keys, k, i]]);
  } else conditions = [[guard, keys]];
  for (const [c, ck] of conditions) {
    if (!isMap(c) || typeof c.variable !== 'string') fail(ck, 'a guard condition needs {variable, operator, value?}');
    if (!GUARD_OPERATORS.includes(c.operator))
      fail([...ck, 'operator'], `unknown guard operator "${c.operator}" (expected ${GUARD_OPERATORS.join(', ')})`);
    if ((c.operator === 'in' || c.operator === 'not_in') && !Array.isArray(c.value))
      fail([...ck, 'value'], `guard operator "${c.operator}" needs a list value`);
    if (c.operator === 'matches') {
      try {
        new RegExp(String(c.value));
      } catch {
        fail([...ck, 'value'], `invalid regular expression ${JSON.stringify(c.value)}`);
      }
    }
  }
}

/**
 * Loads flows from files and directories (every *.yaml / *.yml, sorted by name).
 * Rejects the first malformed file, and two flows with the same id.
 * @param {string[]} paths
 * @returns {Promise<Flow[]>}
 */
export async function loadFlows(paths) {
  /** @type {string[]} */
  const files = [];
  for (const p of paths) {
    let info;
    try {
      info = await stat(p);
    } catch {
      throw new FlowLoadError(p, 1, 1, 'no such file or directory');
    }
    if (info.isDirectory()) {
      const names = (await readdir(p)).filter((n) => /\.ya?ml$/i.test(n)).sort();
      files.push(...names.map((n) => path.join(p, n)));
    } else files.push(p);
  }
  /** @type {Flow[]} */
  const flows = [];
  for (const file of files) {
    const flow = parseFlow(await readFile(file, 'utf8'), file);
    const twin = flows.find((f) => f.id === flow.id);
    if (twin) throw new FlowLoadError(file, flow.idPos.line, flow.idPos.col, `duplicate flow id "${flow.id}" (also in ${twin.file})`);
    flows.push(flow);
  }
  return flows;
}
