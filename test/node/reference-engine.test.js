// @ts-check
// The dev server behaves like the reference engine (vfdl/agents/flow_engine.py, intent_observer.py,
// artifacts.py): ui_event semantics, the automatic speech cue, intents, model-driven artifacts.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startServer } from '../../server/index.js';
import { connect, tempDir } from './helpers.js';

/** @typedef {import('./helpers.js').PvpClient} PvpClient */
/** @typedef {'documented'|'reference'} Dialect */

// A short voice keeps paced (documented) speech quick; what is said is in the transcript.
const shortVoice = async () => new Int16Array(1600);

/** @type {Record<Dialect, Awaited<ReturnType<typeof startServer>>>} */
const servers = /** @type {any} */ ({});
/** @type {Record<Dialect, Awaited<ReturnType<typeof startServer>>>} */
const withArtifacts = /** @type {any} */ ({});

const THREE_FIELDS = `id: three
initial_state: ask
states:
  ask:
    ui:
      artifact_type: form
      fields:
        - { id: city, type: text, label: City }
        - { id: phone, type: text, label: "Phone number" }
        - { id: email, type: email, label: "Email address" }
    tools:
      capture_city: { parameters: { city: { type: string } } }
      save: { parameters: { city: { type: string }, phone: { type: string }, email: { type: string } } }
    transitions:
      on_tool_call: { save: done }
      on_ui_event: { other: done }
      on_action: { other: elsewhere, go: { target: done, set: { via: action } } }
  done: { ui: { artifact_type: card, prompt: "Done." }, transitions: { on_ui_event: { back: ask } } }
  elsewhere: { ui: { artifact_type: card, prompt: "Elsewhere." }, transitions: { on_ui_event: { back: ask } } }
`;

before(async () => {
  const flows = [await tempDir({ 'three.yaml': THREE_FIELDS }), new URL('../../server/flows/', import.meta.url).pathname];
  for (const dialect of /** @type {Dialect[]} */ (['documented', 'reference'])) {
    servers[dialect] = await startServer({ port: 0, dialect, testHooks: true, synthesize: shortVoice, flows });
    withArtifacts[dialect] = await startServer({ port: 0, dialect, testHooks: true, synthesize: shortVoice, agentArtifacts: true, flows });
  }
});
after(async () => {
  for (const s of [...Object.values(servers), ...Object.values(withArtifacts)]) await s.close();
});

/**
 * Runs `fn` with a client of a new session of `flow`, then closes it.
 * @param {Awaited<ReturnType<typeof startServer>>} s @param {string} flow @param {(c: PvpClient) => Promise<void>} fn
 */
async function talk(s, flow, fn) {
  const c = await connect(`ws://127.0.0.1:${s.port}/ws?mode=flow&program_id=${flow}`);
  try {
    await fn(c);
  } finally {
    c.close();
  }
}

/** The state the server is in, from its stats. @param {PvpClient} c */
async function serverState(c) {
  const from = c.messages().length;
  c.send({ type: '__test', do: 'stats' });
  return c.next((m) => m.type === '__test_stats', 5000, from);
}

/** The first state entry of either dialect (flow_state, or the reference's artifact). @param {PvpClient} c @param {Dialect} dialect @param {string} state */
const entered = (c, dialect, state, from = 0) =>
  c.next((m) => (dialect === 'documented' ? m.type === 'flow_state' && m.state === state : m.type === 'artifact' && String(m.id).startsWith(`${state}-`)), 5000, from);

/** Assistant lines after message index `from`. @param {PvpClient} c @param {number} from */
const said = (c, from) => c.next((m) => m.type === 'transcript' && m.role === 'assistant', 5000, from);

