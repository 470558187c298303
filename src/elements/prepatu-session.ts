import { provide } from '@lit/context';
import { LitElement, css, html, type PropertyValues } from 'lit';
import { property } from 'lit/decorators.js';
import { VoiceAgent, type AgentState, type VoiceAgentCallbacks, type VoiceAgentOptions } from '../agent/voice-agent.js';
import { PrepatuError } from '../protocol/errors.js';
import type { ClientMessage, JsonObject } from '../protocol/messages.js';
import { sessionContext, type SessionContextValue } from './context.js';
import { onUnlessOff, recordMode } from './converters.js';
import { defineElement } from './define-element.js';
import { PrepatuUiEvent } from './events.js';
import { SessionController } from './session-controller.js';

/** A ui_event is handled by the innermost session it reaches (sessions may nest). */
const claimed = new WeakSet<Event>();

/**
 * A voice session with a Prepatu agent. It has no UI of its own: put the parts you want
 * inside it (`<prepatu-orb>`, `<prepatu-transcript>`, `<prepatu-artifact>`), and they
 * render from the state it provides through context.
 *
 * Connects to `ws-url` directly, or first POSTs `{program_id, flow_id, metadata}` to your
 * own backend at `session-url` (which holds the API key) and connects to the `ws_url` it
 * answers. Call `connect()` from a user gesture so the browser lets audio start.
 *
 * @tagname prepatu-session
 * @summary One voice session; provides its state to the elements inside it.
 *
 * @example
 * <prepatu-session session-url="/api/start-session" program-id="onboarding">
 *   <prepatu-orb></prepatu-orb>
 *   <prepatu-transcript></prepatu-transcript>
 * </prepatu-session>
 * <script>startButton.onclick = () => document.querySelector('prepatu-session').connect();</script>
 *
 * @slot - The session's UI: any elements, typically orb, transcript and artifact.
 *
 * @fires {PrepatuStatusEvent} prepatu-status - On every status transition.
 * @fires {PrepatuMessageEvent} prepatu-message - For every server message (unknown types included).
 * @fires {PrepatuErrorEvent} prepatu-error - A problem that affects the session (connection, microphone, audio, auth, a server error); fatal ones are followed by status `error`, then `ended`.
 * @fires {PrepatuWarningEvent} prepatu-warning - The session went on past a problem: a server message read leniently (a field coerced or dropped) or dropped, an odd-length audio frame, a slow network.
 * @fires {PrepatuTranscriptEvent} prepatu-transcript - A transcript entry was added or updated.
 * @fires {PrepatuFlowStateEvent} prepatu-flow-state - The flow view (state, artifact, variables, filled fields) changed.
 * @fires {PrepatuVariableEvent} prepatu-variable - The server set a flow variable.
 * @fires {PrepatuFlowEndEvent} prepatu-flow-end - The flow finished.
 * @fires {PrepatuIntentEvent} prepatu-intent - The server labelled the agent's turn (`detail.text`, e.g. "Question"); also `state.intent` until the next agent turn starts.
 * @fires {PrepatuUnknownArtifactEvent} prepatu-unknown-artifact - The server sent an artifact type this version does not know.
 * @fires {PrepatuUiEvent} prepatu-ui-event - Bubbles up from a `<prepatu-artifact>` inside: a user action about to be sent as `ui_event`; `preventDefault()` keeps it from the server.
 * @fires {PrepatuNavigateEvent} prepatu-navigate - Bubbles up from a `<prepatu-artifact>` inside: the flow asks the page to show a screen (`detail.screen`, `params`, `options`); cancelable.
 *
 * @attr metadata - JSON object sent to `session-url` as `metadata` (flat values also go to WebRTC signalling); or set the `metadata` property.
 * @attr status - Read-only: the session status (`idle`, `connecting`, `connected`, `listening`, `speaking`, `error`, `ended`), for CSS.
 */
export class PrepatuSession extends LitElement {
  /** Registers `<prepatu-session>` (once; safe to call again). */
  static define(tag = 'prepatu-session', registry: CustomElementRegistry = customElements): CustomElementConstructor {
    return defineElement(tag, this, registry);
  }

