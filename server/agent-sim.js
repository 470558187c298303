// @ts-check
/**
 * The simulated agent. There is no speech recognition and no language model
 * here: the agent says a line derived from the flow, and every detected user
 * utterance is "understood" as the next useful tool call with example values.
 */
import { exampleArgs } from './examples.js';
import { fillText, hasUnfilled } from './interpolate.js';

/** @typedef {import('./flow-engine.js').FlowEngine} FlowEngine */
/** @typedef {import('./flow-engine.js').EngineResult} EngineResult */

/** Collapses a multi-line prompt into one spoken line. @param {string} text */
export function spokenText(text) {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => (/[.!?…:;,]$/.test(l) ? l : `${l}.`))
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** @param {Record<string, any>} field */
const label = (field) => String(field.label ?? field.id).replace(/[?:]+$/, '').toLowerCase();

/**
 * What the agent says on entering the current state, or null for silence.
 * @param {FlowEngine} engine
 */
export function entryLine(engine) {
  const s = engine.stateDef();
  const vars = engine.variables;
  const uiPrompt = s.ui?.prompt;
  // Not read out with "{placeholders}" still in it (a variable not set yet).
  if (typeof uiPrompt === 'string' && uiPrompt.trim() && !hasUnfilled(uiPrompt, vars)) return spokenText(fillText(uiPrompt, vars));
  const agentPrompt = s.agent?.prompt ?? '';
  if (/\bstay silent\b/i.test(agentPrompt)) return null;
  // The first double-quoted sentence whose placeholders can all be filled.
  const quoted = quotedLines(agentPrompt).find((q) => !hasUnfilled(q, vars));
  return quoted ? spokenText(fillText(quoted, vars)) : genericLine(engine);
}

/** Double-quoted sentences of a prompt (not single quoted words). @param {string} prompt */
function quotedLines(prompt) {
  return [...prompt.matchAll(/"([^"\n]{3,})"/g)]
    .map((m) => /** @type {string} */ (m[1]))
    .filter((q) => /[a-z]/i.test(q) && q.includes(' '));
}

/** @param {FlowEngine} engine */
function genericLine(engine) {
  const ui = engine.stateDef().ui;
  const missing = engine.formFields().find((f) => engine.variables[f.id] === null || engine.variables[f.id] === undefined);
  if (missing) return `Please tell me your ${label(missing)}.`;
  if (ui?.artifact_type === 'options' && Array.isArray(ui.options)) {
    const names = ui.options.map((/** @type {any} */ o) => String(o.label ?? o.id));
    return `Please choose one: ${names.join(', ')}.`;
  }
  if (engine.state && engine.isTerminal(engine.state)) return 'All done. Thank you!';
  return "Let's continue.";
}

/**
 * Tools the agent calls right after speaking ("Then immediately call `x`").
 * @param {FlowEngine} engine
 * @returns {string|null}
 */
export function autoCallTool(engine) {
  const m = /immediately call `?(\w+)`?/i.exec(engine.stateDef().agent?.prompt ?? '');
  return m && engine.availableTools().includes(/** @type {string} */ (m[1])) ? /** @type {string} */ (m[1]) : null;
}

/**
 * The tool a user utterance is taken to mean, with its arguments: confirm a
 * pending confirmation gate; else the first tool (agent.tools order) with an
 * unset parameter; else the first tool that leads somewhere; else the first tool.
 * @param {FlowEngine} engine
 * @returns {{tool: string, args: Record<string, unknown>}|null}
 */
