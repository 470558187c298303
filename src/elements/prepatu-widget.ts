import { LitElement, html, nothing, svg, type PropertyValues, type SVGTemplateResult, type TemplateResult } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import type { AgentState, VoiceAgent } from '../agent/voice-agent.js';
import { PrepatuError } from '../protocol/errors.js';
import type { JsonObject, OrbPosition } from '../protocol/messages.js';
import { onUnlessOff, recordMode } from './converters.js';
import { defineElement } from './define-element.js';
import type { PrepatuStatusEvent } from './events.js';
import { idleState } from './session-controller.js';
import type { PrepatuSession } from './prepatu-session.js';
import { DEFAULT_WIDGET_STRINGS, friendlyError, type WidgetStrings } from './widget/strings.js';
import { widgetStyles } from './widget/styles.js';

export { DEFAULT_WIDGET_STRINGS, type WidgetStrings } from './widget/strings.js';

export type WidgetPlacement = 'bottom-right' | 'bottom-left' | 'top-right' | 'top-left' | 'center-bottom' | 'inline';
/** What the visitor sees: derived from the session's status. */
export type WidgetPhase = 'idle' | 'connecting' | 'live' | 'ended' | 'error';

/** Where the launcher goes when the flow's `orb_layout` asks and the page did not choose. */
const FLOW_PLACEMENT: Record<OrbPosition, WidgetPlacement> = {
  bottom_right: 'bottom-right',
  top_right: 'top-right',
  center_bottom: 'center-bottom',
  bottom: 'center-bottom',
  center: 'center-bottom',
};

/** The panel was opened or closed (by the visitor, an attribute or a method). */
export class PrepatuWidgetToggleEvent extends CustomEvent<{ open: boolean }> {
  static readonly type = 'prepatu-widget-toggle';
  constructor(open: boolean) {
    super(PrepatuWidgetToggleEvent.type, { detail: { open }, bubbles: true, composed: true });
  }
}

const icon = (paths: SVGTemplateResult) => html`<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">${paths}</svg>`;
const MIC = svg`<path d="M12 3a3 3 0 0 0-3 3v6a3 3 0 0 0 6 0V6a3 3 0 0 0-3-3zM19 11a7 7 0 0 1-14 0M12 18v3" />`;
const CLOSE = svg`<path d="M6 6l12 12M18 6L6 18" />`;
const MIC_OFF = svg`${MIC}<path d="M4 4l16 16" />`;

