import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import type { AgentState } from '../agent/voice-agent.js';
import { PrepatuError } from '../protocol/errors.js';
import type { JsonObject, OrbPosition } from '../protocol/messages.js';
import { onUnlessOff } from './converters.js';
import { defineElement } from './define-element.js';
import type { PrepatuConsentEvent, PrepatuFlowStateEvent, PrepatuStatusEvent } from './events.js';
import type { PrepatuSession } from './prepatu-session.js';
import type { PrepatuWidgetPanel } from './prepatu-widget-panel.js';
import { PANEL_PARTS, PANEL_TAG, type WidgetPanelConfig } from './widget/config.js';
import { CLOSE, MIC, icon } from './widget/icons.js';
import { phaseOf, type WidgetPhase } from './widget/phase.js';
import { DEFAULT_WIDGET_STRINGS, type WidgetStrings } from './widget/strings.js';
import { widgetStyles } from './widget/styles.js';
import type { SummaryFormatter } from './widget/summary.js';

export { DEFAULT_WIDGET_STRINGS, type WidgetStrings } from './widget/strings.js';
export type { WidgetPhase } from './widget/phase.js';
export type { SummaryFormatter, SummaryItem, SummaryRow } from './widget/summary.js';

export type WidgetPlacement = 'bottom-right' | 'bottom-left' | 'top-right' | 'top-left' | 'center-bottom' | 'inline';

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

/** Runs `fn` once the page has loaded and the browser is idle. */
function whenIdleAfterLoad(fn: () => void): void {
  const idle = () => ('requestIdleCallback' in globalThis ? requestIdleCallback(() => fn(), { timeout: 3000 }) : setTimeout(fn, 200));
  if (document.readyState === 'complete') idle();
  else addEventListener('load', idle, { once: true });
}

