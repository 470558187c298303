import { expect } from '@open-wc/testing';
import type { PrepatuError, PrepatuWarning, ServerMessage } from '../../src/protocol/index.js';
import type { CloseReason, TransportEvents } from '../../src/transport/types.js';
import { WebSocketTransport, type WebSocketTransportOptions } from '../../src/transport/websocket-transport.js';
import { DIALECTS, servers, until, wsUrl } from '../support/servers.js';

/** A transport plus everything it reported. */
async function open(options: WebSocketTransportOptions) {
  const log = { messages: [] as ServerMessage[], audio: [] as ArrayBuffer[], errors: [] as PrepatuError[], warnings: [] as PrepatuWarning[], rtts: [] as number[], closes: [] as CloseReason[] };
  const events: TransportEvents = {
    message: (m) => log.messages.push(m),
    audio: (a) => log.audio.push(a),
    error: (e) => log.errors.push(e),
    warning: (w) => log.warnings.push(w),
    rtt: (r) => log.rtts.push(r),
    close: (c) => log.closes.push(c),
  };
  const t = new WebSocketTransport(options);
  await t.connect(events, new AbortController().signal);
  return { t, log, hook: (o: object) => t.sendText(JSON.stringify({ type: '__test', ...o })) };
}

describe('WebSocketTransport against the development server', () => {
  for (const dialect of DIALECTS) {
    describe(`${dialect} dialect`, () => {
      it('delivers the opening messages in the dialect’s order', async () => {
        const { t, log } = await open({ url: await wsUrl(dialect) });
        await until(() => log.messages.some((m) => m.type === 'config'), 'config');
        const first = log.messages[0]!.type;
        expect(first).to.equal(dialect === 'documented' ? 'config' : 'status');
        t.close();
      });

      it('drops odd-length and empty audio frames with a typed warning and keeps going', async () => {
        const { t, log, hook } = await open({ url: await wsUrl(dialect), keepaliveIntervalMs: 0 });
        hook({ do: 'send_binary', bytes: 641 });
        hook({ do: 'send_binary', bytes: 0 });
        hook({ do: 'send_binary', bytes: 1234 });
        await until(() => log.audio.some((a) => a.byteLength === 1234), 'the whole frame');
        const bad = log.warnings.filter((w) => w.code === 'invalid_audio_frame').map((w) => w.details?.['bytes']);
        expect(bad).to.deep.equal([641, 0]);
        expect(log.errors).to.deep.equal([]);
        expect(log.audio.every((a) => a.byteLength % 2 === 0 && a.byteLength > 0)).to.equal(true);
        expect(log.closes).to.deep.equal([]);
        t.close();
      });

      it('warns about malformed JSON from the server (not an error) and passes unknown types through', async () => {
        const { t, log, hook } = await open({ url: await wsUrl(dialect) });
        hook({ do: 'send_text', text: '{"type": "status", oops' });
        hook({ do: 'send_text', text: '{"type":"from_the_future","x":1}' });
        await until(() => log.messages.some((m) => m.type === 'unknown' && m.original_type === 'from_the_future'), 'unknown message');
        expect(log.warnings.map((w) => w.code)).to.include('invalid_json');
        expect(log.errors).to.deep.equal([]);
        expect(log.closes).to.deep.equal([]);
        t.close();
      });
    });
  }

  it('measures round-trip time from ping/pong', async () => {
    const { t, log } = await open({ url: await wsUrl('documented'), keepaliveIntervalMs: 100 });
    await until(() => log.rtts.length >= 2, 'two RTT samples');
    expect(log.rtts.every((r) => r >= 0 && r < 1000)).to.equal(true);
    t.close();
  });

  it('detects a peer that stops answering', async () => {
    const { log, hook } = await open({ url: await wsUrl('documented'), keepaliveIntervalMs: 100, keepaliveTimeoutMs: 400 });
    hook({ do: 'go_silent' });
    await until(() => log.closes.length > 0, 'keepalive timeout', 3000);
    expect(log.closes).to.deep.equal([{ kind: 'keepalive_timeout' }]);
  });

  const closes: [object, CloseReason['kind']][] = [
    [{ do: 'close', code: 4401, reason: 'bad token' }, 'auth_failed'],
    [{ do: 'close', code: 1000 }, 'ended'],
    [{ do: 'terminate' }, 'connection_lost'],
  ];
  for (const [hookMsg, kind] of closes) {
    it(`turns ${JSON.stringify(hookMsg)} into a typed "${kind}" close, once`, async () => {
      const { log, hook } = await open({ url: await wsUrl('documented') });
      hook(hookMsg);
      await until(() => log.closes.length > 0, 'close');
      await new Promise((r) => setTimeout(r, 50));
      expect(log.closes.length).to.equal(1);
      expect(log.closes[0]!.kind).to.equal(kind);
    });
  }

  it('gives up on a server that never answers the handshake', async () => {
    const t = new WebSocketTransport({ url: (await servers()).blackHole.replace('http', 'ws') + '/ws', timeoutMs: 400 });
    const start = performance.now();
    const err = await t.connect({} as TransportEvents, new AbortController().signal).catch((e: PrepatuError) => e);
    expect((err as PrepatuError).code).to.equal('connect_timeout');
    expect(performance.now() - start).to.be.below(3000);
  });

  it('reports a refused connection as connection_failed', async () => {
    const t = new WebSocketTransport({ url: (await servers()).refused.replace('http', 'ws') + '/ws', timeoutMs: 5000 });
    const err = await t.connect({} as TransportEvents, new AbortController().signal).catch((e: PrepatuError) => e);
    expect((err as PrepatuError).code).to.equal('connection_failed');
  });

  it('honours an AbortSignal while connecting', async () => {
    const t = new WebSocketTransport({ url: (await servers()).blackHole.replace('http', 'ws') + '/ws' });
    const ac = new AbortController();
    const pending = t.connect({} as TransportEvents, ac.signal).catch((e: PrepatuError) => e);
    ac.abort();
    expect(((await pending) as PrepatuError).code).to.equal('aborted');
  });

  it('refuses to send before connecting and refuses invalid messages', async () => {
    const t = new WebSocketTransport({ url: await wsUrl('documented') });
    expect(() => t.send({ type: 'ping', ts: 1 })).to.throw().with.property('code', 'not_connected');
    const { t: live } = await open({ url: await wsUrl('documented') });
    expect(() => live.send({ type: 'ui_event', action: 7 } as never)).to.throw().with.property('code', 'invalid_message');
    live.close();
  });
});
