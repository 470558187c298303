// @ts-check
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startServer } from '../../server/index.js';
import { connect, tempDir } from './helpers.js';

/** @type {Awaited<ReturnType<typeof startServer>>} */
let server;
/** @param {string} [query] */
const wsUrl = (query = '') => `ws://127.0.0.1:${server.port}/ws?mode=flow${query}`;

before(async () => {
  server = await startServer({ port: 0 });
});
after(() => server.close());

describe('documented dialect', () => {
  test('opening order, then speech paced in real time (~32,000 bytes/s)', async () => {
    const c = await connect(wsUrl());
    try {
      // config → status listening → flow_state → status speaking → transcript → audio … → status listening
      await c.until(() => c.messages().filter((m) => m.type === 'status').length >= 3, 10_000, 'end of the first utterance');
      const types = c.received.map((r) => (r.kind === 'json' ? `${r.msg.type}${r.msg.status ? `:${r.msg.status}` : ''}` : r.kind));
      const firstBinary = types.indexOf('binary');
      assert.deepEqual(types.slice(0, firstBinary + 1), [
        'config',
        'status:listening',
        'flow_state',
        'status:speaking',
        'transcript',
        'binary',
      ]);
      assert.equal(types.at(-1), 'status:listening');
      assert.ok(types.slice(firstBinary, -1).every((t) => t === 'binary'), 'only audio between transcript and listening');

      const [config, , state, , transcript] = c.messages();
      assert.deepEqual(config, { type: 'config', audio_sample_rate: 16000, audio_encoding: 'pcm_s16le' });
      assert.equal(state?.flow_id, 'sample-onboarding');
      assert.equal(state?.state, 'collect_details');
      assert.equal(state?.artifact.artifact_type, 'form');
      assert.deepEqual(state?.artifact.fields.map((/** @type {any} */ f) => [f.id, f.type]), [['name', 'text'], ['email', 'email']]);
      assert.deepEqual(state?.variables, { name: null, email: null, selected_id: null });
      assert.deepEqual(state?.available_actions, ['form_submit', 'form_validation_error']);
      assert.equal(transcript?.role, 'assistant');
      assert.equal(transcript?.text, "Welcome! Let's set up your account. What's your name and email?");
      assert.match(transcript?.id, /^[0-9a-f-]{36}$/);

      const audio = c.received.filter((r) => r.kind === 'binary');
      assert.ok(audio.slice(0, -1).every((r) => r.kind === 'binary' && r.bytes === 640), '20 ms frames');
      const bytes = audio.reduce((s, r) => s + (r.kind === 'binary' ? r.bytes : 0), 0);
      assert.ok(bytes > 60_000, `a few seconds of audio (${bytes} bytes)`);
      const first = /** @type {any} */ (audio[0]);
      const last = /** @type {any} */ (audio.at(-1));
      const rate = (bytes - first.bytes) / ((last.t - first.t) / 1000);
      assert.ok(Math.abs(rate - 32_000) / 32_000 < 0.05, `paced at ${rate.toFixed(0)} bytes/s`);
    } finally {
      c.close();
    }
  });

  test('ui_events walk the sample flow to flow_end, status ended and close 1000', async () => {
    const c = await connect(wsUrl('&program_id=sample-onboarding'));
    try {
      await c.next((m) => m.type === 'flow_state');
      c.send({ type: 'ui_event', flow_id: 'sample-onboarding', action: 'form_submit', data: { name: 'Alex Doe', email: 'alex@example.com' } });
      const plan = await c.next((m) => m.type === 'flow_state' && m.state === 'choose_plan');
      assert.equal(plan.artifact.artifact_type, 'options');
      assert.equal(plan.artifact.prompt, 'Thanks, Alex Doe! Which plan would you like?');
      assert.deepEqual(plan.available_actions, ['option_select']);
      const vars = c.messages().filter((m) => m.type === 'flow_variable');
      assert.deepEqual(vars.map((m) => [m.key, m.value]), [['name', 'Alex Doe'], ['email', 'alex@example.com']]);
      const updates = c.messages().filter((m) => m.type === 'artifact' && m.artifact_type === 'field_update');
      assert.deepEqual(updates.map((m) => [m.field_id, m.value]), [['name', 'Alex Doe'], ['email', 'alex@example.com']]);

      c.send({ type: 'ui_event', action: 'option_select', data: { selected_id: 'pro' } });
      const summary = await c.next((m) => m.type === 'flow_state' && m.state === 'summary');
      assert.equal(summary.artifact.artifact_type, 'card');
      assert.equal(summary.artifact.content, 'Name: Alex Doe\nEmail: alex@example.com\nPlan: pro\n');
      assert.deepEqual(summary.available_actions, ['confirm', 'edit']);

      c.send({ type: 'ui_event', action: 'confirm', data: {} });
      const end = await c.next((m) => m.type === 'flow_end');
      assert.deepEqual(end, {
        type: 'flow_end',
        flow_id: 'sample-onboarding',
        reason: 'completed',
        variables: { name: 'Alex Doe', email: 'alex@example.com', selected_id: 'pro' },
      });
      const closed = await c.waitClose();
      assert.equal(closed.code, 1000);
      const tail = c.messages().slice(-2);
      assert.deepEqual(tail[1], { type: 'status', status: 'ended' });
    } finally {
      c.close();
    }
  });

  test('bad input gets a PVP error and the session stays up', async () => {
    const c = await connect(wsUrl());
    try {
      await c.next((m) => m.type === 'flow_state');
      /** @param {string|Record<string, unknown>} msg @param {RegExp} expected */
      const expectError = async (msg, expected) => {
        const from = c.messages().length;
        if (typeof msg === 'string') c.ws.send(msg);
        else c.send(msg);
        const err = await c.next((m) => m.type === 'error', 2000, from);
        assert.match(err.message, expected);
      };
      await expectError('{not json', /^invalid JSON$/);
      await expectError({ type: 'what' }, /^unknown message type "what"$/);
      await expectError({ type: '__test', do: 'stats' }, /^unknown message type "__test"$/);
      await expectError({ type: 'ui_event', data: {} }, /"action" must be a non-empty string/);
      await expectError({ type: 'ui_event', action: 'form_submit', data: [1] }, /"data" must be an object/);
      await expectError({ type: 'ping' }, /"ts" must be a number/);
      await expectError({ type: 'config', sample_rate: 'fast', channels: 1 }, /config/);

      c.send({ type: 'config', sample_rate: 16000, channels: 1 });
      c.send({ type: 'ui_event', action: 'form_validation_error', data: { missing_fields: ['email'] } });
      await c.next((m) => m.type === 'transcript' && m.text === 'I still need your email address.');

      c.ws.send(Buffer.alloc(641)); // odd-length mic frame: counted, ignored
      const from = c.messages().length;
      c.send({ type: 'ping', ts: 123 });
      const pong = await c.next((m) => m.type === 'pong', 2000, from);
      assert.equal(pong.ts, 123);
      assert.equal(typeof pong.server_ts, 'number');
      assert.equal(c.closed, null);
    } finally {
      c.close();
    }
  });

  test('unknown program_id: error naming the flows, then close 1008', async () => {
    const c = await connect(wsUrl('&program_id=nope'));
    const closed = await c.waitClose();
    assert.equal(closed.code, 1008);
    assert.deepEqual(c.messages(), [
      { type: 'error', message: 'unknown program_id "nope"; this server has: sample-onboarding, appointment-booking, onboarding, ten-questions' },
    ]);
  });

  test('a state with no way out ends the flow after its artifact and speech', async () => {
    const dir = await tempDir({
      'end.yaml': `id: ender
initial_state: start
states:
  start:
    ui: { artifact_type: card, prompt: "Hello." }
    transitions: { on_ui_event: { next: finish } }
  finish:
    ui: { artifact_type: navigate, screen: Home }
    agent: { prompt: "Say \\"Bye now.\\"" }
    transitions: { on_tool_call: {}, on_ui_event: {}, on_action: {} }
`,
    });
    const s = await startServer({ port: 0, flows: [dir] });
    const c = await connect(`ws://127.0.0.1:${s.port}/ws`);
    try {
      await c.next((m) => m.type === 'flow_state');
      c.send({ type: 'ui_event', action: 'next', data: {} });
      await c.waitClose(5000);
      const after = c.messages().slice(c.messages().findIndex((m) => m.state === 'finish'));
      assert.deepEqual(
        after.map((m) => m.type + (m.status ? `:${m.status}` : '')),
        ['flow_state', 'status:speaking', 'transcript', 'status:listening', 'flow_end', 'status:ended'],
      );
      assert.equal(after[2]?.text, 'Bye now.');
      assert.equal(c.closed?.code, 1000);
    } finally {
      c.close();
      await s.close();
    }
  });
});
