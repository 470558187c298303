import { expect } from '@open-wc/testing';
import { VoiceAgent } from '../../src/agent/voice-agent.js';
import type { FormArtifact, PrepatuError, PrepatuWarning, ServerMessage, SessionStatus } from '../../src/protocol/index.js';
import type { WebSocketTransport } from '../../src/transport/websocket-transport.js';
import { DIALECTS, askStats, servers, until, wsUrl } from '../support/servers.js';

function agentFor(url: string) {
  const log = { statuses: [] as SessionStatus[], messages: [] as ServerMessage[], errors: [] as PrepatuError[], warnings: [] as PrepatuWarning[], lines: [] as string[] };
  const agent = VoiceAgent.withWebSocket(
    // A short keepalive makes RTT visible quickly; not so short that a busy machine's late
    // pong ends the session before the socket's own close does.
    { url, keepaliveIntervalMs: 1000 },
    {
      audio: false,
      onStatus: (s) => log.statuses.push(s),
      onMessage: (m) => log.messages.push(m),
      onError: (e) => log.errors.push(e),
      onWarning: (w) => log.warnings.push(w),
      onLog: (line) => log.lines.push(line),
    },
  );
  const hook = (o: object) => (agent.transport as WebSocketTransport).sendText(JSON.stringify({ type: '__test', ...o }));
  const stats = () => askStats(hook, () => log.messages);
  return { agent, log, hook, stats };
}

/** Fills and submits whatever artifact is current, the way a user would. */
function act(agent: VoiceAgent): string {
  const a = agent.state.flow.artifact;
  if (a?.artifact_type === 'form') {
    const data = Object.fromEntries((a as FormArtifact).fields.map((f) => [f.id, f.type === 'email' ? 'alex@example.com' : 'Alex']));
    agent.sendUiEvent('form_submit', data);
    return 'form_submit';
  }
  if (a?.artifact_type === 'options') {
    agent.sendUiEvent('option_select', { selected_id: a.options[0]!.id });
    return 'option_select';
  }
  agent.sendUiEvent('confirm', {});
  return 'confirm';
}

describe('VoiceAgent (headless) against the development server', () => {
  for (const dialect of DIALECTS) {
    describe(`${dialect} dialect`, () => {
      it('walks the sample flow by UI events; the server receives each ui_event', async () => {
        const { agent, log, stats } = await agentFor(await wsUrl(dialect));
        await agent.connect();
        const sent: string[] = [];
        let last: unknown = null;
        for (let step = 0; step < 3; step++) {
          await until(() => agent.state.flow.artifact !== null && agent.state.flow.artifact !== last, `artifact ${step + 1}`);
          last = agent.state.flow.artifact;
          sent.push(act(agent));
        }
        if (dialect === 'documented') {
          // The server says its goodbye (paced at real time) before it ends the session.
          await until(() => agent.status === 'ended', 'ended after flow_end', 20_000);
          expect(log.messages.some((m) => m.type === 'flow_end')).to.equal(true);
        } else {
          const s = await stats();
          expect(s.ui_events.map((e) => e.action)).to.deep.equal(sent);
          await agent.disconnect();
        }
        expect(log.errors).to.deep.equal([]);
        expect(sent).to.deep.equal(['form_submit', 'option_select', 'confirm']);
      });

      it('emits each status once, in order, and ends even when the server never says so', async () => {
        const { agent, log, hook } = await agentFor(await wsUrl(dialect));
        await agent.connect();
        hook({ do: 'tone', freq: 300, ms: 200, paced: true });
        await until(() => log.statuses.includes('speaking'), 'speaking');
        await until(() => agent.status === 'listening' && log.statuses.filter((s) => s === 'speaking').length >= 1, 'listening again', 15000);
        await agent.disconnect();
        expect(log.statuses.slice(0, 4)).to.deep.equal(['connecting', 'connected', 'listening', 'speaking']);
        expect(log.statuses.at(-1)).to.equal('ended');
        for (let i = 1; i < log.statuses.length; i++) expect(log.statuses[i]).to.not.equal(log.statuses[i - 1]);
        expect(log.statuses.filter((s) => s === 'connected').length).to.equal(1);
        expect(agent.state.endReason).to.equal('client');
      });
    });
  }

  it('ends with a typed reason when the connection drops, and can start a new session', async () => {
    const { agent, log, hook } = await agentFor(await wsUrl('documented'));
    await agent.connect();
    hook({ do: 'terminate' });
    await until(() => agent.status === 'ended', 'ended');
    expect(log.errors.map((e) => e.code)).to.include('connection_lost');
    expect(log.statuses.slice(-2)).to.deep.equal(['error', 'ended']);
    await agent.connect();
    expect(agent.status).to.equal('listening');
    await until(() => agent.state.flow.artifact !== null, 'the flow restarted');
    await agent.disconnect();
  });

  it('keeps the session through bad client input and server errors', async () => {
    const { agent, log } = await agentFor(await wsUrl('documented'));
    await agent.connect();
    expect(() => agent.sendMessage({ type: 'nope' } as never)).to.throw().with.property('code', 'invalid_message');
    agent.sendUiEvent('', {}); // an empty action: the server answers with a PVP error
    await until(() => log.errors.some((e) => e.code === 'server_error'), 'the server’s PVP error');
    expect(agent.status).to.be.oneOf(['listening', 'speaking']);
    await agent.disconnect();
  });

  it('reports what it drops as warnings (onWarning, lastWarning, the log), never as errors, and keeps the session', async () => {
    const { agent, log, hook } = await agentFor(await wsUrl('documented'));
    await agent.connect();
    hook({ do: 'send_text', text: '{"type": "status", oops' });
    hook({ do: 'send_text', text: '{"type":"from_the_future"}' });
    hook({ do: 'send_binary', bytes: 3 });
    await until(() => log.warnings.length >= 3, 'three warnings');
    expect(log.warnings.map((w) => w.code)).to.deep.equal(['invalid_json', 'unknown_message', 'invalid_audio_frame']);
    expect(agent.state.lastWarning).to.equal(log.warnings[2]);
    expect(log.lines.filter((l) => l.startsWith('warning '))).to.have.length(3);
    expect(log.errors).to.deep.equal([]);
    expect(agent.status).to.be.oneOf(['listening', 'speaking']);
    await agent.disconnect();
  });

  it('rejects connect() with auth_failed for a refused session token', async () => {
    const base = (await servers()).documented.replace('http', 'ws');
    const { agent, log } = await agentFor(`${base}/v1/ws/st_not_a_real_token`);
    await agent.connect().catch(() => {});
    await until(() => agent.status === 'ended', 'ended');
    expect(log.errors.map((e) => e.code)).to.include('auth_failed');
  });

  it('uses the cloud flow: the site backend hands out a ws_url', async () => {
    const res = await fetch(`${(await servers()).documented}/api/start-session`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    const { ws_url } = (await res.json()) as { ws_url: string };
    const { agent } = await agentFor(ws_url);
    await agent.connect();
    await until(() => agent.state.flow.artifact !== null, 'an artifact');
    await agent.disconnect();
  });

  it('throws not_connected when sending without a session', () => {
    const agent = VoiceAgent.withWebSocket({ url: 'ws://127.0.0.1:9/ws' }, { audio: false });
    expect(() => agent.sendMessage({ type: 'ping', ts: 1 })).to.throw().with.property('code', 'not_connected');
  });
});
