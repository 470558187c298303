import { LitElement, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import type { AgentState, VoiceAgent } from '../agent/voice-agent.js';
import { defineElement } from './define-element.js';
import type { PrepatuStatusEvent } from './events.js';
import type { PrepatuSession } from './prepatu-session.js';
import { idleState } from './session-controller.js';
import { PANEL_TAG, type WidgetPanelConfig } from './widget/config.js';
import { MIC, MIC_OFF, icon } from './widget/icons.js';
import { phaseOf, type WidgetPhase } from './widget/phase.js';
import { panelStyles } from './widget/panel-styles.js';
import { DEFAULT_WIDGET_STRINGS, friendlyError, type WidgetStrings } from './widget/strings.js';

/**
 * The inside of `<prepatu-widget>`'s panel: the session, the orb, the status, the transcript, the
 * artifact and the call controls. The widget renders it and loads its code on the visitor's
 * first sign of interest, so a page pays only for the launcher until then. Not for direct use:
 * compose `<prepatu-session>` and its children instead.
 *
 * @internal
 * @tagname prepatu-widget-panel
 */
export class PrepatuWidgetPanel extends LitElement {
  static define(tag = PANEL_TAG, registry: CustomElementRegistry = customElements): CustomElementConstructor {
    return defineElement(tag, this, registry);
  }

  static override styles = panelStyles;

  /** Everything the widget's attributes say about the session and its texts. */
  @property({ attribute: false }) config: WidgetPanelConfig | undefined = undefined;

  /** The parts of the session's state the panel shows. */
  @state() private _state: AgentState = idleState();

  @query('prepatu-session') private readonly _session!: PrepatuSession | null;

  #agent: VoiceAgent | null = null;
  #unsubscribe: (() => void) | null = null;
  #focusControls = false;

  /** The inner `<prepatu-session>` (after the first render). */
  get session(): PrepatuSession | null {
    return this._session;
  }

  get phase(): WidgetPhase {
    return phaseOf(this._state);
  }

  /** Starts a call. Rejects like `<prepatu-session>.connect()`. */
  async connect(): Promise<void> {
    if (!this.hasUpdated) await this.updateComplete;
    await this._session!.connect();
  }

  /** Moves focus to the first call control. */
  focusControls(): boolean {
    const button = this.renderRoot.querySelector<HTMLElement>('.controls button');
    button?.focus();
    return button !== null;
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

  protected override render() {
    const c = this.config;
    if (!c) return nothing;
    const s = { ...DEFAULT_WIDGET_STRINGS, ...c.strings };
    const phase = this.phase;
    return html`<prepatu-session
      .wsUrl=${c.wsUrl}
      .sessionUrl=${c.sessionUrl}
      .programId=${c.programId}
      .transport=${c.transport}
      .webrtcUrl=${c.webrtcUrl}
      .workletUrl=${c.workletUrl}
      .startMuted=${c.startMuted}
      .bargeIn=${c.bargeIn}
      .keepScreenOn=${c.keepScreenOn}
      .noAudio=${c.noAudio}
      .record=${c.record}
      @prepatu-status=${this.#onStatus}
      @prepatu-flow-state=${this.#onStatus}
    >
      <div class="body" part="body">
        <div class="stage">
          <prepatu-orb exportparts="orb,ring,core"></prepatu-orb>
          <div class="stage-text">
            <p class="status" part="status" role="status">${this.#statusText(phase, s)}</p>
            ${c.intents && phase === 'live' && this._state.intent ? html`<span class="intent" part="intent">${this._state.intent}</span>` : nothing}
          </div>
        </div>
        ${phase === 'live' && this._state.connectionQuality !== 'good'
          ? html`<p class="network" part="network" role="status">${s.slowConnection}</p>`
          : nothing}
        ${phase === 'error' ? html`<p class="error" part="error" role="alert">${friendlyError(this._state.lastError?.code, s)}</p>` : nothing}
        ${phase === 'live' && this._state.audioSuspended
          ? html`<button class="primary" part="enable-sound" @click=${this.#resume}>${s.enableSound}</button>`
          : nothing}
        ${c.compact ? nothing : html`<prepatu-transcript></prepatu-transcript>`}
        <prepatu-artifact></prepatu-artifact>
      </div>
      <div class="controls" part="controls">${this.#renderControls(phase, c, s)}</div>
    </prepatu-session>`;
  }

  #renderControls(phase: WidgetPhase, c: WidgetPanelConfig, s: WidgetStrings): TemplateResult {
    const end = html`<button class="end" part="end" @click=${this.#end}>${c.endLabel || s.end}</button>`;
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
        const label = phase === 'error' ? s.retry : phase === 'ended' ? s.startAgain : c.startLabel || s.start;
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
    if (changed.has('config') && this.config?.metadata !== (changed.get('config') as WidgetPanelConfig | undefined)?.metadata) this.#applyMetadata();
    if (this.#focusControls && (this.renderRoot as ShadowRoot).activeElement === null) {
      // The button the visitor pressed was replaced (Start → End): keep focus in the controls.
      this.focusControls();
    }
    this.#focusControls = false;
  }

  #applyMetadata(): void {
    const session = this._session;
    if (!session) return;
    const m = this.config?.metadata;
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
    // Levels change ~30 times a second; re-render only for what the panel shows.
    if (
      s.status !== p.status ||
      s.micEnabled !== p.micEnabled ||
      s.audioSuspended !== p.audioSuspended ||
      s.endReason !== p.endReason ||
      s.lastError !== p.lastError ||
      s.connectionQuality !== p.connectionQuality ||
      s.intent !== p.intent
    ) {
      this.#focusControls ||= (this.renderRoot as ShadowRoot).activeElement?.closest('.controls') != null;
      this._state = s;
    }
  }

  #start = (): void => {
    this.#focusControls = true;
    // A failure shows in the panel (and reaches the page as prepatu-error).
    this.connect().catch(() => {});
  };

  #end = (): void => {
    this.#focusControls = true;
    void this._session?.disconnect();
  };

  #toggleMute = (): void => {
    this._session?.setMicEnabled(!this._state.micEnabled);
  };

  #resume = (): void => {
    void this._session?.resume();
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'prepatu-widget-panel': PrepatuWidgetPanel;
  }
}
