// @ts-check
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { intentLabel, nextToolCall, submitToolCall } from '../../server/agent-sim.js';
import { exampleValue } from '../../server/examples.js';
import { FlowEngine } from '../../server/flow-engine.js';
import { parseFlow } from '../../server/flow-loader.js';
import { guardPasses } from '../../server/guards.js';

/** @param {string} yaml */
function engineFor(yaml) {
  /** @type {import('../../server/flow-engine.js').EngineEvent[]} */
  const events = [];
  const engine = new FlowEngine(parseFlow(yaml, 't.yaml'), { onEvent: (e) => events.push(e) });
  engine.start();
  return { engine, events };
}

describe('flow engine', () => {
  test('guards: every operator', () => {
    const vars = { n: 5, s: 'abc', e: '', nil: null, list: [] };
    /** @type {[string, string, unknown, boolean][]} */
    const cases = [
      ['n', 'eq', 5, true], ['n', 'eq', '5', true], ['n', 'neq', 5, false],
      ['s', 'in', ['x', 'abc'], true], ['s', 'not_in', ['abc'], false],
      ['s', 'not_empty', undefined, true], ['e', 'empty', undefined, true], ['nil', 'empty', undefined, true], ['list', 'empty', undefined, true],
      ['n', 'gt', 4, true], ['n', 'lt', 4, false], ['n', 'gte', 5, true], ['n', 'lte', 4, false], ['nil', 'gt', -1, false],
      ['s', 'matches', '^a.c$', true], ['nil', 'matches', 'x', false],
    ];
    for (const [variable, operator, value, expected] of cases)
      assert.equal(guardPasses({ all: [{ variable, operator, value }] }, vars), expected, `${variable} ${operator} ${JSON.stringify(value)}`);
    assert.equal(guardPasses({ any: [{ variable: 'n', operator: 'eq', value: 1 }, { variable: 's', operator: 'not_empty' }] }, vars), true);
    assert.equal(guardPasses(undefined, vars), true);
  });

  test('a guarded tool-call transition waits for its condition; a list picks the first passing target', () => {
    const { engine } = engineFor(`id: g
initial_state: a
variables: { age: { type: number } }
states:
  a:
    tools: { set_age: { parameters: { age: { type: number } } } }
    transitions:
      on_tool_call:
        set_age:
          - { target: adult, guard: { all: [ { variable: age, operator: gte, value: 18 } ] } }
          - { target: minor, guard: { all: [ { variable: age, operator: lt, value: 18 }, { variable: age, operator: gt, value: 0 } ] } }
  adult: {}
  minor: {}
`);
    const r = engine.callTool('set_age', { age: 0 });
    assert.deepEqual(r.ok && r.outcome, 'guard');
    assert.equal(engine.state, 'a');
    engine.callTool('set_age', { age: 12 });
    assert.equal(engine.state, 'minor');
    assert.equal(engine.ended, false, 'a terminal state ends only once its speech is over (the session calls end)');
  });

  test('transition set, on_exit hooks, __error__', () => {
    const { engine, events } = engineFor(`id: s
initial_state: a
states:
  a:
    on_exit: [ { set: { left: true } }, { emit: bye } ]
    transitions: { on_ui_event: { go: { target: b, set: { flag: yes } } } }
  b:
    transitions: { on_action: { fail: __error__ } }
`);
    assert.deepEqual(engine.availableActions(), ['go']);
    engine.uiEvent('go', { x: 1 });
    assert.deepEqual(engine.variables, { x: 1, left: true, flag: 'yes' });
    assert.ok(events.some((e) => e.type === 'emit' && e.event === 'bye'));
    engine.uiEvent('fail', {});
    assert.deepEqual(events.at(-1), { type: 'end', reason: 'error', variables: { x: 1, left: true, flag: 'yes' } });
  });

  test('confirmation gate: reject clears the variable and re-enters; ui events bypass the gate', () => {
    const { engine, events } = engineFor(`id: c
initial_state: ask
states:
  ask:
    ui: { artifact_type: form, fields: [ { id: first_name, type: text } ] }
    tools: { save_name: { parameters: { first_name: { type: string } } } }
    confirmation_gate: { variables: [first_name], on_confirm: next, on_reject: { action: clear, target: ask } }
    transitions: { on_tool_call: { save_name: next }, on_ui_event: { form_submit: next } }
  next: { transitions: { on_ui_event: { back: ask } } }
`);
    const blocked = engine.callTool('save_name', { first_name: 'Alec' });
    assert.equal(blocked.ok && blocked.outcome, 'blocked');
    assert.deepEqual(nextToolCall(engine), { tool: 'confirm_first_name', args: {} });
    engine.callTool('reject_first_name', {});
    assert.equal(engine.variables.first_name, null);
    assert.equal(events.filter((e) => e.type === 'enter' && e.state === 'ask').length, 2);
    engine.uiEvent('form_submit', { first_name: 'Alex' });
    assert.equal(engine.state, 'next');
  });

  test('on_timeout re-enters, then takes the fallback after max_retries', async () => {
    const { engine, events } = engineFor(`id: t
initial_state: ask
states:
  ask:
    transitions: { on_timeout: { seconds: 0.03, target: ask, max_retries: 2, fallback: gave_up } }
  gave_up: {}
`);
    await new Promise((r) => setTimeout(r, 250));
    assert.deepEqual(
      events.filter((e) => e.type === 'enter').map((e) => e.type === 'enter' && e.state),
      ['ask', 'ask', 'ask', 'gave_up'],
    );
    engine.stop();
  });

  test('example values', () => {
    assert.equal(exampleValue('full_name', { type: 'string' }, { placeholder: 'e.g. Jane Smith' }), 'Jane Smith');
    assert.equal(exampleValue('first_name', { type: 'string' }, { placeholder: 'Your name' }), 'Alex');
    assert.equal(exampleValue('time_slot', {}, { placeholder: '9 AM, 10 AM, or 4 PM' }), '9 AM');
    assert.equal(exampleValue('date', {}, { placeholder: 'e.g. May 20 or next Monday' }), 'May 20');
    assert.equal(exampleValue('service', { enum: ['consultation', 'demo'] }, undefined), 'consultation');
    assert.equal(exampleValue('last_answer', { description: "e.g. 'Yes!' or 'No.'" }, undefined), 'Yes!');
    assert.equal(exampleValue('contact_email', {}, undefined), 'jane@example.com');
    assert.equal(exampleValue('date_of_birth', {}, undefined), '15 March 1995');
    assert.equal(exampleValue('count', { type: 'number' }, undefined), 1);
  });

  test('a submitted form calls the tool that takes its fields, or a plain continue tool once complete', () => {
    const { engine } = engineFor(`id: f
initial_state: a
states:
  a:
    ui: { artifact_type: form, fields: [ { id: x, type: text }, { id: y, type: text } ] }
    tools: { save: { parameters: { x: { type: string }, y: { type: string } } }, note: { parameters: { x: { type: string } } } }
    transitions: { on_tool_call: { save: b } }
  b:
    ui: { artifact_type: form, fields: [ { id: z, type: text } ] }
    transitions: { on_tool_call: { next: c } }
  c: {}
`);
    assert.deepEqual(engine.availableActions(), ['form_submit', 'form_validation_error']);
    const partial = engine.uiEvent('form_submit', { x: '1', y: '' });
    assert.equal(partial.ok && partial.outcome, 'unmapped');
    assert.equal(submitToolCall(engine), null, 'y is still empty');
    engine.uiEvent('form_submit', { x: '1', y: '2' });
    assert.deepEqual(submitToolCall(engine), { tool: 'save', args: { x: '1', y: '2' } });
    engine.callTool('save', { x: '1', y: '2' });
    engine.uiEvent('form_submit', { z: '3' });
    assert.deepEqual(submitToolCall(engine), { tool: 'next', args: {} });
  });

  test('an unmapped option_select calls the tool that takes the selection', () => {
    const { engine } = engineFor(`id: o
initial_state: a
states:
  a:
    ui: { artifact_type: options, options: [ { id: x, label: X }, { id: y, label: Y } ] }
    tools: { pick: { parameters: { selected_id: { type: string } } } }
    transitions: { on_tool_call: { pick: b } }
  b: {}
`);
    assert.deepEqual(engine.availableActions(), []);
    assert.equal(submitToolCall(engine, ['selected_id']), null, 'nothing selected yet');
    engine.uiEvent('option_select', { selected_id: 'y' });
    assert.deepEqual(submitToolCall(engine, ['selected_id']), { tool: 'pick', args: { selected_id: 'y' } });
  });

  test('intent labels', () => {
    assert.equal(intentLabel("Hi! Let's start with your contact details."), 'Greeting');
    assert.equal(intentLabel('What time suits you?'), 'Question');
    assert.equal(intentLabel('I heard Robin. Is that right?'), 'Confirmation');
    assert.equal(intentLabel('Got it! I still need your email.'), 'Clarification');
    assert.equal(intentLabel('Wish them a great day. Bye!'), 'Farewell');
    assert.equal(intentLabel('Please choose one: starter, pro.'), 'Instruction');
  });
});