/**
 * The drop-in voice widget: a floating launcher button that opens a panel with the agent's
 * orb, the transcript, the flow's artifact and the call controls. No iframe: it composes
 * `<prepatu-session>`, `<prepatu-orb>`, `<prepatu-transcript>` and `<prepatu-artifact>` in
 * its shadow root, isolated from the page's CSS. Every session event bubbles out of it.
 *
 * Problems are shown to the visitor in plain words (how to allow the microphone, a network
 * problem, the assistant unavailable); the technical `prepatu-error` still reaches the page.
 *
 * @tagname prepatu-widget
 * @summary Launcher + panel voice widget for any page, in one tag.
 *
 * @example
 * <prepatu-widget session-url="/api/start-session" program-id="onboarding" heading="Aria" subtitle="Setup assistant"></prepatu-widget>
 *
 * @csspart base - The fixed-position container of launcher and panel.
 * @csspart launcher - The round button that opens and closes the panel.
 * @csspart panel - The panel.
 * @csspart header - The panel's header (heading, subtitle, close button).
 * @csspart title - The heading.
 * @csspart subtitle - The line under the heading.
 * @csspart close - The panel's close button.
 * @csspart body - The scrolling middle (orb, status, transcript, artifact).
 * @csspart status - The status line.
 * @csspart intent - The label of the agent's last turn beside the orb ("Question", "Greeting"), from the server's `intent`; until the next turn (`intents="off"` hides it).
 * @csspart error - The visitor-facing error message.
 * @csspart network - "Your connection is slow", while the link is poor or stalled.
 * @csspart controls - The row of call buttons.
 * @csspart start - The start / start again / try again button.
 * @csspart mute - The microphone toggle.
 * @csspart end - The end-call button.
 * @csspart enable-sound - The "Tap to enable sound" button.
 *
 * @cssprop [--prepatu-accent=#4338ca] - Launcher and main buttons (dark scheme: #a5b4fc).
 * @cssprop [--prepatu-on-accent=#ffffff] - Text on the accent colour (dark scheme: #14161d).
 * @cssprop [--prepatu-bg=#ffffff] - Panel background (dark scheme: #1d1d21).
 * @cssprop [--prepatu-fg=#1b1b1f] - Text colour (dark scheme: #f1f1f4).
 * @cssprop [--prepatu-muted=#545459] - Secondary text (dark scheme: #c4c4cc).
 * @cssprop [--prepatu-surface=#eef0f4] - Secondary buttons, agent turns (dark scheme: #2a2d38).
 * @cssprop [--prepatu-error=#b3261e] - Errors and the end-call button (dark scheme: #ffb4ab).
 * @cssprop [--prepatu-focus-ring=#4338ca] - Focus outline.
 * @cssprop [--prepatu-radius=16px] - Corner radius of the panel.
 * @cssprop [--prepatu-font=system-ui, sans-serif] - Font family.
 * @cssprop [--prepatu-z-index=2147483000] - Stacking order of the floating widget.
 * @cssprop [--prepatu-launcher-size=56px] - Diameter of the launcher (at most 64px).
 * @cssprop [--prepatu-panel-width=360px] - Width of the panel (300px compact); full width under 480px.
 *
 * @fires {PrepatuWidgetToggleEvent} prepatu-widget-toggle - The panel opened or closed; `detail.open`.
 * @fires {PrepatuStatusEvent} prepatu-status - From the inner session, like every `prepatu-*` session event.
 * @fires {PrepatuErrorEvent} prepatu-error - From the inner session: the technical error behind a visitor-facing message.
 * @fires {PrepatuIntentEvent} prepatu-intent - From the inner session: the server labelled the agent's turn (`detail.text`), shown as the `intent` label.
 * @fires {PrepatuUiEvent} prepatu-ui-event - From the inner artifact: a user action about to be sent as `ui_event`; `preventDefault()` keeps it from the server.
 *
 * @attr metadata - JSON object passed to the session's backend (see `<prepatu-session>`).
 */
export class PrepatuWidget extends LitElement {
  /** Registers `<prepatu-widget>` (once; safe to call again). Register the inner elements too (`define.js` does). */
  static define(tag = 'prepatu-widget', registry: CustomElementRegistry = customElements): CustomElementConstructor {
    return defineElement(tag, this, registry);
  }

  static override styles = widgetStyles;

  /** PVP WebSocket URL (see `<prepatu-session ws-url>`). */
  @property({ attribute: 'ws-url' }) wsUrl = '';
  /** Your backend's session endpoint answering `{ws_url}` (see `<prepatu-session session-url>`). */
  @property({ attribute: 'session-url' }) sessionUrl = '';
  /** The flow (program) to run. */
  @property({ attribute: 'program-id' }) programId = '';
  /** `websocket` (default) or `webrtc`. */
  @property() transport: 'websocket' | 'webrtc' = 'websocket';
  /** SmallWebRTC base URL, for `transport="webrtc"`. */
  @property({ attribute: 'webrtc-url' }) webrtcUrl = '';
  /** Extra data for the backend: a JSON object string (the attribute) or an object. */
  @property() metadata: JsonObject | string | undefined = undefined;
  /** URL of your copy of `dist/prepatu-worklets.js`, same origin (strict CSP): the audio worklets and the socket worker. */
  @property({ attribute: 'worklet-url' }) workletUrl = '';
  /** Start calls with the microphone muted. */
  @property({ type: Boolean, attribute: 'start-muted' }) startMuted = false;
  /** Stop the agent's audio when the visitor talks over it (`barge-in="off"` disables). */
  @property({ attribute: 'barge-in', converter: onUnlessOff }) bargeIn = true;
  /** Keep a phone's screen on during a call (`keep-screen-on="off"` disables). */
  @property({ attribute: 'keep-screen-on', converter: onUnlessOff }) keepScreenOn = true;
  /** Text-only calls: no microphone, no playback. */
  @property({ type: Boolean, attribute: 'no-audio' }) noAudio = false;
  /** Keep a trace of each call for `exportTrace()` (`record`, or `record="audio"` with the audio); see `<prepatu-session record>`. */
  @property({ converter: recordMode }) record: boolean | 'audio' = false;
  /** Show the label of the agent's last turn beside the orb, when the server sends one (default on; `intents="off"` hides it). */
  @property({ attribute: 'intents', converter: onUnlessOff }) intents = true;

