// What a model-driven backend really sends (loosely typed send_artifact arguments, intents),
// sent by the real development server over a real socket: each renders what it carries, with
// at most one warning and never an error; what the user does reaches the server.
import { expect } from '@open-wc/testing';
import '../../src/define.js';
import type { PrepatuArtifact } from '../../src/elements/prepatu-artifact.js';
import type { PrepatuSession } from '../../src/elements/prepatu-session.js';
import type { PrepatuWidget } from '../../src/elements/prepatu-widget.js';
import type { PrepatuError, PrepatuWarning } from '../../src/protocol/index.js';
import { until, wsUrl } from '../support/servers.js';
import { hook, mount, stats, unmountAll, widgetQuery } from './helpers.js';

const send = (el: PrepatuSession, message: object) => hook(el, { do: 'send_text', text: JSON.stringify(message) });
const shadow = (el: Element) => el.shadowRoot!;
const text = (el: Element) => shadow(el).textContent!.replace(/\s+/g, ' ');

function record(el: HTMLElement) {
  const log = { warnings: [] as PrepatuWarning[], errors: [] as PrepatuError[], intents: [] as string[] };
  el.addEventListener('prepatu-warning', (e) => log.warnings.push(e.detail.warning));
  el.addEventListener('prepatu-error', (e) => log.errors.push(e.detail.error));
  el.addEventListener('prepatu-intent', (e) => log.intents.push(e.detail.text));
  return log;
}

/** Warnings about messages of this type (the `__test_stats` answers are unknown messages too). */
const about = (log: ReturnType<typeof record>, type: string) => log.warnings.filter((w) => w.details?.['type'] === type);

