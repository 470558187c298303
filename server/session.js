// @ts-check
/**
 * One PVP session over one WebSocket: reads client messages and microphone
 * audio, runs the flow engine, and speaks for the simulated agent.
 */
import { randomUUID } from 'node:crypto';
import { WebSocket } from 'ws';
import { choiceOptions, chosenTool, endNavigation, scoreCard } from './agent-artifacts.js';
import { autoCallTool, entryLine, intentLabel, missingFieldsLine, nextToolCall, replyLine, speechCue, submitToolCall, userLine } from './agent-sim.js';
import { fieldUpdateMessage, openingMessages, stateEntryMessage } from './dialect.js';
import { exampleArgs } from './examples.js';
import { FlowEngine } from './flow-engine.js';
import { Speaker } from './speaker.js';
import { handleTestHook } from './test-hooks.js';
import { EnergyVad } from './vad.js';

/** @typedef {import('./types.js').Flow} Flow */
/** @typedef {import('./types.js').Dialect} Dialect */
/** @typedef {import('./flow-engine.js').EngineEvent} EngineEvent */

const MAX_RECORDED_MESSAGES = 1000;

/** @param {unknown} v @returns {v is Record<string, any>} */
const isObject = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * @typedef {object} SessionOptions
 * @property {Flow} flow
 * @property {Dialect} dialect
 * @property {boolean} testHooks
 * @property {boolean} [agentArtifacts] the simulated agent also sends model-driven artifacts (agent-artifacts.js)
 * @property {(text: string) => Promise<Int16Array>} synthesize
 * @property {number} vadThreshold
 * @property {(msg: string) => void} log
 * @property {string} id for the log
 */

export class Session {
  /**
   * @param {WebSocket} ws
   * @param {SessionOptions} o
   */
  constructor(ws, o) {
    this.ws = ws;
    this.flow = o.flow;
    this.dialect = o.dialect;
    this.testHooks = o.testHooks;
    this.log = (/** @type {string} */ m) => o.log(`[${o.id} ${o.flow.id}] ${m}`);
    /** go_silent test hook: send nothing more, read nothing more */
    this.silent = false;
    this.closed = false;
    /** how many states were entered (reference artifact ids, stale-callback checks) */
    this.entries = 0;
    this.fieldUpdates = 0;
    this.agentArtifacts = o.agentArtifacts ?? false;
    /** model-made option lists and score cards sent (agent-artifacts.js varies their shapes by count) */
    this.sent = { options: 0, scores: 0 };
    /** @type {Map<string, string>|null} the model-made options on screen: choice → tool */
    this.choices = null;
    this.stats = {
      audioBytes: 0,
      audioFrames: 0,
      oddFrames: 0,
      utterances: 0,
      /** @type {{action: string, data: Record<string, unknown>}[]} */
      uiEvents: [],
      /** @type {unknown[]} */
      messages: [],
      /** mic audio since the last `audio_mark` hook: arrival times on this server's clock */
      sinceMark: { bytes: 0, frames: 0, first: 0, last: 0, maxGap: 0 },
    };
    this.speaker = new Speaker({
      send: (m) => this.send(m),
      sendFrame: (f) => this.sendFrame(f),
      paced: o.dialect === 'documented',
      isFinal: o.dialect === 'reference',
      synthesize: o.synthesize,
      // The reference IntentObserver labels each agent turn once the bot stops speaking.
      onTurnEnd: o.dialect === 'reference' ? (text) => this.send({ type: 'intent', text: intentLabel(text) }) : undefined,
    });
    this.vad = new EnergyVad({ threshold: o.vadThreshold, onUtterance: (u) => this.utterance(`VAD, ${u.durationMs} ms of speech`) });
    this.engine = new FlowEngine(o.flow, { onEvent: (e) => this.onEngineEvent(e), log: this.log });

    ws.on('message', (data, isBinary) => {
      if (this.silent) return;
      const buf = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
      if (isBinary) this.onAudio(buf);
      else this.onText(buf.toString('utf8'));
    });
    ws.on('close', (code) => {
      this.closed = true;
      this.speaker.cancel(true);
      this.engine.stop();
      this.log(`closed (${code}); mic audio: ${this.stats.audioBytes} bytes in ${this.stats.audioFrames} frames (${this.stats.oddFrames} odd)`);
    });
    ws.on('error', (err) => this.log(`socket error: ${err.message}`));
  }

  start() {
    this.log(`connected (dialect ${this.dialect})`);
    for (const m of openingMessages(this.dialect)) this.send(m);
    this.engine.start();
  }

  /** @param {Record<string, unknown>} msg */
  send(msg) {
    if (this.silent || this.ws.readyState !== WebSocket.OPEN) return;
    this.ws.send(JSON.stringify(msg));
  }

  /** @param {Buffer} frame @returns {boolean} false when the socket is gone */
  sendFrame(frame) {
    if (this.silent || this.ws.readyState !== WebSocket.OPEN) return false;
    this.ws.send(frame, { binary: true });
    return true;
  }

