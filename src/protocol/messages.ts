/**
 * PVP message types: the documented contract (`wire-protocol-pvp.txt`) plus the
 * variants the reference backend really sends (`backend-interop.md`). Server
 * messages are the *parsed* shapes: dialect differences (`field_value` vs
 * `value`, top-level artifact fields) are already folded into one shape.
 */

/** Values of a PVP `status` message. */
export type ServerStatus = 'idle' | 'listening' | 'speaking' | 'ended';

/** The session lifecycle the SDK reports (`connecting.txt`, plus `error`). */
export type SessionStatus =
  | 'idle'
  | 'connecting'
  | 'connected'
  | 'listening'
  | 'speaking'
  | 'ended'
  | 'error';

export type JsonValue =
  | null
  | boolean
  | number
  | string
  | JsonValue[]
  | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

// ---------------------------------------------------------------- artifacts

export interface FormField {
  id: string;
  /**
   * `text`, `email`, `tel`, `number`, `date`, `time`, `url`, `textarea`, `select`, `radio`,
   * `checkbox`; anything else renders as text.
   */
  type: string;
  label?: string;
  placeholder?: string;
  required?: boolean;
  /** The choices of a `select` or `radio` field. */
  options?: OptionItem[];
}

export interface FormArtifact {
  artifact_type: 'form';
  id?: string;
  prompt?: string;
  fields: FormField[];
}

/** Auto-fill of one form field; `field_value` from the reference backend is folded into `value`. */
export interface FieldUpdateArtifact {
  artifact_type: 'field_update';
  id?: string;
  field_id: string;
  value: JsonValue;
}

export interface OptionItem {
  id: string;
  label: string;
  description?: string;
}

export interface OptionsArtifact {
  artifact_type: 'options';
  id?: string;
  prompt?: string;
  options: OptionItem[];
}

/**
 * Documented shape (`card_type/title/content`) or reference shape (`prompt/params`). The
 * reference backend's model-made cards (`card_type` "score" or "info") carry an object as
 * `content`.
 */
export interface CardArtifact {
  artifact_type: 'card';
  id?: string;
  card_type?: string;
  title?: string;
  /** Text, a list or an object of values (rendered as a definition list). */
  content?: JsonValue;
  prompt?: string;
  params?: JsonObject;
}

export type OrbPosition = 'center' | 'bottom' | 'bottom_right' | 'top_right' | 'center_bottom';
export const ORB_POSITIONS: readonly OrbPosition[] = [
  'center',
  'bottom',
  'bottom_right',
  'top_right',
  'center_bottom',
];

export interface OrbLayoutArtifact {
  artifact_type: 'orb_layout';
  id?: string;
  position: OrbPosition;
}

export interface NavigateArtifact {
  artifact_type: 'navigate';
  id?: string;
  screen: string;
  params?: JsonObject;
  /** Choices a model-driven `navigate` may carry (strings normalised to `{id, label}`). */
  options?: OptionItem[];
}

export interface DismissArtifact {
  artifact_type: 'dismiss';
  id?: string;
  /** `null`/absent: dismiss everything. */
  target_id?: string | null;
}

export interface CustomArtifact {
  artifact_type: 'custom';
  id?: string;
  component?: string;
  props?: JsonObject;
}

/** An `artifact_type` this version does not know: kept, never rendered. */
export interface UnknownArtifact {
  artifact_type: 'unknown';
  id?: string;
  original_type: string;
  raw: JsonObject;
}

export type Artifact =
  | FormArtifact
  | FieldUpdateArtifact
  | OptionsArtifact
  | CardArtifact
  | OrbLayoutArtifact
  | NavigateArtifact
  | DismissArtifact
  | CustomArtifact
  | UnknownArtifact;

export type ArtifactType = Artifact['artifact_type'];

// ---------------------------------------------------------- server → client

export interface ConfigMessage {
  type: 'config';
  audio_sample_rate: number;
  audio_encoding: string;
  /** Reference backend only. */
  audio_channels?: number;
}

export interface StatusMessage {
  type: 'status';
  status: ServerStatus;
}

export interface TranscriptMessage {
  type: 'transcript';
  id?: string;
  role: 'user' | 'assistant';
  text: string;
  /** Reference backend only. */
  is_final?: boolean;
}

export interface PongMessage {
  type: 'pong';
  ts: number;
  /** Absent on the reference WebRTC control socket. */
  server_ts?: number;
}

export interface ErrorMessage {
  type: 'error';
  message: string;
}

export interface FlowStateMessage {
  type: 'flow_state';
  flow_id: string;
  state: string;
  artifact: Artifact | null;
  variables: JsonObject;
  available_actions: string[];
}

export interface FlowVariableMessage {
  type: 'flow_variable';
  flow_id?: string;
  key: string;
  value: JsonValue;
}

/** A documented mid-state update, or a reference-backend state entry. */
export interface ArtifactMessage {
  type: 'artifact';
  artifact: Artifact;
}

export interface FlowEndMessage {
  type: 'flow_end';
  flow_id?: string;
  reason?: string;
  variables: JsonObject;
}

/** Reference backend: a transition held by a pending confirmation gate. */
export interface TransitionBlockedMessage {
  type: 'transition_blocked';
  flow_id?: string;
  from_state?: string;
  attempted_target?: string;
  reason?: string;
  detail?: string;
  variables?: JsonObject;
}

/**
 * A short label of what the agent just did ("Question", "Greeting"): the reference backend's
 * top-level `intent` message after each agent turn, or a model-sent `intent` artifact (folded
 * into this message). Never a state entry: the artifact on screen stays.
 */
export interface IntentMessage {
  type: 'intent';
  text: string;
}

/**
 * A message whose `type` this version does not know, or a `status` whose value it does not
 * know (`original_type: 'status'`): passed through, never an error.
 */
export interface UnknownMessage {
  type: 'unknown';
  original_type: string;
  raw: JsonObject;
}

export type ServerMessage =
  | ConfigMessage
  | StatusMessage
  | TranscriptMessage
  | PongMessage
  | ErrorMessage
  | FlowStateMessage
  | FlowVariableMessage
  | ArtifactMessage
  | FlowEndMessage
  | TransitionBlockedMessage
  | IntentMessage
  | UnknownMessage;

export type ServerMessageType = ServerMessage['type'];

// ---------------------------------------------------------- client → server

export interface PingMessage {
  type: 'ping';
  ts: number;
}

export interface ClientConfigMessage {
  type: 'config';
  sample_rate: number;
  channels: number;
}

export interface UiEventMessage {
  type: 'ui_event';
  flow_id?: string;
  action: string;
  data: JsonObject;
}

export type ClientMessage = PingMessage | ClientConfigMessage | UiEventMessage;

/** Audio format PVP uses in both directions unless `config` says otherwise. */
export const PCM16_DEFAULT_RATE = 16_000;