describe('loosely typed server messages, end to end', function () {
  this.timeout(60_000);
  afterEach(unmountAll);

  it('score card, string options, a numeric option id, a loose form, is_final "true", an unknown status', async () => {
    const host = mount(`<prepatu-session no-audio ws-url="${await wsUrl('reference')}"><prepatu-transcript></prepatu-transcript><prepatu-artifact></prepatu-artifact></prepatu-session>`);
    const session = host.querySelector('prepatu-session') as PrepatuSession;
    const artifact = host.querySelector('prepatu-artifact') as PrepatuArtifact;
    const transcript = host.querySelector('prepatu-transcript')!;
    const log = record(session);
    await session.connect();
    await until(() => session.state.flow.artifact !== null, 'the flow’s first artifact', 15_000);
    const part = (name: string) => [...shadow(artifact).querySelectorAll<HTMLElement>(`[part~="${name}"]`)];
    const shows = async (name: string, what: string) => {
      await until(() => part(name).length > 0, what, 10_000);
      await artifact.updateComplete;
    };

    // 1. The reference backend's score card: content is an object. Valid: no warning.
    send(session, {
      type: 'artifact', id: 'c1', artifact_type: 'card', card_type: 'score', title: 'Your speaking score',
      content: { overall_band: 6.5, fluency_score: 6, lexical_resource: 7, feedback: 'Good range of vocabulary.' },
    });
    await shows('card-score', 'the score card');
    expect(part('card-score')[0]!.textContent!.replace(/\s+/g, ' ').trim()).to.equal('Overall band 6.5');
    expect(text(artifact)).to.contain('Fluency score').and.contain('Lexical resource').and.contain('Good range of vocabulary.');
    await expect(artifact).to.be.accessible();
    expect(about(log, 'artifact')).to.deep.equal([]);

    // 2. Options as plain strings: buttons; a click sends the string as selected_id.
    send(session, { type: 'artifact', id: 'o1', artifact_type: 'options', prompt: 'Which part?', options: ['Part 1', 'Part 2'] });
    await until(() => part('option').length === 2 && part('option')[0]!.textContent!.includes('Part 1'), 'string options');
    expect(part('option').map((b) => b.textContent!.trim())).to.deep.equal(['Part 1', 'Part 2']);
    part('option')[1]!.click();
    expect(about(log, 'artifact').map((w) => [w.code, w.path])).to.deep.equal([['coerced_field', '$.options[0]']]);

    // 3. An option whose id is a number.
    send(session, { type: 'artifact', id: 'o2', artifact_type: 'options', options: [{ id: 3, label: 'Three' }] });
    await until(() => part('option')[0]?.textContent?.includes('Three') === true, 'the numeric-id option');
    part('option')[0]!.click();
    expect(about(log, 'artifact')).to.have.length(2);

    // 4. A form whose field says required "yes" and has a numeric label: it renders and enforces required.
    send(session, { type: 'artifact', id: 'f1', artifact_type: 'form', fields: [{ id: 'code', type: 'text', label: 42, required: 'yes' }] });
    await shows('form', 'the loose form');
    const input = part('input')[0] as HTMLInputElement;
    expect(input.required).to.equal(true);
    expect(input.labels?.[0]?.textContent).to.contain('42');
    part('submit')[0]!.click();
    await artifact.updateComplete;
    expect(input.getAttribute('aria-invalid')).to.equal('true');
    expect(about(log, 'artifact')).to.have.length(3);

    const s = await stats(session);
    const sent = s.ui_events.filter((e) => e.action === 'option_select' || e.action === 'form_validation_error');
    expect(sent).to.deep.equal([
      { action: 'option_select', data: { selected_id: 'Part 2' } },
      { action: 'option_select', data: { selected_id: '3' } },
      { action: 'form_validation_error', data: { missing_fields: ['code'] } },
    ]);

    // 5. A transcript whose is_final is the string "true" shows.
    send(session, { type: 'transcript', id: 'lenient-1', role: 'assistant', text: 'Said leniently.', is_final: 'true' });
    await until(() => text(transcript).includes('Said leniently.'), 'the transcript line');
    expect(about(log, 'transcript').map((w) => [w.code, w.path])).to.deep.equal([['coerced_field', '$.is_final']]);

    // 6. An unknown status is ignored, with one warning; the session goes on.
    send(session, { type: 'status', status: 'thinking' });
    send(session, { type: 'transcript', id: 'marker', role: 'user', text: 'after the status' });
    await until(() => text(transcript).includes('after the status'), 'the message after the status');
    expect(about(log, 'status').map((w) => w.code)).to.deep.equal(['unknown_status']);
    expect(session.status).to.be.oneOf(['listening', 'speaking']);

    // The dev server's flow offers no option_select in its form state and says so: its PVP
    // errors about that are the only errors, and none came from reading the messages.
    expect(log.errors.map((e) => e.code)).to.deep.equal(log.errors.map(() => 'server_error'));
    expect(log.errors.every((e) => /option_select/.test(e.message))).to.equal(true);
    await session.disconnect();
  });

  it('<prepatu-widget>: an intent shows beside the orb and fires prepatu-intent, never replaces the artifact, and clears when the agent speaks again', async () => {
    // The documented dialect's server sends no intents of its own, so only these are shown.
    const host = mount(`<prepatu-widget placement="inline" no-audio ws-url="${await wsUrl('documented')}"></prepatu-widget>`);
    const widget = host.querySelector('prepatu-widget') as PrepatuWidget;
    const log = record(widget);
    await widget.connect();
    const session = widget.session!;
    // The greeting's transcript arrives as it starts; `listening` after it means it is over.
    const greeted = () => session.state.transcript.some((t) => t.role === 'assistant');
    await until(() => session.state.flow.artifact?.artifact_type === 'form' && greeted() && session.status === 'listening', 'the form, and the greeting over', 15_000);
    const artifact = widgetQuery(widget, 'prepatu-artifact')!;
    const label = () => widgetQuery(widget, '[part~="intent"]');
    expect(label()).to.equal(null);

    send(session, { type: 'intent', text: 'Question' });
    await until(() => label()?.textContent === 'Question', 'the intent label');
    expect(log.intents).to.deep.equal(['Question']);
    expect(session.state.intent).to.equal('Question');
    expect(shadow(artifact).querySelector('form')).to.not.equal(null);
    expect(getComputedStyle(label()!).display).to.not.equal('none');
    await expect(widget).to.be.accessible();

    send(session, { type: 'artifact', id: 'i2', artifact_type: 'intent', text: '<b>Greeting</b>' });
    await until(() => label()?.textContent === '<b>Greeting</b>', 'the intent artifact, as text');
    expect(label()!.children).to.have.length(0);
    expect(log.intents).to.deep.equal(['Question', '<b>Greeting</b>']);
    expect(session.state.flow.artifact?.artifact_type).to.equal('form');
    expect(shadow(artifact).querySelector('form')).to.not.equal(null);

    widget.intents = false;
    await widget.updateComplete;
    expect(label()).to.equal(null);
    widget.setAttribute('intents', 'on');
    await widget.updateComplete;
    expect(label()?.textContent).to.equal('<b>Greeting</b>');

    // The next agent turn starts: the label of the last one goes.
    send(session, { type: 'status', status: 'speaking' });
    await until(() => label() === null, 'the label cleared by the next turn');
    expect(session.state.intent).to.equal(null);
    expect(log.warnings.filter((w) => w.details?.['type'] !== '__test_stats')).to.deep.equal([]);
    expect(log.errors).to.deep.equal([]);
    await widget.disconnect();
  });
});
