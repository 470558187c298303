import type { AgentState } from '../agent/voice-agent.js';
import type { JsonObject, OrbPosition } from '../protocol/messages.js';
import { onUnlessOff, recordMode } from './converters.js';
import { defineElement } from './define-element.js';
import type { PrepatuFlowStateEvent, PrepatuStatusEvent } from './events.js';
import type { SummaryFormatter } from './widget/summary.js';
import type { PrepatuSession } from './prepatu-session.js';
import type { PrepatuWidgetPanel } from './prepatu-widget-panel.js';
import { PANEL_PARTS, PANEL_TAG, type WidgetPanelConfig } from './widget/config.js';
import { phaseOf, type WidgetPhase } from './widget/phase.js';
import { SHELL_STRINGS, type ShellStrings } from './widget/shell-strings.js';
import { widgetStyles } from './widget/shell-styles.js';
import type { WidgetStrings } from './widget/strings.js';

export type { WidgetStrings } from './widget/strings.js';
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
 * The widget's settings, one per property: what the panel is handed (less what the launcher
 * derives: the title, whether a consent notice is there, whether the page fills the summary), and
 * what only the launcher shows.
 */
interface Settings extends Omit<WidgetPanelConfig, 'title' | 'consent' | 'customSummary'> {
  consent: string;
  placement: WidgetPlacement | undefined;
  variant: 'expanded' | 'compact';
  theme: 'auto' | 'light' | 'dark';
  heading: string;
  subtitle: string;
  open: boolean;
}

const DEFAULTS: Settings = {
  wsUrl: '',
  sessionUrl: '',
  programId: '',
  transport: 'websocket',
  webrtcUrl: '',
  metadata: undefined,
  workletUrl: '',
  startMuted: false,
  bargeIn: true,
  keepScreenOn: true,
  noAudio: false,
  record: false,
  intents: true,
  captions: true,
  consent: '',
  consented: false,
  summaryFormatter: undefined,
  placement: undefined,
  variant: 'expanded',
  compact: false,
  theme: 'auto',
  heading: '',
  subtitle: '',
  open: false,
  startLabel: '',
  endLabel: '',
  strings: {},
};

/** attribute → [property, how it reads: text, boolean presence, on unless "off", record mode]. */
const ATTRIBUTES: Record<string, [keyof Settings, 's' | 'b' | 'o' | 'r']> = {
  'ws-url': ['wsUrl', 's'],
  'session-url': ['sessionUrl', 's'],
  'program-id': ['programId', 's'],
  transport: ['transport', 's'],
  'webrtc-url': ['webrtcUrl', 's'],
  metadata: ['metadata', 's'],
  'worklet-url': ['workletUrl', 's'],
  'start-muted': ['startMuted', 'b'],
  'barge-in': ['bargeIn', 'o'],
  'keep-screen-on': ['keepScreenOn', 'o'],
  'no-audio': ['noAudio', 'b'],
  record: ['record', 'r'],
  intents: ['intents', 'o'],
  captions: ['captions', 'o'],
  consent: ['consent', 's'],
  consented: ['consented', 'b'],
  placement: ['placement', 's'],
  variant: ['variant', 's'],
  compact: ['compact', 'b'],
  theme: ['theme', 's'],
  heading: ['heading', 's'],
  subtitle: ['subtitle', 's'],
  open: ['open', 'b'],
  'start-label': ['startLabel', 's'],
  'end-label': ['endLabel', 's'],
};
/** Properties whose value is written back to their attribute, for page CSS. */
const REFLECTED: Partial<Record<keyof Settings, string>> = { open: 'open', placement: 'placement' };

const SVG = 'http://www.w3.org/2000/svg';
const ICONS = {
  mic: 'M12 3a3 3 0 0 0-3 3v6a3 3 0 0 0 6 0V6a3 3 0 0 0-3-3zM19 11a7 7 0 0 1-14 0M12 18v3',
  close: 'M6 6l12 12M18 6L6 18',
};

