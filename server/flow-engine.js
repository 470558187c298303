// @ts-check
/**
 * The flow state machine of one session: variables, transitions (ui events,
 * tool calls, timeouts), guards, on_enter/on_exit hooks and confirmation
 * gates. It knows nothing about WebSockets or audio: it reports what happens
 * through `onEvent`, and the session turns that into PVP messages.
 */
import { guardPasses } from './guards.js';
import { fillDeep } from './interpolate.js';

/** @typedef {import('./types.js').Flow} Flow */
/** @typedef {import('./types.js').StateDef} StateDef */
/** @typedef {import('./types.js').TargetSpec} TargetSpec */
/** @typedef {import('./types.js').ToolDef} ToolDef */

/**
 * @typedef {{type: 'enter', state: string, artifact: Record<string, unknown>|null, terminal: boolean}
 *   | {type: 'variable', key: string, value: unknown, field: boolean}
 *   | {type: 'field', key: string, value: unknown}
 *   | {type: 'end', reason: string, variables: Record<string, unknown>}
 *   | {type: 'blocked', from_state: string, attempted_target: string, detail: string, variables: Record<string, unknown>}
 *   | {type: 'emit', event: string}} EngineEvent
 *
 * `unmapped`: a ui_event the state maps to nothing (its data was still stored);
 * `validation`: a form_validation_error (nothing stored, no transition).
 * @typedef {{ok: false, error: string}
 *   | {ok: true, outcome: 'transition'|'end'|'stay'|'blocked'|'guard'|'confirmed'|'rejected'|'unmapped'|'validation', tool?: string, set: string[], pending?: string[]}} EngineResult
 */

/** Actions the reference engine understands in any state; a form offers them. */
const FORM_ACTIONS = ['form_submit', 'form_validation_error'];

const EMPTY = Object.freeze({});

/** @param {unknown} v @returns {Record<string, any>} */
const map = (v) => (v && typeof v === 'object' && !Array.isArray(v) ? /** @type {any} */ (v) : EMPTY);

export class FlowEngine {
  /**
   * @param {Flow} flow
   * @param {{onEvent: (e: EngineEvent) => void, log?: (msg: string) => void}} options
   */
  constructor(flow, { onEvent, log = () => {} }) {
    this.flow = flow;
    this.onEvent = onEvent;
    this.log = log;
    /** @type {string|null} */
    this.state = null;
    this.ended = false;
    /** @type {Record<string, unknown>} */
    this.variables = {};
    for (const [name, def] of Object.entries(map(flow.variables))) this.variables[name] = def?.default ?? null;
    /** @type {Set<string>} gated variables confirmed in the current state */
    this.confirmed = new Set();
    /** @type {Map<string, number>} on_timeout retries per state */
    this.retries = new Map();
    /** @type {NodeJS.Timeout|undefined} */
    this.stateTimer = undefined;
    /** @type {NodeJS.Timeout|undefined} */
    this.flowTimer = undefined;
  }

  /** @param {string|null} [name] @returns {StateDef} */
  stateDef(name = this.state) {
    return (name && this.flow.states[name]) || /** @type {StateDef} */ (EMPTY);
  }

  start() {
    const secs = this.flow.settings?.max_duration_secs;
    if (typeof secs === 'number' && secs > 0) {
      this.flowTimer = setTimeout(() => {
        this.log(`max_duration_secs (${secs}) reached`);
        const next = this.flow.settings?.on_timeout;
        if (next) this.go({ target: next }, 'max_duration');
        else this.end('max_duration');
      }, secs * 1000);
      this.flowTimer.unref?.();
    }
    this.enter(this.flow.initial_state);
  }

  /** Stops every timer (session closed). */
  stop() {
    clearTimeout(this.stateTimer);
    clearTimeout(this.flowTimer);
  }

  /**
   * Actions worth offering in the current state: the mapped ones, and a form's submit and
   * validation error even when unmapped (a submit still stores the values, see uiEvent).
   */
  availableActions() {
    const t = map(this.stateDef().transitions);
    const form = map(this.stateDef().ui).artifact_type === 'form' ? FORM_ACTIONS : [];
    return [...new Set([...Object.keys(map(t.on_ui_event)), ...Object.keys(map(t.on_action)), ...form])];
  }

  /** The current state's confirmation gate, if any. */
  gate() {
    const s = this.stateDef();
    const g = s.confirmation_gate ?? s.confirmation;
    return g && Array.isArray(g.variables) ? g : null;
  }