  static override styles = css`
    :host {
      display: block;
    }
    :host([hidden]) {
      display: none;
    }
  `;

  /** PVP WebSocket URL to connect to directly (self-hosted, or a `ws_url` you already have); relative URLs resolve against the page (`/ws?…` → `ws://this-host/ws?…`). */
  @property({ attribute: 'ws-url' }) wsUrl = '';
  /** Your backend's endpoint that starts a session and answers `{ws_url}`; POSTed with same-origin credentials. */
  @property({ attribute: 'session-url' }) sessionUrl = '';
  /** The flow (program) to run. */
  @property({ attribute: 'program-id' }) programId = '';
  /** `websocket` (default) or `webrtc` (uses `webrtc-url`). */
  @property() transport: 'websocket' | 'webrtc' = 'websocket';
  /** Base URL of a SmallWebRTC endpoint, for `transport="webrtc"`. */
  @property({ attribute: 'webrtc-url' }) webrtcUrl = '';
  /** Extra data for the backend: a JSON object in the `metadata` attribute, or an object. */
  @property({ attribute: false }) metadata: JsonObject | undefined = undefined;
  /** Connect with the microphone muted. */
  @property({ type: Boolean, attribute: 'start-muted' }) startMuted = false;
  /**
   * URL of your copy of `dist/prepatu-worklets.js`, for sites whose CSP forbids `blob:`: it is the
   * audio worklet module and the socket worker's script (host it on the page's own origin: a
   * Worker script must be same-origin).
   */
  @property({ attribute: 'worklet-url' }) workletUrl = '';
  /** Text-only session: no microphone, no playback. */
  @property({ type: Boolean, attribute: 'no-audio' }) noAudio = false;
  /** Stop the agent's audio when the user talks over it (default on; `barge-in="off"` disables). */
  @property({ attribute: 'barge-in', converter: onUnlessOff }) bargeIn = true;
  /** Keep a phone's screen on during a voice session (default on; `keep-screen-on="off"` disables). */
  @property({ attribute: 'keep-screen-on', converter: onUnlessOff }) keepScreenOn = true;
  /**
   * Keep a trace of each session in memory for `exportTrace()`: `record` the messages (binary
   * frames as length only), `record="audio"` the audio too. Off by default. See docs/traces.md.
   */
  @property({ converter: recordMode }) record: boolean | 'audio' = false;
  /** Whether the microphone is muted; reflected as the `muted` attribute. */
  @property({ type: Boolean, reflect: true }) muted = false;

  #metadataError: string | null = null;
  #inputDevice: string | null = null;
  readonly #session = new SessionController(this, { onChange: (state) => this.#onState(state) });

