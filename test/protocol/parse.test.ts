import { expect } from '@open-wc/testing';
import fc from 'fast-check';
import {
  parseClientMessage,
  parseServerMessage,
  serializeClientMessage,
  type ClientMessage,
} from '../../src/protocol/index.js';

describe('parseServerMessage', () => {
  it('reads every documented server message', () => {
    const docs = [
      '{"type":"config","audio_sample_rate":16000,"audio_encoding":"pcm_s16le"}',
      '{"type":"status","status":"listening"}',
      '{"type":"transcript","id":"u1","role":"user","text":"My name is Alex."}',
      '{"type":"pong","ts":1713000000000,"server_ts":1713000000001}',
      '{"type":"error","message":"boom"}',
      '{"type":"flow_state","flow_id":"onboarding","state":"collect_info","artifact":{"artifact_type":"form","fields":[{"id":"first_name","type":"text","label":"First name"}]},"variables":{"first_name":null},"available_actions":["form_submit"]}',
      '{"type":"flow_variable","flow_id":"onboarding","key":"first_name","value":"Alex"}',
      '{"type":"artifact","artifact_type":"field_update","field_id":"first_name","value":"Alex"}',
      '{"type":"flow_end","flow_id":"onboarding","reason":"completed","variables":{"first_name":"Alex"}}',
    ];
    const types = docs.map((d) => {
      const r = parseServerMessage(d);
      if (!r.ok) throw r.error;
      return r.message.type;
    });
    expect(types).to.deep.equal(['config', 'status', 'transcript', 'pong', 'error', 'flow_state', 'flow_variable', 'artifact', 'flow_end']);
  });

  it('reads the reference-backend variants', () => {
    const cfg = parseServerMessage('{"type":"config","audio_sample_rate":16000,"audio_encoding":"pcm_s16le","audio_channels":1}');
    expect(cfg.ok && cfg.message).to.deep.equal({ type: 'config', audio_sample_rate: 16000, audio_encoding: 'pcm_s16le', audio_channels: 1 });

    const entry = parseServerMessage('{"type":"artifact","id":"a1","artifact_type":"form","fields":[{"id":"email","type":"email"}]}');
    expect(entry.ok && entry.message).to.deep.equal({
      type: 'artifact',
      artifact: { artifact_type: 'form', id: 'a1', fields: [{ id: 'email', type: 'email' }] },
    });

    const fv = parseServerMessage('{"type":"artifact","artifact_type":"field_update","field_id":"email","field_value":"a@b.c"}');
    expect(fv.ok && fv.message).to.deep.equal({ type: 'artifact', artifact: { artifact_type: 'field_update', field_id: 'email', value: 'a@b.c' } });

    const tr = parseServerMessage('{"type":"transcript","id":"x","role":"assistant","text":"hi","is_final":true}');
    expect(tr.ok && tr.message.type === 'transcript' && tr.message.is_final).to.equal(true);

    const orb = parseServerMessage('{"type":"artifact","artifact_type":"orb_layout","position":"center_bottom"}');
    expect(orb.ok && orb.message.type === 'artifact' && orb.message.artifact).to.deep.equal({ artifact_type: 'orb_layout', position: 'center_bottom' });

    const blocked = parseServerMessage('{"type":"transition_blocked","flow_id":"f","from_state":"a","attempted_target":"b","reason":"pending_confirmation","detail":"confirm first","variables":{}}');
    expect(blocked.ok && blocked.message.type).to.equal('transition_blocked');

    const card = parseServerMessage('{"type":"artifact","artifact_type":"card","prompt":"Hi {x}","params":{"cardType":"tip","points":["a","b"]}}');
    expect(card.ok && card.message.type === 'artifact' && card.message.artifact).to.deep.equal({
      artifact_type: 'card', prompt: 'Hi {x}', params: { cardType: 'tip', points: ['a', 'b'] },
    });

    const bareDismiss = parseServerMessage('{"type":"artifact","artifact_type":"dismiss"}');
    expect(bareDismiss.ok && bareDismiss.message.type === 'artifact' && bareDismiss.message.artifact).to.deep.equal({ artifact_type: 'dismiss', target_id: null });
  });

  it('turns the malformed reference navigate message into a navigate artifact', () => {
    const r = parseServerMessage('{"type":"navigate","screen":"Home","params":{"tab":2}}');
    expect(r.ok && r.message).to.deep.equal({ type: 'artifact', artifact: { artifact_type: 'navigate', screen: 'Home', params: { tab: 2 } } });
  });

  it('passes unknown message and artifact types through instead of failing', () => {
    const m = parseServerMessage('{"type":"surprise","x":1}');
    expect(m.ok && m.message).to.deep.equal({ type: 'unknown', original_type: 'surprise', raw: { type: 'surprise', x: 1 } });
    const a = parseServerMessage('{"type":"artifact","artifact_type":"hologram","beam":true}');
    expect(a.ok && a.message.type === 'artifact' && a.message.artifact.artifact_type).to.equal('unknown');
  });

  it('returns typed errors for bad input', () => {
    const cases: [unknown, string][] = [
      ['{not json', 'invalid_json'],
      ['[1,2]', 'invalid_message'],
      ['"str"', 'invalid_message'],
      ['{"no":"type"}', 'invalid_message'],
      ['{"type":{"nested":1}}', 'invalid_message'],
      ['{"type":"transcript","role":"robot","text":"x"}', 'invalid_message'],
      ['{"type":"transcript","role":"user"}', 'invalid_message'],
      ['{"type":"pong","ts":"soon"}', 'invalid_message'],
      ['{"type":"artifact","fields":[]}', 'invalid_message'],
      ['{"type":"artifact","artifact_type":"field_update","value":1}', 'invalid_message'],
      [42, 'invalid_message'],
      ['x'.repeat(2_000_001), 'message_too_large'],
    ];
    for (const [input, code] of cases) {
      const r = parseServerMessage(input);
      expect(r.ok, String(input).slice(0, 40)).to.equal(false);
      if (!r.ok) expect(r.error.code, String(input).slice(0, 40)).to.equal(code);
    }
    const bad = parseServerMessage('{"type":"pong","ts":"soon"}');
    expect(!bad.ok && bad.error.details['field']).to.equal('ts');
    expect(!bad.ok && bad.error.details['path']).to.equal('$.ts');
  });
});

