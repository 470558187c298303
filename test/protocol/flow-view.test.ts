import { expect } from '@open-wc/testing';
import { EMPTY_FLOW_VIEW, isActionAvailable, parseServerMessage, reduceFlowView, type FlowView } from '../../src/protocol/index.js';

const fold = (lines: string[], view: FlowView = EMPTY_FLOW_VIEW) =>
  lines.reduce((v, l) => {
    const r = parseServerMessage(l);
    if (!r.ok) throw r.error;
    return reduceFlowView(v, r.message);
  }, view);

describe('FlowView: one view of both dialects', () => {
  const form = '{"artifact_type":"form","fields":[{"id":"first_name","type":"text","label":"First name"}]}';

  it('documented flow_state and reference state-entry artifact give the same current artifact', () => {
    const documented = fold([`{"type":"flow_state","flow_id":"onboarding","state":"collect_info","artifact":${form},"variables":{"first_name":null},"available_actions":["form_submit"]}`]);
    const reference = fold([`{"type":"artifact",${form.slice(1)}`]);
    expect(documented.artifact).to.deep.equal(reference.artifact);
    expect(documented.availableActions).to.deep.equal(['form_submit']);
    expect(reference.availableActions).to.equal(null);
    expect(isActionAvailable(reference, 'anything')).to.equal(true);
    expect(isActionAvailable(documented, 'option_select')).to.equal(false);
  });

  it('field updates fill values without replacing the artifact; both value spellings', () => {
    const v = fold([
      `{"type":"artifact",${form.slice(1)}`,
      '{"type":"artifact","artifact_type":"field_update","field_id":"first_name","value":"Alex"}',
      '{"type":"artifact","artifact_type":"field_update","field_id":"dob","field_value":"1995"}',
      '{"type":"flow_variable","flow_id":"onboarding","key":"first_name","value":"Alex"}',
    ]);
    expect(v.artifact?.artifact_type).to.equal('form');
    expect(v.filled).to.deep.equal({ first_name: 'Alex', dob: '1995' });
    expect(v.variables).to.deep.equal({ first_name: 'Alex' });
    expect(v.flowId).to.equal('onboarding');
  });

  it('a new state clears voice-filled values; orb_layout sets the orb position', () => {
    const v = fold([
      `{"type":"artifact",${form.slice(1)}`,
      '{"type":"artifact","artifact_type":"field_update","field_id":"first_name","value":"Alex"}',
      '{"type":"artifact","artifact_type":"orb_layout","position":"center_bottom"}',
    ]);
    expect(v.filled).to.deep.equal({});
    expect(v.orbPosition).to.equal('center_bottom');
  });

  it('dismiss clears all, or only the matching artifact', () => {
    const withId = fold(['{"type":"artifact","id":"c1","artifact_type":"card","prompt":"x"}']);
    expect(fold(['{"type":"artifact","artifact_type":"dismiss","target_id":"other"}'], withId).artifact).to.not.equal(null);
    expect(fold(['{"type":"artifact","artifact_type":"dismiss","target_id":"c1"}'], withId).artifact).to.equal(null);
    expect(fold(['{"type":"artifact","artifact_type":"dismiss"}'], withId).artifact).to.equal(null);
  });

  it('unknown artifacts and messages leave the view untouched', () => {
    const before = fold(['{"type":"artifact","artifact_type":"card","prompt":"x"}']);
    expect(fold(['{"type":"artifact","artifact_type":"hologram"}', '{"type":"mystery"}'], before)).to.equal(before);
  });

  it('an intent (top-level or as an artifact) never replaces the artifact on screen', () => {
    const before = fold([`{"type":"artifact",${form.slice(1)}`, '{"type":"artifact","artifact_type":"field_update","field_id":"first_name","value":"Alex"}']);
    const after = fold(['{"type":"intent","text":"Question"}', '{"type":"artifact","id":"i1","artifact_type":"intent","text":"Greeting"}'], before);
    expect(after).to.equal(before);
  });

  it('flow_end and transition_blocked are recorded', () => {
    const v = fold([
      '{"type":"transition_blocked","flow_id":"f","reason":"pending_confirmation","detail":"confirm"}',
      '{"type":"flow_end","flow_id":"f","reason":"completed","variables":{"a":1}}',
    ]);
    expect(v.blocked?.reason).to.equal('pending_confirmation');
    expect(v.ended).to.deep.equal({ reason: 'completed', variables: { a: 1 } });
  });
});
