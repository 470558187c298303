import { css } from 'lit';

/**
 * Default look of `<prepatu-artifact>`. Colours meet WCAG AA (4.5:1) in both schemes;
 * every colour, the font and the radius can be replaced with `--prepatu-*` properties.
 */
export const artifactStyles = css`
  :host {
    --_font: var(--prepatu-font, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif);
    --_accent: var(--prepatu-accent, #0b57d0);
    --_on-accent: var(--prepatu-on-accent, #ffffff);
    --_bg: var(--prepatu-bg, #ffffff);
    --_fg: var(--prepatu-fg, #1b1b1f);
    --_muted: var(--prepatu-muted, #545459);
    --_radius: var(--prepatu-radius, 12px);
    --_focus: var(--prepatu-focus-ring, #0b57d0);
    --_error: var(--prepatu-error, #b3261e);
    display: block;
    font-family: var(--_font);
    color: var(--_fg);
    line-height: 1.45;
  }
  @media (prefers-color-scheme: dark) {
    :host {
      --_accent: var(--prepatu-accent, #a8c7fa);
      --_on-accent: var(--prepatu-on-accent, #062e6f);
      --_bg: var(--prepatu-bg, #1d1d21);
      --_fg: var(--prepatu-fg, #f1f1f4);
      --_muted: var(--prepatu-muted, #c4c4cc);
      --_focus: var(--prepatu-focus-ring, #a8c7fa);
      --_error: var(--prepatu-error, #ffb4ab);
    }
  }
  :host([hidden]) {
    display: none;
  }
  .surface {
    background: var(--_bg);
    color: var(--_fg);
    border-radius: var(--_radius);
  }
  .surface:not(:empty) {
    padding: 1rem;
  }
  .prompt {
    margin: 0 0 0.75rem;
    font-weight: 600;
  }
  .prompt:focus {
    outline: none;
  }
  .prompt:focus-visible {
    outline: 2px solid var(--_focus);
    outline-offset: 2px;
  }
  [part~='field'] {
    display: flex;
    flex-direction: column;
    gap: 0.25rem;
    margin-bottom: 0.75rem;
  }
  [part~='label'] {
    font-weight: 500;
  }
  [part~='voice-filled'] {
    align-self: flex-start;
    font-size: 0.8125rem;
    color: var(--_muted);
    border: 1px solid currentColor;
    border-radius: 999px;
    padding: 0 0.5rem;
  }
  [part~='input'] {
    font: inherit;
    color: var(--_fg);
    background: var(--_bg);
    border: 1px solid var(--_muted);
    border-radius: calc(var(--_radius) / 2);
    padding: 0.5rem 0.625rem;
    transition: border-color 120ms ease, box-shadow 120ms ease;
  }
  textarea[part~='input'] {
    resize: vertical;
    min-height: 4.5rem;
  }
  [part~='fieldset'] {
    border: 0;
    padding: 0;
    margin: 0 0 0.75rem;
    min-width: 0;
  }
  [part~='fieldset'] > [part~='label'] {
    padding: 0;
    margin-bottom: 0.25rem;
  }
  [part~='choice'],
  .check-row {
    display: flex;
    align-items: center;
    gap: 0.5rem;
    min-height: 2rem;
  }
  [part~='check'] {
    width: 1.125rem;
    height: 1.125rem;
    margin: 0;
    accent-color: var(--_accent);
  }
  [part~='fieldset'][aria-invalid='true'] {
    border-inline-start: 3px solid var(--_error);
    padding-inline-start: 0.5rem;
  }
  [part~='check'][aria-invalid='true'] {
    outline: 2px solid var(--_error);
    outline-offset: 1px;
  }
  [part~='input'][aria-invalid='true'] {
    border-color: var(--_error);
    border-width: 2px;
  }
  [part~='input'].voice {
    border-color: var(--_accent);
  }
  [part~='error'] {
    color: var(--_error);
    font-size: 0.875rem;
  }
  button {
    font: inherit;
    cursor: pointer;
    border-radius: calc(var(--_radius) / 2);
    padding: 0.5rem 1rem;
    transition: background-color 120ms ease, transform 120ms ease;
  }
  [part~='submit'],
  [part~='confirm'] {
    border: 0;
    background: var(--_accent);
    color: var(--_on-accent);
    font-weight: 600;
  }
  [part~='options'] {
    display: flex;
    flex-direction: column;
    gap: 0.5rem;
  }
  [part~='option'] {
    text-align: start;
    border: 1px solid var(--_muted);
    background: var(--_bg);
    color: var(--_fg);
    display: flex;
    flex-direction: column;
  }
  [part~='option']:hover:not(:disabled) {
    border-color: var(--_accent);
  }
  [part~='option-selected'] {
    border: 2px solid var(--_accent);
  }
  .description {
    color: var(--_muted);
    font-size: 0.875rem;
  }
  button:disabled {
    cursor: not-allowed;
    opacity: 0.7;
  }
  :focus-visible {
    outline: 2px solid var(--_focus);
    outline-offset: 2px;
  }
  [part~='card-title'] {
    margin: 0 0 0.5rem;
    font-size: 1.125rem;
  }
  p[part~='card-content'] {
    white-space: pre-line;
  }
  [part~='card-score'] {
    display: flex;
    align-items: baseline;
    gap: 0.75rem;
    margin: 0 0 0.75rem;
  }
  .score-label {
    color: var(--_muted);
  }
  .score-value {
    font-size: 2.25rem;
    font-weight: 700;
    line-height: 1.1;
    font-variant-numeric: tabular-nums;
  }
  .card-body {
    max-height: var(--prepatu-card-max-height, 18rem);
    overflow: auto;
    overscroll-behavior: contain;
    margin: 0 0 0.75rem;
  }
  .card-body > * {
    margin: 0 0 0.75rem;
  }
  .card-body > :last-child {
    margin-bottom: 0;
  }
  .card-body dl {
    display: grid;
    grid-template-columns: fit-content(40%) 1fr;
    gap: 0.25rem 1rem;
  }
  .card-body dd dl {
    margin: 0;
  }
  .card-body dt {
    color: var(--_muted);
  }
  .card-body dd {
    margin: 0;
    overflow-wrap: anywhere;
  }
  .card-body ul {
    margin: 0;
    padding-inline-start: 1.25rem;
  }
  [part~='notice'].shown {
    margin-top: 0.75rem;
    padding: 0.5rem 0.75rem;
    border-inline-start: 4px solid var(--_accent);
    background: var(--_bg);
    color: var(--_fg);
    border-radius: calc(var(--_radius) / 3);
  }
  .sr-only {
    position: absolute;
    width: 1px;
    height: 1px;
    margin: -1px;
    padding: 0;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
    border: 0;
  }
  @media (prefers-reduced-motion: reduce) {
    *,
    *::before,
    *::after {
      transition: none !important;
      animation: none !important;
    }
  }
`;