  /** What descendants render from. */
  @provide({ context: sessionContext })
  protected sessionContext: SessionContextValue = { state: this.#session.state, agent: null };

  constructor() {
    super();
    this.addEventListener(PrepatuUiEvent.type, (e) => this.#onUiEvent(e));
  }

  /** The session status; also the read-only `status` attribute. */
  get status(): AgentState['status'] {
    return this.#session.state.status;
  }
  /** The agent's whole state snapshot. */
  get state(): AgentState {
    return this.#session.state;
  }
  /** The `VoiceAgent` of the current (or last) run; `null` before `connect()`. */
  get agent(): VoiceAgent | null {
    return this.#session.agent;
  }

  /**
   * Starts the session (ending any previous one). Call it from a user gesture.
   * Rejects with a `PrepatuError`, which is also dispatched as `prepatu-error`.
   */
  connect(): Promise<void> {
    if (this.startMuted) this.#session.setMicEnabled(false);
    return this.#session.connect((callbacks, signal) => this.#createAgent(callbacks, signal));
  }

  /** Ends the session: releases the microphone, audio and connection. */
  disconnect(): Promise<void> {
    return this.#session.disconnect();
  }

  setMicEnabled(enabled: boolean): void {
    this.#session.setMicEnabled(enabled);
  }

  /**
   * Voice on or off on the live session (the flow does not restart): on starts the microphone and
   * playback (call it from a user gesture), off goes on in text. Before a session, it sets `no-audio`.
   * Rejects with the microphone's `PrepatuError` (also a `prepatu-error`) when voice cannot start;
   * the session then stays in text.
   */
  async setAudioEnabled(enabled: boolean): Promise<void> {
    const agent = this.agent;
    if (!agent || !this.#session.active) {
      this.noAudio = !enabled;
      return;
    }
    await agent.setAudioEnabled(enabled);
    this.noAudio = !enabled;
  }

  /** Switches the microphone during the session (or for the next one); `null` follows the system default. */
  async setInputDevice(deviceId: string | null): Promise<void> {
    this.#inputDevice = deviceId;
    await this.agent?.setInputDevice(deviceId);
  }

  /** Sends a PVP message (`ping`, `config`, `ui_event`); throws a `PrepatuError` when not connected. */
  sendMessage(message: ClientMessage): void {
    if (!this.agent) throw new PrepatuError('not_connected', 'Cannot send: the session is not connected.');
    this.agent.sendMessage(message);
  }

  /**
   * The current or last session's trace (with `record`), a JSONL `Blob` for
   * `prepatu-dev-server --replay`. Rejects with a `no_trace` `PrepatuError` when nothing was recorded.
   */
  exportTrace(): Promise<Blob> {
    if (!this.agent) return Promise.reject(new PrepatuError('no_trace', 'Nothing was recorded: set the record attribute and connect first.'));
    return this.agent.exportTrace();
  }

  /** Silences the agent now and drops queued audio. */
  interrupt(): void {
    this.agent?.interrupt();
  }

  /** Resumes audio the browser suspended; call from a user gesture. */
  resume(): Promise<void> {
    return this.agent?.resume() ?? Promise.resolve();
  }

  static override get observedAttributes(): string[] {
    return [...super.observedAttributes, 'status', 'metadata'];
  }

  override attributeChangedCallback(name: string, old: string | null, value: string | null): void {
    // `status` is an output: put back whatever a page writes into it.
    if (name === 'status') {
      if (value !== this.status) this.setAttribute('status', this.status);
      return;
    }
    if (name === 'metadata') {
      this.#metadataError = null;
      this.metadata = undefined;
      if (value === null || !value.trim()) return;
      try {
        const parsed: unknown = JSON.parse(value);
        if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) this.metadata = parsed as JsonObject;
        else this.#metadataError = value;
      } catch {
        // Reported by connect(), where the page can catch it; a parser throw here would be lost.
        this.#metadataError = value;
      }
      return;
    }
    super.attributeChangedCallback(name, old, value);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.getAttribute('status') !== this.status) this.setAttribute('status', this.status);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    // A page (or the attribute) changed `muted`: apply it to the microphone.
    if (changed.has('muted') && this.muted === this.#session.state.micEnabled) this.#session.setMicEnabled(!this.muted);
  }

  protected override render() {
    return html`<slot></slot>`;
  }

  #onState(state: AgentState): void {
    this.sessionContext = { state, agent: this.#session.agent };
    this.muted = !state.micEnabled;
    if (this.getAttribute('status') !== state.status) this.setAttribute('status', state.status);
  }

  #onUiEvent(event: PrepatuUiEvent): void {
    if (claimed.has(event)) return;
    claimed.add(event);
    // Dispatch is synchronous: by the next microtask every listener, the page's included,
    // has run, and `preventDefault()` has had its chance.
    queueMicrotask(() => {
      if (!event.defaultPrevented) this.#session.sendUiEvent(event.detail);
    });
  }

