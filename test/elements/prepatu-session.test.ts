import { expect } from '@open-wc/testing';
import { PrepatuUiEvent } from '../../src/elements/events.js';
import { PrepatuSession } from '../../src/elements/prepatu-session.js';
import type { FlowView } from '../../src/protocol/flow-view.js';
import type { PrepatuError, PrepatuWarning, ServerMessage, SessionStatus } from '../../src/protocol/index.js';
import { DIALECTS, servers, until, wsUrl } from '../support/servers.js';
import { wakeLockGranted } from '../support/wake-lock.js';
import { hook, mount, stats, unmountAll } from './helpers.js';

PrepatuSession.define();

/** Records every event a session fires. */
function record(el: HTMLElement) {
  const log = {
    statuses: [] as SessionStatus[],
    messages: [] as ServerMessage[],
    errors: [] as PrepatuError[],
    warnings: [] as PrepatuWarning[],
    flows: [] as FlowView[],
    transcripts: [] as string[],
    variables: [] as string[],
  };
  el.addEventListener('prepatu-status', (e) => log.statuses.push(e.detail.status));
  el.addEventListener('prepatu-message', (e) => log.messages.push(e.detail.message));
  el.addEventListener('prepatu-error', (e) => log.errors.push(e.detail.error));
  el.addEventListener('prepatu-warning', (e) => log.warnings.push(e.detail.warning));
  el.addEventListener('prepatu-flow-state', (e) => log.flows.push(e.detail.flow));
  el.addEventListener('prepatu-transcript', (e) => log.transcripts.push(e.detail.entry.role));
  el.addEventListener('prepatu-variable', (e) => log.variables.push(e.detail.key));
  return log;
}

const sessions: PrepatuSession[] = [];
async function session(attrs: string): Promise<PrepatuSession> {
  const host = mount(`<prepatu-session no-audio ${attrs}><span class="child">child</span></prepatu-session>`);
  const el = host.querySelector('prepatu-session')!;
  sessions.push(el);
  await el.updateComplete;
  return el;
}

const live = (s: SessionStatus) => s === 'listening' || s === 'speaking';

