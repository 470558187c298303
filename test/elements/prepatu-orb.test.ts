import { ContextProvider } from '@lit/context';
import { expect, fixture, html } from '@open-wc/testing';
import type { AgentState } from '../../src/agent/voice-agent.js';
import { sessionContext, type SessionContextValue } from '../../src/elements/context.js';
import { PrepatuOrb } from '../../src/elements/prepatu-orb.js';
import { PrepatuSession } from '../../src/elements/prepatu-session.js';
import { idleState } from '../../src/elements/session-controller.js';
import { until, wsUrl } from '../support/servers.js';
import { emulate, hook, mount, unmountAll } from './helpers.js';

PrepatuSession.define();
PrepatuOrb.define();

const orbPart = (el: PrepatuOrb) => el.shadowRoot!.querySelector<HTMLElement>('[part~="orb"]')!;
const core = (el: PrepatuOrb) => el.shadowRoot!.querySelector<HTMLElement>('[part="core"]')!;
const ring = (el: PrepatuOrb) => el.shadowRoot!.querySelector<HTMLElement>('[part="ring"]')!;

/** An orb under a hand-driven session context, for states a live session cannot produce on demand. */
async function orbWithState(patch: Partial<AgentState>) {
  const wrapper = mount('');
  const provider = new ContextProvider(wrapper, { context: sessionContext, initialValue: { state: { ...idleState(), ...patch }, agent: null } });
  const el = document.createElement('prepatu-orb');
  wrapper.append(el);
  await el.updateComplete;
  const set = async (next: Partial<AgentState>) => {
    const value: SessionContextValue = { state: { ...provider.value.state, ...next }, agent: null };
    provider.setValue(value);
    await el.updateComplete;
  };
  return { el, set };
}

let emulated = false;
const tryEmulate = async (media: Parameters<typeof emulate>[0]) => (emulated = await emulate(media));

describe('<prepatu-orb>', () => {
  afterEach(async () => {
    unmountAll();
    if (emulated) await tryEmulate({ reducedMotion: 'no-preference' });
    emulated = false;
  });

  it('names its status as an accessible image; the status property overrides', async () => {
    const el = await fixture<PrepatuOrb>(html`<prepatu-orb></prepatu-orb>`);
    expect(orbPart(el).getAttribute('role')).to.equal('img');
    expect(orbPart(el).getAttribute('aria-label')).to.equal('Voice agent, not connected');
    el.status = 'speaking';
    await el.updateComplete;
    expect(orbPart(el).getAttribute('aria-label')).to.equal('Agent is speaking');
    expect(orbPart(el).getAttribute('part')).to.equal('orb orb-speaking');
    el.strings = { speaking: 'L’agent parle' };
    await el.updateComplete;
    expect(orbPart(el).getAttribute('aria-label')).to.equal('L’agent parle');
    await expect(el).to.be.accessible();
  });

  it('follows a live session: status, and the position an orb_layout artifact asks for', async () => {
    const host = mount(`<prepatu-session no-audio ws-url="${await wsUrl('documented')}"><prepatu-orb></prepatu-orb></prepatu-session>`);
    const session = host.querySelector('prepatu-session')!;
    const el = host.querySelector('prepatu-orb')!;
    try {
      await session.connect();
      await el.updateComplete;
      expect(orbPart(el).getAttribute('aria-label')).to.match(/^Agent is (listening|speaking)$/);
      expect(el.hasAttribute('position')).to.equal(false);
      hook(session, { do: 'send_text', text: JSON.stringify({ type: 'artifact', artifact_type: 'orb_layout', position: 'top_right' }) });
      await until(() => el.getAttribute('position') === 'top_right', 'position="top_right"');
      await expect(el).to.be.accessible();
      await session.disconnect();
      await el.updateComplete;
      expect(orbPart(el).getAttribute('aria-label')).to.equal('Conversation ended');
    } finally {
      await session.disconnect();
    }
  });

  it('shows the live microphone level of a session with audio', async () => {
    const host = mount(`<prepatu-session ws-url="${await wsUrl('documented')}"><prepatu-orb></prepatu-orb></prepatu-session>`);
    const session = host.querySelector('prepatu-session')!;
    const el = host.querySelector('prepatu-orb')!;
    try {
      await session.connect();
      await until(() => Number(el.style.getPropertyValue('--_in')) > 0, 'a microphone level on the orb', 8000);
    } finally {
      await session.disconnect();
    }
    await el.updateComplete;
    expect(el.style.getPropertyValue('--_in')).to.equal('0');
  });

  it('says when the microphone is muted', async () => {
    const { el } = await orbWithState({ status: 'listening', micEnabled: false });
    expect(orbPart(el).getAttribute('aria-label')).to.equal('Agent is listening, your microphone is muted');
  });

  it('drives size and glow from the levels through render (custom properties)', async () => {
    const { el, set } = await orbWithState({ status: 'speaking', levels: { input: 0, output: 0 } });
    expect(el.style.getPropertyValue('--_out')).to.equal('0');
    core(el).style.transition = 'none'; // no frames need to pass (a background tab may get none)
    const quiet = getComputedStyle(core(el)).transform;
    await set({ levels: { input: 0.04, output: 0.25 } });
    expect(Number(el.style.getPropertyValue('--_out'))).to.be.greaterThan(0.5);
    expect(Number(el.style.getPropertyValue('--_in'))).to.be.greaterThan(0);
    expect(getComputedStyle(core(el)).transform).to.not.equal(quiet);
  });

  it('with prefers-reduced-motion: no pulse, no scaling; the level shows as ring opacity', async function (this: { skip(): never }) {
    if (!(await tryEmulate({ reducedMotion: 'reduce' }))) this.skip();
    const { el, set } = await orbWithState({ status: 'connecting' });
    expect(getComputedStyle(core(el)).animationName).to.equal('none');
    await set({ status: 'speaking', levels: { input: 0, output: 0.3 } });
    expect(getComputedStyle(core(el)).transform).to.equal('none');
    expect(getComputedStyle(ring(el)).transform).to.equal('none');
    const loud = Number(getComputedStyle(ring(el)).opacity);
    await set({ levels: { input: 0, output: 0 } });
    expect(Number(getComputedStyle(ring(el)).opacity)).to.be.lessThan(loud);

    await tryEmulate({ reducedMotion: 'no-preference' });
    await set({ status: 'connecting' });
    expect(getComputedStyle(core(el)).animationName).to.equal('pulse');
  });

  it('is accessible in every status', async () => {
    const el = await fixture<PrepatuOrb>(html`<prepatu-orb></prepatu-orb>`);
    for (const status of ['idle', 'connecting', 'connected', 'listening', 'speaking', 'error', 'ended'] as const) {
      el.status = status;
      await el.updateComplete;
      expect(orbPart(el).getAttribute('aria-label')).to.be.a('string').and.not.equal('');
      await expect(el).to.be.accessible();
    }
  });
});
