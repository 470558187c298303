import { html, svg, type SVGTemplateResult, type TemplateResult } from 'lit';

export const icon = (paths: SVGTemplateResult): TemplateResult => html`<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">${paths}</svg>`;
export const MIC = svg`<path d="M12 3a3 3 0 0 0-3 3v6a3 3 0 0 0 6 0V6a3 3 0 0 0-3-3zM19 11a7 7 0 0 1-14 0M12 18v3" />`;
export const CLOSE = svg`<path d="M6 6l12 12M18 6L6 18" />`;
export const MIC_OFF = svg`${MIC}<path d="M4 4l16 16" />`;
