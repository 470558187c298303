/**
 * The launcher's styles are plain CSS text: the launcher loads before (and without) Lit. `css`
 * only joins the parts, and marks the templates for the bundles' minifier.
 */
const css = (strings: TemplateStringsArray, ...values: string[]): string => String.raw({ raw: strings }, ...values);

const light = css`
  --_bg: var(--prepatu-bg, #ffffff);
  --_fg: var(--prepatu-fg, #1b1b1f);
  --_muted: var(--prepatu-muted, #545459);
  --_accent: var(--prepatu-accent, #4338ca);
  --_on-accent: var(--prepatu-on-accent, #ffffff);
  --_surface: var(--prepatu-surface, #eef0f4);
  --_focus: var(--prepatu-focus-ring, #4338ca);
  --_error: var(--prepatu-error, #b3261e);
  --_listening: var(--prepatu-orb-listening, #0f766e);
  --_shadow: 0 12px 40px rgb(0 0 0 / 0.22), 0 0 0 1px rgb(0 0 0 / 0.08);
`;

const dark = css`
  --_bg: var(--prepatu-bg, #1d1d21);
  --_fg: var(--prepatu-fg, #f1f1f4);
  --_muted: var(--prepatu-muted, #c4c4cc);
  --_accent: var(--prepatu-accent, #a5b4fc);
  --_on-accent: var(--prepatu-on-accent, #14161d);
  --_surface: var(--prepatu-surface, #2a2d38);
  --_focus: var(--prepatu-focus-ring, #a5b4fc);
  --_error: var(--prepatu-error, #ffb4ab);
  --_listening: var(--prepatu-orb-listening, #5eead4);
  --_shadow: 0 12px 40px rgb(0 0 0 / 0.5), 0 0 0 1px rgb(255 255 255 / 0.12);
`;

/** Buttons and icons, as the launcher and the panel's controls share them. */
export const controlStyles = css`
  button {
    all: initial;
    display: inline-flex;
    align-items: center;
    justify-content: center;
    gap: 8px;
    box-sizing: border-box;
    min-width: 44px;
    min-height: 44px;
    padding: 0 18px;
    border-radius: 999px;
    border: 1px solid transparent;
    font: inherit;
    font-weight: 600;
    color: var(--_fg);
    background: var(--_surface);
    cursor: pointer;
    touch-action: manipulation;
    -webkit-tap-highlight-color: transparent;
    transition: filter 120ms, transform 120ms;
  }
  button:hover {
    filter: brightness(1.08);
  }
  button:active {
    transform: scale(0.97);
  }
  button:focus-visible {
    outline: 3px solid var(--_focus);
    outline-offset: 2px;
  }
  .primary {
    flex: 1;
    background: var(--_accent);
    color: var(--_on-accent);
  }
  svg {
    display: block;
    width: 24px;
    height: 24px;
    fill: none;
    stroke: currentColor;
    stroke-width: 2;
    stroke-linecap: round;
    stroke-linejoin: round;
  }
  .sr-only {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
  @media (prefers-reduced-motion: reduce) {
    button {
      transition: none;
    }
    button:active {
      transform: none;
    }
  }
  @media (forced-colors: active) {
    button {
      border: 1px solid CanvasText;
    }
  }
`;

/**
 * `<prepatu-widget>`'s look: the launcher and the panel's frame (the shell that loads first). The
 * host has no box of its own (`display: contents`) and resets what it inherits from the page; the
 * `!important` host declarations win over a page's own `!important` rules (shadow styles take
 * precedence for important declarations).
 */
