// Recorded sessions played back by `prepatu-dev-server --replay` into <prepatu-session> +
// <prepatu-artifact>: the reference backend's traces (test/fixtures/traces/) render in order, and a
// session recorded live against the dev server renders the same artifacts when replayed.
import { expect } from '@open-wc/testing';
import '../../src/define.js';
import type { PrepatuArtifact } from '../../src/elements/prepatu-artifact.js';
import type { PrepatuSession } from '../../src/elements/prepatu-session.js';
import type { PrepatuWidget } from '../../src/elements/prepatu-widget.js';
import type { NavigateDetail } from '../../src/elements/events.js';
import type { Artifact, PrepatuError } from '../../src/protocol/index.js';
import type { TraceHeader } from '../../src/transport/trace.js';
import { DIALECTS, replayServer, servers, until, wsUrl } from '../support/servers.js';
import { mount, stats, unmountAll } from './helpers.js';

/** What <prepatu-artifact> showed after one change of the flow view. */
interface Shown {
  type: Artifact['artifact_type'];
  /** The rendered text (surface and notice) as laid out, whitespace collapsed. */
  text: string;
  /** Each form input's value, by name. */
  values: Record<string, string>;
}

/** A session on `url` with an artifact and a transcript; it records what each flow-view change rendered. */
async function watched(url: string, attrs = '') {
  const host = mount(`<prepatu-session no-audio ${attrs} ws-url="${url}"><prepatu-transcript></prepatu-transcript><prepatu-artifact></prepatu-artifact></prepatu-session>`);
  const session = host.querySelector('prepatu-session') as PrepatuSession;
  const artifact = host.querySelector('prepatu-artifact') as PrepatuArtifact;
  const shown: Shown[] = [];
  /** The distinct artifacts, in order of arrival (not every flow-view change brings one). */
  const artifacts: Artifact[] = [];
  const intents: string[] = [];
  const navigations: NavigateDetail[] = [];
  const warnings: string[] = [];
  session.addEventListener('prepatu-flow-state', (e) => {
    const a = e.detail.flow.artifact;
    if (a && a !== artifacts.at(-1)) artifacts.push(a);
    void artifact.updateComplete.then(() => {
      if (!a) return;
      const root = artifact.shadowRoot!;
      const text = [root.querySelector<HTMLElement>('[part~="surface"]'), root.querySelector<HTMLElement>('[part~="notice"]')].map((n) => n?.innerText ?? '').join(' ');
      const values = Object.fromEntries([...root.querySelectorAll('input')].map((i) => [i.name, i.value]));
      shown.push({ type: a.artifact_type, text: text.replace(/\s+/g, ' ').trim(), values });
    });
  });
  session.addEventListener('prepatu-intent', (e) => intents.push(e.detail.text));
  host.addEventListener('prepatu-navigate', (e) => navigations.push(e.detail));
  session.addEventListener('prepatu-warning', (e) => warnings.push(e.detail.warning.code));
  const transcript = () => host.querySelector('prepatu-transcript')!.shadowRoot!.textContent ?? '';
  return { session, artifact, shown, artifacts, intents, navigations, warnings, transcript };
}

type Watched = Awaited<ReturnType<typeof watched>>;
/** What was shown, as [type, text], without repeats (a variable set re-renders the same thing). */
const seen = (w: Watched) => w.shown.map((s) => [s.type, s.text]).filter((x, i, all) => i === 0 || JSON.stringify(x) !== JSON.stringify(all[i - 1]));
const types = (w: Watched) => w.artifacts.map((a) => a.artifact_type);
const where = (w: Watched, pred: (s: Shown) => boolean, what: string) => until(() => w.shown.some(pred), what, 30_000);

