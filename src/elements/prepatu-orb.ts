import { consume } from '@lit/context';
import { LitElement, css, html, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { VoiceAgent } from '../agent/voice-agent.js';
import type { OrbPosition, SessionStatus } from '../protocol/messages.js';
import { sessionContext, type SessionContextValue } from './context.js';
import { defineElement } from './define-element.js';

/** The orb's accessible names, per status, for translation. */
export interface OrbStrings extends Record<SessionStatus, string> {
  /** Used instead of `listening` while the microphone is muted. */
  muted: string;
}

export const DEFAULT_ORB_STRINGS: Readonly<OrbStrings> = Object.freeze({
  idle: 'Voice agent, not connected',
  connecting: 'Connecting to the voice agent',
  connected: 'Connected to the voice agent',
  listening: 'Agent is listening',
  speaking: 'Agent is speaking',
  ended: 'Conversation ended',
  error: 'Voice agent connection problem',
  muted: 'Agent is listening, your microphone is muted',
});

/** RMS (0..1, speech mostly under 0.3) → a visual level that reads as loudness. */
const visualLevel = (rms: number) => (Number.isFinite(rms) && rms > 0 ? Math.min(1, Math.sqrt(rms) * 1.4) : 0);

/**
 * The agent's presence: its status at a glance and the live loudness of the user (the
 * ring) and of the agent (the core). Driven only by re-renders from the session's state,
 * never by its own animation loop; the session measures levels only while an orb shows them. With `prefers-reduced-motion`, nothing moves: the level
 * shows as the ring's opacity.
 *
 * @tagname prepatu-orb
 * @summary Status and voice levels of the agent, as an accessible image.
 *
 * @example
 * <prepatu-session ws-url="…"><prepatu-orb></prepatu-orb></prepatu-session>
 *
 * @csspart orb - The whole orb (`role="img"`); also `orb-<status>` (`orb-speaking`…).
 * @csspart ring - The outer ring, driven by the microphone level.
 * @csspart core - The inner disc, driven by the agent's output level.
 *
 * @cssprop [--prepatu-orb-size=72px] - Diameter.
 * @cssprop [--prepatu-accent=#4338ca] - Main colour (dark scheme: #a5b4fc).
 * @cssprop [--prepatu-orb-listening=#0f766e] - Core colour while listening (dark scheme: #5eead4).
 * @cssprop [--prepatu-muted=#585e6d] - Colour while idle, ended or muted (dark scheme: #a7adbb).
 * @cssprop [--prepatu-orb-error=#b91c1c] - Colour on error (dark scheme: #f87171).
 *
 * @attr position - Reflected from the flow's `orb_layout` artifact (`center`, `bottom`, `bottom_right`, `top_right`, `center_bottom`), for page CSS.
 */
export class PrepatuOrb extends LitElement {
  /** Registers `<prepatu-orb>` (once; safe to call again). */
  static define(tag = 'prepatu-orb', registry: CustomElementRegistry = customElements): CustomElementConstructor {
    return defineElement(tag, this, registry);
  }

  static override styles = css`
    :host {
      --_size: var(--prepatu-orb-size, 72px);
      --_accent: var(--prepatu-accent, #4338ca);
      --_listening: var(--prepatu-orb-listening, #0f766e);
      --_muted: var(--prepatu-muted, #585e6d);
      --_error: var(--prepatu-orb-error, #b91c1c);
      display: inline-block;
      inline-size: var(--_size);
      block-size: var(--_size);
      vertical-align: middle;
    }
    @media (prefers-color-scheme: dark) {
      :host {
        --_accent: var(--prepatu-accent, #a5b4fc);
        --_listening: var(--prepatu-orb-listening, #5eead4);
        --_muted: var(--prepatu-muted, #a7adbb);
        --_error: var(--prepatu-orb-error, #f87171);
      }
    }
    :host([hidden]) {
      display: none;
    }
    .orb {
      --_color: var(--_muted);
      position: relative;
      inline-size: 100%;
      block-size: 100%;
      border-radius: 50%;
    }
    .orb.listening,
    .orb.connected {
      --_color: var(--_listening);
    }
    .orb.speaking,
    .orb.connecting {
      --_color: var(--_accent);
    }
    .orb.error {
      --_color: var(--_error);
    }
    .orb.mic-off {
      --_color: var(--_muted);
    }
    .ring,
    .core {
      position: absolute;
      border-radius: 50%;
      box-sizing: border-box;
    }
    .ring {
      inset: 0;
      border: calc(var(--_size) * 0.06) solid var(--_color);
      opacity: calc(0.35 + var(--_in) * 0.65);
      transform: scale(calc(1 + var(--_in) * 0.12));
      transition: transform 90ms linear, opacity 90ms linear;
    }
    .core {
      inset: 18%;
      background: var(--_color);
      transform: scale(calc(0.9 + var(--_out) * 0.3));
      box-shadow: 0 0 calc(var(--_out) * var(--_size) * 0.4) var(--_color);
      transition: transform 90ms linear, box-shadow 90ms linear, background-color 200ms;
    }
    .orb.idle .core,
    .orb.ended .core {
      opacity: 0.55;
    }
    .orb.connecting .core {
      animation: pulse 1.2s ease-in-out infinite;
    }
    @keyframes pulse {
      50% {
        transform: scale(0.75);
        opacity: 0.6;
      }
    }
    @media (prefers-reduced-motion: reduce) {
      .ring,
      .core {
        transform: none;
        transition: none;
        animation: none;
      }
      .orb.connecting .core {
        animation: none;
      }
      .core {
        box-shadow: none;
      }
      /* The level, without motion: how opaque the ring is. */
      .ring {
        opacity: calc(0.2 + var(--_level) * 0.8);
      }
    }
    @media (forced-colors: active) {
      .ring {
        border-color: CanvasText;
      }
      .core {
        background: CanvasText;
      }
    }
  `;

  /** Shows this status instead of the session's. */
  @property() status: SessionStatus | undefined = undefined;
  /** Where the flow wants the orb; reflected for page CSS. */
  @property({ reflect: true }) position: OrbPosition | undefined = undefined;
  /** Accessible names, for translation; unspecified keys keep their English default. */
  @property({ attribute: false }) strings: Partial<OrbStrings> = {};

  @consume({ context: sessionContext, subscribe: true })
  @state()
  protected session?: SessionContextValue;

  /** The status shown: `status`, else the session's, else `idle`. */
  get shownStatus(): SessionStatus {
    return this.status ?? this.session?.state.status ?? 'idle';
  }

  /** The accessible name for the current status. */
  get label(): string {
    const s = { ...DEFAULT_ORB_STRINGS, ...this.strings };
    const status = this.shownStatus;
    if (status === 'listening' && this.session?.state.micEnabled === false) return s.muted;
    return s[status];
  }

  #watched: { agent: VoiceAgent; stop: () => void } | null = null;

  override connectedCallback(): void {
    super.connectedCallback();
    this.#watch(this.session?.agent ?? null);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#watch(null);
  }

  /** Levels are measured out of the audio thread only while an orb shows them. */
  #watch(agent: VoiceAgent | null): void {
    if (this.#watched?.agent === agent) return;
    this.#watched?.stop();
    this.#watched = agent ? { agent, stop: agent.watchLevels() } : null;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (this.isConnected) this.#watch(this.session?.agent ?? null);
    const position = this.session?.state.flow.orbPosition;
    if (changed.has('session' as keyof PrepatuOrb) && position && position !== this.position) this.position = position;
  }

  protected override render() {
    const status = this.shownStatus;
    const levels = this.session?.state.levels ?? { input: 0, output: 0 };
    const input = visualLevel(levels.input);
    const output = visualLevel(levels.output);
    const micOff = status === 'listening' && this.session?.state.micEnabled === false;
    // Levels go to custom properties through the CSSOM, not a style attribute: strict sites
    // forbid inline style attributes (CSP style-src-attr), but not style set from script.
    this.style.setProperty('--_in', String(micOff ? 0 : input));
    this.style.setProperty('--_out', String(output));
    this.style.setProperty('--_level', String(Math.max(input, output)));
    return html`<div class="orb ${status}${micOff ? ' mic-off' : ''}" part="orb orb-${status}" role="img" aria-label=${this.label}>
      <div class="ring" part="ring"></div>
      <div class="core" part="core"></div>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'prepatu-orb': PrepatuOrb;
  }
}