/** A DOM element with attributes and children; the launcher is built without a template engine. */
function h(tag: string, attrs: Record<string, string> = {}, ...children: Node[]): HTMLElement {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  el.append(...children);
  return el;
}

function icon(): SVGSVGElement {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  svg.append(document.createElementNS(SVG, 'path'));
  return svg;
}

let sheet: CSSStyleSheet | null | undefined;

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
 */
export class PrepatuWidget extends HTMLElement {
  /** Registers `<prepatu-widget>` (once; safe to call again). Its panel registers when its code arrives. */
  static define(tag = 'prepatu-widget', registry: CustomElementRegistry = customElements): CustomElementConstructor {
    return defineElement(tag, this, registry);
  }

  static get observedAttributes(): string[] {
    return Object.keys(ATTRIBUTES);
  }

  /**
   * Loads the panel's code (and with it the session, audio and transport). The bundles set this
   * to their own chunk; `define.js` has everything loaded already.
   */
  static loadPanel: () => Promise<unknown> = () => import('./widget/load-panel.js');

  readonly #settings: Settings = { ...DEFAULTS };
  readonly #root: ShadowRoot;
  readonly #dock: HTMLElement;
  readonly #launcher: HTMLButtonElement;
  readonly #panelFrame: HTMLElement;
  readonly #title: HTMLElement;
  readonly #subtitle: HTMLElement;
  readonly #close: HTMLButtonElement;
  readonly #loadingLine: HTMLElement;
  readonly #panel: PrepatuWidgetPanel;
  readonly #consentSlot: HTMLSlotElement;
  #view: { phase: WidgetPhase; orbPosition: OrbPosition | null } = { phase: 'idle', orbPosition: null };
  #panelReady = false;
  #loading: Promise<unknown> | null = null;
  #pending: Promise<void> | null = null;
  #reflecting = false;
  /** In the page and rendered: from now on, opening and closing moves focus (never on page load). */
  #live = false;