  /** @param {string} message */
  error(message) {
    this.log(`error → client: ${message}`);
    this.send({ type: 'error', message });
  }

  // ------------------------------------------------------------ flow events

  /** @param {EngineEvent} e */
  onEngineEvent(e) {
    const flowId = this.flow.id;
    switch (e.type) {
      case 'enter': {
        this.speaker.cancel();
        this.choices = null;
        const entry = ++this.entries;
        this.log(`state ${e.state}${e.terminal ? ' (terminal)' : ''}`);
        const msg = stateEntryMessage(this.dialect, {
          flowId,
          state: e.state,
          artifact: e.artifact,
          variables: { ...this.engine.variables },
          actions: this.engine.availableActions(),
          entry,
        });
        if (msg) this.send(msg);
        this.afterEnter(entry, e.terminal).catch((err) => this.log(`speech failed: ${err?.message ?? err}`));
        break;
      }
      case 'variable':
        this.log(`variable ${e.key} = ${JSON.stringify(e.value)}`);
        this.send({ type: 'flow_variable', flow_id: flowId, key: e.key, value: /** @type {any} */ (e.value) });
        if (e.field) this.send(fieldUpdateMessage(this.dialect, e.key, e.value, ++this.fieldUpdates));
        break;
      case 'field':
        this.send(fieldUpdateMessage(this.dialect, e.key, e.value, ++this.fieldUpdates));
        break;
      case 'blocked':
        this.log(`transition ${e.from_state} → ${e.attempted_target} blocked: ${e.detail}`);
        if (this.dialect === 'reference')
          this.send({
            type: 'transition_blocked',
            flow_id: flowId,
            from_state: e.from_state,
            attempted_target: e.attempted_target,
            reason: 'pending_confirmation',
            detail: e.detail,
            variables: /** @type {any} */ (e.variables),
          });
        break;
      case 'emit':
        this.log(`emit ${e.event}`);
        break;
      case 'end': {
        this.speaker.cancel(true);
        this.log(`flow ended (${e.reason}) ${JSON.stringify(e.variables)}`);
        const nav = this.agentArtifacts && e.reason === 'completed' ? endNavigation(this.engine, e.variables) : null;
        if (nav) this.send(nav);
        if (this.dialect === 'documented') {
          this.send({ type: 'flow_end', flow_id: flowId, reason: e.reason, variables: /** @type {any} */ (e.variables) });
          this.send({ type: 'status', status: 'ended' });
          if (!this.silent && this.ws.readyState === WebSocket.OPEN) this.ws.close(1000, 'flow completed');
        }
        break;
      }
    }
  }

  /**
   * Speaks the state's line; then ends a terminal state's flow, or calls the
   * tool the prompt says to call immediately.
   * @param {number} entry
   * @param {boolean} terminal
   */
  async afterEnter(entry, terminal) {
    const line = entryLine(this.engine);
    const spoke = line ? await this.say(line) : true;
    if (entry !== this.entries || this.closed || this.engine.ended) return;
    if (terminal) {
      await this.speaker.whenIdle();
      if (entry === this.entries && !this.closed) this.engine.end('completed');
      return;
    }
    const tool = spoke ? autoCallTool(this.engine) : null;
    if (tool) return void this.runTool(tool, exampleArgs(this.engine.toolDef(tool), this.engine.formFields()));
    const options = spoke && this.agentArtifacts ? choiceOptions(this.engine, this.sent.options + 1) : null;
    if (options) {
      this.sent.options++;
      this.choices = options.tools;
      this.send(options.message);
    }
  }

  // ------------------------------------------------------- simulated agent

  /**
   * The agent says something (cancelling what it was saying).
   * @param {string} line
   * @returns {Promise<boolean>} true when all of it was sent
   */
  say(line) {
    return this.speaker.speak(line).catch((err) => {
      this.log(`speech failed: ${err?.message ?? err}`);
      return false;
    });
  }

  /**
   * The simulated agent calls a tool; it answers when the flow stays put.
   * @param {string} tool
   * @param {Record<string, unknown>} args
   */
  runTool(tool, args) {
    this.log(`tool call ${tool}(${JSON.stringify(args)})`);
    const entry = this.entries;
    const result = this.engine.callTool(tool, args);
    if (!result.ok) return result;
    const line = entry === this.entries && !this.engine.ended ? replyLine(this.engine, result) : null;
    if (line) void this.say(line);
    return result;
  }

  /**
   * A detected user utterance: "understood" as the state's next useful tool
   * call (understanding is simulated: there is no speech recognition).
   * @param {string} why
   */
  utterance(why) {
    this.stats.utterances++;
    if (this.engine.ended) return this.log(`utterance (${why}) after the flow ended: ignored`);
    const call = nextToolCall(this.engine);
    this.log(`utterance (${why}) → ${call ? call.tool : 'no tool to call'}`);
    this.send({ type: 'transcript', id: randomUUID(), role: 'user', text: userLine(call), ...(this.dialect === 'reference' ? { is_final: true } : {}) });
    const result = call ? this.runTool(call.tool, call.args) : null;
    // An answer the flow only records (no form, no options): the agent rates it.
    const ui = this.engine.stateDef().ui?.artifact_type;
    if (this.agentArtifacts && result?.ok && result.outcome === 'stay' && ui !== 'form' && ui !== 'options')
      this.send(scoreCard(++this.sent.scores));
  }

