// Registers every element under its default tag. With src/prepatu.ts (the bundle entry),
// the only module with a side effect; each `define()` skips a tag that is already taken.
import { PrepatuArtifact } from './elements/prepatu-artifact.js';
import { PrepatuOrb } from './elements/prepatu-orb.js';
import { PrepatuSession } from './elements/prepatu-session.js';
import { PrepatuTranscript } from './elements/prepatu-transcript.js';
import { PrepatuWidget } from './elements/prepatu-widget.js';

PrepatuSession.define();
PrepatuArtifact.define();
PrepatuTranscript.define();
PrepatuOrb.define();
PrepatuWidget.define();

// Keeps the element modules in define.d.ts, so their HTMLElementTagNameMap entries reach a
// TypeScript app whose only import is this one (`querySelector('prepatu-widget')` is typed).
export type { PrepatuArtifact, PrepatuOrb, PrepatuSession, PrepatuTranscript, PrepatuWidget };