  constructor() {
    super();
    const root = (this.#root = this.attachShadow({ mode: 'open' }));
    if (sheet === undefined) {
      try {
        sheet = new CSSStyleSheet();
        sheet.replaceSync(widgetStyles);
      } catch {
        sheet = null; // no constructable stylesheets (Safari before 16.4): a <style> element
      }
    }
    if (sheet) root.adoptedStyleSheets = [sheet];
    else root.append(h('style', {}, document.createTextNode(widgetStyles)));
    this.#launcher = h('button', { class: 'launcher', part: 'launcher', 'aria-controls': 'panel' }, icon()) as HTMLButtonElement;
    this.#title = h('h2', { id: 'title', part: 'title' });
    this.#subtitle = h('p', { class: 'subtitle', part: 'subtitle' });
    this.#close = h('button', { class: 'icon close', part: 'close' }, icon()) as HTMLButtonElement;
    this.#close.querySelector('path')!.setAttribute('d', ICONS.close);
    this.#loadingLine = h('p', { class: 'loading', part: 'loading', role: 'status' });
    // The page's consent and summary markup, forwarded into the panel (the consent attribute's text is the fallback).
    this.#consentSlot = h('slot', { name: 'consent', slot: 'consent' }) as HTMLSlotElement;
    this.#panel = h(PANEL_TAG, { exportparts: PANEL_PARTS }, this.#consentSlot, h('slot', { name: 'summary', slot: 'summary' })) as PrepatuWidgetPanel;
    this.#panelFrame = h(
      'section',
      { id: 'panel', class: 'panel', part: 'panel', 'aria-labelledby': 'title' },
      h('div', { class: 'header', part: 'header' }, h('div', { class: 'heading' }, this.#title, this.#subtitle), this.#close),
      this.#loadingLine,
      this.#panel,
    );
    this.#dock = h('div', { part: 'base' }, this.#launcher, this.#panelFrame);
    root.append(this.#dock);
    this.#launcher.addEventListener('click', () => this.toggle());
    for (const sign of ['pointerenter', 'focus', 'touchstart']) this.#launcher.addEventListener(sign, () => void this.load(), { passive: true });
    this.#close.addEventListener('click', () => this.hide());
    this.#dock.addEventListener('keydown', (e) => this.#onKeydown(e));
    const onSession = (e: Event) => this.#onSession(e as PrepatuStatusEvent | PrepatuFlowStateEvent);
    this.#panel.addEventListener('prepatu-status', onSession);
    this.#panel.addEventListener('prepatu-flow-state', onSession);
    this.#panel.addEventListener('prepatu-consent', () => (this.consented = true));
    this.#panel.addEventListener('slotchange', () => this.#requestRender());
    // A page (or framework) that set properties before this element was defined: take them now.
    for (const key of Object.keys(DEFAULTS) as (keyof Settings)[]) {
      if (!Object.hasOwn(this, key)) continue;
      const value = (this as Record<string, unknown>)[key];
      delete (this as Record<string, unknown>)[key];
      this.#set(key, value as never);
    }
    this.#render();
  }

  /**
   * PVP WebSocket URL (see `<prepatu-session ws-url>`).
   * @attr ws-url
   */
  get wsUrl(): string { return this.#settings.wsUrl; }
  set wsUrl(v: string) { this.#set('wsUrl', v); }
  /**
   * Your backend's session endpoint answering `{ws_url}` (see `<prepatu-session session-url>`).
   * @attr session-url
   */
  get sessionUrl(): string { return this.#settings.sessionUrl; }
  set sessionUrl(v: string) { this.#set('sessionUrl', v); }
  /**
   * The flow (program) to run.
   * @attr program-id
   */
  get programId(): string { return this.#settings.programId; }
  set programId(v: string) { this.#set('programId', v); }
  /**
   * `websocket` (default) or `webrtc`.
   * @attr transport
   */
  get transport(): 'websocket' | 'webrtc' { return this.#settings.transport; }
  set transport(v: 'websocket' | 'webrtc') { this.#set('transport', v); }
  /**
   * SmallWebRTC base URL, for `transport="webrtc"`.
   * @attr webrtc-url
   */
  get webrtcUrl(): string { return this.#settings.webrtcUrl; }
  set webrtcUrl(v: string) { this.#set('webrtcUrl', v); }
  /**
   * Extra data for the backend: a JSON object string (the attribute) or an object.
   * @attr metadata
   */
  get metadata(): JsonObject | string | undefined { return this.#settings.metadata; }
  set metadata(v: JsonObject | string | undefined) { this.#set('metadata', v); }
  /**
   * URL of your copy of `dist/prepatu-worklets.js` on the page's origin, for npm-bundled apps under a strict CSP: the audio worklets and the socket worker.
   * @attr worklet-url
   */
  get workletUrl(): string { return this.#settings.workletUrl; }
  set workletUrl(v: string) { this.#set('workletUrl', v); }
  /**
   * Start calls with the microphone muted.
   * @attr start-muted
   */
  get startMuted(): boolean { return this.#settings.startMuted; }
  set startMuted(v: boolean) { this.#set('startMuted', v); }
  /**
   * Stop the agent's audio when the visitor talks over it (`barge-in="off"` disables).
   * @attr barge-in
   */
  get bargeIn(): boolean { return this.#settings.bargeIn; }
  set bargeIn(v: boolean) { this.#set('bargeIn', v); }
  /**
   * Keep a phone's screen on during a call (`keep-screen-on="off"` disables).
   * @attr keep-screen-on
   */
  get keepScreenOn(): boolean { return this.#settings.keepScreenOn; }
  set keepScreenOn(v: boolean) { this.#set('keepScreenOn', v); }
  /**
   * Text-only calls: no microphone, no playback.
   * @attr no-audio
   */
  get noAudio(): boolean { return this.#settings.noAudio; }
  set noAudio(v: boolean) { this.#set('noAudio', v); }
  /**
   * Keep a trace of each call for `exportTrace()` (`record`, or `record="audio"` with the audio); see `<prepatu-session record>`.
   * @attr record
   */
  get record(): boolean | 'audio' { return this.#settings.record; }
  set record(v: boolean | 'audio') { this.#set('record', v); }
  /**
   * Show the label of the agent's last turn beside the orb, when the server sends one (default on; `intents="off"` hides it).
   * @attr intents
   */
  get intents(): boolean { return this.#settings.intents; }
  set intents(v: boolean) { this.#set('intents', v); }
  /**
   * Show the line the agent is speaking as a caption while it speaks (default on; `captions="off"` hides it).
   * @attr captions
   */
  get captions(): boolean { return this.#settings.captions; }
  set captions(v: boolean) { this.#set('captions', v); }
  /**
   * A notice the visitor must accept before the first call (recording, AI disclosure, terms); the `consent` slot takes markup with links instead.
   * @attr consent
   */
  get consent(): string { return this.#settings.consent; }
  set consent(v: string) { this.#set('consent', v); }
  /**
   * Whether the visitor accepted the consent notice. "Accept" sets it (with `prepatu-consent`) for as long as the widget is on the page, and nothing is stored; set it from your own consent records.
   * @attr consented
   */
  get consented(): boolean { return this.#settings.consented; }
  set consented(v: boolean) { this.#set('consented', v); }
  /**
   * Makes the rows of the end-of-call summary from the collected items (`key`, `label`, `value`, `text`); rows are shown as text. Unset: every non-empty variable, labelled like its form field.
   */
  get summaryFormatter(): SummaryFormatter | undefined { return this.#settings.summaryFormatter; }
  set summaryFormatter(v: SummaryFormatter | undefined) { this.#set('summaryFormatter', v); }
  /**
   * Where the launcher sits; unset, the flow's `orb_layout` decides (default `bottom-right`). `inline` puts the panel in the page flow, always open. Reflected.
   * @attr placement
   */
  get placement(): WidgetPlacement | undefined { return this.#settings.placement; }
  set placement(v: WidgetPlacement | undefined) { this.#set('placement', v); }
  /**
   * `expanded` (default: transcript and artifact) or `compact` (orb, artifact and controls).
   * @attr variant
   */
  get variant(): 'expanded' | 'compact' { return this.#settings.variant; }
  set variant(v: 'expanded' | 'compact') { this.#set('variant', v); }
  /**
   * Same as `variant="compact"`.
   * @attr compact
   */
  get compact(): boolean { return this.#settings.compact; }
  set compact(v: boolean) { this.#set('compact', v); }
  /**
   * Colour scheme: `auto` (follows the visitor's system), `light` or `dark`.
   * @attr theme
   */
  get theme(): 'auto' | 'light' | 'dark' { return this.#settings.theme; }
  set theme(v: 'auto' | 'light' | 'dark') { this.#set('theme', v); }
  /**
   * Heading of the panel (default "Voice assistant").
   * @attr heading
   */
  get heading(): string { return this.#settings.heading; }
  set heading(v: string) { this.#set('heading', v); }
  /**
   * Line under the heading.
   * @attr subtitle
   */
  get subtitle(): string { return this.#settings.subtitle; }
  set subtitle(v: string) { this.#set('subtitle', v); }
  /**
   * Whether the panel is open; reflected.
   * @attr open
   */
  get open(): boolean { return this.#settings.open; }
  set open(v: boolean) { this.#set('open', v); }
  /**
   * Label of the start button (overrides `strings.start`).
   * @attr start-label
   */
  get startLabel(): string { return this.#settings.startLabel; }
  set startLabel(v: string) { this.#set('startLabel', v); }
  /**
   * Label of the end-call button (overrides `strings.end`).
   * @attr end-label
   */
  get endLabel(): string { return this.#settings.endLabel; }
  set endLabel(v: string) { this.#set('endLabel', v); }
  /** Texts, for translation; unspecified keys keep their English default (`DEFAULT_WIDGET_STRINGS`). */
  get strings(): Partial<WidgetStrings> { return this.#settings.strings; }
  set strings(v: Partial<WidgetStrings>) { this.#set('strings', v); }

  #set<K extends keyof Settings>(key: K, value: Settings[K]): void {
    if (Object.is(this.#settings[key], value)) return;
    const wasOpen = this.#settings.open;
    this.#settings[key] = value;
    const attr = REFLECTED[key];
    if (attr && !this.#reflecting) {
      this.#reflecting = true;
      if (value === undefined || value === false) this.removeAttribute(attr);
      else this.setAttribute(attr, value === true ? '' : String(value));
      this.#reflecting = false;
    }
    if (key === 'open') this.#opened(wasOpen);
    this.#requestRender();
  }

  attributeChangedCallback(name: string, _old: string | null, value: string | null): void {
    if (this.#reflecting) return;
    const [key, kind] = ATTRIBUTES[name]!;
    const read =
      kind === 'b' ? value !== null : kind === 'o' ? onUnlessOff.fromAttribute(value) : kind === 'r' ? recordMode.fromAttribute(value) : (value ?? DEFAULTS[key]);
    this.#reflecting = true; // an attribute that changes its reflected property must not be written back
    this.#set(key, read as never);
    this.#reflecting = false;
  }

  /** Resolves when what changed is on screen (the launcher, and the panel once its code is here). */
  get updateComplete(): Promise<boolean> {
    return (this.#pending ?? Promise.resolve()).then(async () => (this.#panelReady ? this.#panel.updateComplete : true));
  }

  /** The inner `<prepatu-session>` (once the panel's code has arrived and rendered). */
  get session(): PrepatuSession | null {
    return this.#panelReady ? this.#panel.session : null;
  }

  /** Where the launcher is shown: `placement`, else the flow's `orb_layout`, else `bottom-right`. */
  get shownPlacement(): WidgetPlacement {
    const flow = this.#view.orbPosition;
    return this.placement ?? (flow ? FLOW_PLACEMENT[flow] : 'bottom-right');
  }

  /** What the visitor sees. */
  get phase(): WidgetPhase {
    return this.#view.phase;
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
    if (!this.isConnected) {
      const { PrepatuError } = await import('../protocol/errors.js'); // not in the launcher's code: it is rare
      throw new PrepatuError('not_connected', 'Add <prepatu-widget> to the document before calling connect().');
    }
    this.open = true;
    const panel = await this.#ready();
    await panel.connect();
  }

  /** The current or last call's trace (with `record`); rejects like `<prepatu-session>.exportTrace()`. */
  async exportTrace(): Promise<Blob> {
    if (!this.session) {
      const { PrepatuError } = await import('../protocol/errors.js');
      throw new PrepatuError('no_trace', 'Nothing was recorded: set the record attribute and start a call first.');
    }
    return this.session.exportTrace();
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
    const panel = await this.#ready();
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

  /** The upgraded, rendered panel, loading its code first if needed. */
  async #ready(): Promise<PrepatuWidgetPanel> {
    void this.load();
    await customElements.whenDefined(PANEL_TAG);
    this.#panelReady = true;
    this.#requestRender();
    await this.updateComplete;
    return this.#panel;
  }

  connectedCallback(): void {
    this.#panelReady = customElements.get(PANEL_TAG) !== undefined;
    if (!this.#panelReady) {
      void customElements.whenDefined(PANEL_TAG).then(() => {
        this.#panelReady = true;
        this.#requestRender();
      });
      whenIdleAfterLoad(() => this.isConnected && void this.load());
    }
    // Moved in the page: the panel's call went on; follow it again.
    const session = this.session;
    if (session) this.#take(session.state);
    this.#requestRender();
    void this.updateComplete.then(() => (this.#live = this.isConnected));
  }

  disconnectedCallback(): void {
    this.#live = false;
  }

  #requestRender(): void {
    this.#pending ??= Promise.resolve().then(() => {
      this.#pending = null;
      this.#render();
    });
  }

  #render(): void {
    const s: ShellStrings = { ...SHELL_STRINGS, ...this.strings };
    const placement = this.shownPlacement;
    const inline = placement === 'inline';
    const open = inline || this.open;
    const compact = this.compact || this.variant === 'compact';
    const theme = this.theme === 'light' || this.theme === 'dark' ? ` ${this.theme}` : '';
    if ((open || inline) && !this.#panelReady) void this.load();
    this.#dock.className = `dock ${placement}${theme}${open ? ' open' : ''}${compact ? ' compact' : ''}`;
    const launcher = this.#launcher;
    launcher.classList.toggle('live', this.phase === 'live');
    launcher.setAttribute('aria-expanded', String(open));
    launcher.setAttribute('aria-label', open ? s.close : s.open);
    launcher.querySelector('path')!.setAttribute('d', open ? ICONS.close : ICONS.mic);
    this.#panelFrame.setAttribute('role', inline ? 'region' : 'dialog');
    this.#panelFrame.hidden = !open;
    this.#title.textContent = this.heading || s.title;
    this.#subtitle.textContent = this.subtitle;
    this.#subtitle.hidden = !this.subtitle;
    this.#close.hidden = inline;
    this.#close.setAttribute('aria-label', s.close);
    this.#loadingLine.textContent = s.loading;
    this.#loadingLine.hidden = this.#panelReady;
    // Only when it changed: rewriting a slot's fallback signals a slot change, which renders again.
    if (this.#consentSlot.textContent !== this.consent) this.#consentSlot.textContent = this.consent;
    this.#panel.config = this.#config(compact);
  }

  #config(compact: boolean): WidgetPanelConfig {
    const { open: _open, placement: _placement, variant: _variant, theme: _theme, heading: _heading, subtitle: _subtitle, consent, ...rest } = this.#settings;
    return {
      ...rest,
      compact,
      title: this.heading || this.strings.title || SHELL_STRINGS.title,
      consent: consent.trim() !== '' || this.#slotted('consent'),
      customSummary: this.#slotted('summary'),
    };
  }

  #slotted(name: string): boolean {
    return this.querySelector(`:scope > [slot="${name}"]`) !== null;
  }

  /** Focus follows the panel: into its controls when it opens, back to the launcher when it closes. */
  #opened(wasOpen: boolean): void {
    if (this.open === wasOpen) return;
    this.dispatchEvent(new PrepatuWidgetToggleEvent(this.open));
    if (!this.#live) return;
    const focused = this.#root.activeElement !== null || this.#panel.matches(':focus-within');
    void this.updateComplete.then(() => {
      if (this.open) {
        if (!(this.#panelReady && this.#panel.focusControls())) this.#close.focus();
      } else if (focused) this.#launcher.focus();
    });
  }

  #onSession(e: PrepatuStatusEvent | PrepatuFlowStateEvent): void {
    // Retargeted to the panel out here: the session's own events are those it dispatched itself.
    const session = this.session;
    if (!session || e.composedPath()[0] !== session) return;
    this.#take(session.state);
  }

  #take(s: AgentState): void {
    const phase = phaseOf(s);
    const orbPosition = s.flow.orbPosition;
    if (phase === this.#view.phase && orbPosition === this.#view.orbPosition) return;
    this.#view = { phase, orbPosition };
    this.#requestRender();
  }

  #onKeydown(e: KeyboardEvent): void {
    if (e.key !== 'Escape' || e.defaultPrevented || !this.open || this.shownPlacement === 'inline') return;
    e.stopPropagation();
    this.hide();
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'prepatu-widget': PrepatuWidget;
  }
  interface GlobalEventHandlersEventMap {
    'prepatu-widget-toggle': PrepatuWidgetToggleEvent;
  }
}
