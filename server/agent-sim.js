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

/** A variable the user has not given yet (the reference engine tests falsiness; 0 and false count as given here). */
const unfilled = (/** @type {unknown} */ v) => v === null || v === undefined || v === '';

/** "a", "a and b", "a, b and c" @param {string[]} items */
const listed = (items) => (items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`);

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
      return speechCue(engine, result.tool);
    }
    default:
      return null;
  }
}

/**
 * The reference engine's `_auto_speech_cue` for a tool call that moved nothing: the tool's
 * `speech_cue`, else the form fields still missing ("Got it! I still need your …"). When the
 * form is complete, a recap line the prompt asks for (onboarding's "So you're {first_name}…")
 * comes before the reference's plain "all captured".
 * @param {FlowEngine} engine
 * @param {string} [tool]
 */
export function speechCue(engine, tool) {
  const vars = engine.variables;
  const cue = tool ? engine.toolDef(tool).speech_cue : undefined;
  if (typeof cue === 'string' && cue.trim()) return spokenText(fillText(cue, vars));
  const fields = engine.formFields();
  const missing = fields.filter((f) => unfilled(vars[f.id])).map(label);
  if (missing.length === 1) return `Got it! Now could you please provide your ${missing[0]}?`;
  if (missing.length > 1) return `Got it! I still need your ${listed(missing)}.`;
  const recap = quotedLines(engine.stateDef().agent?.prompt ?? '').find((q) => /\{\w+\}/.test(q) && !hasUnfilled(q, vars));
  if (recap) return spokenText(fillText(recap, vars));
  return fields.length ? 'Got it, all fields are captured.' : 'Got it. Please continue.';
}

/**
 * After a form_submit or option_select the state does not map: the tool that moves the state
 * on, called with the values the user gave (now variables), when they cover its parameters. A
 * real agent sees the values arrive as flow variables and calls that tool. Null when a
 * parameter is still empty.
 * @param {FlowEngine} engine
 * @param {string[]} [keys] the ui_event's data keys (a form's fields count anyway)
 * @returns {{tool: string, args: Record<string, unknown>}|null}
 */
export function submitToolCall(engine, keys = []) {
  const vars = engine.variables;
  const tools = engine.availableTools();
  const moves = Object.keys(engine.stateDef().transitions?.on_tool_call ?? {}).filter((t) => tools.includes(t));
  const params = (/** @type {string} */ t) => Object.keys(engine.toolDef(t).parameters ?? {});
  const form = engine.formFields().map((f) => f.id);
  const given = new Set([...form, ...keys]);
  const taking = moves.filter((t) => params(t).some((p) => given.has(p)));
  // A form with no tool taking its fields moves on by a plain "continue" tool once complete.
  const complete = form.length > 0 && form.every((id) => !unfilled(vars[id]));
  const candidates = taking.length ? taking : complete ? moves.filter((t) => !params(t).length) : [];
  const tool = candidates.find((t) => params(t).every((p) => !unfilled(vars[p])));
  return tool ? { tool, args: Object.fromEntries(params(tool).map((p) => [p, vars[p]])) } : null;
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
  return `I still need your ${listed(labels)}.`;
}

/** [pattern, label], first match wins: the labels the reference's intent prompt names. */
const INTENTS = /** @type {[RegExp, string][]} */ ([
  [/\b(bye|goodbye|great day|see you|thanks? (you )?for (playing|using|your time))\b|close the page/i, 'Farewell'],
  [/^(hi|hello|hey|welcome)\b/i, 'Greeting'],
  [/\b(still need|could you please provide|before we continue)\b/i, 'Clarification'],
  [/\b(is that right|shall i confirm|did i get)\b/i, 'Confirmation'],
  [/\?\s*$/, 'Question'],
  [/\b(congratulations|well done|great job|you got it|impressive|all set)\b/i, 'Encouragement'],
  [/^(got it|thanks|thank you|noted)\b/i, 'Feedback'],
  [/\b(please|let's|tell me|choose|pick)\b/i, 'Instruction'],
]);

/**
 * A 1–2 word label for what the agent just said, like the reference IntentObserver's
 * (which asks a model; here a few patterns do).
 * @param {string} text
 */
export function intentLabel(text) {
  return INTENTS.find(([re]) => re.test(text))?.[1] ?? 'Prompt';
}
