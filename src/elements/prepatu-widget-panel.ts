import { LitElement, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import type { AgentState, TranscriptEntry, VoiceAgent } from '../agent/voice-agent.js';
import { PrepatuError, type PrepatuErrorCode } from '../protocol/errors.js';
import { defineElement } from './define-element.js';
import { PrepatuConsentEvent, type PrepatuStatusEvent } from './events.js';
import type { PrepatuSession } from './prepatu-session.js';
import { idleState, toPrepatuError } from './session-controller.js';
import { PANEL_TAG, type WidgetPanelConfig } from './widget/config.js';
import { DeviceMenu, HEADSET, renderDeviceMenu } from './widget/devices.js';
import { MIC, MIC_OFF, icon } from './widget/icons.js';
import { phaseOf, type WidgetPhase } from './widget/phase.js';
import { panelStyles } from './widget/panel-styles.js';
import { DEFAULT_WIDGET_STRINGS, friendlyError, type WidgetStrings } from './widget/strings.js';
import { rememberLabels, saveText, summaryItems, transcriptText, type FieldLabels, type SummaryRow } from './widget/summary.js';

/** Microphone errors, after which the panel offers "Type instead". */
const MIC_ERRORS: ReadonlySet<PrepatuErrorCode | undefined> = new Set<PrepatuErrorCode>(['mic_denied', 'mic_not_found', 'mic_failed', 'mic_ended', 'audio_unavailable']);

/** The latest agent line from `from` on: what a caption shows while the agent speaks. */
function latestAgentLine(transcript: readonly TranscriptEntry[], from: number): string | null {
  for (let i = transcript.length - 1; i >= from; i--) if (transcript[i]!.role === 'assistant') return transcript[i]!.text;
  return null;
}

/**
 * The inside of `<prepatu-widget>`'s panel: the session, the orb, the status, the caption, the
 * transcript, the artifact, the consent notice, the end-of-call summary, the device menu and the
 * call controls. The widget renders it and loads its code on the visitor's first sign of
 * interest, so a page pays only for the launcher until then. Not for direct use: compose
 * `<prepatu-session>` and its children instead.
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
  /** Voice (true) or text for the next call: `no-audio`, then "Type instead" / "Use voice" and `setAudioEnabled()`. */
  @state() private _audio = true;
  /** The agent's line while it speaks. */
  @state() private _caption: string | null = null;
  /** A problem the call went on past (voice could not start, a device could not be used), in plain words. */
  @state() private _notice = '';

  @query('prepatu-session') private readonly _session!: PrepatuSession | null;

  readonly #devices = new DeviceMenu(this);
  #agent: VoiceAgent | null = null;
  #unsubscribe: (() => void) | null = null;
  #focusControls = false;
  /** Labels of the variables the call's forms and options asked for, for the summary. */
  #labels: FieldLabels = new Map();
  /** Transcript lines before this index belong to turns already spoken: no caption shows them. */
  #captionFrom = 0;
  #input: string | null = null;
  #output = '';
  #fileUrl = '';
  #transcriptCache: [WidgetStrings | null, { you: string; agent: string } | null] = [null, null];

  /** The inner `<prepatu-session>` (after the first render). */
  get session(): PrepatuSession | null {
    return this._session;
  }

  /** The page's texts over the defaults. */
  get #strings(): WidgetStrings {
    return { ...DEFAULT_WIDGET_STRINGS, ...this.config?.strings };
  }

  get phase(): WidgetPhase {
    return phaseOf(this._state);
  }

  /** Starts a call. Rejects like `<prepatu-session>.connect()`, or with `consent_required` while the notice waits. */
  async connect(): Promise<void> {
    if (!this.hasUpdated) await this.updateComplete;
    if (this.#needsConsent) {
      this.#focus('.accept');
      throw new PrepatuError('consent_required', 'The visitor has not accepted the consent notice yet: they accept it in the panel, or the page sets `consented` on <prepatu-widget>.');
    }
    await this._session!.connect();
  }

  /**
   * Voice on or off: on the live call, on the same connection (call it from a user gesture to turn
   * voice on), else for the next call. Rejects with the microphone's error; the call goes on in text.
   */
  async setAudioEnabled(enabled: boolean): Promise<void> {
    if (!this.hasUpdated) await this.updateComplete;
    this._audio = enabled;
    try {
      await this._session!.setAudioEnabled(enabled);
    } catch (e) {
      const error = toPrepatuError(e, 'mic_failed');
      if (enabled) this._audio = false; // voice could not start: the call goes on in text
      if (this.config) this._notice = friendlyError(error.code, this.#strings);
      throw error;
    }
  }

  /** Moves focus to the first call control (the consent notice's Accept while it waits). */
  focusControls(): boolean {
    return this.#focus('.accept') || this.#focus('.controls button');
  }

  #focus(selector: string): boolean {
    const el = this.renderRoot.querySelector<HTMLElement>(selector);
    el?.focus();
    return el !== null;
  }

  get #needsConsent(): boolean {
    return !!this.config?.consent && !this.config.consented;
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
    if (this.#fileUrl) URL.revokeObjectURL(this.#fileUrl);
    this.#fileUrl = '';
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    const before = changed.get('config') as WidgetPanelConfig | undefined;
    if (this.config && this.config.noAudio !== before?.noAudio) this._audio = !this.config.noAudio;
  }

  protected override render() {
    const c = this.config;
    if (!c) return nothing;
    const s = this.#strings;
    const phase = this.phase;
    const voice = phase === 'live' && this._state.audioEnabled;
    const summary = phase === 'ended' || (phase === 'live' && this._state.flow.ended !== null);
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
      .noAudio=${!this._audio}
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
          ${voice
            ? html`<button
                class="icon devices-toggle"
                part="devices-toggle"
                aria-label=${s.devices}
                aria-expanded=${this.#devices.open ? 'true' : 'false'}
                aria-controls="devices"
                @click=${() => this.#devices.toggle()}
              >
                ${icon(HEADSET)}
              </button>`
            : nothing}
        </div>
        ${voice && this.#devices.open
          ? renderDeviceMenu({
              menu: this.#devices,
              strings: s,
              input: this.#input,
              output: this.#output,
              onInput: this.#pickInput,
              onOutput: this.#pickOutput,
              onClose: () => {
                this.#devices.close();
                this.#focus('.devices-toggle');
              },
            })
          : nothing}
        ${c.captions && this._caption ? html`<p class="caption" part="caption">${this._caption}</p>` : nothing}
        ${phase === 'live' && this._state.connectionQuality !== 'good'
          ? html`<p class="network" part="network" role="status">${s.slowConnection}</p>`
          : nothing}
        ${phase === 'error' || this._notice
          ? html`<p class="error" part="error" role="alert">${phase === 'error' ? friendlyError(this._state.lastError?.code, s) : this._notice}</p>`
          : nothing}
        ${phase === 'live' && this._state.audioSuspended
          ? html`<button class="primary" part="enable-sound" @click=${this.#resume}>${s.enableSound}</button>`
          : nothing}
        ${this.#needsConsent && phase !== 'live' && phase !== 'connecting' ? this.#renderConsent(s) : nothing}
        ${summary ? this.#renderSummary(c, s) : nothing}
        ${c.compact ? nothing : html`<prepatu-transcript .strings=${this.#transcriptStrings(s)}></prepatu-transcript>`}
        <prepatu-artifact ?hidden=${summary}></prepatu-artifact>
      </div>
      <div class="controls" part="controls">${this.#renderControls(phase, c, s)}</div>
    </prepatu-session>`;
  }

  #renderConsent(s: WidgetStrings): TemplateResult {
    return html`<section class="consent" part="consent" aria-labelledby="consent-title">
      <h3 id="consent-title">${s.consentTitle}</h3>
      <div id="consent-text"><slot name="consent"></slot></div>
      <button class="primary accept" part="accept" aria-describedby="consent-text" @click=${this.#accept}>${s.accept}</button>
    </section>`;
  }

  #renderSummary(c: WidgetPanelConfig, s: WidgetStrings): TemplateResult | typeof nothing {
    const { flow, transcript } = this._state;
    const rows = c.customSummary ? [] : this.#summaryRows(c, summaryItems(flow.variables, this.#labels, s));
    if (!c.customSummary && !rows.length && !transcript.length) return nothing;
    return html`<section class="summary" part="summary" aria-labelledby="summary-title">
      <h3 id="summary-title">${s.summary}</h3>
      <slot name="summary"></slot>
      ${rows.length ? html`<dl part="summary-list">${rows.map((r) => html`<dt>${String(r?.label ?? '')}</dt><dd>${String(r?.value ?? '')}</dd>`)}</dl>` : nothing}
      ${transcript.length ? html`<button class="download" part="download" @click=${this.#download}>${s.downloadTranscript}</button>` : nothing}
    </section>`;
  }

  #summaryRows(c: WidgetPanelConfig, items: ReturnType<typeof summaryItems>): readonly SummaryRow[] {
    if (c.summaryFormatter) {
      try {
        const rows: unknown = c.summaryFormatter(items);
        if (Array.isArray(rows)) return rows as SummaryRow[];
        throw new TypeError(`it returned ${String(rows)}, not an array of { label, value }`);
      } catch (e) {
        console.warn(`Prepatu: the widget's summaryFormatter failed, so the summary shows the default rows: ${String((e as Error)?.message ?? e)}`);
      }
    }
    return items.map((i) => ({ label: i.label, value: i.text }));
  }

  #renderControls(phase: WidgetPhase, c: WidgetPanelConfig, s: WidgetStrings): TemplateResult {
    const end = html`<button class="end" part="end" @click=${this.#end}>${c.endLabel || s.end}</button>`;
    // Voice and text switch on the open socket, which only a WebSocket session can do.
    const switchable = c.transport !== 'webrtc';
    switch (phase) {
      case 'live': {
        if (!this._state.audioEnabled)
          return html`${switchable ? html`<button class="mode" part="use-voice" @click=${() => this.#switch(true)}>${s.useVoice}</button>` : nothing}${end}`;
        const muted = !this._state.micEnabled;
        return html`<button class="mute" part="mute" aria-pressed=${muted ? 'true' : 'false'} aria-label=${s.mute} @click=${this.#toggleMute}>
            ${icon(muted ? MIC_OFF : MIC)}</button
          >${switchable ? html`<button class="mode" part="type-instead" @click=${() => this.#switch(false)}>${s.typeInstead}</button>` : nothing}${end}`;
      }
      case 'connecting':
        return end;
      default: {
        const label = phase === 'error' ? s.retry : phase === 'ended' ? s.startAgain : c.startLabel || s.start;
        const offerText = this._audio && (phase === 'idle' || (phase === 'error' && MIC_ERRORS.has(this._state.lastError?.code)));
        return html`<button class="primary" part="start" @click=${() => this.#start(this._audio)}>${label}</button>${offerText
            ? html`<button class="mode" part="type-instead" @click=${() => this.#start(false)}>${s.typeInstead}</button>`
            : nothing}`;
      }
    }
  }

  #statusText(phase: WidgetPhase, s: WidgetStrings): string {
    const { status, micEnabled } = this._state;
    if (phase === 'live') return status === 'speaking' ? s.speaking : micEnabled ? s.listening : s.muted;
    return phase === 'error' ? '' : s[phase];
  }

  /** The transcript's labels from the widget's strings, the same object while they stay the same (no re-render). */
  #transcriptStrings(s: WidgetStrings): { you: string; agent: string } {
    if (this.#transcriptCache[0] !== s) this.#transcriptCache = [s, { you: s.you, agent: s.agent }];
    return this.#transcriptCache[1]!;
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('config') && this.config?.metadata !== (changed.get('config') as WidgetPanelConfig | undefined)?.metadata) this.#applyMetadata();
    if (this.#focusControls && (this.renderRoot as ShadowRoot).activeElement === null) {
      // The button the visitor pressed was replaced (Start → End, Accept → Start): keep focus in the controls.
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
    const live = s.status === 'listening' || s.status === 'speaking';
    if (s.status === 'connecting' && p.status !== 'connecting') {
      // A new call: nothing of the last one carries over.
      this.#labels = new Map();
      this.#captionFrom = 0;
      this.#output = '';
    }
    if (!live) this._notice = '';
    if (!live || !s.audioEnabled) this.#devices.close();
    if (s.flow.artifact !== p.flow.artifact && this.config) rememberLabels(this.#labels, s.flow.artifact, this.#strings);
    // A caption is the line of the turn being spoken: lines that arrived before the last turn ended are not it.
    if (p.status === 'speaking' && s.status !== 'speaking') this.#captionFrom = s.transcript.length;
    const caption = s.status === 'speaking' ? latestAgentLine(s.transcript, this.#captionFrom) : null;
    if (caption !== this._caption) this._caption = caption;
    // Levels change ~30 times a second; re-render only for what the panel shows.
    if (
      s.status !== p.status ||
      s.micEnabled !== p.micEnabled ||
      s.audioEnabled !== p.audioEnabled ||
      s.audioSuspended !== p.audioSuspended ||
      s.endReason !== p.endReason ||
      s.lastError !== p.lastError ||
      s.connectionQuality !== p.connectionQuality ||
      s.intent !== p.intent ||
      s.flow !== p.flow ||
      s.transcript !== p.transcript
    ) {
      this.#focusControls ||= (this.renderRoot as ShadowRoot).activeElement?.closest('.controls') != null;
      this._state = s;
    }
  }

  /** Starts a call with voice or in text, once the consent notice (if any) was accepted. */
  #start(audio: boolean): void {
    this.#focusControls = true;
    if (!this.#needsConsent) {
      this._audio = audio;
      // connect() reads the session's mode now, before the next render would set it.
      this._session!.noAudio = !audio;
    }
    // A failure shows in the panel (and reaches the page as prepatu-error).
    this.connect().catch(() => {});
  }

  /** "Use voice" / "Type instead" during a call: the same connection, the flow goes on. */
  #switch(audio: boolean): void {
    this.#focusControls = true;
    this._notice = '';
    this.setAudioEnabled(audio).catch(() => {});
  }

  #accept = (): void => {
    this.#focusControls = true;
    const slot = this.renderRoot.querySelector<HTMLSlotElement>('slot[name="consent"]');
    const text = (slot?.assignedNodes({ flatten: true }) ?? []).map((n) => n.textContent ?? '').join('').replace(/\s+/g, ' ').trim();
    // <prepatu-widget> sets `consented` as the event passes; the notice goes with the next render.
    this.dispatchEvent(new PrepatuConsentEvent(text));
  };

  #download = (): void => {
    const c = this.config!;
    const when = new Date();
    if (this.#fileUrl) URL.revokeObjectURL(this.#fileUrl);
    const text = transcriptText(c.title, this._state.transcript, this.#strings, when);
    this.#fileUrl = saveText(this.renderRoot, text, `transcript-${when.toISOString().slice(0, 10)}.txt`);
  };

  #pickInput = (deviceId: string | null): void => {
    this.#input = deviceId;
    this._notice = '';
    this._session?.setInputDevice(deviceId).catch(() => (this._notice = this.#strings.deviceFailed));
  };

  #pickOutput = (deviceId: string): void => {
    this.#output = deviceId;
    this._notice = '';
    this._session?.agent?.setOutputDevice(deviceId).catch(() => (this._notice = this.#strings.deviceFailed));
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