describe('the reference backend’s traces, replayed', function () {
  this.timeout(60_000);
  const runs: Record<string, Promise<Watched>> = {};

  // The three fixtures play at once (each has its own --replay server), each `it` checks one.
  before(async () => {
    const { traces } = await servers();
    for (const name of ['appointment-booking', 'ten-questions-model', 'gated-confirmation']) {
      runs[name] = (async () => {
        const w = await watched(`${traces[name]!.replace(/^http/, 'ws')}/ws?mode=flow&program_id=x`);
        await w.session.connect();
        return w;
      })();
    }
    await Promise.all(Object.values(runs)); // a failed connect fails here, once
  });
  after(unmountAll);

  it('appointment-booking: two forms filled by voice (value and field_value), the summary card, the confirmation card', async () => {
    const w = await runs['appointment-booking']!;
    await where(w, (s) => s.text.includes('Booking Confirmed!'), 'the confirmation card');
    await until(() => w.intents.length === 5, 'the last intent', 10_000);
    expect(types(w)).to.deep.equal(['form', 'form', 'card', 'card']);
    const first = w.shown.findIndex((s) => s.text.includes("Let's start with your contact details"));
    const second = w.shown.findIndex((s) => s.text.includes("Great, Jane Smith! Now let's pick your appointment."));
    const summary = w.shown.findIndex((s) => s.text.includes('Booking Summary'));
    expect(first).to.be.within(0, second - 1);
    expect(second).to.be.below(summary);
    // Voice-filled fields: the engine's `value` in the first form, the model's `field_value` in the second.
    expect(w.shown.slice(first, second).some((s) => s.values['full_name'] === 'Jane Smith' && s.values['email'] === '')).to.equal(true);
    expect(w.shown.slice(second, summary).some((s) => s.values['date'] === 'next Monday' && s.values['time_slot'] === '')).to.equal(true);
    expect(w.shown[summary]!.text).to.include('Service: consultation');
    expect(w.intents).to.deep.equal(['Greeting', 'Question', 'Question', 'Confirmation', 'Farewell']);
    expect(w.transcript()).to.include('My name is Jane Smith.').and.to.include('Shall I confirm it?');
    expect(w.warnings.filter((c) => c.startsWith('invalid'))).to.deep.equal([]);
    // The reference backend never closes: the session goes on.
    expect(w.session.status).to.be.oneOf(['listening', 'speaking']);
    await w.session.disconnect();
  });

  it('ten-questions with model-made artifacts: a score card with object content, string options as buttons, navigate with options', async () => {
    const w = await runs['ten-questions-model']!;
    await until(() => w.navigations.length > 0 && w.intents.length === 4, 'the navigate and the intent at the end', 30_000);
    expect(types(w)).to.deep.equal(['card', 'card', 'card', 'card', 'options', 'card', 'navigate']);
    const texts = w.shown.map((s) => s.text);
    const at = (needle: string) => texts.findIndex((t) => t.includes(needle));
    expect(at('\u{1F3AF} 10 Questions')).to.be.at.least(0);
    expect(at('Question {questions_asked} / 10')).to.be.above(at('10 Questions'));
    // The model's score card: title, the first number as the score, the rest as a definition list.
    const score = w.shown.find((s) => s.text.includes('Question 1 of 10'))!;
    expect(score.text).to.include('Questions asked 1').and.to.include('Questions left 9').and.to.include('Last answer Yes, it is alive.');
    expect(at('Question 1 of 10')).to.be.above(at('Question {questions_asked}'));
    expect(at('You got it!')).to.be.above(at('Question 1 of 10'));
    // Plain-string options render as buttons.
    const options = w.artifacts.find((a) => a.artifact_type === 'options');
    expect(options?.artifact_type === 'options' && options.options.map((o) => o.label)).to.deep.equal(['Play again', 'End game']);
    expect(at('What would you like to do?')).to.be.above(at('You got it!'));
    expect(at('Thanks for playing!')).to.be.above(at('What would you like to do?'));
    expect(w.navigations.map((n) => [n.screen, n.options.map((o) => `${o.id}:${o.label}`)])).to.deep.equal([['Summary', ['1:Start again', '2:Close']]]);
    expect(w.intents).to.deep.equal(['Greeting', 'Hint', 'Question', 'Farewell']);
    expect(w.warnings.filter((c) => c.startsWith('invalid'))).to.deep.equal([]);
    await w.session.disconnect();
  });

  it('string options are real buttons', async () => {
    const { traces } = await servers();
    const w = await watched(`${traces['ten-questions-model']!.replace(/^http/, 'ws')}/ws`);
    await w.session.connect();
    await until(() => w.artifact.shadowRoot!.querySelectorAll('[part~="option"]').length > 0, 'the option buttons', 30_000);
    const buttons = [...w.artifact.shadowRoot!.querySelectorAll<HTMLButtonElement>('[part~="option"]')];
    expect(buttons.map((b) => [b.localName, b.textContent!.trim()])).to.deep.equal([['button', 'Play again'], ['button', 'End game']]);
    await expect(w.artifact).to.be.accessible();
    await w.session.disconnect();
  });

  it('a confirmation gate: the form filled by voice, the blocked transition shown as a notice, then the next state', async () => {
    const w = await runs['gated-confirmation']!;
    await where(w, (s) => s.text.includes('Hi Robin.'), 'the card after the confirmation');
    expect(types(w)).to.deep.equal(['form', 'card']);
    const filled = w.shown.findIndex((s) => s.values['first_name'] === 'Robin');
    const blocked = w.shown.findIndex((s) => s.text.includes("captured but not yet confirmed by the user"));
    const card = w.shown.findIndex((s) => s.text.includes('Hi Robin.'));
    expect(filled).to.be.at.least(0);
    expect(blocked).to.be.above(filled);
    expect(card).to.be.above(blocked);
    expect(w.shown[card]!.text).not.to.include('not yet confirmed'); // the new state clears the notice
    await w.session.disconnect();
  });
});