  /** Where the launcher sits; unset, the flow's `orb_layout` decides (default `bottom-right`). `inline` puts the panel in the page flow, always open. */
  @property({ reflect: true }) placement: WidgetPlacement | undefined = undefined;
  /** `expanded` (default: transcript and artifact) or `compact` (orb, artifact and controls). */
  @property() variant: 'expanded' | 'compact' = 'expanded';
  /** Same as `variant="compact"`. */
  @property({ type: Boolean }) compact = false;
  /** Colour scheme: `auto` (follows the visitor's system), `light` or `dark`. */
  @property() theme: 'auto' | 'light' | 'dark' = 'auto';
  /** Heading of the panel (default "Voice assistant"). */
  @property() heading = '';
  /** Line under the heading. */
  @property() subtitle = '';
  /** Whether the panel is open; reflected. */
  @property({ type: Boolean, reflect: true }) open = false;
  /** Label of the start button (overrides `strings.start`). */
  @property({ attribute: 'start-label' }) startLabel = '';
  /** Label of the end-call button (overrides `strings.end`). */
  @property({ attribute: 'end-label' }) endLabel = '';
  /** Texts, for translation; unspecified keys keep their English default. */
  @property({ attribute: false }) strings: Partial<WidgetStrings> = {};

  /** The parts of the session's state the widget shows. */
  @state() private _state: AgentState = idleState();

  @query('prepatu-session') private readonly _session!: PrepatuSession | null;
  @query('.launcher') private readonly _launcher!: HTMLButtonElement | null;

  #agent: VoiceAgent | null = null;
  #unsubscribe: (() => void) | null = null;
  #focusPanel = false;
  #focusLauncher = false;
  #focusControls = false;

  /** The inner `<prepatu-session>` (after the first render). */
  get session(): PrepatuSession | null {
    return this._session;
  }

  /** Where the launcher is shown: `placement`, else the flow's `orb_layout`, else `bottom-right`. */
  get shownPlacement(): WidgetPlacement {
    const flow = this._state.flow.orbPosition;
    return this.placement ?? (flow ? FLOW_PLACEMENT[flow] : 'bottom-right');
  }

  /** What the visitor sees. */
  get phase(): WidgetPhase {
    const { status, endReason } = this._state;
    if (status === 'error' || (status === 'ended' && endReason === 'error')) return 'error';
    if (status === 'listening' || status === 'speaking') return 'live';
    if (status === 'connecting' || status === 'connected') return 'connecting';
    return status;
  }

  /** Opens the panel. */
  show(): void {
    this.open = true;
  }

  /** Closes the panel (a call goes on). */
  hide(): void {
    this.open = false;
  }

  /** Opens or closes the panel. */
  toggle(): void {
    this.open = !this.open;
  }

  /** The current or last call's trace (with `record`); rejects like `<prepatu-session>.exportTrace()`. */
  exportTrace(): Promise<Blob> {
    return this._session?.exportTrace() ?? Promise.reject(new PrepatuError('no_trace', 'Nothing was recorded: set the record attribute and start a call first.'));
  }

  /** Opens the panel and starts a call; call it from a user gesture. Rejects like `<prepatu-session>.connect()`. */
  async connect(): Promise<void> {
    if (!this.isConnected) throw new PrepatuError('not_connected', 'Add <prepatu-widget> to the document before calling connect().');
    this.open = true;
    if (!this.hasUpdated) await this.updateComplete;
    await this.session!.connect();
  }