for (const dialect of /** @type {Dialect[]} */ (['documented', 'reference'])) {
  describe(`${dialect}: ui_event as the reference handle_ui_event`, () => {
    test('appointment-booking: typing the contact form and submitting sets full_name and email and reaches the next state', async () => {
      await talk(servers[dialect], 'appointment-booking', async (c) => {
      const first = await entered(c, dialect, 'collect_contact');
      if (dialect === 'documented') assert.deepEqual(first.available_actions, ['form_submit', 'form_validation_error']);
      const from = c.messages().length;
      c.send({ type: 'ui_event', action: 'form_submit', data: { full_name: 'Ada Lovelace', email: 'ada@example.com' } });
      await entered(c, dialect, 'collect_appointment', from);
      const after = c.messages().slice(from);
      const vars = after.filter((m) => m.type === 'flow_variable').map((m) => [m.key, m.value]);
      assert.deepEqual(vars.slice(0, 2), [['full_name', 'Ada Lovelace'], ['email', 'ada@example.com']]);
      const updates = after.filter((m) => m.artifact_type === 'field_update').map((m) => [m.field_id, m.value ?? m.field_value]);
      assert.deepEqual(updates.slice(0, 2), [['full_name', 'Ada Lovelace'], ['email', 'ada@example.com']]);
      assert.ok(!after.some((m) => m.type === 'error'), 'no error for the unmapped form_submit');
      const stats = await serverState(c);
      assert.equal(stats.state, 'collect_appointment');
      assert.equal(stats.variables.full_name, 'Ada Lovelace');
      assert.equal(stats.variables.email, 'ada@example.com');
      // The agent called save_contact with the typed values: the next step greets by name.
      await c.next((m) => m.type === 'transcript' && /^Great, Ada Lovelace!/.test(m.text), 5000, from);
      });
    });

    test('a submitted form with a field left empty stays, and the agent asks for that field', async () => {
      await talk(servers[dialect], 'appointment-booking', async (c) => {
      await entered(c, dialect, 'collect_contact');
      const from = c.messages().length;
      c.send({ type: 'ui_event', action: 'form_submit', data: { full_name: 'Ada Lovelace', email: null } });
      const line = await said(c, from);
      assert.equal(line.text, 'Got it! Now could you please provide your email address?');
      assert.equal((await serverState(c)).state, 'collect_contact');
      });
    });

    test('an unmapped action stores every key of data (flow_variable, field_update for form fields), without an error', async () => {
      await talk(servers[dialect], 'sample-onboarding', async (c) => {
      await entered(c, dialect, 'collect_details');
      const from = c.messages().length;
      c.send({ type: 'ui_event', action: 'no_such_action', data: { name: 'Kim', note: 'hi' } });
      await c.next((m) => m.type === 'flow_variable' && m.key === 'note', 5000, from);
      const stats = await serverState(c);
      const after = c.messages().slice(from);
      assert.deepEqual(after.filter((m) => m.type === 'flow_variable').map((m) => [m.key, m.value]), [['name', 'Kim'], ['note', 'hi']]);
      assert.deepEqual(after.filter((m) => m.artifact_type === 'field_update').map((m) => m.field_id), ['name']);
      assert.ok(!after.some((m) => m.type === 'error'));
      assert.equal(stats.state, 'collect_details');
      assert.equal(c.closed, null);
      });
    });

    test('on_ui_event wins over on_action; on_action applies its set', async () => {
      await talk(servers[dialect], 'three', async (c) => {
      await entered(c, dialect, 'ask');
      let from = c.messages().length;
      c.send({ type: 'ui_event', action: 'other', data: {} });
      await entered(c, dialect, 'done', from);
      from = c.messages().length;
      c.send({ type: 'ui_event', action: 'back', data: {} });
      await entered(c, dialect, 'ask', from);
      from = c.messages().length;
      c.send({ type: 'ui_event', action: 'go', data: { city: 'Oslo' } });
      await entered(c, dialect, 'done', from);
      const vars = c.messages().slice(from).filter((m) => m.type === 'flow_variable').map((m) => [m.key, m.value]);
      assert.deepEqual(vars, [['city', 'Oslo'], ['via', 'action']]);
      });
    });

    test('form_validation_error: one sentence asking for the missing fields; no state change, nothing stored', async () => {
      await talk(servers[dialect], 'three', async (c) => {
      await entered(c, dialect, 'ask');
      await c.next((m) => m.type === 'status' && m.status === 'listening' && c.messages().some((x) => x.role === 'assistant'));
      const from = c.messages().length;
      c.send({ type: 'ui_event', action: 'form_validation_error', data: { missing_fields: ['phone', 'email'] } });
      const line = await said(c, from);
      assert.equal(line.text, 'I still need your phone number and email address.');
      const stats = await serverState(c);
      assert.equal(stats.state, 'ask');
      assert.ok(!('missing_fields' in stats.variables));
      assert.ok(!c.messages().slice(from).some((m) => m.type === 'flow_variable' || m.type === 'error'));
      });
    });

    test('a tool call that maps no transition: the next line names the fields still missing', async () => {
      await talk(servers[dialect], 'three', async (c) => {
      await entered(c, dialect, 'ask');
      const from = c.messages().length;
      c.send({ type: '__test', do: 'tool_call', tool: 'capture_city', args: { city: 'Oslo' } });
      assert.equal((await said(c, from)).text, 'Got it! I still need your phone number and email address.');
      const from2 = c.messages().length;
      c.send({ type: 'ui_event', action: 'no_such_action', data: { phone: '555' } });
      c.send({ type: '__test', do: 'tool_call', tool: 'capture_city', args: { city: 'Bergen' } });
      assert.equal((await said(c, from2)).text, 'Got it! Now could you please provide your email address?');
      const from3 = c.messages().length;
      c.send({ type: 'ui_event', action: 'no_such_action', data: { email: 'a@b.c' } });
      c.send({ type: '__test', do: 'tool_call', tool: 'capture_city', args: { city: 'Oslo' } });
      assert.equal((await said(c, from3)).text, 'Got it, all fields are captured.');
      });
    });
  });
}

