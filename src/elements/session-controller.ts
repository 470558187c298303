import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { AgentState, TranscriptEntry, VoiceAgent, VoiceAgentCallbacks } from '../agent/voice-agent.js';
import { PrepatuError } from '../protocol/errors.js';
import { EMPTY_FLOW_VIEW } from '../protocol/flow-view.js';
import type { ServerMessage, UiEventMessage } from '../protocol/messages.js';
import {
  PrepatuErrorEvent,
  PrepatuFlowEndEvent,
  PrepatuFlowStateEvent,
  PrepatuIntentEvent,
  PrepatuMessageEvent,
  PrepatuStatusEvent,
  PrepatuTranscriptEvent,
  PrepatuUnknownArtifactEvent,
  PrepatuVariableEvent,
  PrepatuWarningEvent,
  type UiEventDetail,
} from './events.js';

/** The state of a session that was never connected. */
export const idleState = (micEnabled = true): AgentState =>
  Object.freeze({
    status: 'idle',
    micEnabled,
    flow: EMPTY_FLOW_VIEW,
    transcript: [],
    levels: Object.freeze({ input: 0, output: 0 }),
    rtt: null,
    connectionQuality: 'good',
    audioSuspended: false,
    endReason: null,
    lastError: null,
    lastWarning: null,
    audioEnabled: true,
    inputDeviceId: null,
    intent: null,
  });

/**
 * Builds the agent for one connect run. It may do async work first (ask the site's
 * backend for a session URL) and must honour `signal`. It must pass `callbacks` on to
 * the agent so the controller hears messages and errors.
 */
export type AgentFactory = (callbacks: VoiceAgentCallbacks, signal: AbortSignal) => VoiceAgent | Promise<VoiceAgent>;

export const toPrepatuError = (e: unknown, code: PrepatuError['code'] = 'connection_failed'): PrepatuError =>
  e instanceof PrepatuError ? e : new PrepatuError(code, String((e as Error)?.message ?? e), {}, { cause: e });

/**
 * Owns one `VoiceAgent` for an element: creates it on `connect()`, mirrors its state
 * snapshot into `state` (requesting a host update on every change) and re-dispatches what
 * happens as the typed `prepatu-*` events on the host. Ends the session when the host
 * leaves the document for good (not when it is merely moved).
 */
export class SessionController implements ReactiveController {
  /** The current agent; `null` before the first `connect()` (or while its URL is being fetched). */
  agent: VoiceAgent | null = null;
  /** The latest snapshot; before any agent exists, a synthesized one (idle/connecting/ended). */
  state: AgentState;

  readonly #host: ReactiveControllerHost & HTMLElement;
  readonly #onChange: (state: AgentState) => void;
  #abort: AbortController | null = null;
  #unsubscribe: (() => void) | null = null;

  constructor(host: ReactiveControllerHost & HTMLElement, options: { onChange?: (state: AgentState) => void } = {}) {
    this.#host = host;
    this.#onChange = options.onChange ?? (() => {});
    this.state = idleState();
    host.addController(this);
  }

  hostConnected(): void {}

  hostDisconnected(): void {
    // A move (remove + append in one task) disconnects and reconnects synchronously; only
    // a host still detached once the current task's script has run is really gone.
    queueMicrotask(() => {
      if (!this.#host.isConnected) void this.disconnect();
    });
  }

  /** Whether a run is under way (connecting or connected). */
  get active(): boolean {
    return this.#abort !== null;
  }

  /**
   * Starts a new run (ending any previous one). Resolves once connected; rejects with a
   * `PrepatuError` that has also been dispatched as `prepatu-error` (unless it is the
   * `aborted` of a run that `disconnect()` cancelled).
   */
  async connect(create: AgentFactory): Promise<void> {
    this.#detachAgent('client');
    const abort = new AbortController();
    this.#abort = abort;
    this.#apply({ ...idleState(this.state.micEnabled), status: 'connecting' });
    let agent: VoiceAgent;
    try {
      agent = await create(
        {
          onMessage: (m) => this.#abort === abort && this.#onMessage(m),
          onError: (e) => this.#abort === abort && this.#dispatch(new PrepatuErrorEvent(e)),
          onWarning: (w) => this.#abort === abort && this.#dispatch(new PrepatuWarningEvent(w)),
        },
        abort.signal,
      );
      if (abort.signal.aborted) throw new PrepatuError('aborted', 'The session was disconnected while it was starting.');
    } catch (e) {
      const error = toPrepatuError(e, 'session_start_failed');
      if (this.#abort === abort) {
        this.#abort = null;
        this.#dispatch(new PrepatuErrorEvent(error));
        this.#apply({ ...this.state, status: 'error', lastError: error });
        this.#apply({ ...this.state, status: 'ended', endReason: 'error' });
      }
      throw error;
    }
    agent.setMicEnabled(this.state.micEnabled);
    this.agent = agent;
    this.#unsubscribe = agent.subscribe((s) => {
      // The agent ended by itself (server, error, lost connection): this run is over.
      if (s.status === 'ended' && this.#abort === abort) this.#abort = null;
      this.#apply(s);
    });
    await agent.connect(abort.signal);
  }