describe('parse: property tests', () => {
  it('never throws on arbitrary text', () => {
    fc.assert(fc.property(fc.string({ maxLength: 300 }), (s) => {
      parseServerMessage(s);
      parseClientMessage(s);
    }), { numRuns: 2000 });
  });

  it('never throws on arbitrary JSON values, with or without a known type', () => {
    const types = fc.constantFrom('config', 'status', 'transcript', 'pong', 'error', 'flow_state', 'flow_variable', 'artifact', 'flow_end', 'transition_blocked', 'navigate', 'ping', 'ui_event', 'zzz');
    const artifactTypes = fc.constantFrom('form', 'field_update', 'options', 'card', 'orb_layout', 'navigate', 'dismiss', 'custom', 'weird');
    const mutated = fc.record({ type: types, artifact_type: artifactTypes }).chain((base) =>
      fc.dictionary(fc.constantFrom('fields', 'options', 'value', 'field_value', 'field_id', 'status', 'role', 'text', 'ts', 'artifact', 'variables', 'available_actions', 'position', 'screen', 'params', 'flow_id', 'state', 'key', 'id', 'action', 'data', 'sample_rate', 'channels'), fc.jsonValue({ maxDepth: 3 })).map((extra) => ({ ...extra, ...base })),
    );
    fc.assert(fc.property(fc.oneof(fc.jsonValue(), mutated), (v) => {
      const text = JSON.stringify(v);
      const r = parseServerMessage(text);
      expect(typeof r.ok).to.equal('boolean');
      parseClientMessage(text);
    }), { numRuns: 3000 });
  });

  it('round-trips every client message we can send', () => {
    const jsonObject = fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }));
    const client: fc.Arbitrary<ClientMessage> = fc.oneof(
      fc.record({ type: fc.constant('ping' as const), ts: fc.integer({ min: 0, max: 2 ** 52 }) }),
      fc.record({ type: fc.constant('config' as const), sample_rate: fc.integer({ min: 8000, max: 96000 }), channels: fc.integer({ min: 1, max: 2 }) }),
      fc.record({ type: fc.constant('ui_event' as const), flow_id: fc.string(), action: fc.string(), data: jsonObject }),
      fc.record({ type: fc.constant('ui_event' as const), action: fc.string(), data: jsonObject }),
    );
    fc.assert(fc.property(client, (msg) => {
      const text = serializeClientMessage(msg);
      expect(text.ok).to.equal(true);
      if (!text.ok) return;
      const back = parseClientMessage(text.message);
      // JSON normalises -0 to 0; compare through JSON, which is what goes on the wire.
      expect(back.ok && JSON.stringify(back.message)).to.equal(text.message);
      expect(JSON.parse(text.message)).to.deep.equal(JSON.parse(JSON.stringify(msg)));
    }), { numRuns: 1000 });
  });

  it('refuses to serialise what the server could not read', () => {
    const r = serializeClientMessage({ type: 'ui_event', action: 5 } as unknown as ClientMessage);
    expect(r.ok).to.equal(false);
    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = cyclic;
    const c = serializeClientMessage({ type: 'ui_event', action: 'a', data: cyclic } as unknown as ClientMessage);
    expect(!c.ok && c.error.code).to.equal('invalid_message');
  });
});
