// The parser's leniency rules (docs/protocol.md, "Reading servers liberally"), one by one.
import { expect } from '@open-wc/testing';
import { parseServerMessage, type PrepatuWarning, type ServerMessage } from '../../src/protocol/index.js';

/** Parses `o`; fails the test unless it was accepted. */
function read(o: object): { message: ServerMessage; warning: PrepatuWarning | undefined } {
  const r = parseServerMessage(JSON.stringify(o));
  if (!r.ok) throw new Error(`refused: ${r.error.message}`);
  return { message: r.message, warning: r.warning };
}
const artifactOf = (o: object) => {
  const { message, warning } = read({ type: 'artifact', ...o });
  if (message.type !== 'artifact') throw new Error(`not an artifact: ${message.type}`);
  return { artifact: message.artifact, warning };
};

describe('parse: reading servers liberally', () => {
  it('a valid shape gives no warning', () => {
    for (const o of [
      { type: 'status', status: 'speaking' },
      { type: 'transcript', role: 'user', text: 'hi', is_final: true },
      { type: 'artifact', artifact_type: 'options', options: [{ id: 'a', label: 'A' }] },
      { type: 'artifact', artifact_type: 'options', options: [{ id: 'a' }] },
      { type: 'artifact', artifact_type: 'card', card_type: 'score', content: { band: 7 } },
      { type: 'artifact', artifact_type: 'form', fields: [{ id: 'x', type: 'radio', options: [{ id: 'a', label: 'A' }] }] },
      { type: 'flow_state', flow_id: 'f', state: 's', artifact: null, variables: {}, available_actions: [] },
      { type: 'intent', text: 'Question' },
      { type: 'error', message: null },
    ])
      expect(read(o).warning, JSON.stringify(o)).to.equal(undefined);
  });

  it('a card’s content may be an object, an array or text (kept as JSON)', () => {
    const content = { overall_band: 6.5, fluency_score: 6, feedback: 'Good range.', parts: [{ part: 1, band: 6 }] };
    const { artifact, warning } = artifactOf({ artifact_type: 'card', card_type: 'score', title: 'Score', content });
    expect(artifact).to.deep.equal({ artifact_type: 'card', card_type: 'score', title: 'Score', content });
    expect(warning).to.equal(undefined);
    expect(artifactOf({ artifact_type: 'card', content: ['a', 'b'] }).artifact).to.deep.equal({ artifact_type: 'card', content: ['a', 'b'] });
    expect(artifactOf({ artifact_type: 'card', content: null }).artifact).to.deep.equal({ artifact_type: 'card' });
  });

  it('string and number options become {id, label}; numeric ids become strings; one warning with the first path', () => {
    const { artifact, warning } = artifactOf({ artifact_type: 'options', options: ['Part 1', 7, { id: 3, label: 'Three' }] });
    expect(artifact).to.deep.equal({
      artifact_type: 'options',
      options: [{ id: 'Part 1', label: 'Part 1' }, { id: '7', label: '7' }, { id: '3', label: 'Three' }],
    });
    expect(warning?.code).to.equal('coerced_field');
    expect(warning?.path).to.equal('$.options[0]');
    expect(warning?.details).to.include({ type: 'artifact', count: 3 });
    expect(warning?.details?.['paths']).to.deep.equal(['$.options[0]', '$.options[1]', '$.options[2].id']);
    expect(warning?.message).to.contain('$.options[0]').and.contain('2 more');
  });

  it('an option without an id takes its label; {value, text} is read as {id, label}; an unusable one is left out', () => {
    const { artifact, warning } = artifactOf({
      artifact_type: 'options',
      options: [{ label: 'Only label' }, { value: 'v', text: 'Text' }, { description: 'nothing else' }, null, ['x'], ''],
    });
    expect(artifact.artifact_type === 'options' && artifact.options).to.deep.equal([
      { id: 'Only label', label: 'Only label' },
      { id: 'v', label: 'Text' },
    ]);
    expect(warning?.details?.['paths']).to.include.members(['$.options[2]', '$.options[3]', '$.options[4]', '$.options[5]']);
  });

  it('a form field: required "yes", a numeric label, a plain string, a name for an id, options of a select', () => {
    const { artifact, warning } = artifactOf({
      artifact_type: 'form',
      fields: [
        { id: 'first_name', label: 5, required: 'yes' },
        'email',
        { name: 'plan', type: 'Select', options: ['Basic', { id: 2, label: 'Pro' }] },
        { label: 'no id' },
        { id: 'terms', type: 'checkbox', required: 'maybe' },
      ],
    });
    expect(artifact.artifact_type === 'form' && artifact.fields).to.deep.equal([
      { id: 'first_name', type: 'text', label: '5', required: true },
      { id: 'email', type: 'text' },
      { id: 'plan', type: 'select', options: [{ id: 'Basic', label: 'Basic' }, { id: '2', label: 'Pro' }] },
      { id: 'terms', type: 'checkbox' },
    ]);
    expect(warning?.path).to.equal('$.fields[0].label');
    expect(warning?.details?.['paths']).to.include.members(['$.fields[0].required', '$.fields[1]', '$.fields[3]', '$.fields[4].required']);
  });

  it('booleans from "true"/"false"/"yes"/"no"/1/0; numbers from numeric strings', () => {
    for (const [given, want] of [['true', true], ['no', false], ['YES', true], [1, true], [0, false], ['off', false]] as const) {
      const { message, warning } = read({ type: 'transcript', role: 'assistant', text: 'hi', is_final: given });
      expect(message.type === 'transcript' && message.is_final, String(given)).to.equal(want);
      expect(warning?.code).to.equal('coerced_field');
      expect(warning?.path).to.equal('$.is_final');
    }
    const ambiguous = read({ type: 'transcript', role: 'assistant', text: 'hi', is_final: 'perhaps' });
    expect(ambiguous.message).to.deep.equal({ type: 'transcript', role: 'assistant', text: 'hi' });
    expect(ambiguous.warning?.code).to.equal('dropped_field');
    const pong = read({ type: 'pong', ts: '1713000000000' });
    expect(pong.message).to.deep.equal({ type: 'pong', ts: 1713000000000 });
    expect(pong.warning?.code).to.equal('coerced_field');
  });

  it('text fields take numbers and booleans; an object where text belongs is left out', () => {
    const t = read({ type: 'transcript', id: 12, role: 'user', text: 42 });
    expect(t.message).to.deep.equal({ type: 'transcript', id: '12', role: 'user', text: '42' });
    const b = read({ type: 'transition_blocked', reason: { why: 1 }, detail: 'd' });
    expect(b.message).to.deep.equal({ type: 'transition_blocked', detail: 'd' });
    expect(b.warning).to.include({ code: 'dropped_field', path: '$.reason' });
    const e = read({ type: 'error', message: ['x'] });
    expect(e.message).to.deep.equal({ type: 'error', message: 'unspecified server error' });
  });

  it('case and spelling of known names: type, artifact_type, status, role, field type, orb position', () => {
    expect(read({ type: 'Status', status: 'Speaking' }).message).to.deep.equal({ type: 'status', status: 'speaking' });
    expect(artifactOf({ artifact_type: 'Orb-Layout', position: 'bottom-right' }).artifact).to.deep.equal({ artifact_type: 'orb_layout', position: 'bottom_right' });
    const role = read({ type: 'transcript', role: 'bot', text: 'hi' });
    expect(role.message.type === 'transcript' && role.message.role).to.equal('assistant');
    expect(role.warning).to.include({ code: 'coerced_field', path: '$.role' });
  });

  it('an unknown status is ignored with an unknown_status warning, never an error', () => {
    for (const status of ['thinking', 5, null]) {
      const { message, warning } = read({ type: 'status', status });
      expect(message).to.deep.equal({ type: 'unknown', original_type: 'status', raw: { type: 'status', status } });
      expect(warning).to.include({ code: 'unknown_status', path: '$.status' });
    }
  });

  it('an unknown type passes as unknown with an unknown_message warning', () => {
    const { message, warning } = read({ type: 'from_the_future', x: 1 });
    expect(message.type).to.equal('unknown');
    expect(warning).to.include({ code: 'unknown_message', path: '$.type' });
    expect(warning?.details?.['type']).to.equal('from_the_future');
  });

  it('intent: top-level and as an artifact, one message type', () => {
    expect(read({ type: 'intent', text: 'Question' }).message).to.deep.equal({ type: 'intent', text: 'Question' });
    expect(read({ type: 'artifact', id: 'u', artifact_type: 'intent', text: 'Greeting' }).message).to.deep.equal({ type: 'intent', text: 'Greeting' });
    expect(parseServerMessage('{"type":"intent"}').ok).to.equal(false);
  });

  it('navigate keeps its options (normalised) and reads screen_params as params', () => {
    const { artifact } = artifactOf({ artifact_type: 'navigate', screen: 'results', screen_params: { tab: 1 }, options: ['Retry', { id: 'home', label: 'Home' }] });
    expect(artifact).to.deep.equal({
      artifact_type: 'navigate',
      screen: 'results',
      params: { tab: 1 },
      options: [{ id: 'Retry', label: 'Retry' }, { id: 'home', label: 'Home' }],
    });
    const top = read({ type: 'navigate', screen: 'Home', options: 'nope' });
    expect(top.message).to.deep.equal({ type: 'artifact', artifact: { artifact_type: 'navigate', screen: 'Home' } });
    expect(top.warning).to.include({ code: 'dropped_field', path: '$.options' });
  });

  it('a form or options without its list is empty (missing_field); a list that is not an array is dropped', () => {
    const form = artifactOf({ artifact_type: 'form', prompt: 'P' });
    expect(form.artifact).to.deep.equal({ artifact_type: 'form', prompt: 'P', fields: [] });
    expect(form.warning).to.include({ code: 'missing_field', path: '$.fields' });
    const options = artifactOf({ artifact_type: 'options', options: 'a,b' });
    expect(options.artifact).to.deep.equal({ artifact_type: 'options', options: [] });
    expect(options.warning).to.include({ code: 'dropped_field', path: '$.options' });
  });

  it('flow_state: an unusable artifact becomes null, a lone action a list, bad variables {}', () => {
    const { message, warning } = read({ type: 'flow_state', flow_id: 'f', state: 's', artifact: 7, variables: [1], available_actions: 'confirm' });
    expect(message).to.deep.equal({ type: 'flow_state', flow_id: 'f', state: 's', artifact: null, variables: {}, available_actions: ['confirm'] });
    expect(warning?.path).to.equal('$.artifact');
    expect(warning?.details?.['count']).to.equal(3);
    const nested = read({ type: 'flow_state', flow_id: 'f', state: 's', artifact: { artifact_type: 'options', options: [{ id: 1 }] } });
    expect(nested.warning?.path).to.equal('$.artifact.options[0].id');
    const unusable = read({ type: 'flow_state', flow_id: 'f', state: 's', artifact: { artifact_type: 'field_update' } });
    expect(unusable.message.type === 'flow_state' && unusable.message.artifact).to.equal(null);
    expect(unusable.warning).to.include({ code: 'dropped_field', path: '$.artifact' });
  });

  it('dismiss with an unreadable target is refused rather than dismissing everything', () => {
    expect(parseServerMessage('{"type":"artifact","artifact_type":"dismiss","target_id":{"x":1}}').ok).to.equal(false);
    expect(artifactOf({ artifact_type: 'dismiss', target_id: 4 }).artifact).to.deep.equal({ artifact_type: 'dismiss', target_id: '4' });
  });

  it('a config with a non-positive sample rate falls back to 16 kHz', () => {
    const { message, warning } = read({ type: 'config', audio_sample_rate: 0, audio_encoding: 'pcm_s16le' });
    expect(message).to.deep.equal({ type: 'config', audio_sample_rate: 16000, audio_encoding: 'pcm_s16le' });
    expect(warning).to.include({ code: 'dropped_field', path: '$.audio_sample_rate' });
  });

  it('paths quote keys that are not identifiers; JSON keys never reach Object.prototype', () => {
    const { warning } = read({ type: 'flow_state', flow_id: 'f', state: 's', artifact: { artifact_type: 'options', options: [{ id: 'a', 'label': { x: 1 } }] } });
    expect(warning?.path).to.equal('$.artifact.options[0].label');
    const proto = parseServerMessage('{"type":"artifact","__proto__":{"artifact_type":"form"},"artifact_type":"card"}');
    expect(proto.ok && proto.message.type === 'artifact' && proto.message.artifact.artifact_type).to.equal('card');
    const inherited = parseServerMessage('{"type":"transcript","role":"user","text":"x","toString":1}');
    expect(inherited.ok).to.equal(true);
  });
});