  async #createAgent(callbacks: VoiceAgentCallbacks, signal: AbortSignal): Promise<VoiceAgent> {
    const metadata = this.metadata;
    if (this.#metadataError !== null)
      throw new PrepatuError('session_start_failed', `The metadata attribute of <prepatu-session> is not a JSON object: ${this.#metadataError}`);
    const options: VoiceAgentOptions = {
      ...callbacks,
      startMuted: !this.#session.state.micEnabled,
      bargeIn: { enabled: this.bargeIn },
      keepScreenOn: this.keepScreenOn,
      ...(this.record ? { record: this.record } : {}),
      ...(this.noAudio ? { audio: false } : {}),
      ...(this.#inputDevice ? { inputDeviceId: this.#inputDevice } : {}),
      ...(this.workletUrl ? { workletUrl: this.workletUrl } : {}),
    };
    if (this.transport === 'webrtc') {
      if (!this.webrtcUrl) throw new PrepatuError('connection_failed', '<prepatu-session transport="webrtc"> needs a webrtc-url attribute.');
      const meta: Record<string, string | number | boolean> = {};
      // SmallWebRTC sends metadata as the offer's query string: flat values only.
      for (const [k, v] of Object.entries(metadata ?? {})) if (v !== null && typeof v !== 'object') meta[k] = v;
      if (this.programId) meta['program_id'] = this.programId;
      return VoiceAgent.withWebRTC({ baseUrl: this.webrtcUrl, metadata: meta }, options);
    }
    let url = this.wsUrl && resolveWsUrl(this.wsUrl);
    if (!url && this.sessionUrl) url = resolveWsUrl(await startSession(this.sessionUrl, this.programId, metadata, signal));
    else if (url && this.programId) url = withProgramId(url, this.programId);
    if (!url) throw new PrepatuError('connection_failed', '<prepatu-session> needs a ws-url or session-url attribute to connect.');
    return VoiceAgent.withWebSocket({ url, ...(this.workletUrl ? { workerUrl: this.workletUrl } : {}) }, options);
  }
}

/** `/ws?…` or `https://host/ws` → `ws(s)://host/ws?…`, relative to the page. */
function resolveWsUrl(url: string): string {
  try {
    const u = new URL(url, document.baseURI);
    if (u.protocol === 'http:' || u.protocol === 'https:') u.protocol = u.protocol === 'https:' ? 'wss:' : 'ws:';
    return u.toString();
  } catch {
    return url; // the transport reports the bad URL
  }
}

/** Adds `program_id` to a self-hosted URL that does not name one. */
function withProgramId(url: string, programId: string): string {
  try {
    const u = new URL(url);
    if (u.searchParams.has('program_id')) return url;
    u.searchParams.set('program_id', programId);
    return u.toString();
  } catch {
    return url; // the transport reports the bad URL
  }
}

/** POSTs to the site's own backend (which holds the API key) and returns the `ws_url` it answers. */
async function startSession(sessionUrl: string, programId: string, metadata: JsonObject | undefined, signal: AbortSignal): Promise<string> {
  // `flow_id` too: it is what the cloud's POST /v1/sessions takes, so a backend may forward the body as is.
  const body: JsonObject = {};
  if (programId) body['program_id'] = body['flow_id'] = programId;
  if (metadata) body['metadata'] = metadata;
  let res: Response;
  try {
    res = await fetch(sessionUrl, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify(body),
      signal,
    });
  } catch (cause) {
    if (signal.aborted) throw new PrepatuError('aborted', 'The session was disconnected while it was starting.');
    throw new PrepatuError('session_start_failed', `Could not reach the session endpoint ${sessionUrl}: ${(cause as Error)?.message ?? cause}`, { url: sessionUrl }, { cause });
  }
  const text = await res.text().catch(() => '');
  if (!res.ok)
    throw new PrepatuError('session_start_failed', `The session endpoint ${sessionUrl} answered HTTP ${res.status}${text ? `: ${text.slice(0, 200)}` : ''}.`, {
      url: sessionUrl,
      status: res.status,
    });
  let wsUrl: unknown;
  try {
    wsUrl = (JSON.parse(text) as { ws_url?: unknown })?.ws_url;
  } catch {
    // reported below
  }
  if (typeof wsUrl !== 'string' || !wsUrl)
    throw new PrepatuError('session_start_failed', `The session endpoint ${sessionUrl} did not answer a JSON object with a "ws_url" string.`, {
      url: sessionUrl,
      status: res.status,
    });
  return wsUrl;
}

declare global {
  interface HTMLElementTagNameMap {
    'prepatu-session': PrepatuSession;
  }
}
