import type { AgentState, TranscriptEntry } from '../agent/voice-agent.js';
import type { FlowView } from '../protocol/flow-view.js';
import type { Artifact, JsonObject, JsonValue, OptionItem, ServerMessage, SessionStatus } from '../protocol/messages.js';
import type { PrepatuError, PrepatuWarning } from '../protocol/errors.js';

/**
 * Every event the elements fire: bubbling and composed (they cross shadow roots, so a
 * page listening on `document` hears a widget's inner session), typed in
 * `GlobalEventHandlersEventMap` below.
 */
const init = <T>(detail: T, cancelable = false): CustomEventInit<T> => ({ detail, bubbles: true, composed: true, cancelable });

export interface UiEventDetail {
  action: string;
  data: JsonObject;
  flow_id: string | null;
}

/** A user action on an artifact. Cancelable: `preventDefault()` stops the session from sending the `ui_event`. */
export class PrepatuUiEvent extends CustomEvent<UiEventDetail> {
  static readonly type = 'prepatu-ui-event';
  constructor(detail: UiEventDetail) {
    super(PrepatuUiEvent.type, init(detail, true));
  }
}

export class PrepatuStatusEvent extends CustomEvent<{ status: SessionStatus; state: AgentState }> {
  static readonly type = 'prepatu-status';
  constructor(status: SessionStatus, state: AgentState) {
    super(PrepatuStatusEvent.type, init({ status, state }));
  }
}

export class PrepatuMessageEvent extends CustomEvent<{ message: ServerMessage }> {
  static readonly type = 'prepatu-message';
  constructor(message: ServerMessage) {
    super(PrepatuMessageEvent.type, init({ message }));
  }
}

export class PrepatuErrorEvent extends CustomEvent<{ error: PrepatuError }> {
  static readonly type = 'prepatu-error';
  constructor(error: PrepatuError) {
    super(PrepatuErrorEvent.type, init({ error }));
  }
}

/** The session went on past a problem: a server message read leniently or dropped, a slow network. */
export class PrepatuWarningEvent extends CustomEvent<{ warning: PrepatuWarning }> {
  static readonly type = 'prepatu-warning';
  constructor(warning: PrepatuWarning) {
    super(PrepatuWarningEvent.type, init({ warning }));
  }
}

export class PrepatuTranscriptEvent extends CustomEvent<{ entry: TranscriptEntry; transcript: readonly TranscriptEntry[] }> {
  static readonly type = 'prepatu-transcript';
  constructor(entry: TranscriptEntry, transcript: readonly TranscriptEntry[]) {
    super(PrepatuTranscriptEvent.type, init({ entry, transcript }));
  }
}

export class PrepatuFlowStateEvent extends CustomEvent<{ flow: FlowView }> {
  static readonly type = 'prepatu-flow-state';
  constructor(flow: FlowView) {
    super(PrepatuFlowStateEvent.type, init({ flow }));
  }
}

export class PrepatuVariableEvent extends CustomEvent<{ key: string; value: JsonValue; variables: Readonly<JsonObject> }> {
  static readonly type = 'prepatu-variable';
  constructor(key: string, value: JsonValue, variables: Readonly<JsonObject>) {
    super(PrepatuVariableEvent.type, init({ key, value, variables }));
  }
}

export class PrepatuFlowEndEvent extends CustomEvent<{ reason: string; variables: JsonObject }> {
  static readonly type = 'prepatu-flow-end';
  constructor(reason: string, variables: JsonObject) {
    super(PrepatuFlowEndEvent.type, init({ reason, variables }));
  }
}

export interface NavigateDetail {
  screen: string;
  params: JsonObject;
  /** Choices the agent offered with the navigation (empty when none), as `{id, label}`. */
  options: readonly OptionItem[];
}

/** The flow asked the page to navigate. Cancelable; the page decides what a screen is. */
export class PrepatuNavigateEvent extends CustomEvent<NavigateDetail> {
  static readonly type = 'prepatu-navigate';
  constructor(screen: string, params: JsonObject, options: readonly OptionItem[] = []) {
    super(PrepatuNavigateEvent.type, init({ screen, params, options }, true));
  }
}

/**
 * The server labelled the agent's turn ("Question", "Greeting"): the reference backend's
 * `intent`. The label holds until the next agent turn starts (`state.intent`).
 */
export class PrepatuIntentEvent extends CustomEvent<{ text: string }> {
  static readonly type = 'prepatu-intent';
  constructor(text: string) {
    super(PrepatuIntentEvent.type, init({ text }));
  }
}

/** An artifact type this version does not know; it rendered nothing. */
export class PrepatuUnknownArtifactEvent extends CustomEvent<{ artifact: Artifact }> {
  static readonly type = 'prepatu-unknown-artifact';
  constructor(artifact: Artifact) {
    super(PrepatuUnknownArtifactEvent.type, init({ artifact }));
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'prepatu-ui-event': PrepatuUiEvent;
    'prepatu-status': PrepatuStatusEvent;
    'prepatu-message': PrepatuMessageEvent;
    'prepatu-error': PrepatuErrorEvent;
    'prepatu-warning': PrepatuWarningEvent;
    'prepatu-transcript': PrepatuTranscriptEvent;
    'prepatu-flow-state': PrepatuFlowStateEvent;
    'prepatu-variable': PrepatuVariableEvent;
    'prepatu-flow-end': PrepatuFlowEndEvent;
    'prepatu-navigate': PrepatuNavigateEvent;
    'prepatu-intent': PrepatuIntentEvent;
    'prepatu-unknown-artifact': PrepatuUnknownArtifactEvent;
  }
}
