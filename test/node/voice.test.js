// @ts-check
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startServer } from '../../server/index.js';
import { connect, frames, pcmTone, tempDir } from './helpers.js';

// A form with a short greeting, so the agent stops talking quickly.
const FLOW = `id: quick
initial_state: ask
variables:
  full_name: { type: string }
  email: { type: string }
states:
  ask:
    ui:
      artifact_type: form
      prompt: "Hi."
      fields:
        - { id: full_name, type: text, label: Name, placeholder: "e.g. Jane Smith" }
        - { id: email, type: email, label: Email }
    agent: { prompt: "Ask.", tools: [capture_name, capture_email, save] }
    tools:
      capture_name: { parameters: { full_name: { type: string } } }
      capture_email: { parameters: { email: { type: string } } }
      save: { parameters: { full_name: { type: string }, email: { type: string } } }
    transitions:
      on_tool_call: { save: thanks }
      on_ui_event: { form_submit: thanks }
  thanks:
    ui: { artifact_type: card, prompt: "Thanks {full_name}." }
    transitions:
      on_timeout: { seconds: 0.2, target: later }
  later:
    on_enter:
      - set: { stage: late }
      - emit: reached_later
    ui: { artifact_type: card, prompt: "Later." }
    transitions: { on_ui_event: { again: ask } }
`;

/** @type {Awaited<ReturnType<typeof startServer>>} */
let server;
/** @type {string} */
let url;

before(async () => {
  server = await startServer({ port: 0, flows: [await tempDir({ 'quick.yaml': FLOW })], testHooks: true });
  url = `ws://127.0.0.1:${server.port}/ws`;
});
after(() => server.close());

/** @param {import('./helpers.js').PvpClient} c */
const agentDone = (c) => c.until(() => c.messages().filter((m) => m.type === 'status').length >= 3, 5000, 'greeting done');

describe('simulated understanding', () => {
  test('a VAD utterance → user transcript → tool call → flow_variable + field_update', async () => {
    const c = await connect(url);
    try {
      await agentDone(c);
      for (const f of frames(Buffer.concat([pcmTone(500, 0.3), Buffer.alloc(32 * 800)]))) c.ws.send(f);
      const user = await c.next((m) => m.type === 'transcript' && m.role === 'user');
      assert.equal(user.text, '(simulated) Jane Smith');
      const v = await c.next((m) => m.type === 'flow_variable');
      assert.deepEqual(v, { type: 'flow_variable', flow_id: 'quick', key: 'full_name', value: 'Jane Smith' });
      const fu = await c.next((m) => m.type === 'artifact');
      assert.deepEqual(fu, { type: 'artifact', artifact_type: 'field_update', field_id: 'full_name', value: 'Jane Smith' });
      await c.next((m) => m.type === 'transcript' && m.role === 'assistant' && m.text === 'Got it! Now could you please provide your email?');

      c.send({ type: '__test', do: 'stats' });
      const stats = await c.next((m) => m.type === '__test_stats');
      assert.equal(stats.utterances, 1);
      assert.equal(stats.audio_bytes, 32 * 1300);
      assert.equal(stats.audio_frames, 65);
      assert.equal(stats.odd_frames, 0);
      assert.equal(stats.state, 'ask');
      assert.deepEqual(stats.variables, { full_name: 'Jane Smith', email: null });
    } finally {
      c.close();
    }
  });

  test('mic audio is ignored while the agent speaks; quiet audio and odd frames are not speech', async () => {
    const c = await connect(url);
    try {
      await c.next((m) => m.type === 'status' && m.status === 'speaking');
      for (const f of frames(Buffer.concat([pcmTone(500, 0.3), Buffer.alloc(32 * 800)]))) c.ws.send(f);
      await agentDone(c);
      for (const f of frames(Buffer.concat([pcmTone(1000, 0.02), Buffer.alloc(32 * 800)]))) c.ws.send(f);
      c.ws.send(Buffer.alloc(3));
      c.ws.send(Buffer.alloc(0));
      c.send({ type: '__test', do: 'stats' });
      const stats = await c.next((m) => m.type === '__test_stats');
      assert.equal(stats.utterances, 0);
      assert.equal(stats.odd_frames, 1);
      assert.ok(!c.messages().some((m) => m.role === 'user'));
    } finally {
      c.close();
    }
  });

  test('tool_call hook, tool transitions, on_timeout, on_enter set', async () => {
    const c = await connect(url);
    try {
      await c.next((m) => m.type === 'flow_state');
      c.send({ type: '__test', do: 'tool_call', tool: 'nope' });
      assert.match((await c.next((m) => m.type === 'error')).message, /tool "nope" is not available in state "ask"; available tools: capture_name, capture_email, save/);
      c.send({ type: '__test', do: 'tool_call', tool: 'save', args: { email: 'x@y.z' } });
      const thanks = await c.next((m) => m.type === 'flow_state' && m.state === 'thanks');
      assert.equal(thanks.artifact.prompt, 'Thanks Jane Smith.');
      assert.deepEqual(thanks.variables, { full_name: 'Jane Smith', email: 'x@y.z' });
      const later = await c.next((m) => m.type === 'flow_state' && m.state === 'later', 3000);
      assert.equal(later.variables.stage, 'late');
      // Back to the form: values already known are shown again.
      c.send({ type: 'ui_event', action: 'again', data: {} });
      await c.next((m) => m.type === 'flow_state' && m.state === 'ask' && m.variables.email === 'x@y.z');
      await c.next((m) => m.type === 'artifact' && m.field_id === 'email' && m.value === 'x@y.z');
    } finally {
      c.close();
    }
  });
});

