import { consume } from '@lit/context';
import { LitElement, css, html, type PropertyValues } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import type { TranscriptEntry } from '../agent/voice-agent.js';
import { sessionContext, type SessionContextValue } from './context.js';
import { defineElement } from './define-element.js';

/** The transcript's user-facing text, for translation. */
export interface TranscriptStrings {
  /** Label of the user's turns. */
  you: string;
  /** Label of the agent's turns. */
  agent: string;
  /** Shown while there is nothing to show. */
  empty: string;
  /** Accessible name of the log. */
  label: string;
}

export const DEFAULT_TRANSCRIPT_STRINGS: Readonly<TranscriptStrings> = Object.freeze({
  you: 'You',
  agent: 'Agent',
  empty: 'The conversation will appear here.',
  label: 'Conversation transcript',
});

/** How close to the bottom (px) still counts as "at the bottom". */
const STICK_SLACK = 8;

/**
 * The conversation as a chat log: user and agent turns in order, updated as the server
 * refines them. Follows new turns while the reader is at the bottom; once they scroll up
 * to read, it stays put until they scroll back down.
 *
 * Inside a `<prepatu-session>` it reads the session's transcript; the `entries` property
 * overrides that (e.g. to show a saved conversation on its own).
 *
 * @tagname prepatu-transcript
 * @summary The conversation so far, as an accessible chat log.
 *
 * @example
 * <prepatu-session ws-url="ws://localhost:8000/ws?mode=flow&program_id=onboarding">
 *   <prepatu-transcript></prepatu-transcript>
 * </prepatu-session>
 *
 * @csspart log - The scrolling log (`role="log"`).
 * @csspart turn - Every turn; also `turn-user` or `turn-assistant`.
 * @csspart speaker - The "You" / "Agent" label of a turn.
 * @csspart text - The text of a turn.
 * @csspart empty - The empty-state text.
 *
 * @cssprop [--prepatu-font=system-ui, sans-serif] - Font family.
 * @cssprop [--prepatu-fg=#1f2330] - Text colour (dark scheme: #eceef3).
 * @cssprop [--prepatu-bg=transparent] - Background of the log.
 * @cssprop [--prepatu-muted=#585e6d] - Secondary text (labels, empty state) (dark scheme: #a7adbb).
 * @cssprop [--prepatu-accent=#4338ca] - Background of the user's turns (dark scheme: #a5b4fc).
 * @cssprop [--prepatu-on-accent=#ffffff] - Text on the accent colour (dark scheme: #14161d).
 * @cssprop [--prepatu-surface=#eef0f4] - Background of the agent's turns (dark scheme: #262a36).
 * @cssprop [--prepatu-radius=12px] - Corner radius of the turns.
 * @cssprop [--prepatu-transcript-max-height=20rem] - Height after which the log scrolls.
 */
export class PrepatuTranscript extends LitElement {
  /** Registers `<prepatu-transcript>` (once; safe to call again). */
  static define(tag = 'prepatu-transcript', registry: CustomElementRegistry = customElements): CustomElementConstructor {
    return defineElement(tag, this, registry);
  }

