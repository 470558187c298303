// @ts-check
// `--replay`: reading trace files (clear errors with line numbers) and playing the server's side
// back over a real socket: order exact, never earlier than recorded, audio or silence, the
// recorded close, pings answered, client messages logged.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { WebSocket } from 'ws';
import { TraceLoadError, parseTrace, startServer } from '../../server/index.js';
import { replayPlan } from '../../server/replay.js';
import { connect, tempDir } from './helpers.js';

// The CLI is moving into the server package (server/bin/); either place works.
const BIN = fileURLToPath(new URL('../../server/bin/prepatu-dev-server.js', import.meta.url));
const FIXTURES = fileURLToPath(new URL('../fixtures/traces/', import.meta.url));
const HEADER = { format: 'prepatu-trace', version: 1, transport: 'websocket', url: 'ws://x/ws', started_at: '2025-01-01T00:00:00.000Z', dialect: 'unknown', user_agent: 'test', audio: true };

/** @param {object[]} entries */
const jsonl = (entries, header = HEADER) => [header, ...entries].map((o) => JSON.stringify(o)).join('\n') + '\n';
const tone = Buffer.from(Array.from({ length: 640 }, (_, i) => (i * 37) % 256));

/** @param {string} text @returns {TraceLoadError} */
function rejectOf(text) {
  try {
    parseTrace(text, 'bad.jsonl');
  } catch (e) {
    assert.ok(e instanceof TraceLoadError, `expected a TraceLoadError, got ${e}`);
    return e;
  }
  assert.fail('expected the trace to be rejected');
}

