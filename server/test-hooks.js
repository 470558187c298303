// @ts-check
/**
 * `{"type":"__test","do":…}` messages, honoured only with --test-hooks: they
 * let client tests make the server misbehave on purpose and look inside it.
 */
import { exampleArgs } from './examples.js';
import { sineTone } from './speech.js';

/** @typedef {import('./session.js').Session} Session */

const MAX_BINARY_BYTES = 16 * 1024 * 1024;

/**
 * @param {Session} s
 * @param {Record<string, any>} msg
 */
export function handleTestHook(s, msg) {
  const ws = s.ws;
  s.log(`test hook ${JSON.stringify(msg)}`);
  switch (msg.do) {
    case 'send_text':
      if (typeof msg.text !== 'string') return s.error('__test send_text: "text" must be a string');
      return ws.send(msg.text);
    case 'send_binary': {
      const n = msg.bytes;
      if (!Number.isInteger(n) || n < 0 || n > MAX_BINARY_BYTES) return s.error(`__test send_binary: "bytes" must be an integer 0..${MAX_BINARY_BYTES}`);
      return ws.send(Buffer.alloc(n), { binary: true });
    }
    case 'close': {
      const code = msg.code ?? 1000;
      try {
        return ws.close(code, typeof msg.reason === 'string' ? msg.reason : undefined);
      } catch (e) {
        return s.error(`__test close: ${/** @type {Error} */ (e).message}`);
      }
    }
    case 'terminate':
      return ws.terminate(); // destroys the TCP socket: no close frame
    case 'go_silent':
      s.speaker.cancel(true);
      s.engine.stop();
      s.silent = true;
      /** @type {any} */ (ws)._socket?.pause(); // stop reading: no pongs, not even WebSocket-level ones
      return;
    case 'tone': {
      const { freq = 440, ms = 1000, amplitude = 0.3, paced = s.dialect === 'documented' } = msg;
      if (![freq, ms, amplitude].every((v) => typeof v === 'number' && Number.isFinite(v) && v >= 0) || ms > 60_000)
        return s.error('__test tone: freq, ms (≤ 60000) and amplitude must be non-negative numbers');
      void s.speaker.playRaw(sineTone(freq, ms, amplitude), Boolean(paced));
      return;
    }
    case 'stats':
      return s.send({
        type: '__test_stats',
        ...(msg.id !== undefined ? { id: msg.id } : {}),
        flow_id: s.flow.id,
        dialect: s.dialect,
        audio_bytes: s.stats.audioBytes,
        audio_frames: s.stats.audioFrames,
        odd_frames: s.stats.oddFrames,
        utterances: s.stats.utterances,
        ui_events: s.stats.uiEvents,
        messages: s.stats.messages,
        state: s.engine.state,
        ended: s.engine.ended,
        variables: s.engine.variables,
        // Mic audio since the last audio_mark: how much, over how long, the longest silence between frames.
        since_mark: {
          bytes: s.stats.sinceMark.bytes,
          frames: s.stats.sinceMark.frames,
          span_ms: s.stats.sinceMark.last - s.stats.sinceMark.first,
          max_gap_ms: s.stats.sinceMark.maxGap,
        },
      });
    case 'audio_mark':
      s.stats.sinceMark = { bytes: 0, frames: 0, first: 0, last: 0, maxGap: 0 };
      return;
    case 'tool_call': {
      if (typeof msg.tool !== 'string') return s.error('__test tool_call: "tool" must be a string');
      if (msg.args !== undefined && (typeof msg.args !== 'object' || msg.args === null || Array.isArray(msg.args)))
        return s.error('__test tool_call: "args" must be an object');
      const args = exampleArgs(s.engine.toolDef(msg.tool), s.engine.formFields(), msg.args ?? {});
      const result = s.runTool(msg.tool, args);
      if (!result.ok) s.error(result.error);
      return;
    }
    case 'utterance':
      return s.utterance('test hook');
    case 'network_outage': {
      const ms = msg.ms;
      if (!Number.isInteger(ms) || ms < 0 || ms > 60_000) return s.error('__test network_outage: "ms" must be an integer 0..60000');
      if (typeof (/** @type {any} */ (ws).outage) !== 'function') return s.error('__test network_outage: only for WebRTC sessions');
      return /** @type {any} */ (ws).outage(ms);
    }
    default:
      return s.error(
        `__test: unknown "do" ${JSON.stringify(msg.do)} (send_text, send_binary, close, terminate, go_silent, tone, stats, audio_mark, tool_call, utterance, network_outage)`,
      );
  }
}
