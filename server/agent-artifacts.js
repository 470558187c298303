// @ts-check
/**
 * What a real agent adds on its own (`--agent-artifacts`): the reference backend gives its
 * model a `send_artifact` tool (vfdl/agents/artifacts.py), and the model sends loosely typed
 * artifacts the flow file never mentions. The simulated agent sends the same shapes at the
 * moments a model typically does, so a page meets them before it meets a real backend:
 *
 * - a choice the prompt leaves to the user → `options` (model-made: plain strings, or numeric ids);
 * - a free-speech answer the flow only records → a `card` of `card_type` "score" whose
 *   `content` is an object;
 * - the end of the flow → `navigate` with `screen`, `params` and `options`.
 */
import { randomUUID } from 'node:crypto';

/** @typedef {import('./flow-engine.js').FlowEngine} FlowEngine */

/** "play_again" → "Play again" @param {string} name */
const humanize = (name) => {
  const words = name.replace(/_/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
};

/** @param {Record<string, unknown>} fields */
const artifact = (fields) => ({ type: 'artifact', id: randomUUID(), ...fields });

/**
 * Tools the prompt leaves to the user's decision: parameterless tools that move the state on,
 * named in a sentence with "if" ("Call `play_again` if yes, `end_game` if no."). Tools the
 * agent calls on its own judgement ("CORRECT GUESS — Call `guess_correct`") are not choices.
 * @param {FlowEngine} engine
 */
function userChoices(engine) {
  const moves = engine.stateDef().transitions?.on_tool_call ?? {};
  const named = new Set(
    (engine.stateDef().agent?.prompt ?? '')
      .split(/[.\n]/)
      .filter((sentence) => /\bif\b/i.test(sentence))
      .flatMap((sentence) => [...sentence.matchAll(/`(\w+)(?:\(\))?`/g)].map((m) => m[1])),
  );
  return engine.availableTools().filter((t) => t in moves && named.has(t) && !Object.keys(engine.toolDef(t).parameters ?? {}).length);
}

/**
 * When the state leaves a choice between tools to the user and shows no form or options of
 * its own, the agent lists them. Odd lists use plain strings, even ones `{id: <number>, label}`:
 * both shapes a model produces.
 * @param {FlowEngine} engine
 * @param {number} n 1-based count of model-made option lists in this session
 * @returns {{message: Record<string, unknown>, tools: Map<string, string>}|null} tools: id or label → tool
 */
export function choiceOptions(engine, n) {
  const type = engine.stateDef().ui?.artifact_type;
  if (type === 'form' || type === 'options') return null;
  const tools = userChoices(engine);
  if (tools.length < 2) return null;
  const labels = tools.map(humanize);
  /** @type {Map<string, string>} */
  const byChoice = new Map();
  tools.forEach((t, i) => {
    byChoice.set(/** @type {string} */ (labels[i]).toLowerCase(), t);
    if (n % 2 === 0) byChoice.set(String(i + 1), t);
  });
  const options = n % 2 === 1 ? labels : labels.map((label, i) => ({ id: i + 1, label }));
  return { message: artifact({ artifact_type: 'options', prompt: 'What would you like to do?', options }), tools: byChoice };
}

/**
 * The tool a pick among model-made options stands for (by id or label).
 * @param {Map<string, string>} tools from choiceOptions
 * @param {unknown} selected `data.selected_id`: the label of a plain-string option, or the numeric id
 */
export function chosenTool(tools, selected) {
  return selected === null || selected === undefined ? null : (tools.get(String(selected).trim().toLowerCase()) ?? null);
}

/**
 * The agent rates an answer it only recorded (the flow stays put), as a speaking-practice
 * agent does after each answer. The figures are made up and vary with n.
 * @param {number} n 1-based count of score cards in this session
 */
export function scoreCard(n) {
  const overall = 5.5 + (n % 4) * 0.5;
  return artifact({
    artifact_type: 'card',
    card_type: 'score',
    title: `Answer ${n}`,
    content: {
      overall,
      fluency_score: Math.min(9, Math.round(overall + 0.5)),
      feedback: n % 2 ? 'Clear and well paced. Try adding an example next time.' : 'Good range of words. Watch the pauses between ideas.',
    },
  });
}

/**
 * At the end of a flow, the agent moves the app on, unless the flow just did that itself.
 * @param {FlowEngine} engine
 * @param {Record<string, unknown>} variables
 */
export function endNavigation(engine, variables) {
  if (engine.stateDef().ui?.artifact_type === 'navigate') return null;
  return artifact({
    artifact_type: 'navigate',
    screen: 'Summary',
    params: { flow_id: engine.flow.id, ...variables },
    options: ['Start again', 'Close'],
  });
}