  /** Ends the session: closes the transport, stops the microphone, closes audio, clears timers. */
  async disconnect(): Promise<void> {
    const abort = this.#abort;
    const agent = this.agent;
    if (!abort) return;
    this.#abort = null;
    // The agent first: once it has let go, aborting the run is not reported as a failure.
    const ended = agent?.disconnect();
    abort.abort();
    // Still asking the backend for a session URL: there is no agent to report the end.
    if (!agent) this.#apply({ ...this.state, status: 'ended', endReason: 'client' });
    await ended;
  }

  setMicEnabled(enabled: boolean): void {
    if (this.agent) this.agent.setMicEnabled(enabled);
    else if (enabled !== this.state.micEnabled) this.#apply({ ...this.state, micEnabled: enabled });
  }

  /** Sends a `ui_event` (flow id from `detail`, else the current flow). Errors become `prepatu-error`. */
  sendUiEvent(detail: UiEventDetail): boolean {
    const flowId = detail.flow_id ?? this.state.flow.flowId;
    const message: UiEventMessage = { type: 'ui_event', action: detail.action, data: detail.data };
    if (flowId) message.flow_id = flowId;
    try {
      if (!this.agent || !this.#abort) throw new PrepatuError('not_connected', `Cannot send the "${detail.action}" action: the session is not connected.`);
      this.agent.sendMessage(message);
      return true;
    } catch (e) {
      this.#dispatch(new PrepatuErrorEvent(toPrepatuError(e)));
      return false;
    }
  }

  /** Stops listening to the current agent (ending it if still running). */
  #detachAgent(reason: 'client'): void {
    const agent = this.agent;
    const wasActive = this.#abort !== null;
    this.#abort?.abort();
    this.#abort = null;
    this.#unsubscribe?.();
    this.#unsubscribe = null;
    this.agent = null;
    if (agent) void agent.disconnect();
    if (wasActive) this.#apply({ ...this.state, status: 'ended', endReason: reason, levels: idleState().levels });
  }

  #apply(next: AgentState): void {
    const prev = this.state;
    if (next === prev) return;
    this.state = next;
    this.#onChange(next);
    this.#host.requestUpdate();
    if (next.status !== prev.status) this.#dispatch(new PrepatuStatusEvent(next.status, next));
    if (next.transcript !== prev.transcript) {
      const before = new Map(prev.transcript.map((t) => [t.id, t]));
      const changed: TranscriptEntry[] = next.transcript.filter((t) => before.get(t.id)?.text !== t.text || before.get(t.id)?.role !== t.role);
      for (const entry of changed) this.#dispatch(new PrepatuTranscriptEvent(entry, next.transcript));
    }
    if (next.flow !== prev.flow && next.status !== 'connecting') this.#dispatch(new PrepatuFlowStateEvent(next.flow));
  }

  #onMessage(message: ServerMessage): void {
    this.#dispatch(new PrepatuMessageEvent(message));
    const flow = this.agent?.state.flow ?? this.state.flow;
    switch (message.type) {
      case 'flow_variable':
        this.#dispatch(new PrepatuVariableEvent(message.key, message.value, flow.variables));
        break;
      case 'flow_end':
        this.#dispatch(new PrepatuFlowEndEvent(message.reason ?? 'completed', message.variables));
        break;
      case 'intent':
        this.#dispatch(new PrepatuIntentEvent(message.text));
        break;
      case 'artifact':
        // A state's own unknown artifact (in `flow_state`) is reported by <prepatu-artifact>,
        // which would have rendered it; a mid-state one never reaches the flow view.
        if (message.artifact.artifact_type === 'unknown') this.#dispatch(new PrepatuUnknownArtifactEvent(message.artifact));
        break;
    }
  }

  #dispatch(event: Event): void {
    this.#host.dispatchEvent(event);
  }
}
