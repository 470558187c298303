// Registers every element under its default tag (for bundler apps: everything at once; the
// script-tag bundles load lazily instead, see src/prepatu.ts). With the bundle entries and
// src/elements/widget/load-panel.ts, the only modules with a side effect; each `define()` skips a
// tag that is already taken.
import './elements/widget/load-panel.js';
import { PrepatuWidget } from './elements/prepatu-widget.js';

PrepatuWidget.define();