describe('<prepatu-session>', () => {
  afterEach(async () => {
    await Promise.all(sessions.splice(0).map((s) => s.disconnect()));
    unmountAll();
  });

  it('is idle before connect(), with a status attribute and no agent', async () => {
    const el = await session('');
    expect(el.status).to.equal('idle');
    expect(el.getAttribute('status')).to.equal('idle');
    expect(el.agent).to.equal(null);
    await expect(el).to.be.accessible();
  });

  for (const dialect of DIALECTS) {
    it(`connects by ws-url (${dialect}), reflects status and fires status, message, flow and transcript events`, async () => {
      const el = await session(`ws-url="${await wsUrl(dialect)}"`);
      const log = record(el);
      await el.connect();
      expect(log.statuses.slice(0, 2)).to.deep.equal(['connecting', 'connected']);
      expect(live(el.status)).to.equal(true);
      expect(el.getAttribute('status')).to.equal(el.status);
      await until(() => el.state.flow.artifact !== null, 'the first artifact');
      expect(log.flows.at(-1)).to.equal(el.state.flow);
      expect(log.messages.length).to.be.greaterThan(0);
      await until(() => log.transcripts.includes('assistant'), 'the agent transcript', 8000);
      expect(el.state.transcript.length).to.be.greaterThan(0);
      await el.disconnect();
      expect(el.status).to.equal('ended');
      expect(el.getAttribute('status')).to.equal('ended');
      expect(log.statuses.at(-1)).to.equal('ended');
      for (let i = 1; i < log.statuses.length; i++) expect(log.statuses[i]).to.not.equal(log.statuses[i - 1]);
      expect(log.errors).to.deep.equal([]);
      await expect(el).to.be.accessible();
    });

    it(`sends a descendant's prepatu-ui-event to the server unless a page listener prevents it (${dialect})`, async () => {
      const el = await session(`ws-url="${await wsUrl(dialect)}"`);
      await el.connect();
      await until(() => el.state.flow.artifact?.artifact_type === 'form', 'the form');
      const child = el.querySelector('.child')!;

      const stop = (e: Event) => e.preventDefault();
      document.addEventListener('prepatu-ui-event', stop);
      const prevented = new PrepatuUiEvent({ action: 'form_submit', data: { blocked: 'yes' }, flow_id: null });
      expect(child.dispatchEvent(prevented)).to.equal(false);
      document.removeEventListener('prepatu-ui-event', stop);
      await Promise.resolve();
      // Whatever the session sent before this request reaches the server first.
      expect((await stats(el)).ui_events).to.deep.equal([]);

      child.dispatchEvent(new PrepatuUiEvent({ action: 'form_submit', data: { name: 'Alex', email: 'alex@example.com' }, flow_id: null }));
      await until(() => el.state.flow.artifact?.artifact_type === 'options', 'the options after form_submit', 8000);
      const s = await stats(el);
      expect(s.ui_events.map((e) => e.action)).to.deep.equal(['form_submit']);
      const sent = s.messages.filter((m) => m.type === 'ui_event') as unknown as { flow_id?: string }[];
      if (dialect === 'documented') expect(sent[0]!.flow_id).to.equal('sample-onboarding');
    });
  }

  it('walks the sample flow by descendants\' ui events to prepatu-flow-end, then ends', async () => {
    const el = await session(`ws-url="${await wsUrl('documented')}"`);
    const ends: string[] = [];
    el.addEventListener('prepatu-flow-end', (e) => ends.push(e.detail.reason));
    await el.connect();
    const child = el.querySelector('.child')!;
    const send = (action: string, data: Record<string, string>) => child.dispatchEvent(new PrepatuUiEvent({ action, data, flow_id: el.state.flow.flowId }));
    await until(() => el.state.flow.artifact?.artifact_type === 'form', 'the form');
    send('form_submit', { name: 'Alex', email: 'alex@example.com' });
    await until(() => el.state.flow.artifact?.artifact_type === 'options', 'the options', 8000);
    const options = el.state.flow.artifact;
    send('option_select', { selected_id: options?.artifact_type === 'options' ? options.options[0]!.id : '' });
    await until(() => el.state.flow.artifact?.artifact_type === 'card', 'the card', 8000);
    send('confirm', {});
    await until(() => ends.length > 0 && el.status === 'ended', 'flow end and ended', 10000);
    expect(el.state.endReason).to.equal('server');
    expect(el.getAttribute('status')).to.equal('ended');
  });

  it('reports a flow variable and unknown artifacts sent mid-state', async () => {
    const el = await session(`ws-url="${await wsUrl('documented')}"`);
    const log = record(el);
    const unknown: string[] = [];
    el.addEventListener('prepatu-unknown-artifact', (e) => unknown.push(e.detail.artifact.artifact_type === 'unknown' ? e.detail.artifact.original_type : ''));
    await el.connect();
    hook(el, { do: 'send_text', text: JSON.stringify({ type: 'flow_variable', key: 'plan', value: 'pro' }) });
    hook(el, { do: 'send_text', text: JSON.stringify({ type: 'artifact', artifact_type: 'hologram', id: 'h1' }) });
    await until(() => unknown.length > 0 && log.variables.includes('plan'), 'variable and unknown artifact events');
    expect(unknown).to.deep.equal(['hologram']);
    expect(el.state.flow.variables['plan']).to.equal('pro');
  });

  it('starts through session-url: POSTs to the backend, connects to the ws_url it answers', async () => {
    const base = (await servers()).documented;
    const el = await session(`session-url="${base}/api/start-session" program-id="sample-onboarding" metadata='{"page":"pricing"}'`);
    await el.connect();
    expect(live(el.status)).to.equal(true);
    await until(() => el.state.flow.flowId !== null, 'the flow id');
    expect(el.state.flow.flowId).to.equal('sample-onboarding');
  });

  it('rejects with session_start_failed when the backend answers an error, and ends', async () => {
    const base = (await servers()).documented;
    const el = await session(`session-url="${base}/api/start-session" program-id="no-such-flow"`);
    const log = record(el);
    const error = await el.connect().then(
      () => null,
      (e: PrepatuError) => e,
    );
    expect(error?.code).to.equal('session_start_failed');
    expect(error?.message).to.contain('404');
    expect(log.errors).to.deep.equal([error]);
    expect(log.statuses).to.deep.equal(['connecting', 'error', 'ended']);
    expect(el.getAttribute('status')).to.equal('ended');
  });

  it('rejects with session_start_failed when the backend answers no ws_url', async () => {
    const base = (await servers()).documented;
    const el = await session(`session-url="${base}/healthz"`);
    const error = await el.connect().then(
      () => null,
      (e: PrepatuError) => e,
    );
    expect(error?.code).to.equal('session_start_failed');
    expect(error?.message).to.contain('ws_url');
    expect(el.status).to.equal('ended');
  });

  it('rejects when nothing listens at ws-url: prepatu-error, then status ended', async () => {
    const refused = (await servers()).refused.replace(/^http/, 'ws');
    const el = await session(`ws-url="${refused}/ws"`);
    const log = record(el);
    const error = await el.connect().then(
      () => null,
      (e: PrepatuError) => e,
    );
    expect(error?.name).to.equal('PrepatuError');
    expect(log.errors[0]).to.equal(error);
    expect(log.statuses.at(-1)).to.equal('ended');
    expect(log.statuses).to.include('error');
    expect(el.getAttribute('status')).to.equal('ended');
    await expect(el).to.be.accessible();
  });

  it('rejects with a clear error when it has no URL to connect to', async () => {
    const el = await session('');
    const error = await el.connect().then(
      () => null,
      (e: PrepatuError) => e,
    );
    expect(error?.message).to.contain('ws-url');
    expect(el.status).to.equal('ended');
  });

  it('ends the session when removed from the document, not when moved', async () => {
    const el = await session(`ws-url="${await wsUrl('documented')}"`);
    await el.connect();
    const other = document.createElement('div');
    document.body.append(other);
    try {
      el.remove();
      other.append(el); // a move: same task
      await new Promise((r) => setTimeout(r, 100));
      expect(live(el.status)).to.equal(true);
      expect((await stats(el)).ui_events).to.deep.equal([]); // the socket still works

      el.remove();
      await until(() => el.status === 'ended', 'ended after removal');
      expect(el.state.endReason).to.equal('client');
    } finally {
      other.remove();
    }
  });

  it('rejects transport="webrtc" without a webrtc-url', async () => {
    const el = await session('transport="webrtc"');
    const error = await el.connect().then(
      () => null,
      (e: PrepatuError) => e,
    );
    expect(error?.message).to.contain('webrtc-url');
  });

  it('keeps the status attribute read-only', async () => {
    const el = await session('');
    el.setAttribute('status', 'speaking');
    expect(el.getAttribute('status')).to.equal('idle');
  });

  it('reflects muted: start-muted connects muted; setMicEnabled and the attribute toggle it', async () => {
    const el = await session(`start-muted ws-url="${await wsUrl('documented')}"`);
    await el.connect();
    await el.updateComplete;
    expect(el.state.micEnabled).to.equal(false);
    expect(el.hasAttribute('muted')).to.equal(true);
    el.setMicEnabled(true);
    await el.updateComplete;
    expect(el.hasAttribute('muted')).to.equal(false);
    el.setAttribute('muted', '');
    await el.updateComplete;
    expect(el.state.micEnabled).to.equal(false);
  });

  it('keeps the screen on during a voice session unless keep-screen-on="off"', async () => {
    const grants = await wakeLockGranted();
    const url = await wsUrl('documented');
    const host = mount(`<prepatu-session ws-url="${url}"></prepatu-session><prepatu-session ws-url="${url}" keep-screen-on="off"></prepatu-session>`);
    const [on, off] = [...host.querySelectorAll('prepatu-session')] as [PrepatuSession, PrepatuSession];
    expect([on.keepScreenOn, off.keepScreenOn]).to.deep.equal([true, false]);
    await on.connect(); // with the engine's fake microphone
    const agent = on.agent!;
    if (grants) await until(() => agent.screenKeptOn, 'the screen wake lock');
    await on.disconnect();
    expect(agent.screenKeptOn).to.equal(false);
    await off.connect();
    await new Promise((r) => setTimeout(r, 300));
    expect(off.agent!.screenKeptOn).to.equal(false);
    await off.disconnect();
  });

  it('reports invalid metadata JSON when connecting', async () => {
    const el = await session(`ws-url="${await wsUrl('documented')}" metadata="{oops"`);
    const error = await el.connect().then(
      () => null,
      (e: PrepatuError) => e,
    );
    expect(error?.message).to.contain('metadata');
  });

  it('fires prepatu-warning (not prepatu-error) for what it drops, and the session goes on', async () => {
    const el = await session(`ws-url="${await wsUrl('documented')}"`);
    const log = record(el);
    await el.connect();
    hook(el, { do: 'send_text', text: 'not json' });
    hook(el, { do: 'send_binary', bytes: 641 });
    await until(() => log.warnings.length >= 2, 'two warnings');
    expect(log.warnings.map((w) => w.code)).to.deep.equal(['invalid_json', 'invalid_audio_frame']);
    expect(el.state.lastWarning?.code).to.equal('invalid_audio_frame');
    expect(log.errors).to.deep.equal([]);
    expect(live(el.status)).to.equal(true);
  });

  it('reports a ui_event it cannot send (not connected) as prepatu-error', async () => {
    const el = await session('');
    const log = record(el);
    el.querySelector('.child')!.dispatchEvent(new PrepatuUiEvent({ action: 'confirm', data: {}, flow_id: null }));
    await Promise.resolve();
    await Promise.resolve();
    expect(log.errors.map((e) => e.code)).to.deep.equal(['not_connected']);
  });
});
