import type {
  Artifact,
  JsonObject,
  JsonValue,
  OrbPosition,
  ServerMessage,
  TransitionBlockedMessage,
} from './messages.js';

/**
 * One view of "where the flow is", whichever dialect the server speaks: a
 * documented `flow_state` and a reference-backend state-entry `artifact` both
 * set `artifact`. Immutable: `reduceFlowView` returns a new object when
 * something changed and the same object otherwise.
 */
export interface FlowView {
  flowId: string | null;
  /** State name; `null` with the reference backend, which never names states. */
  state: string | null;
  /** The artifact to render now (never a `field_update`/`dismiss`). */
  artifact: Artifact | null;
  variables: Readonly<JsonObject>;
  /** Values filled by voice, per field id, for the current artifact. */
  filled: Readonly<Record<string, JsonValue>>;
  /** Actions the server accepts now; `null` when the server does not say (reference dialect). */
  availableActions: readonly string[] | null;
  orbPosition: OrbPosition | null;
  blocked: TransitionBlockedMessage | null;
  ended: { reason: string; variables: JsonObject } | null;
}

export const EMPTY_FLOW_VIEW: FlowView = Object.freeze({
  flowId: null,
  state: null,
  artifact: null,
  variables: {},
  filled: {},
  availableActions: null,
  orbPosition: null,
  blocked: null,
  ended: null,
});

function enter(view: FlowView, artifact: Artifact | null, patch: Partial<FlowView>): FlowView {
  return {
    ...view,
    ...patch,
    artifact,
    filled: {},
    blocked: null,
    orbPosition: artifact?.artifact_type === 'orb_layout' ? artifact.position : view.orbPosition,
  };
}

/** Folds one server message into the flow view. */
export function reduceFlowView(view: FlowView, msg: ServerMessage): FlowView {
  switch (msg.type) {
    case 'flow_state':
      return enter(view, msg.artifact, {
        flowId: msg.flow_id,
        state: msg.state,
        variables: { ...msg.variables },
        availableActions: [...msg.available_actions],
      });
    case 'artifact': {
      const a = msg.artifact;
      if (a.artifact_type === 'field_update')
        return { ...view, filled: { ...view.filled, [a.field_id]: a.value } };
      if (a.artifact_type === 'dismiss') {
        const all = a.target_id == null;
        if (!all && view.artifact?.id !== a.target_id) return view;
        return { ...view, artifact: null, filled: {} };
      }
      if (a.artifact_type === 'unknown') return view;
      // Reference dialect: an artifact message is a state entry. It names no actions.
      return enter(view, a, { availableActions: view.state === null ? null : view.availableActions });
    }
    case 'flow_variable':
      return { ...view, flowId: view.flowId ?? msg.flow_id ?? null, variables: { ...view.variables, [msg.key]: msg.value } };
    case 'transition_blocked':
      return { ...view, blocked: msg };
    case 'flow_end':
      return {
        ...view,
        flowId: view.flowId ?? msg.flow_id ?? null,
        variables: { ...view.variables, ...msg.variables },
        ended: { reason: msg.reason ?? 'completed', variables: msg.variables },
      };
    default:
      return view;
  }
}

/** Whether an action may be offered: unknown action lists (reference dialect) allow everything. */
export const isActionAvailable = (view: FlowView, action: string): boolean =>
  view.availableActions === null || view.availableActions.includes(action);