describe('test hooks', () => {
  test('send_text, send_binary, tone (paced and unpaced)', async () => {
    const c = await connect(url);
    try {
      await agentDone(c);
      c.send({ type: '__test', do: 'send_text', text: 'not json at all' });
      await c.until(() => c.received.some((r) => r.kind === 'text' && r.text === 'not json at all'));
      const before = c.received.length;
      c.send({ type: '__test', do: 'send_binary', bytes: 7 });
      await c.until(() => c.received.slice(before).some((r) => r.kind === 'binary' && r.bytes === 7));

      const mark = c.received.length;
      c.send({ type: '__test', do: 'tone', freq: 440, ms: 400, paced: false });
      await c.until(() => c.received.slice(mark).some((r) => r.kind === 'json' && r.msg.status === 'listening'));
      const unpaced = c.received.slice(mark).filter((r) => r.kind === 'binary');
      assert.equal(unpaced.reduce((s, r) => s + (r.kind === 'binary' ? r.bytes : 0), 0), 400 * 32);
      assert.ok(unpaced.every((r) => r.kind === 'binary' && r.bytes === 1280));

      const mark2 = c.received.length;
      const t0 = performance.now();
      c.send({ type: '__test', do: 'tone', freq: 440, ms: 300, paced: true });
      await c.until(() => c.received.slice(mark2).some((r) => r.kind === 'json' && r.msg.status === 'listening'));
      assert.ok(performance.now() - t0 >= 280, 'paced: takes real time');
      assert.ok(c.received.slice(mark2).filter((r) => r.kind === 'binary').every((r) => r.kind === 'binary' && r.bytes === 640));
    } finally {
      c.close();
    }
  });

  test('close with a code; terminate without a close frame', async () => {
    const a = await connect(url);
    a.send({ type: '__test', do: 'close', code: 4000, reason: 'bye' });
    assert.deepEqual(await a.waitClose(), { code: 4000, reason: 'bye' });
    const b = await connect(url);
    b.send({ type: '__test', do: 'terminate' });
    assert.equal((await b.waitClose()).code, 1006);
  });

  test('go_silent: no pongs, no WebSocket pongs, connection stays open', async () => {
    const c = await connect(url);
    try {
      await c.next((m) => m.type === 'flow_state');
      c.send({ type: '__test', do: 'go_silent' });
      await new Promise((r) => setTimeout(r, 100));
      const count = c.received.length;
      let wsPong = false;
      c.ws.on('pong', () => (wsPong = true));
      c.ws.ping();
      c.send({ type: 'ping', ts: 1 });
      await new Promise((r) => setTimeout(r, 400));
      assert.equal(c.received.length, count, 'nothing more arrives');
      assert.equal(wsPong, false);
      assert.equal(c.closed, null);
    } finally {
      c.close();
    }
  });
});