describe('trace files', () => {
  test('a bad line is reported as file:line: reason', () => {
    const ok = { t: 1, dir: 'in', kind: 'text', text: '{}' };
    const cases = [
      ['{"format":"other"}\n', 1, /not a trace header/],
      [jsonl([], { ...HEADER, version: 2 }), 1, /trace version 2 is not supported/],
      [jsonl([ok]) + '{oops\n', 3, /not JSON/],
      [jsonl([ok, { ...ok, t: 0.5 }]), 3, /"t" goes back in time \(0\.5 after 1\)/],
      [jsonl([{ ...ok, t: -1 }]), 2, /"t" must be a number/],
      [jsonl([{ ...ok, dir: 'up' }]), 2, /"dir" must be "in" or "out"/],
      [jsonl([{ ...ok, kind: 'video' }]), 2, /"kind" must be one of/],
      [jsonl([{ t: 1, dir: 'in', kind: 'text' }]), 2, /needs "text"/],
      [jsonl([{ t: 1, dir: 'in', kind: 'binary', bytes: 1.5 }]), 2, /needs "bytes"/],
      [jsonl([{ t: 1, dir: 'in', kind: 'binary', bytes: 4, audio: 'AAA=' }]), 2, /"audio" holds 2 bytes, "bytes" says 4/],
      [jsonl([{ t: 1, dir: 'in', kind: 'close', code: 99 }]), 2, /close code/],
      ['', 1, /empty/],
    ];
    for (const [text, line, reason] of cases) {
      const e = rejectOf(/** @type {string} */ (text));
      assert.equal(e.line, line, `${reason}: line`);
      assert.match(e.message, new RegExp(`^bad\\.jsonl:${line}: .*${/** @type {RegExp} */ (reason).source}`));
    }
  });

  test('blank lines and unknown keys are accepted; audio is decoded', () => {
    const trace = parseTrace(jsonl([{ t: 0, dir: 'out', kind: 'open', extra: 1 }]) + '\n\n' + JSON.stringify({ t: 5, dir: 'in', kind: 'binary', bytes: 640, audio: tone.toString('base64') }) + '\n');
    assert.equal(trace.entries.length, 2);
    assert.deepEqual(trace.entries[1]?.audio, tone);
    assert.equal(trace.entries[1]?.line, 5);
  });

  test('the CLI prints file:line: reason and exits 1 on a bad trace, or a missing one', async () => {
    const dir = await tempDir({ 'bad.jsonl': jsonl([{ t: 1, dir: 'sideways', kind: 'text', text: '' }]) });
    const file = path.join(dir, 'bad.jsonl');
    const r = spawnSync(process.execPath, [BIN, '--port', '0', '--voice', 'synthetic', '--replay', file], { encoding: 'utf8', timeout: 10_000 });
    assert.equal(r.status, 1);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr, `${file}:2: "dir" must be "in" or "out", got "sideways"\n`);
    const missing = path.join(dir, 'nope.jsonl');
    const r2 = spawnSync(process.execPath, [BIN, '--port', '0', '--voice', 'synthetic', '--replay', missing], { encoding: 'utf8', timeout: 10_000 });
    assert.equal(r2.status, 1);
    assert.match(r2.stderr, new RegExp(`^${missing.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: cannot read the trace: ENOENT`));
  });

  test('the fixtures are valid traces with the reference backend\'s shapes', () => {
    const files = readdirSync(FIXTURES).filter((f) => f.endsWith('.jsonl'));
    assert.ok(files.length >= 3);
    /** @type {Record<string, any>[]} */
    const all = [];
    for (const f of files) {
      const trace = parseTrace(readFileSync(path.join(FIXTURES, f), 'utf8'), f);
      const msgs = trace.entries.flatMap((e) => (e.dir === 'in' && e.kind === 'text' ? [JSON.parse(/** @type {string} */ (e.text))] : []));
      assert.deepEqual(msgs.slice(0, 2).map((m) => m.status ?? m.type), ['idle', 'config'], `${f}: status idle, then config`);
      assert.equal(msgs[1].audio_channels, 1);
      assert.ok(!msgs.some((m) => m.type === 'flow_end' || m.status === 'ended' || m.type === 'flow_state'), `${f}: no flow_end, ended or flow_state`);
      assert.ok(!trace.entries.some((e) => e.dir === 'in' && e.kind === 'close'), `${f}: the server never closes`);
      const audio = trace.entries.filter((e) => e.dir === 'in' && e.kind === 'binary');
      assert.ok(audio.length > 0 && audio.every((e) => e.bytes === 1280), `${f}: 1,280-byte agent audio frames`);
      all.push(...msgs);
    }
    const has = (/** @type {(m: any) => boolean} */ p, /** @type {string} */ what) => assert.ok(all.some(p), `the fixtures have ${what}`);
    has((m) => m.type === 'artifact' && m.artifact_type === 'form' && /^[0-9a-f-]{36}$/.test(m.id), 'a top-level state-entry artifact with a uuid');
    has((m) => m.artifact_type === 'field_update' && 'field_value' in m, 'a field_update with field_value');
    has((m) => m.artifact_type === 'field_update' && 'value' in m, 'a field_update with value');
    has((m) => m.type === 'transcript' && m.is_final === true && m.role === 'user', 'a final user transcript');
    has((m) => m.type === 'intent', 'an intent');
    has((m) => m.type === 'transition_blocked' && m.reason === 'pending_confirmation', 'transition_blocked');
    has((m) => m.artifact_type === 'card' && typeof m.content === 'object', 'a model-made card with object content');
    has((m) => m.artifact_type === 'options' && m.options.every((/** @type {unknown} */ o) => typeof o === 'string'), 'string options');
    has((m) => m.artifact_type === 'card' && m.prompt && !m.title, 'a state card with only a prompt');
  });

  test('the unpaced agent audio of a fixture arrives in bursts, faster than real time', () => {
    const trace = parseTrace(readFileSync(path.join(FIXTURES, 'appointment-booking.jsonl'), 'utf8'));
    const frames = trace.entries.filter((e) => e.dir === 'in' && e.kind === 'binary');
    const first = /** @type {import('../../server/trace-file.js').TraceEntry} */ (frames[0]);
    const burst = frames.filter((e) => e.t - first.t < 1000).length;
    assert.ok(burst * 40 > 2000, `${burst} frames (${burst * 40} ms of audio) within the first second`);
  });
});