  // ------------------------------------------------------- client messages

  /** @param {Buffer} buf */
  onAudio(buf) {
    this.stats.audioBytes += buf.length;
    this.stats.audioFrames++;
    const mark = this.stats.sinceMark;
    const now = performance.now();
    if (mark.frames > 0) mark.maxGap = Math.max(mark.maxGap, now - mark.last);
    else mark.first = now;
    mark.last = now;
    mark.frames++;
    mark.bytes += buf.length;
    if (buf.length % 2 !== 0) {
      this.stats.oddFrames++;
      return;
    }
    if (this.engine.ended) return;
    if (this.speaker.isBusy()) {
      this.vad.reset(); // half-duplex: the agent is talking
      return;
    }
    this.vad.push(buf);
  }

  /** @param {string} text */
  onText(text) {
    let msg;
    try {
      msg = JSON.parse(text);
    } catch {
      return this.error('invalid JSON');
    }
    if (this.stats.messages.length < MAX_RECORDED_MESSAGES) this.stats.messages.push(msg);
    const lenient = this.dialect === 'reference';
    if (!isObject(msg)) return lenient ? this.log('ignored a non-object message') : this.error('a PVP message must be a JSON object');
    if (typeof msg.type !== 'string')
      return lenient ? this.log('ignored a message without a type') : this.error('a PVP message needs a string "type"');
    switch (msg.type) {
      case 'ping':
        if (typeof msg.ts !== 'number' || !Number.isFinite(msg.ts)) return this.error('ping: "ts" must be a number');
        return this.send({ type: 'pong', ts: msg.ts, server_ts: Date.now() });
      case 'config':
        return this.onConfig(msg);
      case 'ui_event':
        return this.onUiEvent(msg);
      case '__test':
        if (this.testHooks) return handleTestHook(this, msg);
      // falls through: without --test-hooks it is an unknown type
      default:
        if (lenient) return this.log(`ignored unknown message type "${msg.type}"`);
        return this.error(`unknown message type "${msg.type}"`);
    }
  }

  /** @param {Record<string, any>} msg */
  onConfig(msg) {
    const { sample_rate: rate, channels } = msg;
    if (typeof rate !== 'number' || !(rate > 0) || typeof channels !== 'number' || !(channels >= 1))
      return this.error('config: "sample_rate" and "channels" must be positive numbers');
    if (rate !== 16_000 || channels !== 1) this.log(`client audio is ${rate} Hz × ${channels} (PVP default: 16000 Hz mono)`);
    this.vad.setSampleRate(rate * channels);
  }

  /** @param {Record<string, any>} msg */
  onUiEvent(msg) {
    const { action, data = {} } = msg;
    if (typeof action !== 'string' || !action) return this.error('ui_event: "action" must be a non-empty string');
    if (data !== null && !isObject(data)) return this.error('ui_event: "data" must be an object');
    if (msg.flow_id !== undefined && typeof msg.flow_id !== 'string') return this.error('ui_event: "flow_id" must be a string');
    const fields = data ?? {};
    this.stats.uiEvents.push({ action, data: fields });
    this.log(`ui_event ${action} ${JSON.stringify(fields)}`);
    const result = this.engine.uiEvent(action, fields);
    if (!result.ok) return this.error(result.error);
    if (result.outcome === 'validation') {
      this.log(`form validation error, missing: ${JSON.stringify(fields.missing_fields ?? [])}`);
      return void this.say(missingFieldsLine(this.engine, fields.missing_fields));
    }
    if (result.outcome === 'unmapped') return this.unmappedUiEvent(action, fields);
    const line = replyLine(this.engine, result);
    if (line) void this.say(line);
  }

  /**
   * A ui_event the state does not map. The reference engine stores its data and stops there;
   * a real agent then notices the values. The simulated one reacts to a submitted form or a
   * picked option: it calls the tool that moves the state on with those values (or asks for
   * what a form still lacks); a pick among its own model-made options calls that option's tool.
   * @param {string} action
   * @param {Record<string, unknown>} data
   */
  unmappedUiEvent(action, data) {
    const own = action === 'option_select' && this.choices ? chosenTool(this.choices, data.selected_id) : null;
    if (own) return void this.runTool(own, {});
    if (action !== 'form_submit' && action !== 'option_select') return;
    const call = submitToolCall(this.engine, Object.keys(data));
    if (call) return void this.runTool(call.tool, call.args);
    if (action === 'form_submit' && this.engine.formFields().length) void this.say(speechCue(this.engine));
  }
}