export function nextToolCall(engine) {
  if (engine.ended) return null;
  const vars = engine.variables;
  const unset = (/** @type {string} */ k) => vars[k] === null || vars[k] === undefined;
  const gate = engine.gate();
  const captured = engine.pendingConfirmation().find((v) => !unset(v));
  if (gate && captured) return { tool: `confirm_${captured}`, args: {} };

  const generated = new Set(
    gate && engine.state ? [...gate.variables, engine.state].flatMap((v) => [`confirm_${v}`, `reject_${v}`]) : [],
  );
  const plain = engine.availableTools().filter((t) => !generated.has(t));
  const moves = engine.stateDef().transitions?.on_tool_call ?? {};
  const pick =
    plain.find((t) => Object.keys(engine.toolDef(t).parameters ?? {}).some(unset)) ??
    plain.find((t) => t in moves) ??
    plain[0];
  if (!pick) return null;
  const current = Object.fromEntries(
    Object.keys(engine.toolDef(pick).parameters ?? {})
      .filter((k) => !unset(k))
      .map((k) => [k, vars[k]]),
  );
  // Parameters already known keep their value; the "new" ones get examples.
  const fresh = exampleArgs(engine.toolDef(pick), engine.formFields());
  const missing = Object.keys(fresh).filter((k) => unset(k));
  return { tool: pick, args: missing.length ? { ...current, ...pickKeys(fresh, missing) } : { ...current } };
}

/** @param {Record<string, unknown>} o @param {string[]} keys */
const pickKeys = (o, keys) => Object.fromEntries(keys.map((k) => [k, o[k]]));

/**
 * What the simulated user "said" for a tool call.
 * @param {{tool: string, args: Record<string, unknown>}|null} call
 */
export function userLine(call) {
  if (!call) return '(simulated) …';
  const values = Object.values(call.args).filter((v) => v !== null && v !== undefined);
  if (/^reject_/.test(call.tool)) return '(simulated) No, that is not right.';
  return `(simulated) ${values.length ? values.map(String).join(', ') : 'Yes, go ahead.'}`;
}

/**
 * What the agent says after a tool call that did not change state.
 * @param {FlowEngine} engine
 * @param {EngineResult} result
 * @returns {string|null}
 */
export function replyLine(engine, result) {
  if (!result.ok) return null;
  const vars = engine.variables;
  switch (result.outcome) {
    case 'blocked':
    case 'confirmed': {
      const v = result.pending?.find((k) => vars[k] !== null && vars[k] !== undefined);
      if (v) return `I heard ${String(vars[v])}. Is that right?`;
      const need = result.pending?.[0];
      return need ? `Before we continue, I still need your ${need.replace(/_/g, ' ')}.` : null;
    }
    case 'guard':
      return 'I still need a little more information before we continue.';
    case 'stay': {
      const gatedVar = engine.pendingConfirmation().find((k) => result.set.includes(k));
      if (gatedVar) return `I heard ${String(vars[gatedVar])}. Is that right?`;
      const cue = result.tool ? engine.toolDef(result.tool).speech_cue : undefined;
      if (typeof cue === 'string' && cue.trim()) return spokenText(fillText(cue, vars));
      const missing = engine.formFields().find((f) => vars[f.id] === null || vars[f.id] === undefined);
      if (missing) return `Thanks! Now, what's your ${label(missing)}?`;
      // e.g. onboarding's "So you're {first_name}, born on {date_of_birth} — is that right?"
      const recap = quotedLines(engine.stateDef().agent?.prompt ?? '').find((q) => /\{\w+\}/.test(q) && !hasUnfilled(q, vars));
      return recap ? spokenText(fillText(recap, vars)) : 'Got it.';
    }
    default:
      return null;
  }
}

/**
 * What the agent says after a form_validation_error.
 * @param {FlowEngine} engine
 * @param {unknown} missing `data.missing_fields`
 */
export function missingFieldsLine(engine, missing) {
  const ids = Array.isArray(missing) ? missing.map(String) : [];
  if (!ids.length) return 'Some fields still need an answer.';
  const labels = ids.map((id) => {
    const f = engine.formFields().find((x) => x.id === id);
    return f ? label(f) : id.replace(/_/g, ' ');
  });
  return `I still need your ${labels.join(' and ')}.`;
}
