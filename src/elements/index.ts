// The elements' public API. No side effects: nothing is registered here (see ../define.ts).
export { PrepatuSession } from './prepatu-session.js';
export { PrepatuArtifact, DEFAULT_ARTIFACT_STRINGS, type ArtifactStrings } from './prepatu-artifact.js';
export { PrepatuTranscript, DEFAULT_TRANSCRIPT_STRINGS, type TranscriptStrings } from './prepatu-transcript.js';
export { PrepatuOrb, DEFAULT_ORB_STRINGS, type OrbStrings } from './prepatu-orb.js';
export { DEFAULT_WIDGET_STRINGS } from './widget/strings.js';
export {
  PrepatuWidget,
  PrepatuWidgetToggleEvent,
  type WidgetStrings,
  type WidgetPlacement,
  type WidgetPhase,
} from './prepatu-widget.js';
export { SessionController, idleState, type AgentFactory } from './session-controller.js';
export { defineElement } from './define-element.js';
export { sessionContext, type SessionContextValue } from './context.js';
export * from './events.js';
