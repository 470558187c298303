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
  server = await startServer({ port: 0, dialect: 'reference', testHooks: true });
});
after(() => server.close());

describe('reference dialect', () => {
  test('status idle before config, top-level artifact, no flow_state, unpaced audio', async () => {
    const c = await connect(wsUrl());
    try {
      await c.until(() => c.messages().filter((m) => m.type === 'status').length >= 3, 5000, 'speech sent');
      const [idle, config, artifact, speaking, transcript] = c.messages();
      assert.deepEqual(idle, { type: 'status', status: 'idle' });
      assert.deepEqual(config, { type: 'config', audio_sample_rate: 16000, audio_encoding: 'pcm_s16le', audio_channels: 1 });
      assert.equal(artifact?.type, 'artifact');
      assert.equal(artifact?.id, 'collect_details-1');
      assert.equal(artifact?.artifact_type, 'form');
      assert.ok(Array.isArray(artifact?.fields), 'fields at the top level');
      assert.equal(artifact?.artifact, undefined);
      assert.deepEqual(speaking, { type: 'status', status: 'speaking' });
      assert.equal(transcript?.type, 'transcript');
      assert.equal(transcript?.is_final, true);
      assert.ok(!c.messages().some((m) => m.type === 'flow_state'));

      const audio = /** @type {{t: number, bytes: number}[]} */ (c.received.filter((r) => r.kind === 'binary'));
      const bytes = audio.reduce((s, r) => s + r.bytes, 0);
      const audioMs = bytes / 32;
      const spanMs = /** @type {any} */ (audio.at(-1)).t - /** @type {any} */ (audio[0]).t;
      assert.ok(audioMs > 2000, `${audioMs} ms of audio`);
      assert.ok(spanMs < audioMs / 5, `${audioMs} ms of audio arrived in ${spanMs.toFixed(1)} ms`);
      assert.ok(audio.slice(0, -1).every((r) => r.bytes === 1280), '1,280-byte frames');
      // `status listening` comes when sending is done, long before playback would end.
      const listening = c.received.findLast((r) => r.kind === 'json' && r.msg.type === 'status');
      assert.ok(listening && listening.kind === 'json' && listening.msg.status === 'listening');
      assert.ok(listening.t - /** @type {any} */ (audio[0]).t < audioMs / 5);
    } finally {
      c.close();
    }
  });

  test('field_update alternates value / field_value; cards keep prompt and params; no flow_end, no close', async () => {
    const c = await connect(wsUrl('&program_id=sample-onboarding'));
    try {
      await c.next((m) => m.type === 'artifact' && m.artifact_type === 'form');
      c.send({ type: 'ui_event', action: 'form_submit', data: { name: 'Sam', email: 'sam@example.com' } });
      await c.next((m) => m.type === 'artifact' && m.artifact_type === 'options');
      const updates = c.messages().filter((m) => m.artifact_type === 'field_update');
      assert.deepEqual(updates, [
        { type: 'artifact', artifact_type: 'field_update', field_id: 'name', value: 'Sam' },
        { type: 'artifact', artifact_type: 'field_update', field_id: 'email', field_value: 'sam@example.com' },
      ]);
      c.send({ type: 'ui_event', action: 'option_select', data: { selected_id: 'team' } });
      const card = await c.next((m) => m.type === 'artifact' && m.artifact_type === 'card');
      assert.deepEqual(Object.keys(card).sort(), ['artifact_type', 'id', 'params', 'prompt', 'type']);
      assert.equal(card.id, 'summary-3');
      assert.deepEqual(card.params.points, ['Name: Sam', 'Email: sam@example.com', 'Plan: team']);

      c.send({ type: 'ui_event', action: 'confirm', data: {} });
      c.send({ type: 'unknown_thing', x: 1 }); // ignored, not an error
      c.send({ type: 'ping', ts: 7 });
      const pong = await c.next((m) => m.type === 'pong');
      assert.equal(pong.ts, 7);
      assert.equal(typeof pong.server_ts, 'number');
      c.send({ type: '__test', do: 'stats' });
      const stats = await c.next((m) => m.type === '__test_stats');
      assert.equal(stats.ended, true);
      assert.deepEqual(stats.ui_events.map((/** @type {any} */ e) => e.action), ['form_submit', 'option_select', 'confirm']);
      assert.ok(!c.messages().some((m) => m.type === 'flow_end' || m.status === 'ended' || m.type === 'error'));
      assert.equal(c.closed, null, 'the reference backend never closes the socket');
    } finally {
      c.close();
    }
  });

  test('simulated voice walks the real onboarding flow (state without ui, auto-called tools)', async () => {
    const c = await connect(wsUrl('&program_id=onboarding'));
    try {
      // intro has no ui (nothing sent), speaks, then immediately calls begin_setup → collect_info.
      const form = await c.next((m) => m.type === 'artifact' && m.artifact_type === 'form');
      assert.equal(form.id, 'collect_info-2');
      const greeting = c.messages().find((m) => m.type === 'transcript');
      assert.match(greeting?.text, /^Hi there! I'm your IELTS speaking guide/);
      await c.next((m) => m.type === 'transcript' && m.text === 'Please tell me your first name.');
      c.send({ type: '__test', do: 'utterance' });
      await c.next((m) => m.type === 'artifact' && m.field_id === 'first_name' && m.value === 'Alex');
      c.send({ type: '__test', do: 'tool_call', tool: 'save_dob', args: { date_of_birth: '1 May 2001' } });
      await c.next((m) => m.field_id === 'date_of_birth' && m.field_value === '1 May 2001');
      await c.next((m) => m.type === 'transcript' && m.text === "So you're Alex, born on 1 May 2001 — is that right?");
      c.send({ type: '__test', do: 'utterance' }); // "yes" → finish_setup → move_orb → finish_onboarding → end_flow
      const orb = await c.next((m) => m.artifact_type === 'orb_layout');
      assert.equal(orb.position, 'center_bottom');
      const nav = await c.next((m) => m.artifact_type === 'navigate');
      assert.equal(nav.screen, 'Home');
      c.send({ type: '__test', do: 'stats' });
      const stats = await c.next((m) => m.type === '__test_stats');
      assert.equal(stats.state, 'end_flow');
      assert.equal(stats.ended, true);
    } finally {
      c.close();
    }
  });

  test('a confirmation gate blocks tool-call transitions with transition_blocked', async () => {
    const dir = await tempDir({
      'gate.yaml': `id: gated
initial_state: ask_name
variables:
  first_name: { type: string }
states:
  ask_name:
    ui:
      artifact_type: form
      fields: [ { id: first_name, type: text, placeholder: "e.g. Robin" } ]
    agent: { prompt: "Ask for a name.", tools: [save_name, next_step] }
    tools:
      save_name: { parameters: { first_name: { type: string } } }
      next_step: {}
    confirmation_gate:
      variables: [first_name]
      on_confirm: done
      on_reject: { action: clear, target: ask_name }
    transitions:
      on_tool_call: { next_step: done }
      on_ui_event: { form_submit: done }
  done:
    ui: { artifact_type: card, prompt: "Hi {first_name}." }
`,
    });
    const s = await startServer({ port: 0, flows: [dir], dialect: 'reference', testHooks: true });
    const c = await connect(`ws://127.0.0.1:${s.port}/ws`);
    try {
      await c.next((m) => m.artifact_type === 'form');
      c.send({ type: '__test', do: 'utterance' }); // → save_name(first_name: Robin)
      await c.next((m) => m.type === 'transcript' && m.text === 'I heard Robin. Is that right?');
      c.send({ type: '__test', do: 'tool_call', tool: 'next_step' });
      const blocked = await c.next((m) => m.type === 'transition_blocked');
      assert.deepEqual(blocked, {
        type: 'transition_blocked',
        flow_id: 'gated',
        from_state: 'ask_name',
        attempted_target: 'done',
        reason: 'pending_confirmation',
        detail: "Variable(s) 'first_name' captured but not confirmed by user.",
        variables: { first_name: 'Robin' },
      });
      c.send({ type: '__test', do: 'utterance' }); // "yes" → confirm_first_name → done
      const card = await c.next((m) => m.artifact_type === 'card');
      assert.equal(card.prompt, 'Hi Robin.');
    } finally {
      c.close();
      await s.close();
    }
  });
});