  static override styles = css`
    :host {
      --_fg: var(--prepatu-fg, #1f2330);
      --_muted: var(--prepatu-muted, #585e6d);
      --_accent: var(--prepatu-accent, #4338ca);
      --_on-accent: var(--prepatu-on-accent, #ffffff);
      --_surface: var(--prepatu-surface, #eef0f4);
      display: block;
      font-family: var(--prepatu-font, system-ui, sans-serif);
      color: var(--_fg);
    }
    @media (prefers-color-scheme: dark) {
      :host {
        --_fg: var(--prepatu-fg, #eceef3);
        --_muted: var(--prepatu-muted, #a7adbb);
        --_accent: var(--prepatu-accent, #a5b4fc);
        --_on-accent: var(--prepatu-on-accent, #14161d);
        --_surface: var(--prepatu-surface, #262a36);
      }
    }
    :host([hidden]) {
      display: none;
    }
    .log {
      display: flex;
      flex-direction: column;
      gap: 0.5rem;
      max-height: var(--prepatu-transcript-max-height, 20rem);
      overflow-y: auto;
      overscroll-behavior: contain;
      padding: 0.5rem;
      box-sizing: border-box;
      background: var(--prepatu-bg, transparent);
      border-radius: var(--prepatu-radius, 12px);
    }
    .log:focus-visible {
      outline: 2px solid var(--_accent);
      outline-offset: 2px;
    }
    .turn {
      max-width: 85%;
      padding: 0.5rem 0.75rem;
      border-radius: var(--prepatu-radius, 12px);
      line-height: 1.4;
      overflow-wrap: anywhere;
    }
    .text {
      /* the agent's line breaks, not the template's indentation */
      white-space: pre-wrap;
    }
    .user {
      align-self: flex-end;
      background: var(--_accent);
      color: var(--_on-accent);
      border-bottom-right-radius: 4px;
    }
    .assistant {
      align-self: flex-start;
      background: var(--_surface);
      color: var(--_fg);
      border-bottom-left-radius: 4px;
    }
    .speaker {
      display: block;
      font-size: 0.75em;
      font-weight: 600;
      opacity: 0.9;
    }
    .empty {
      margin: auto;
      padding: 1rem;
      color: var(--_muted);
      text-align: center;
    }
  `;

  /** Turns to show instead of the session's transcript. */
  @property({ attribute: false }) entries: readonly TranscriptEntry[] | undefined = undefined;
  /** Labels and texts, for translation; unspecified keys keep their English default. */
  @property({ attribute: false }) strings: Partial<TranscriptStrings> = {};

  @consume({ context: sessionContext, subscribe: true })
  @state()
  protected session?: SessionContextValue;

  @query('.log') private readonly log!: HTMLElement;

  /** Whether the reader is at the bottom, so new turns scroll into view. */
  #stick = true;
  #rendered: readonly TranscriptEntry[] | null = null;

  /** The turns shown: `entries`, else the session's transcript. */
  get shownEntries(): readonly TranscriptEntry[] {
    return this.entries ?? this.session?.state.transcript ?? [];
  }

  protected override shouldUpdate(changed: PropertyValues<this>): boolean {
    // The session's state changes ~30 times a second (audio levels); re-render only for the transcript.
    if (changed.size === 1 && changed.has('session' as keyof PrepatuTranscript)) return this.shownEntries !== this.#rendered;
    return true;
  }

  protected override render() {
    const s = { ...DEFAULT_TRANSCRIPT_STRINGS, ...this.strings };
    const entries = this.shownEntries;
    this.#rendered = entries;
    return html`<div class="log" part="log" role="log" aria-live="polite" aria-label=${s.label} tabindex="0" @scroll=${this.#onScroll}>
      ${entries.length === 0
        ? html`<p class="empty" part="empty">${s.empty}</p>`
        : repeat(
            entries,
            (e) => e.id,
            (e) =>
              html`<div class="turn ${e.role}" part="turn turn-${e.role}">
                <span class="speaker" part="speaker">${e.role === 'user' ? s.you : s.agent}</span>
                <span class="text" part="text">${e.text}</span>
              </div>`,
          )}
    </div>`;
  }

  protected override updated(): void {
    if (this.#stick) this.scrollToEnd();
  }

  /** Scrolls to the newest turn and follows new turns again. */
  scrollToEnd(): void {
    this.#stick = true;
    this.log.scrollTop = this.log.scrollHeight;
  }

  #onScroll = (): void => {
    const { scrollTop, scrollHeight, clientHeight } = this.log;
    this.#stick = scrollHeight - scrollTop - clientHeight <= STICK_SLACK;
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'prepatu-transcript': PrepatuTranscript;
  }
}
