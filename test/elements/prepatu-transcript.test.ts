import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import type { TranscriptEntry } from '../../src/agent/voice-agent.js';
import { PrepatuSession } from '../../src/elements/prepatu-session.js';
import { PrepatuTranscript } from '../../src/elements/prepatu-transcript.js';
import { until, wsUrl } from '../support/servers.js';
import { hook, mount, unmountAll } from './helpers.js';

PrepatuSession.define();
PrepatuTranscript.define();

const turn = (i: number, role: TranscriptEntry['role'] = i % 2 ? 'user' : 'assistant'): TranscriptEntry => ({ id: `t${i}`, role, text: `Line ${i}` });
const turns = (n: number, from = 0) => Array.from({ length: n }, (_, i) => turn(from + i));
const logOf = (el: PrepatuTranscript) => el.shadowRoot!.querySelector<HTMLElement>('[part="log"]')!;
const texts = (el: PrepatuTranscript) => [...el.shadowRoot!.querySelectorAll('[part~="turn"]')].map((t) => t.querySelector('[part="text"]')!.textContent);
const atBottom = (log: HTMLElement) => log.scrollHeight - log.scrollTop - log.clientHeight <= 2;

/** Scrolls the log as a user would and waits for the scroll event. */
async function scrollLog(log: HTMLElement, top: number): Promise<void> {
  const scrolled = oneEvent(log, 'scroll');
  log.scrollTop = top;
  await scrolled;
}

describe('<prepatu-transcript>', () => {
  afterEach(unmountAll);

  it('shows the empty text in a polite log, and is accessible', async () => {
    const el = await fixture<PrepatuTranscript>(html`<prepatu-transcript></prepatu-transcript>`);
    const log = logOf(el);
    expect(log.getAttribute('role')).to.equal('log');
    expect(log.getAttribute('aria-live')).to.equal('polite');
    expect(el.shadowRoot!.querySelector('[part="empty"]')!.textContent).to.equal('The conversation will appear here.');
    await expect(el).to.be.accessible();
  });

  it('renders entries in order with role parts and translated labels, server text as text', async () => {
    const el = await fixture<PrepatuTranscript>(html`<prepatu-transcript></prepatu-transcript>`);
    el.strings = { you: 'Vous', agent: 'Agent', empty: 'Rien' };
    el.entries = [turn(0, 'assistant'), turn(1, 'user'), { id: 'x', role: 'assistant', text: '<img src=x onerror=alert(1)>' }];
    await el.updateComplete;
    const nodes = [...el.shadowRoot!.querySelectorAll('[part~="turn"]')];
    expect(nodes.map((n) => n.getAttribute('part'))).to.deep.equal(['turn turn-assistant', 'turn turn-user', 'turn turn-assistant']);
    expect(nodes.map((n) => n.querySelector('[part="speaker"]')!.textContent)).to.deep.equal(['Agent', 'Vous', 'Agent']);
    expect(texts(el)).to.deep.equal(['Line 0', 'Line 1', '<img src=x onerror=alert(1)>']);
    expect(el.shadowRoot!.querySelector('img')).to.equal(null);
    await expect(el).to.be.accessible();
  });

  it('follows new turns, stops while the user reads above, resumes at the bottom', async () => {
    const el = await fixture<PrepatuTranscript>(html`<prepatu-transcript style="--prepatu-transcript-max-height: 120px"></prepatu-transcript>`);
    const log = logOf(el);
    el.entries = turns(20);
    await el.updateComplete;
    expect(log.scrollHeight).to.be.greaterThan(log.clientHeight);
    expect(atBottom(log)).to.equal(true);

    el.entries = turns(22);
    await el.updateComplete;
    expect(atBottom(log)).to.equal(true);

    await scrollLog(log, 0);
    el.entries = turns(25);
    await el.updateComplete;
    expect(log.scrollTop).to.equal(0);

    await scrollLog(log, log.scrollHeight);
    el.entries = turns(28);
    await el.updateComplete;
    expect(atBottom(log)).to.equal(true);
    expect(texts(el).at(-1)).to.equal('Line 27');
  });

  it('shows the session transcript inside <prepatu-session>, in order', async () => {
    const host = mount(`<prepatu-session no-audio ws-url="${await wsUrl('documented')}"><prepatu-transcript></prepatu-transcript></prepatu-session>`);
    const session = host.querySelector('prepatu-session')!;
    const el = host.querySelector('prepatu-transcript')!;
    try {
      await session.connect();
      await until(() => session.state.transcript.some((t) => t.role === 'assistant'), 'the agent speaks', 8000);
      hook(session, { do: 'utterance' });
      await until(() => session.state.transcript.some((t) => t.role === 'user'), 'a user turn', 8000);
      await el.updateComplete;
      expect(texts(el)).to.deep.equal(session.state.transcript.map((t) => t.text));
      const parts = [...el.shadowRoot!.querySelectorAll('[part~="turn"]')].map((n) => n.getAttribute('part'));
      expect(parts).to.deep.equal(session.state.transcript.map((t) => `turn turn-${t.role}`));
      await expect(el).to.be.accessible();
    } finally {
      await session.disconnect();
    }
  });

  it('prefers its entries property over the session transcript', async () => {
    const host = mount(`<prepatu-session><prepatu-transcript></prepatu-transcript></prepatu-session>`);
    const el = host.querySelector('prepatu-transcript')!;
    el.entries = [turn(7)];
    await el.updateComplete;
    expect(texts(el)).to.deep.equal(['Line 7']);
  });
});
