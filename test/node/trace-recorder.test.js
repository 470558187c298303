// @ts-check
// The client's TraceRecorder (src/transport/trace.ts): what it keeps, its bounds, the redacted
// URL, and that the dev server reads what it writes.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { parseTrace } from '../../server/index.js';
import { importTs } from './helpers.js';

/** @type {any} */
let mod;
before(async () => {
  mod = await importTs('src/transport/trace.ts');
});

/** A recorder on a clock the test moves. */
function recorder(mode = 'messages', url = 'ws://h/ws') {
  const clock = { now: 1000 };
  const rec = new mod.TraceRecorder({ transport: 'websocket', url, mode, now: () => clock.now });
  return { rec, clock };
}

describe('TraceRecorder', () => {
  test('keeps texts raw, frames as length (audio only when asked), open and close, on its own clock', async () => {
    const { rec, clock } = recorder();
    clock.now += 12.34;
    rec.open();
    rec.text('in', '{"type": "status",  "status": "idle"}');
    clock.now += 5;
    rec.binary('in', new Uint8Array([1, 2, 3, 4]).buffer);
    rec.text('out', '{"type":"ping","ts":1}');
    rec.close('out', 1000);
    assert.deepEqual(rec.entries(), [
      { t: 12.3, dir: 'out', kind: 'open' },
      { t: 12.3, dir: 'in', kind: 'text', text: '{"type": "status",  "status": "idle"}' },
      { t: 17.3, dir: 'in', kind: 'binary', bytes: 4 },
      { t: 17.3, dir: 'out', kind: 'text', text: '{"type":"ping","ts":1}' },
      { t: 17.3, dir: 'out', kind: 'close', code: 1000 },
    ]);
    const a = recorder('audio');
    a.rec.binary('out', new Uint8Array([1, 2, 3, 4]).buffer);
    assert.equal(a.rec.entries()[0].audio, Buffer.from([1, 2, 3, 4]).toString('base64'));
  });

  test('exports JSONL the dev server reads back: header first, then the entries', async () => {
    const { rec, clock } = recorder('audio', 'wss://api.example.com/v1/ws/st_secret123?x=1');
    rec.open();
    clock.now += 40;
    rec.text('in', '{"type":"config"}');
    rec.binary('in', new Uint8Array(640).fill(7).buffer);
    rec.close('in', 4401, 'authentication failed');
    const blob = rec.toBlob();
    assert.equal(blob.type, 'application/x-ndjson');
    const text = await blob.text();
    const trace = parseTrace(text, 'exported.jsonl');
    assert.equal(trace.header.url, 'wss://api.example.com/v1/ws/redacted?x=1');
    assert.equal(trace.header.dialect, 'unknown');
    assert.equal(trace.header.audio, true);
    assert.ok(!text.includes('st_secret123'));
    assert.deepEqual(trace.entries.map((e) => [e.kind, e.dir, e.t]), [['open', 'out', 0], ['text', 'in', 40], ['binary', 'in', 40], ['close', 'in', 40]]);
    assert.deepEqual(trace.entries[2]?.audio, Buffer.alloc(640, 7));
    assert.equal(trace.entries[3]?.code, 4401);
    assert.equal(trace.entries[3]?.reason, 'authentication failed');
  });

  test('redacts credentials from the URL', () => {
    assert.equal(mod.redactUrl('wss://x.io/v1/ws/st_abc'), 'wss://x.io/v1/ws/redacted');
    assert.equal(mod.redactUrl('ws://h/ws?mode=flow&program_id=p&token=abc&api_key=k&X-Auth=1'), 'ws://h/ws?mode=flow&program_id=p&token=redacted&api_key=redacted&X-Auth=redacted');
    assert.equal(mod.redactUrl('wss://me:pw@h/ws'), 'wss://redacted:redacted@h/ws');
    assert.equal(mod.redactUrl('not a url'), '(not a URL)');
  });

  test('keeps the last 10 minutes', () => {
    const { rec, clock } = recorder();
    rec.open();
    for (let i = 0; i < 700; i++) {
      clock.now += 1000;
      rec.text('in', `{"n":${i}}`);
    }
    const entries = rec.entries();
    assert.ok(entries[0].t >= 700_000 - mod.TRACE_MAX_AGE_MS, `oldest kept at ${entries[0].t}`);
    assert.equal(entries.at(-1).text, '{"n":699}');
    assert.equal(entries.length, 601);
    assert.equal(rec.header().dropped_entries, 700 - 600);
  });

  test('keeps at most ~20 MB of audio: older frames keep only their length', () => {
    const { rec } = recorder('audio');
    const frame = new ArrayBuffer(1024 * 1024);
    for (let i = 0; i < 25; i++) rec.binary('in', frame);
    const entries = rec.entries();
    assert.equal(entries.length, 25);
    const withAudio = entries.filter((/** @type {any} */ e) => e.audio);
    assert.equal(withAudio.length, mod.TRACE_MAX_AUDIO_BYTES / frame.byteLength);
    assert.ok(entries.slice(0, 5).every((/** @type {any} */ e) => !e.audio && e.bytes === frame.byteLength), 'the oldest lost their audio');
    assert.equal(rec.header().dropped_audio_frames, 5);
  });

  test('keeps at most ~10 M characters of text: the oldest entries go', () => {
    const { rec } = recorder();
    const big = 'x'.repeat(1_000_000);
    for (let i = 0; i < 12; i++) rec.text('in', big + i);
    const entries = rec.entries();
    assert.ok(entries.reduce((n, /** @type {any} */ e) => n + e.text.length, 0) <= mod.TRACE_MAX_TEXT_CHARS);
    assert.equal(entries.at(-1).text, big + 11);
    assert.equal(rec.header().dropped_entries, 12 - entries.length);
  });
});
