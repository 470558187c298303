// @ts-check
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { DEFAULT_FLOWS_DIR, FlowLoadError, loadFlows, parseFlow, startServer } from '../../server/index.js';
import { tempDir } from './helpers.js';

const BIN = fileURLToPath(new URL('../../server/bin/prepatu-dev-server.js', import.meta.url));
const SHARED_FLOWS = '/work/shared/data/prepatu-flows';

const GOOD = `id: tiny
version: "1.0.0"
initial_state: ask
states:
  ask:
    ui:
      artifact_type: form
      fields:
        - { id: name, type: text }
    transitions:
      on_ui_event:
        form_submit: __end__
`;

/**
 * @param {string} text
 * @returns {FlowLoadError}
 */
function rejectOf(text) {
  try {
    parseFlow(text, 'bad.yaml');
  } catch (e) {
    assert.ok(e instanceof FlowLoadError, `expected a FlowLoadError, got ${e}`);
    return e;
  }
  assert.fail('the flow was accepted');
}

describe('flow loading', () => {
  test('the bundled flows load: the three real Prepatu flows (verbatim) and the sample', async () => {
    const flows = await loadFlows([DEFAULT_FLOWS_DIR]);
    assert.deepEqual(flows.map((f) => f.id).sort(), ['appointment-booking', 'onboarding', 'sample-onboarding', 'ten-questions']);
    const server = await startServer({ port: 0 });
    try {
      assert.equal(server.flows[0]?.id, 'sample-onboarding', 'the sample is the default flow');
    } finally {
      await server.close();
    }
  });

  test('the real flows load straight from the shared data directory', async (t) => {
    const flows = await loadFlows([SHARED_FLOWS]).catch((e) => (e.message.includes('no such file') ? null : Promise.reject(e)));
    if (!flows) return t.skip('shared data directory not present');
    assert.deepEqual(flows.map((f) => f.id).sort(), ['appointment-booking', 'onboarding', 'ten-questions']);
  });

  test('a good file passes', () => {
    assert.equal(parseFlow(GOOD, 'good.yaml').id, 'tiny');
  });

  test('YAML syntax errors give file:line:col', () => {
    const e = rejectOf('id: x\ninitial_state: a\nstates:\n  a:\n    ui: [1, 2\n  b: {}\n');
    assert.equal(e.file, 'bad.yaml');
    assert.equal(e.line, 6);
    assert.match(e.message, /^bad\.yaml:6:\d+: YAML syntax error: /);
    const dup = rejectOf('id: x\nid: y\n');
    assert.match(dup.message, /^bad\.yaml:2:1: YAML syntax error: Map keys must be unique/);
  });

  test('schema errors point at the offending node', () => {
    const missing = rejectOf(GOOD.replace('initial_state: ask\n', ''));
    assert.match(missing.message, /^bad\.yaml:1:1: missing required key "initial_state"$/);

    const notState = rejectOf(GOOD.replace('initial_state: ask', 'initial_state: nowhere'));
    assert.equal(notState.line, 3);
    assert.equal(notState.col, 16);
    assert.match(notState.reason, /initial_state "nowhere" is not a state/);

    const badTarget = rejectOf(GOOD.replace('form_submit: __end__', 'form_submit: somewhere'));
    assert.equal(badTarget.line, 12);
    assert.match(badTarget.reason, /transition target "somewhere" is not a state/);

    const objTarget = rejectOf(GOOD.replace('form_submit: __end__', 'form_submit: { target: elsewhere, set: { a: 1 } }'));
    assert.equal(objTarget.line, 12);
    assert.match(objTarget.reason, /"elsewhere" is not a state/);

    const noType = rejectOf(GOOD.replace('      artifact_type: form\n', ''));
    assert.equal(noType.line, 7);
    assert.match(noType.reason, /ui has no artifact_type/);

    const badGuard = rejectOf(
      GOOD.replace('form_submit: __end__', 'form_submit:\n          target: __end__\n          guard: { all: [ { variable: name, operator: like } ] }'),
    );
    assert.equal(badGuard.line, 14);
    assert.match(badGuard.reason, /unknown guard operator "like"/);

    assert.match(rejectOf('- just\n- a list\n').reason, /must be a YAML mapping/);
    assert.match(rejectOf(GOOD.replace('id: tiny', 'id: 3')).reason, /"id" must be a non-empty string/);
    assert.match(rejectOf(GOOD.replace(/states:[\s\S]*/, 'states: {}\n')).reason, /"states" must be a non-empty mapping/);
  });

  test('startServer rejects a malformed file in a directory, and duplicate ids', async () => {
    const dir = await tempDir({ 'a.yaml': GOOD, 'b.yaml': GOOD.replace('initial_state: ask', 'initial_state: 42') });
    await assert.rejects(startServer({ port: 0, flows: [dir] }), (e) => {
      assert.ok(e instanceof FlowLoadError);
      assert.equal(e.file, path.join(dir, 'b.yaml'));
      assert.equal(e.line, 3);
      return true;
    });
    const twins = await tempDir({ 'a.yaml': GOOD, 'b.yaml': GOOD });
    await assert.rejects(loadFlows([twins]), /b\.yaml:1:5: duplicate flow id "tiny"/);
  });

  test('the CLI prints file:line:col and exits 1 on a malformed flow', async () => {
    const dir = await tempDir({ 'broken.yaml': GOOD.replace('form_submit: __end__', 'form_submit: nope') });
    const file = path.join(dir, 'broken.yaml');
    const r = spawnSync(process.execPath, [BIN, '--port', '0', '--flows', file], { encoding: 'utf8', timeout: 10_000 });
    assert.equal(r.status, 1);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:12:22: transition target "nope" is not a state`));

    const syntax = await tempDir({ 's.yaml': 'id: [oops\n' });
    const r2 = spawnSync(process.execPath, [BIN, '--port', '0', '--flows', syntax], { encoding: 'utf8', timeout: 10_000 });
    assert.equal(r2.status, 1);
    assert.match(r2.stderr, /s\.yaml:\d+:\d+: YAML syntax error/);
  });
});