  /** Gated variables not yet confirmed in this state. */
  pendingConfirmation() {
    const g = this.gate();
    return g ? g.variables.filter((v) => !this.confirmed.has(v)) : [];
  }

  /** Tools the agent may call here, in `agent.tools` order, then the others. */
  availableTools() {
    const s = this.stateDef();
    const names = [...(s.agent?.tools ?? []), ...Object.keys(map(s.tools)), ...Object.keys(map(s.transitions?.on_tool_call))];
    const g = this.gate();
    if (g && this.state) {
      for (const v of g.variables) names.push(`confirm_${v}`, `reject_${v}`);
      names.push(`confirm_${this.state}`, `reject_${this.state}`);
    }
    return [...new Set(names)];
  }

  /** @param {string} name @returns {ToolDef} */
  toolDef(name) {
    return map(this.stateDef().tools)[name] ?? EMPTY;
  }

  /** Fields of the current state's form (empty when it has no form). */
  formFields() {
    const ui = map(this.stateDef().ui);
    return ui.artifact_type === 'form' && Array.isArray(ui.fields) ? /** @type {Record<string, any>[]} */ (ui.fields) : [];
  }

  /** A state the flow cannot leave ends the flow once entered. @param {string} name */
  isTerminal(name) {
    const s = this.stateDef(name);
    const t = map(s.transitions);
    const hasMap = ['on_tool_call', 'on_ui_event', 'on_action'].some((k) => Object.keys(map(t[k])).length > 0);
    const hasList = Array.isArray(t.on_utterance) && t.on_utterance.some((u) => u?.target);
    return !hasMap && !hasList && !t.on_timeout && !(s.confirmation_gate ?? s.confirmation);
  }

  /** @param {string} key @param {unknown} value */
  setVariable(key, value) {
    this.variables[key] = value;
    const field = this.formFields().some((f) => f.id === key);
    this.onEvent({ type: 'variable', key, value, field });
  }

  /**
   * A `ui_event`, as the reference engine's `handle_ui_event`: a form_validation_error changes
   * nothing; otherwise every key of data becomes a variable, mapped or not, then
   * `on_ui_event[action]` is followed, else `on_action[action]`. An unmapped action is not an
   * error. UI events bypass confirmation gates.
   * @param {string} action
   * @param {Record<string, unknown>} data
   * @returns {EngineResult}
   */
  uiEvent(action, data) {
    if (this.ended) return { ok: false, error: 'the flow has ended' };
    if (action === 'form_validation_error') return { ok: true, outcome: 'validation', set: [] };
    const set = Object.keys(data);
    for (const [k, v] of Object.entries(data)) this.setVariable(k, v);
    const t = map(this.stateDef().transitions);
    const spec = map(t.on_ui_event)[action] ?? map(t.on_action)[action];
    if (spec === undefined || spec === null) {
      this.log(`ui_event ${action}: not mapped in state "${this.state}"; variables stored, staying`);
      return { ok: true, outcome: 'unmapped', set };
    }
    return { ok: true, outcome: this.go(spec, 'ui_event'), set };
  }

  /**
   * A tool call by the agent: sets a variable per argument, then follows
   * `on_tool_call` (guards and confirmation gates apply).
   * @param {string} name
   * @param {Record<string, unknown>} args
   * @returns {EngineResult}
   */
  callTool(name, args) {
    if (this.ended) return { ok: false, error: 'the flow has ended' };
    const tools = this.availableTools();
    if (!tools.includes(name))
      return { ok: false, error: `tool "${name}" is not available in state "${this.state}"; available tools: ${tools.length ? tools.join(', ') : '(none)'}` };
    const gated = this.gateTool(name);
    if (gated) return gated;

    const set = Object.keys(args);
    for (const [k, v] of Object.entries(args)) {
      this.confirmed.delete(k);
      this.setVariable(k, v);
    }
    const spec = map(this.stateDef().transitions?.on_tool_call)[name];
    if (spec === undefined) return { ok: true, outcome: 'stay', tool: name, set };
    const pending = this.pendingConfirmation();
    if (pending.length) {
      const target = this.resolve(spec)?.target ?? String(spec);
      this.onEvent({
        type: 'blocked',
        from_state: /** @type {string} */ (this.state),
        attempted_target: target,
        detail: `Variable(s) ${pending.map((v) => `'${v}'`).join(', ')} captured but not confirmed by user.`,
        variables: { ...this.variables },
      });
      return { ok: true, outcome: 'blocked', tool: name, set, pending };
    }
    return { ok: true, outcome: this.go(spec, 'tool_call'), tool: name, set };
  }