/** A client that keeps everything: texts, binary frames (as Buffers), close. */
async function client(url) {
  const ws = new WebSocket(url);
  /** @type {{t: number, text?: string, binary?: Buffer}[]} */
  const got = [];
  /** @type {{code: number, reason: string}|null} */
  let closed = null;
  let opened = 0;
  ws.on('message', (data, isBinary) => got.push(isBinary ? { t: performance.now() - opened, binary: /** @type {Buffer} */ (data) } : { t: performance.now() - opened, text: data.toString() }));
  ws.on('close', (code, reason) => (closed = { code, reason: reason.toString() }));
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  opened = performance.now();
  /** @param {() => unknown} pred @param {string} what */
  const until = async (pred, what, ms = 5000) => {
    const end = performance.now() + ms;
    while (!pred()) {
      if (performance.now() > end) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  };
  return { ws, got, closed: () => closed, until, texts: () => got.flatMap((g) => (g.text ? [g.text] : [])) };
}

describe('replaying a trace', () => {
  /** @type {(() => Promise<void>)[]} */
  const cleanup = [];
  after(async () => {
    for (const c of cleanup) await c();
  });

  const ENTRIES = [
    { t: 20, dir: 'out', kind: 'open' },
    { t: 22, dir: 'in', kind: 'text', text: '{"type": "status", "status": "idle"}' },
    { t: 23, dir: 'out', kind: 'binary', bytes: 640 },
    { t: 150, dir: 'in', kind: 'text', text: '{"type":"config","audio_sample_rate":16000}' },
    { t: 151, dir: 'in', kind: 'binary', bytes: 640, audio: tone.toString('base64') },
    { t: 151.2, dir: 'in', kind: 'binary', bytes: 1280 },
    { t: 300, dir: 'out', kind: 'text', text: '{"type":"ping","ts":1}' },
    { t: 302, dir: 'in', kind: 'text', text: '{"type":"pong","ts":1,"server_ts":2}' },
    { t: 520, dir: 'in', kind: 'text', text: 'not json, sent as recorded' },
  ];

  test('sends the server side in order, never before its recorded offset, audio as recorded or silence; pings answered, client messages logged', async () => {
    const s = await startServer({ port: 0, replay: parseTrace(jsonl(ENTRIES)), testHooks: true });
    cleanup.push(() => s.close());
    assert.deepEqual(s.replay, { messages: 3, frames: 2, durationMs: 500, close: undefined });
    const c = await client(`ws://127.0.0.1:${s.port}/ws?mode=flow&program_id=anything`);
    c.ws.send(JSON.stringify({ type: 'ui_event', action: 'form_submit', data: { name: 'Alex' } }));
    c.ws.send(Buffer.alloc(640));
    await c.until(() => c.texts().includes('not json, sent as recorded'), 'the last entry');
    assert.deepEqual(c.texts(), ['{"type": "status", "status": "idle"}', '{"type":"config","audio_sample_rate":16000}', 'not json, sent as recorded']);
    const frames = c.got.filter((g) => g.binary).map((g) => /** @type {Buffer} */ (g.binary));
    assert.deepEqual(frames[0], tone);
    assert.deepEqual(frames[1], Buffer.alloc(1280));
    // Order of everything, texts and frames together, exactly as recorded.
    assert.deepEqual(c.got.map((g) => g.text ?? g.binary?.length), ['{"type": "status", "status": "idle"}', '{"type":"config","audio_sample_rate":16000}', 640, 1280, 'not json, sent as recorded']);

    const from = c.got.length;
    c.ws.send(JSON.stringify({ type: 'ping', ts: 12345 }));
    c.ws.send(JSON.stringify({ type: '__test', do: 'stats', id: 'q1' }));
    await c.until(() => c.texts().some((t) => t.includes('__test_stats')), 'stats');
    const answers = c.got.slice(from).map((g) => JSON.parse(/** @type {string} */ (g.text)));
    assert.equal(answers[0].type, 'pong');
    assert.equal(answers[0].ts, 12345);
    const stats = answers[1];
    assert.equal(stats.replay, true);
    assert.equal(stats.id, 'q1'); // echoed: told apart from a recorded __test_stats the trace plays back
    assert.deepEqual(stats.ui_events, [{ action: 'form_submit', data: { name: 'Alex' } }]);
    assert.deepEqual(stats.messages, [{ type: 'ui_event', action: 'form_submit', data: { name: 'Alex' } }]);
    assert.equal(stats.audio_bytes, 640);
    // On the server's clock, from the connection: each entry at or after its offset from the trace's open.
    assert.deepEqual(stats.sent.map((/** @type {any} */ x) => x.due_ms), [2, 130, 131, 131.2, 500]);
    for (const x of stats.sent) assert.ok(x.at_ms >= x.due_ms, `line ${x.line} sent at ${x.at_ms} ms, before its ${x.due_ms} ms`);
    assert.equal(stats.pending, 0);
    // The trace saw no close: the socket stays open.
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(c.closed(), null);
    c.ws.close();
  });

  test('every client gets the whole replay, and the socket closes as the trace did', async () => {
    const trace = parseTrace(jsonl([...ENTRIES.slice(0, 4), { t: 260, dir: 'in', kind: 'close', code: 4001, reason: 'server is done' }]));
    const s = await startServer({ port: 0, replay: trace });
    cleanup.push(() => s.close());
    for (let i = 0; i < 2; i++) {
      const c = await client(`ws://127.0.0.1:${s.port}/ws`);
      await c.until(() => c.closed(), 'close');
      assert.deepEqual(c.closed(), { code: 4001, reason: 'server is done' });
      assert.equal(c.texts().length, 2);
    }
  });

  test('a recorded abnormal close (1006) drops the connection without a close frame', async () => {
    const s = await startServer({ port: 0, replay: parseTrace(jsonl([{ t: 0, dir: 'out', kind: 'open' }, { t: 50, dir: 'in', kind: 'close', code: 1006 }])) });
    cleanup.push(() => s.close());
    const c = await client(`ws://127.0.0.1:${s.port}/ws`);
    await c.until(() => c.closed(), 'close');
    assert.equal(c.closed()?.code, 1006);
  });

  test('a client-side close in the trace leaves the replayed socket open', async () => {
    const trace = parseTrace(jsonl([{ t: 0, dir: 'out', kind: 'open' }, { t: 5, dir: 'in', kind: 'text', text: '{}' }, { t: 30, dir: 'out', kind: 'close', code: 1000 }]));
    assert.deepEqual(replayPlan(trace).map((p) => p.entry.kind), ['text']);
    const s = await startServer({ port: 0, replay: trace });
    cleanup.push(() => s.close());
    const c = await connect(`ws://127.0.0.1:${s.port}/ws`);
    await c.until(() => c.received.length === 1, 2000, 'the message');
    await new Promise((r) => setTimeout(r, 150));
    assert.equal(c.closed, null);
    c.close();
  });

  test('prepatu-dev-server --replay serves a fixture and says what it replays', async () => {
    const file = path.join(FIXTURES, 'gated-confirmation.jsonl');
    const child = spawn(process.execPath, [BIN, '--port', '0', '--voice', 'synthetic', '--replay', file], { stdio: ['ignore', 'pipe', 'inherit'] });
    cleanup.push(async () => void child.kill());
    let out = '';
    const url = await new Promise((resolve, reject) => {
      child.stdout.on('data', (d) => {
        out += d;
        const m = /replaying .* to every client of (ws:\/\/\S+), then stays open/.exec(out);
        if (m) resolve(m[1]);
      });
      child.on('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
    });
    assert.match(out, /replaying .*gated-confirmation\.jsonl: \d+ messages and \d+ frames over \d+\.\d s/);
    const c = await connect(`${url}?program_id=gated`);
    const idle = await c.next((m) => m.type === 'status', 3000);
    assert.equal(idle.status, 'idle');
    await c.next((m) => m.type === 'artifact' && m.artifact_type === 'form', 3000);
    c.close();
  });
});