describe('record → export → replay', function () {
  this.timeout(90_000);
  afterEach(unmountAll);

  for (const dialect of DIALECTS) {
    it(`${dialect}: a live session recorded with <prepatu-session record> renders the same artifacts in the same order when replayed`, async () => {
      const live = await watched(await wsUrl(dialect), 'record');
      await live.session.connect();
      const agent = live.session.agent!;
      await until(() => live.session.state.flow.artifact?.artifact_type === 'form', 'the form', 15_000);
      agent.sendUiEvent('form_submit', { name: 'Alex Doe', email: 'alex@example.com' });
      await until(() => live.session.state.flow.artifact?.artifact_type === 'options', 'the plans', 15_000);
      agent.sendUiEvent('option_select', { selected_id: 'pro' });
      await until(() => live.session.state.flow.artifact?.artifact_type === 'card', 'the summary', 15_000);
      agent.sendUiEvent('confirm', {});
      if (dialect === 'documented') await until(() => live.session.status === 'ended', 'the server ending the flow', 20_000);
      else {
        let seen = await stats(live.session);
        for (let i = 0; i < 50 && seen.ui_events.length < 3; i++) seen = await stats(live.session);
        expect(seen.ui_events.map((e) => e.action)).to.deep.equal(['form_submit', 'option_select', 'confirm']);
        await live.session.disconnect();
      }
      const trace = await live.session.exportTrace();
      const header = JSON.parse((await trace.text()).split('\n')[0]!) as TraceHeader;
      expect(header.audio).to.equal(false);

      const replay = await watched(await replayServer(trace));
      await replay.session.connect();
      await until(() => seen(replay).length >= seen(live).length && replay.artifacts.length >= live.artifacts.length, 'the replay to catch up', 30_000);
      expect(replay.artifacts).to.deep.equal(live.artifacts);
      expect(seen(replay)).to.deep.equal(seen(live));
      expect(types(live)).to.deep.equal(['form', 'options', 'card']);
      if (dialect === 'documented') {
        // The trace's server closed (1000, after flow_end): so does the replay.
        await until(() => replay.session.status === 'ended', 'the replayed close', 10_000);
        expect(replay.session.state.endReason).to.equal(live.session.state.endReason);
      } else {
        expect(replay.session.status).to.be.oneOf(['listening', 'speaking']);
        // What the replay's client sends is logged, not answered.
        replay.session.agent!.sendUiEvent('form_submit', { name: 'nobody' });
        const st = await stats(replay.session);
        expect(st.ui_events).to.deep.equal([{ action: 'form_submit', data: { name: 'nobody' } }]);
        await replay.session.disconnect();
      }
    });
  }

  it('record="audio" keeps audio; without record, exportTrace() rejects with no_trace; <prepatu-widget record> forwards it', async () => {
    const url = await wsUrl('reference');
    const audio = await watched(url, 'record="audio"');
    await audio.session.connect();
    await until(() => audio.session.state.flow.artifact !== null, 'the first state');
    await audio.session.disconnect();
    expect((JSON.parse((await (await audio.session.exportTrace()).text()).split('\n')[0]!) as TraceHeader).audio).to.equal(true);

    const plain = await watched(url);
    await plain.session.connect();
    await plain.session.disconnect();
    const error = (await plain.session.exportTrace().catch((e: unknown) => e)) as PrepatuError;
    expect(error.code).to.equal('no_trace');

    const host = mount(`<prepatu-widget record="audio" ws-url="${url}"></prepatu-widget>`);
    const widget = host.querySelector('prepatu-widget') as PrepatuWidget;
    await widget.updateComplete;
    expect(widget.session!.record).to.equal('audio');
    widget.setAttribute('record', 'off');
    await widget.updateComplete;
    expect(widget.session!.record).to.equal(false);
    expect(((await widget.exportTrace().catch((e: unknown) => e)) as PrepatuError).code).to.equal('no_trace');
  });
});
