// Registers every element under its default tag (for bundler apps: everything at once; the
// script-tag bundles load lazily instead, see src/prepatu.ts). With the bundle entries and
// src/elements/widget/load-panel.ts, the only modules with a side effect; each `define()` skips a
// tag that is already taken.
import './elements/widget/load-panel.js';
import { PrepatuWidget } from './elements/prepatu-widget.js';

PrepatuWidget.define();

// Keeps the element modules in define.d.ts, so their HTMLElementTagNameMap entries reach a
// TypeScript app whose only import is this one (`querySelector('prepatu-widget')` is typed).
export type { PrepatuArtifact } from './elements/prepatu-artifact.js';
export type { PrepatuOrb } from './elements/prepatu-orb.js';
export type { PrepatuSession } from './elements/prepatu-session.js';
export type { PrepatuTranscript } from './elements/prepatu-transcript.js';
export type { PrepatuWidget };
