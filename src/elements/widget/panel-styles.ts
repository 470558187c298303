import { css, unsafeCSS } from 'lit';
import { controlStyles } from './shell-styles.js';

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
    width: 48px;
    background: var(--_surface);
  }
`,
];
