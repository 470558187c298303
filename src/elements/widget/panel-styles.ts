import { css, unsafeCSS } from 'lit';
import { controlStyles } from './shell-styles.js';

// Apart from the launcher's styles (shell-styles.ts, plain CSS text: the launcher has no Lit), so
// that they load with the panel's code.

/** The inside of the panel (`<prepatu-widget-panel>`), which loads when the visitor shows interest. */
export const panelStyles = [
  unsafeCSS(controlStyles),
  css`
  :host {
    display: flex;
    flex-direction: column;
    flex: 1;
    min-height: 0;
  }
  prepatu-session {
    display: contents;
  }
  .body {
    display: flex;
    flex-direction: column;
    gap: 12px;
    flex: 1;
    min-height: 0;
    overflow-y: auto;
    overscroll-behavior: contain;
    padding: 4px 16px;
  }
  .stage {
    display: flex;
    align-items: center;
    gap: 12px;
  }
  prepatu-orb {
    flex: none;
  }
  .stage-text {
    display: flex;
    flex-direction: column;
    align-items: flex-start;
    gap: 4px;
    min-width: 0;
  }
  .intent {
    display: inline-block;
    max-width: 100%;
    padding: 1px 10px;
    border-radius: 999px;
    background: var(--_surface);
    color: var(--_accent);
    font-size: 13px;
    font-weight: 600;
    line-height: 1.5;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .status {
    display: block;
    margin: 0;
    color: var(--_muted);
  }
  .network {
    margin: 0;
    text-align: center;
    font-size: 0.875em;
    color: var(--_muted);
  }
  .error {
    display: block;
    margin: 0;
    padding: 10px 12px;
    border-radius: calc(var(--_radius) * 0.6);
    border: 1px solid var(--_error);
    color: var(--_fg);
  }
  .controls {
    display: flex;
    flex-wrap: wrap;
    gap: 8px;
    padding: 12px 16px 16px;
  }
  .end {
    flex: 1;
    background: var(--_error);
    color: var(--_bg);
  }
  .mute[aria-pressed='true'] {
    background: var(--_fg);
    color: var(--_bg);
  }
  .mute {
    flex: none;
    width: 48px;
    padding: 0;
    background: var(--_surface);
  }
  .icon {
    flex: none;
    padding: 0;
    width: 44px;
    border-radius: 50%;
    background: transparent;
  }
  .devices-toggle {
    margin-inline-start: auto;
  }
  .devices-toggle[aria-expanded='true'] {
    background: var(--_surface);
  }
  .devices {
    display: grid;
    gap: 8px;
    padding: 12px;
    border-radius: calc(var(--_radius) * 0.6);
    background: var(--_surface);
  }
  label {
    display: grid;
    gap: 4px;
    font-size: 0.875rem;
    font-weight: 600;
  }
  select {
    min-height: 44px;
    min-width: 0;
    padding: 0 8px;
    font: inherit;
    font-weight: 400;
    color: var(--_fg);
    background: var(--_bg);
    border: 1px solid var(--_muted);
    border-radius: 8px;
  }
  select:focus-visible {
    outline: 3px solid var(--_focus);
    outline-offset: 2px;
  }
  .caption {
    margin: 0;
    padding: 10px 12px;
    border-radius: calc(var(--_radius) * 0.6);
    background: var(--_surface);
    font-size: 1.0625rem;
    line-height: 1.4;
    white-space: pre-wrap;
    overflow-wrap: anywhere;
  }
  .consent,
  .summary {
    display: flex;
    flex-direction: column;
    align-items: flex-start;
    gap: 8px;
    padding: 12px;
    border-radius: calc(var(--_radius) * 0.6);
    border: 1px solid var(--_muted);
  }
  .consent .primary {
    flex: none;
  }
  h3 {
    margin: 0;
    font-size: 1rem;
    font-weight: 650;
  }
  dl {
    display: grid;
    grid-template-columns: minmax(0, auto) minmax(0, 1fr);
    gap: 4px 12px;
    margin: 0;
  }
  dt {
    color: var(--_muted);
  }
  dd {
    margin: 0;
    font-weight: 600;
    overflow-wrap: anywhere;
  }
`,
];