describe('intents (reference IntentObserver)', () => {
  test('reference: an intent label after each agent turn, once the bot stops speaking', async () => {
    await talk(servers.reference, 'appointment-booking', async (c) => {
    const intent = await c.next((m) => m.type === 'intent');
    assert.deepEqual(intent, { type: 'intent', text: 'Greeting' });
    const types = c.messages().map((m) => `${m.type}${m.status ? `:${m.status}` : ''}`);
    assert.deepEqual(types.slice(types.indexOf('transcript')), ['transcript', 'status:listening', 'intent']);
    const from = c.messages().length;
    c.send({ type: '__test', do: 'tool_call', tool: 'capture_email', args: { email: 'ada@example.com' } });
    const next = await c.next((m) => m.type === 'intent', 5000, from);
    assert.equal(next.text, 'Clarification'); // "Got it! Now could you please provide your full name?"
    for (const m of c.messages().filter((x) => x.type === 'intent')) assert.match(m.text, /^\w+( \w+)?$/, '1–2 words');
    });
  });

  test('documented: no intent messages', async () => {
    await talk(servers.documented, 'appointment-booking', async (c) => {
    await c.next((m) => m.type === 'status' && m.status === 'listening' && c.messages().some((x) => x.role === 'assistant'));
    await serverState(c); // a round trip after the turn ended
    assert.ok(!c.messages().some((m) => m.type === 'intent'));
    });
  });
});

describe('--agent-artifacts (reference send_artifact shapes)', () => {
  test('off by default: only the flow’s own artifacts', async () => {
    await talk(servers.reference, 'ten-questions', async (c) => {
    await entered(c, 'reference', 'setup');
    c.send({ type: '__test', do: 'utterance' }); // → begin_game → playing
    await entered(c, 'reference', 'playing');
    c.send({ type: '__test', do: 'utterance' }); // → record_answer (stays)
    await c.next((m) => m.type === 'flow_variable' && m.key === 'last_answer');
    await serverState(c);
    assert.ok(!c.messages().some((m) => m.type === 'artifact' && !/^\w+-\d+$/.test(String(m.id)) && m.artifact_type !== 'field_update'));
    });
  });

  test('ten-questions: a score card for an answer, options as strings then numeric ids, navigate at the end', async () => {
    await talk(withArtifacts.reference, 'ten-questions', async (c) => {
    await entered(c, 'reference', 'setup');
    c.send({ type: '__test', do: 'utterance' }); // → begin_game → playing
    await entered(c, 'reference', 'playing');
    let from = c.messages().length;
    c.send({ type: '__test', do: 'utterance' }); // → record_answer: the flow stays, the agent rates the answer
    const score = await c.next((m) => m.type === 'artifact' && m.artifact_type === 'card', 5000, from);
    assert.match(score.id, /^[0-9a-f-]{36}$/);
    assert.equal(score.card_type, 'score');
    assert.equal(typeof score.title, 'string');
    assert.deepEqual(Object.keys(score.content), ['overall', 'fluency_score', 'feedback']);
    assert.equal(typeof score.content.overall, 'number');

    from = c.messages().length;
    c.send({ type: '__test', do: 'tool_call', tool: 'guess_correct' });
    await entered(c, 'reference', 'won', from);
    const strings = await c.next((m) => m.artifact_type === 'options', 5000, from);
    assert.deepEqual(strings.options, ['Play again', 'End game']);
    from = c.messages().length;
    c.send({ type: 'ui_event', action: 'option_select', data: { selected_id: 'Play again' } });
    await entered(c, 'reference', 'setup', from);

    c.send({ type: '__test', do: 'utterance' });
    await entered(c, 'reference', 'playing', from);
    from = c.messages().length;
    c.send({ type: '__test', do: 'tool_call', tool: 'out_of_questions' });
    await entered(c, 'reference', 'lost', from);
    const numbered = await c.next((m) => m.artifact_type === 'options', 5000, from);
    assert.deepEqual(numbered.options, [{ id: 1, label: 'Play again' }, { id: 2, label: 'End game' }]);
    from = c.messages().length;
    c.send({ type: 'ui_event', action: 'option_select', data: { selected_id: 2 } });
    await entered(c, 'reference', 'done', from);
    const nav = await c.next((m) => m.artifact_type === 'navigate', 8000, from);
    assert.equal(nav.screen, 'Summary');
    assert.equal(nav.params.flow_id, 'ten-questions');
    assert.deepEqual(nav.options, ['Start again', 'Close']);
    });
  });

  test('documented: the navigate comes before flow_end', async () => {
    await talk(withArtifacts.documented, 'sample-onboarding', async (c) => {
    await entered(c, 'documented', 'collect_details');
    c.send({ type: 'ui_event', action: 'form_submit', data: { name: 'Kim', email: 'kim@example.com' } });
    await entered(c, 'documented', 'choose_plan');
    c.send({ type: 'ui_event', action: 'option_select', data: { selected_id: 'pro' } });
    await entered(c, 'documented', 'summary');
    c.send({ type: 'ui_event', action: 'confirm', data: {} });
    await c.waitClose();
    const tail = c.messages().slice(-3).map((m) => m.artifact_type ?? m.type);
    assert.deepEqual(tail, ['navigate', 'flow_end', 'status']);
    });
  });
});