/**
 * The drop-in voice widget: a floating launcher button that opens a panel with the agent's
 * orb, the transcript, the flow's artifact and the call controls. No iframe: it composes
 * `<prepatu-session>`, `<prepatu-orb>`, `<prepatu-transcript>` and `<prepatu-artifact>` in
 * its shadow root, isolated from the page's CSS. Every session event bubbles out of it.
 *
 * Light until used: the launcher's code is all a page loads at first; the panel and everything
 * behind it load on the visitor's first sign of interest (pointer over, focus on or touch of the
 * launcher) or when the browser is idle after the page's load. A click before they arrive opens
 * the panel at once with a loading state. `placement="inline"` loads its panel at once.
 *
 * Problems are shown to the visitor in plain words (how to allow the microphone, a network
 * problem, the assistant unavailable); the technical `prepatu-error` still reaches the page.
 *
 * Every visitor gets through: "Type instead" (beside the start button and after any microphone
 * error) runs the call without the microphone, and "Use voice" / "Type instead" switch during a
 * call on the same connection. A consent notice (`consent`, or the `consent` slot) can be required
 * before the first call; captions show the line the agent is speaking; when the call ends, the
 * panel sums up what the flow collected and offers the transcript as a text file; a device menu
 * switches the microphone (and the speaker, where the browser allows) during a voice call.
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
 * @csspart loading - The panel's "Loading…" line, until the panel's code has arrived.
 * @csspart body - The scrolling middle (orb, status, transcript, artifact).
 * @csspart status - The status line.
 * @csspart intent - The label of the agent's last turn beside the orb ("Question", "Greeting"), from the server's `intent`; until the next turn (`intents="off"` hides it).
 * @csspart caption - The line the agent is speaking, while it speaks (`captions="off"` hides it). Not a live region: the transcript announces the line.
 * @csspart error - The visitor-facing error message.
 * @csspart network - "Your connection is slow", while the link is poor or stalled.
 * @csspart controls - The row of call buttons.
 * @csspart start - The start / start again / try again button.
 * @csspart type-instead - "Type instead": starts a call without the microphone (beside the start button, after a microphone error) or turns a voice call into text.
 * @csspart use-voice - "Use voice": turns a text call into a voice call, on the same connection.
 * @csspart mute - The microphone toggle.
 * @csspart end - The end-call button.
 * @csspart enable-sound - The "Tap to enable sound" button.
 * @csspart consent - The consent notice (heading, text or slotted markup, Accept), before the first call while `consented` is false.
 * @csspart accept - The consent notice's Accept button.
 * @csspart summary - What the flow collected, after the call (`flow_end`, or the call ended): heading, list or `summary` slot, download button.
 * @csspart summary-list - The summary's definition list (label → value).
 * @csspart download - "Download transcript": the conversation as a text file, made in the browser.
 * @csspart devices-toggle - The device menu's button (a headset), during a voice call.
 * @csspart devices - The device menu: microphone and, where the browser can choose one, speaker.
 * @csspart device-select - A `<select>` of the device menu.
 *
 * @slot consent - The consent notice's text, as your own markup (links allowed); replaces the `consent` attribute's text.
 * @slot summary - Your own end-of-call summary, in place of the list of collected values.
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
 * @fires {PrepatuConsentEvent} prepatu-consent - The visitor accepted the consent notice (`detail.text`: the notice as they read it); `consented` is now true. Nothing is stored: keep it in your own consent records.
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
  /** Show the label of the agent's last turn beside the orb, when the server sends one (default on; `intents="off"` hides it). */
  @property({ attribute: 'intents', converter: onUnlessOff }) intents = true;
  /** Show the line the agent is speaking as a caption while it speaks (default on; `captions="off"` hides it). */
  @property({ attribute: 'captions', converter: onUnlessOff }) captions = true;
  /** A notice the visitor must accept before the first call (recording, AI disclosure, terms); the `consent` slot takes markup with links instead. */
  @property() consent = '';
  /**
   * Whether the visitor accepted the consent notice. "Accept" sets it (with `prepatu-consent`) for
   * as long as the widget is on the page, and nothing is stored; set it from your own consent records.
   */
  @property({ type: Boolean }) consented = false;
  /**
   * Makes the rows of the end-of-call summary from the collected items (`key`, `label`, `value`,
   * `text`); rows are shown as text. Unset: every non-empty variable, labelled like its form field.
   */
  @property({ attribute: false }) summaryFormatter: SummaryFormatter | undefined = undefined;

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

  /** What the launcher shows of the session: its phase and the flow's orb position. */
  @state() private _view: { phase: WidgetPhase; orbPosition: OrbPosition | null } = { phase: 'idle', orbPosition: null };
  /** The panel's code has arrived (its element is defined). */
  @state() private _panelReady = false;

  @query('.launcher') private readonly _launcher!: HTMLButtonElement | null;
  @query(PANEL_TAG) private readonly _panel!: PrepatuWidgetPanel | null;

  /**
   * Loads the panel's code (and with it the session, audio and transport). The bundles set this
   * to their own chunk; `define.js` has everything loaded already.
   */
  static loadPanel: () => Promise<unknown> = () => import('./widget/load-panel.js');

  #loading: Promise<unknown> | null = null;
  #focusPanel = false;
  #focusLauncher = false;

  /** The inner `<prepatu-session>` (once the panel's code has arrived and rendered). */
  get session(): PrepatuSession | null {
    return this._panel?.session ?? null;
  }

  /** Where the launcher is shown: `placement`, else the flow's `orb_layout`, else `bottom-right`. */
  get shownPlacement(): WidgetPlacement {
    const flow = this._view.orbPosition;
    return this.placement ?? (flow ? FLOW_PLACEMENT[flow] : 'bottom-right');
  }

  /** What the visitor sees. */
  get phase(): WidgetPhase {
    return this._view.phase;
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

  /**
   * Opens the panel and starts a call; call it from a user gesture. Rejects like
   * `<prepatu-session>.connect()`. (Before the panel's code has arrived, the wait for it may
   * outlast the gesture: the browser may then hold the audio until the next tap.)
   */
  async connect(): Promise<void> {
    if (!this.isConnected) throw new PrepatuError('not_connected', 'Add <prepatu-widget> to the document before calling connect().');
    this.open = true;
    const panel = await this.#panel();
    await panel.connect();
  }

  /** Ends the call. */
  async disconnect(): Promise<void> {
    await this.session?.disconnect();
  }

  /**
   * Voice on or off. During a call it switches on the same connection (the flow goes on; call it
   * from a user gesture to turn voice on); otherwise it chooses how the next call starts. Rejects
   * with the microphone's `PrepatuError` when voice cannot start (the call goes on in text).
   */
  async setAudioEnabled(enabled: boolean): Promise<void> {
    const panel = await this.#panel();
    await panel.setAudioEnabled(enabled);
  }

  /** Loads the panel's code now (otherwise: on the visitor's first sign of interest, or when idle). */
  load(): Promise<unknown> {
    if (!this.#loading) {
      this.#loading = (this.constructor as typeof PrepatuWidget).loadPanel();
      this.#loading.catch((e: unknown) => {
        this.#loading = null; // a later sign of interest tries again
        console.warn(`Prepatu: the widget's panel could not be loaded: ${String((e as Error)?.message ?? e)}`);
      });
    }
    return this.#loading;
  }

  /** The rendered, upgraded panel, loading its code first if needed. */
  async #panel(): Promise<PrepatuWidgetPanel> {
    void this.load();
    await customElements.whenDefined(PANEL_TAG);
    this._panelReady = true;
    await this.updateComplete;
    const panel = this._panel!;
    await panel.updateComplete;
    return panel;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this._panelReady = customElements.get(PANEL_TAG) !== undefined;
    if (!this._panelReady) {
      void customElements.whenDefined(PANEL_TAG).then(() => (this._panelReady = true));
      whenIdleAfterLoad(() => this.isConnected && void this.load());
    }
    // Moved in the page: the panel's call went on; follow it again.
    const session = this.session;
    if (session) this.#take(session.state);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if ((this.open || this.placement === 'inline') && !this._panelReady) void this.load();
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
    const theme = this.theme === 'light' || this.theme === 'dark' ? this.theme : '';
    return html`<div class="dock ${placement} ${theme}${open ? ' open' : ''}${compact ? ' compact' : ''}" part="base" @keydown=${this.#onKeydown}>
      <button
        class="launcher${this.phase === 'live' ? ' live' : ''}"
        part="launcher"
        aria-expanded=${open ? 'true' : 'false'}
        aria-controls="panel"
        aria-label=${open ? s.close : s.open}
        @click=${this.toggle}
        @pointerenter=${this.#interest}
        @focus=${this.#interest}
        @touchstart=${this.#interest}
      >
        ${icon(open ? CLOSE : MIC)}
      </button>
      <section id="panel" class="panel" part="panel" role=${inline ? 'region' : 'dialog'} aria-labelledby="title" ?hidden=${!open}>
        <div class="header" part="header">
          <div class="heading">
            <h2 id="title" part="title">${this.heading || s.title}</h2>
            ${this.subtitle ? html`<p class="subtitle" part="subtitle">${this.subtitle}</p>` : nothing}
          </div>
          ${inline ? nothing : html`<button class="icon close" part="close" aria-label=${s.close} @click=${this.hide}>${icon(CLOSE)}</button>`}
        </div>
        ${this._panelReady ? nothing : html`<p class="loading" part="loading" role="status">${s.loading}</p>`}
        <prepatu-widget-panel
          exportparts=${PANEL_PARTS}
          .config=${this.#config(s, compact)}
          @prepatu-status=${this.#onSession}
          @prepatu-flow-state=${this.#onSession}
          @prepatu-consent=${this.#onConsent}
          @slotchange=${this.#onSlotChange}
          ><slot name="consent" slot="consent">${this.consent}</slot><slot name="summary" slot="summary"></slot
        ></prepatu-widget-panel>
      </section>
    </div>`;
  }

  #config(strings: WidgetStrings, compact: boolean): WidgetPanelConfig {
    return {
      wsUrl: this.wsUrl,
      sessionUrl: this.sessionUrl,
      programId: this.programId,
      transport: this.transport,
      webrtcUrl: this.webrtcUrl,
      metadata: this.metadata,
      workletUrl: this.workletUrl,
      startMuted: this.startMuted,
      bargeIn: this.bargeIn,
      keepScreenOn: this.keepScreenOn,
      noAudio: this.noAudio,
      intents: this.intents,
      compact,
      startLabel: this.startLabel,
      endLabel: this.endLabel,
      strings,
      title: this.heading || strings.title,
      consent: !!(this.consent && this.consent.trim()) || this.#slotted('consent'),
      consented: this.consented,
      captions: this.captions,
      customSummary: this.#slotted('summary'),
      summaryFormatter: this.summaryFormatter,
    };
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('open') && changed.get('open') !== undefined) {
      // Built before dispatch so the manifest analyzer takes the @fires docs, not a guess.
      const event = new PrepatuWidgetToggleEvent(this.open);
      this.dispatchEvent(event);
    }
    if (this.#focusPanel) {
      this.#focusPanel = false;
      if (!(this._panelReady && this._panel?.focusControls())) this.shadowRoot!.querySelector<HTMLElement>('.close')?.focus();
    } else if (this.#focusLauncher) {
      this.#focusLauncher = false;
      this._launcher?.focus();
    }
  }

  get #strings(): WidgetStrings {
    return { ...DEFAULT_WIDGET_STRINGS, ...this.strings };
  }

  #slotted(name: string): boolean {
    return this.querySelector(`:scope > [slot="${name}"]`) !== null;
  }

  /** The page's `consent` or `summary` markup came or went. */
  #onSlotChange = (): void => this.requestUpdate();

  #onConsent = (_e: PrepatuConsentEvent): void => {
    this.consented = true;
  };

  #interest = (): void => {
    void this.load();
  };

  #onSession = (e: PrepatuStatusEvent | PrepatuFlowStateEvent): void => {
    // Retargeted to the panel out here: the session's own events are those it dispatched itself.
    const session = this.session;
    if (!session || e.composedPath()[0] !== session) return;
    this.#take(session.state);
  };

  #take(s: AgentState): void {
    const phase = phaseOf(s);
    const orbPosition = s.flow.orbPosition;
    if (phase !== this._view.phase || orbPosition !== this._view.orbPosition) this._view = { phase, orbPosition };
  }

  #onKeydown = (e: KeyboardEvent): void => {
    if (e.key !== 'Escape' || e.defaultPrevented || !this.open || this.shownPlacement === 'inline') return;
    e.stopPropagation();
    this.hide();
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