  /** Ends the call. */
  async disconnect(): Promise<void> {
    await this.session?.disconnect();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // Moved in the page: the session's call went on; follow it again.
    const session = this._session;
    if (session) {
      this.#take(session.state);
      this.#watch(session.agent);
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#watch(null);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (!changed.has('open') || changed.get('open') === undefined) return;
    const focused = this.shadowRoot?.activeElement;
    if (this.open) this.#focusPanel = true;
    else this.#focusLauncher = focused != null;
  }

  protected override render() {
    const s = this.#strings;
    const placement = this.shownPlacement;
    const inline = placement === 'inline';
    const open = inline || this.open;
    const compact = this.compact || this.variant === 'compact';
    const phase = this.phase;
    const theme = this.theme === 'light' || this.theme === 'dark' ? this.theme : '';
    return html`<div class="dock ${placement} ${theme}${open ? ' open' : ''}${compact ? ' compact' : ''}" part="base" @keydown=${this.#onKeydown}>
      <button
        class="launcher${phase === 'live' ? ' live' : ''}"
        part="launcher"
        aria-expanded=${open ? 'true' : 'false'}
        aria-controls="panel"
        aria-label=${open ? s.close : s.open}
        @click=${this.toggle}
      >
        ${icon(open ? CLOSE : MIC)}
      </button>
      <prepatu-session
        .wsUrl=${this.wsUrl}
        .sessionUrl=${this.sessionUrl}
        .programId=${this.programId}
        .transport=${this.transport}
        .webrtcUrl=${this.webrtcUrl}
        .workletUrl=${this.workletUrl}
        .startMuted=${this.startMuted}
        .bargeIn=${this.bargeIn}
        .keepScreenOn=${this.keepScreenOn}
        .noAudio=${this.noAudio}
        .record=${this.record}
        @prepatu-status=${this.#onStatus}
        @prepatu-flow-state=${this.#onStatus}
      >
        <section
          id="panel"
          class="panel"
          part="panel"
          role=${inline ? 'region' : 'dialog'}
          aria-labelledby="title"
          ?hidden=${!open}
        >
          <div class="header" part="header">
            <div class="heading">
              <h2 id="title" part="title">${this.heading || s.title}</h2>
              ${this.subtitle ? html`<p class="subtitle" part="subtitle">${this.subtitle}</p>` : nothing}
            </div>
            ${inline ? nothing : html`<button class="icon close" part="close" aria-label=${s.close} @click=${this.hide}>${icon(CLOSE)}</button>`}
          </div>
          <div class="body" part="body">
            <div class="stage">
              <prepatu-orb exportparts="orb,ring,core"></prepatu-orb>
              <div class="stage-text">
                <p class="status" part="status" role="status">${this.#statusText(phase, s)}</p>
                ${this.intents && phase === 'live' && this._state.intent
                  ? html`<span class="intent" part="intent">${this._state.intent}</span>`
                  : nothing}
              </div>
            </div>
            ${phase === 'live' && this._state.connectionQuality !== 'good'
              ? html`<p class="network" part="network" role="status">${s.slowConnection}</p>`
              : nothing}
            ${phase === 'error' ? html`<p class="error" part="error" role="alert">${friendlyError(this._state.lastError?.code, s)}</p>` : nothing}
            ${phase === 'live' && this._state.audioSuspended
              ? html`<button class="primary" part="enable-sound" @click=${this.#resume}>${s.enableSound}</button>`
              : nothing}
            ${compact ? nothing : html`<prepatu-transcript></prepatu-transcript>`}
            <prepatu-artifact></prepatu-artifact>
          </div>
          <div class="controls" part="controls">${this.#renderControls(phase, s)}</div>
        </section>
      </prepatu-session>
    </div>`;
  }

  #renderControls(phase: WidgetPhase, s: WidgetStrings): TemplateResult {
    const end = html`<button class="end" part="end" @click=${this.#end}>${this.endLabel || s.end}</button>`;
    switch (phase) {
      case 'live': {
        const muted = !this._state.micEnabled;
        return html`<button class="mute" part="mute" aria-pressed=${muted ? 'true' : 'false'} aria-label=${s.mute} @click=${this.#toggleMute}>
            ${icon(muted ? MIC_OFF : MIC)}</button
          >${end}`;
      }
      case 'connecting':
        return end;
      default: {
        const label = phase === 'error' ? s.retry : phase === 'ended' ? s.startAgain : this.startLabel || s.start;
        return html`<button class="primary" part="start" @click=${this.#start}>${label}</button>`;
      }
    }
  }

  #statusText(phase: WidgetPhase, s: WidgetStrings): string {
    const { status, micEnabled } = this._state;
    if (phase === 'live') return status === 'speaking' ? s.speaking : micEnabled ? s.listening : s.muted;
    return phase === 'error' ? '' : s[phase];
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('metadata')) this.#applyMetadata();
    if (changed.has('open') && changed.get('open') !== undefined) {
      // Built before dispatch so the manifest analyzer takes the @fires docs, not a guess.
      const event = new PrepatuWidgetToggleEvent(this.open);
      this.dispatchEvent(event);
    }
    const root = this.shadowRoot!;
    if (this.#focusPanel) {
      this.#focusPanel = false;
      (root.querySelector<HTMLElement>('.controls button') ?? root.querySelector<HTMLElement>('.close'))?.focus();
    } else if (this.#focusLauncher) {
      this.#focusLauncher = false;
      this._launcher?.focus();
    } else if (this.#focusControls && root.activeElement === null) {
      // The button the visitor pressed was replaced (Start → End): keep focus in the controls.
      root.querySelector<HTMLElement>('.controls button')?.focus();
    }
    this.#focusControls = false;
  }

  get #strings(): WidgetStrings {
    return { ...DEFAULT_WIDGET_STRINGS, ...this.strings };
  }