  /**
   * `confirm_X` / `reject_X` of a confirmation gate (X: a gated variable, or the state for all).
   * @param {string} name
   * @returns {EngineResult|null}
   */
  gateTool(name) {
    const g = this.gate();
    const m = /^(confirm|reject)_(\w+)$/.exec(name);
    if (!g || !m || !this.state) return null;
    const vars = m[2] === this.state ? g.variables : g.variables.filter((v) => v === m[2]);
    if (!vars.length) return null;
    if (m[1] === 'confirm') {
      for (const v of vars) this.confirmed.add(v);
      const pending = this.pendingConfirmation();
      if (pending.length || g.on_confirm === undefined) return { ok: true, outcome: 'confirmed', tool: name, set: [], pending };
      return { ok: true, outcome: this.go(g.on_confirm, 'confirmation'), tool: name, set: [] };
    }
    for (const v of vars) this.setVariable(v, null);
    const r = /** @type {any} */ (g.on_reject);
    const target = typeof r === 'string' || Array.isArray(r) ? r : r?.target ?? this.state;
    this.go(target, 'rejection');
    return { ok: true, outcome: 'rejected', tool: name, set: vars };
  }

  /**
   * Picks the target of a spec whose guard passes (a list: the first that does).
   * @param {TargetSpec|TargetSpec[]} spec
   * @returns {{target: string, set?: Record<string, unknown>|null}|null}
   */
  resolve(spec) {
    for (const s of Array.isArray(spec) ? spec : [spec]) {
      if (typeof s === 'string') return { target: s };
      if (guardPasses(s.guard, this.variables)) return s;
    }
    return null;
  }

  /**
   * Leaves the current state for the spec's target.
   * @param {TargetSpec|TargetSpec[]} spec
   * @param {string} why for the log
   * @returns {'transition'|'end'|'guard'}
   */
  go(spec, why) {
    const next = this.resolve(spec);
    if (!next) {
      this.log(`${why}: guard failed in state "${this.state}", staying`);
      return 'guard';
    }
    if (why !== 'timeout' && this.state) this.retries.delete(this.state);
    this.runHooks('on_exit');
    clearTimeout(this.stateTimer);
    for (const [k, v] of Object.entries(map(next.set))) this.setVariable(k, v);
    this.log(`${why}: ${this.state} → ${next.target}`);
    if (next.target === '__end__' || next.target === '__error__') {
      this.end(next.target === '__end__' ? 'completed' : 'error');
      return 'end';
    }
    this.enter(next.target);
    return 'transition';
  }

  /** @param {string} name */
  enter(name) {
    this.state = name;
    this.confirmed = new Set();
    this.runHooks('on_enter');
    const ui = this.stateDef().ui;
    const artifact = ui ? fillDeep(ui, this.variables) : null;
    this.onEvent({ type: 'enter', state: name, artifact, terminal: this.isTerminal(name) });
    // A form re-entered with values already known shows them.
    for (const f of this.formFields()) {
      const v = this.variables[f.id];
      if (v !== null && v !== undefined) this.onEvent({ type: 'field', key: f.id, value: v });
    }
    const t = this.stateDef().transitions?.on_timeout;
    if (t) {
      this.stateTimer = setTimeout(() => this.timeout(name), t.seconds * 1000);
      this.stateTimer.unref?.();
    }
  }

  /** @param {string} name the state whose timer fired */
  timeout(name) {
    const t = this.stateDef(name).transitions?.on_timeout;
    if (this.ended || this.state !== name || !t) return;
    const tries = this.retries.get(name) ?? 0;
    const exhausted = typeof t.max_retries === 'number' && tries >= t.max_retries;
    this.retries.set(name, tries + 1);
    this.go(exhausted && t.fallback ? t.fallback : t.target, 'timeout');
  }

  /** @param {'on_enter'|'on_exit'} hook */
  runHooks(hook) {
    const h = this.stateDef()[hook];
    for (const step of Array.isArray(h) ? h : h ? [h] : []) {
      for (const [k, v] of Object.entries(map(step.set))) this.setVariable(k, v);
      if (step.emit !== undefined) this.onEvent({ type: 'emit', event: String(step.emit) });
    }
  }

  /** Ends the flow (reaching `__end__`, or after a terminal state's speech). @param {string} reason */
  end(reason) {
    if (this.ended) return;
    this.ended = true;
    this.stop();
    this.onEvent({ type: 'end', reason, variables: { ...this.variables } });
  }
}