export const widgetStyles =
  controlStyles +
  css`
  :host {
    all: initial;
    display: contents !important;
  }
  :host([hidden]) {
    display: none !important;
  }
  [hidden] {
    display: none !important;
  }
  :host([placement='inline']) {
    display: block !important;
  }
  .dock {
    all: initial;
    ${light}
    --_radius: var(--prepatu-radius, 16px);
    --_size: var(--prepatu-launcher-size, 56px);
    --_gap: 16px;
    position: fixed;
    z-index: var(--prepatu-z-index, 2147483000);
    inset: auto calc(var(--_gap) + env(safe-area-inset-right, 0px)) calc(var(--_gap) + env(safe-area-inset-bottom, 0px)) auto;
    display: flex;
    flex-direction: column-reverse;
    align-items: flex-end;
    gap: 12px;
    max-width: calc(100vw - 2 * var(--_gap));
    font-family: var(--prepatu-font, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif);
    font-size: 16px;
    line-height: 1.45;
    color: var(--_fg);
    color-scheme: light;
    pointer-events: none;
  }
  .dock > * {
    pointer-events: auto;
  }
  @media (prefers-color-scheme: dark) {
    .dock:not(.light) {
      ${dark}
      color-scheme: dark;
    }
  }
  .dock.dark {
    ${dark}
    color-scheme: dark;
  }
  .dock.bottom-left {
    inset: auto auto calc(var(--_gap) + env(safe-area-inset-bottom, 0px)) calc(var(--_gap) + env(safe-area-inset-left, 0px));
    align-items: flex-start;
  }
  .dock.top-right,
  .dock.top-left {
    flex-direction: column;
    top: calc(var(--_gap) + env(safe-area-inset-top, 0px));
    bottom: auto;
  }
  .dock.top-left {
    inset-inline: calc(var(--_gap) + env(safe-area-inset-left, 0px)) auto;
    align-items: flex-start;
  }
  .dock.center-bottom {
    inset-inline: 0;
    margin-inline: auto;
    width: fit-content;
    align-items: center;
  }
  .dock.inline {
    position: relative;
    inset: auto;
    z-index: auto;
    display: block;
    max-width: none;
  }
  .panel {
    --prepatu-bg: var(--_bg);
    --prepatu-fg: var(--_fg);
    --prepatu-muted: var(--_muted);
    --prepatu-accent: var(--_accent);
    --prepatu-on-accent: var(--_on-accent);
    --prepatu-surface: var(--_surface);
    --prepatu-focus-ring: var(--_focus);
    --prepatu-error: var(--_error);
    --prepatu-orb-listening: var(--_listening);
    --prepatu-orb-error: var(--_error);
    --prepatu-radius: calc(var(--_radius) * 0.75);
    --prepatu-orb-size: 48px;
    --prepatu-transcript-max-height: 14rem;
    display: flex;
    flex-direction: column;
    box-sizing: border-box;
    width: var(--prepatu-panel-width, 360px);
    max-width: 100%;
    max-height: min(640px, calc(100vh - var(--_size) - 4 * var(--_gap)));
    background: var(--_bg);
    color: var(--_fg);
    border-radius: var(--_radius);
    box-shadow: var(--_shadow);
    overflow: hidden;
    animation: rise 160ms ease-out;
  }
  .panel[hidden] {
    display: none;
  }
  .inline .panel {
    width: auto;
    max-height: none;
    animation: none;
  }
  .compact .panel {
    width: var(--prepatu-panel-width, 300px);
  }
  @keyframes rise {
    from {
      transform: translateY(8px);
    }
  }
  .header {
    display: flex;
    align-items: flex-start;
    gap: 8px;
    padding: 16px 12px 8px 16px;
  }
  .heading {
    flex: 1;
    min-width: 0;
  }
  h2 {
    display: block;
    margin: 0;
    font-size: 1.0625rem;
    font-weight: 650;
    line-height: 1.3;
  }
  .subtitle {
    display: block;
    margin: 2px 0 0;
    font-size: 0.875rem;
    color: var(--_muted);
  }
  prepatu-widget-panel {
    display: flex;
    flex-direction: column;
    flex: 1;
    min-height: 0;
  }
  prepatu-widget-panel:not(:defined) {
    display: none;
  }
  .loading {
    margin: 0;
    padding: 16px;
    color: var(--_muted);
  }
  .icon {
    padding: 0;
    width: 44px;
    border-radius: 50%;
    background: transparent;
  }
  .launcher {
    background: var(--_accent);
    color: var(--_on-accent);
    position: relative;
    width: var(--_size);
    height: var(--_size);
    max-width: 64px;
    max-height: 64px;
    padding: 0;
    border-radius: 50%;
    box-shadow: var(--_shadow);
  }
  .inline .launcher {
    display: none;
  }
  .launcher.live::after {
    content: '';
    position: absolute;
    top: 2px;
    right: 2px;
    width: 12px;
    height: 12px;
    border-radius: 50%;
    background: var(--_listening);
    border: 2px solid var(--_bg);
  }
  @media (max-width: 480px) {
    .dock:not(.inline) .panel {
      position: fixed;
      inset: auto 0 0 0;
      width: auto;
      max-width: none;
      max-height: 85vh;
      max-height: 85dvh;
      border-radius: var(--_radius) var(--_radius) 0 0;
      padding: 0 env(safe-area-inset-right, 0px) env(safe-area-inset-bottom, 0px) env(safe-area-inset-left, 0px);
    }
    .dock.open:not(.inline) .launcher {
      display: none;
    }
  }
  @media (prefers-reduced-motion: reduce) {
    .panel {
      animation: none;
    }
  }
  @media (forced-colors: active) {
    .panel {
      border: 1px solid CanvasText;
    }
  }
`;