  #applyMetadata(): void {
    const session = this._session;
    if (!session) return;
    const m = this.metadata;
    if (typeof m === 'string') session.setAttribute('metadata', m);
    else {
      session.removeAttribute('metadata');
      session.metadata = m;
    }
  }

  #onStatus = (e: PrepatuStatusEvent | Event): void => {
    if (e.target !== this._session) return;
    this.#take(this._session!.state);
    this.#watch(this._session!.agent);
  };

  /** Follows the agent's own state (mute, suspended audio) between status changes. */
  #watch(agent: VoiceAgent | null): void {
    if (agent === this.#agent) return;
    this.#unsubscribe?.();
    this.#agent = agent;
    this.#unsubscribe = agent?.subscribe((s) => this.#take(s)) ?? null;
  }

  #take(s: AgentState): void {
    const p = this._state;
    // Levels change ~30 times a second; re-render only for what the widget shows.
    if (
      s.status !== p.status ||
      s.micEnabled !== p.micEnabled ||
      s.audioSuspended !== p.audioSuspended ||
      s.endReason !== p.endReason ||
      s.lastError !== p.lastError ||
      s.connectionQuality !== p.connectionQuality ||
      s.intent !== p.intent ||
      s.flow.orbPosition !== p.flow.orbPosition
    ) {
      this.#focusControls ||= this.shadowRoot?.activeElement?.closest('.controls') != null;
      this._state = s;
    }
  }

  #onKeydown = (e: KeyboardEvent): void => {
    if (e.key !== 'Escape' || e.defaultPrevented || !this.open || this.shownPlacement === 'inline') return;
    e.stopPropagation();
    this.hide();
  };

  #start = (): void => {
    this.#focusControls = true;
    // A failure shows in the panel (and reaches the page as prepatu-error).
    this.connect().catch(() => {});
  };

  #end = (): void => {
    this.#focusControls = true;
    void this.disconnect();
  };

  #toggleMute = (): void => {
    this.session?.setMicEnabled(!this._state.micEnabled);
  };

  #resume = (): void => {
    void this.session?.resume();
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'prepatu-widget': PrepatuWidget;
  }
  interface GlobalEventHandlersEventMap {
    'prepatu-widget-toggle': PrepatuWidgetToggleEvent;
  }
}
