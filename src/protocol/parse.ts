import { PrepatuError, type PrepatuWarning } from './errors.js';
import {
  ORB_POSITIONS,
  type Artifact,
  type ClientMessage,
  type FormField,
  type JsonObject,
  type JsonValue,
  type OptionItem,
  type OrbPosition,
  type ServerMessage,
  type ServerStatus,
} from './messages.js';

/** Text frames longer than this are refused before `JSON.parse` sees them. */
export const MAX_MESSAGE_CHARS = 1_000_000;

/**
 * A message that could be used (with at most one `warning` when part of it had to be coerced
 * or dropped), or the reason none of it could.
 */
export type ParseResult<T> = { ok: true; message: T; warning?: PrepatuWarning } | { ok: false; error: PrepatuError };

const SERVER_STATUSES: readonly ServerStatus[] = ['idle', 'listening', 'speaking', 'ended'];

const isObject = (v: unknown): v is JsonObject =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Thrown only inside this module; `parse*` turns it into a result. */
class FieldError extends Error {
  constructor(
    readonly field: string,
    readonly expected: string,
  ) {
    super(`field "${field}" must be ${expected}`);
  }
}

function str(o: JsonObject, key: string): string {
  const v = o[key];
  if (typeof v !== 'string') throw new FieldError(key, 'a string');
  return v;
}
function optStr(o: JsonObject, key: string): string | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw new FieldError(key, 'a string');
  return v;
}
function num(o: JsonObject, key: string): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new FieldError(key, 'a finite number');
  return v;
}
function optNum(o: JsonObject, key: string): number | undefined {
  return o[key] === undefined || o[key] === null ? undefined : num(o, key);
}
function optBool(o: JsonObject, key: string): boolean | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') throw new FieldError(key, 'a boolean');
  return v;
}
function obj(o: JsonObject, key: string): JsonObject {
  const v = o[key];
  if (!isObject(v)) throw new FieldError(key, 'an object');
  return v;
}
function optObj(o: JsonObject, key: string): JsonObject | undefined {
  return o[key] === undefined || o[key] === null ? undefined : obj(o, key);
}
function strArray(o: JsonObject, key: string): string[] {
  const v = o[key];
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string'))
    throw new FieldError(key, 'an array of strings');
  return v as string[];
}
/** Copies only the keys that are present, so round-trips do not grow `undefined`s. */
function defined<T extends object>(o: T): T {
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] === undefined) delete o[k];
  return o;
}

function parseField(v: JsonValue, i: number): FormField {
  if (!isObject(v)) throw new FieldError(`fields[${i}]`, 'an object');
  return defined({
    id: str(v, 'id'),
    type: optStr(v, 'type') ?? 'text',
    label: optStr(v, 'label'),
    placeholder: optStr(v, 'placeholder'),
    required: optBool(v, 'required'),
  });
}

function parseOption(v: JsonValue, i: number): OptionItem {
  if (!isObject(v)) throw new FieldError(`options[${i}]`, 'an object');
  const id = str(v, 'id');
  return defined({ id, label: optStr(v, 'label') ?? id, description: optStr(v, 'description') });
}

/**
 * Reads an artifact from its fields, wherever they sit (inside `flow_state.artifact`
 * or at the top level of a reference-backend `artifact` message).
 */
export function parseArtifact(o: JsonObject): Artifact {
  const type = str(o, 'artifact_type');
  const id = optStr(o, 'id');
  switch (type) {
    case 'form': {
      const fields = o['fields'];
      if (!Array.isArray(fields)) throw new FieldError('fields', 'an array');
      return defined({ artifact_type: type, id, prompt: optStr(o, 'prompt'), fields: fields.map(parseField) });
    }
    case 'field_update': {
      const value = o['value'] !== undefined ? o['value'] : o['field_value'];
      if (value === undefined) throw new FieldError('value', 'present (or field_value)');
      return defined({ artifact_type: type, id, field_id: str(o, 'field_id'), value });
    }
    case 'options': {
      const options = o['options'];
      if (!Array.isArray(options)) throw new FieldError('options', 'an array');
      return defined({ artifact_type: type, id, prompt: optStr(o, 'prompt'), options: options.map(parseOption) });
    }
    case 'card':
      return defined({
        artifact_type: type,
        id,
        card_type: optStr(o, 'card_type'),
        title: optStr(o, 'title'),
        content: optStr(o, 'content'),
        prompt: optStr(o, 'prompt'),
        params: optObj(o, 'params'),
      });
    case 'orb_layout': {
      const position = str(o, 'position');
      if (!(ORB_POSITIONS as readonly string[]).includes(position))
        throw new FieldError('position', `one of ${ORB_POSITIONS.join(', ')}`);
      return defined({ artifact_type: type, id, position: position as OrbPosition });
    }
    case 'navigate':
      return defined({ artifact_type: type, id, screen: str(o, 'screen'), params: optObj(o, 'params') });
    case 'dismiss':
      return defined({ artifact_type: type, id, target_id: optStr(o, 'target_id') ?? null });
    case 'custom':
      return defined({ artifact_type: type, id, component: optStr(o, 'component'), props: optObj(o, 'props') });
    default:
      return defined({ artifact_type: 'unknown', id, original_type: type, raw: o });
  }
}

function topLevelArtifact(o: JsonObject): JsonObject {
  const rest: JsonObject = {};
  for (const [k, v] of Object.entries(o)) if (k !== 'type') rest[k] = v;
  return rest;
}

function serverMessage(o: JsonObject): ServerMessage {
  const type = str(o, 'type');
  switch (type) {
    case 'config':
      return defined({
        type,
        audio_sample_rate: optNum(o, 'audio_sample_rate') ?? 16_000,
        audio_encoding: optStr(o, 'audio_encoding') ?? 'pcm_s16le',
        audio_channels: optNum(o, 'audio_channels'),
      });
    case 'status': {
      const status = str(o, 'status');
      if (!(SERVER_STATUSES as readonly string[]).includes(status))
        throw new FieldError('status', `one of ${SERVER_STATUSES.join(', ')}`);
      return { type, status: status as ServerStatus };
    }
    case 'transcript': {
      const role = str(o, 'role');
      if (role !== 'user' && role !== 'assistant') throw new FieldError('role', '"user" or "assistant"');
      return defined({ type, id: optStr(o, 'id'), role, text: str(o, 'text'), is_final: optBool(o, 'is_final') });
    }
    case 'pong':
      return defined({ type, ts: num(o, 'ts'), server_ts: optNum(o, 'server_ts') });
    case 'error':
      return { type, message: optStr(o, 'message') ?? 'unspecified server error' };
    case 'flow_state': {
      const a = o['artifact'];
      return {
        type,
        flow_id: str(o, 'flow_id'),
        state: str(o, 'state'),
        artifact: isObject(a) ? parseArtifact(a) : a === null || a === undefined ? null : bad('artifact', 'an object or null'),
        variables: optObj(o, 'variables') ?? {},
        available_actions: o['available_actions'] === undefined ? [] : strArray(o, 'available_actions'),
      };
    }
    case 'flow_variable': {
      if (!('value' in o)) throw new FieldError('value', 'present');
      return defined({ type, flow_id: optStr(o, 'flow_id'), key: str(o, 'key'), value: o['value'] as JsonValue });
    }
    case 'artifact': {
      // Documented: nested `artifact` object is not used; both dialects put fields at the top level.
      const nested = o['artifact'];
      return { type, artifact: parseArtifact(isObject(nested) && !('artifact_type' in o) ? nested : topLevelArtifact(o)) };
    }
    case 'navigate':
      // A reference agent sends `{"type":"navigate", screen, params}`: treat it as the artifact it meant.
      return { type: 'artifact', artifact: parseArtifact({ ...topLevelArtifact(o), artifact_type: 'navigate' }) };
    case 'flow_end':
      return defined({ type, flow_id: optStr(o, 'flow_id'), reason: optStr(o, 'reason'), variables: optObj(o, 'variables') ?? {} });
    case 'transition_blocked':
      return defined({
        type,
        flow_id: optStr(o, 'flow_id'),
        from_state: optStr(o, 'from_state'),
        attempted_target: optStr(o, 'attempted_target'),
        reason: optStr(o, 'reason'),
        detail: optStr(o, 'detail'),
        variables: optObj(o, 'variables'),
      });
    default:
      return { type: 'unknown', original_type: type, raw: o };
  }
}

function bad(field: string, expected: string): never {
  throw new FieldError(field, expected);
}

function parseWith<T>(text: unknown, read: (o: JsonObject) => T, maxChars: number): ParseResult<T> {
  if (typeof text !== 'string')
    return { ok: false, error: new PrepatuError('invalid_message', 'PVP text frame is not a string') };
  if (text.length > maxChars)
    return {
      ok: false,
      error: new PrepatuError('message_too_large', `PVP message of ${text.length} characters exceeds the ${maxChars}-character limit`, { length: text.length, limit: maxChars }),
    };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    return { ok: false, error: new PrepatuError('invalid_json', 'PVP message is not valid JSON', { sample: text.slice(0, 80) }, { cause }) };
  }
  if (!isObject(value))
    return { ok: false, error: new PrepatuError('invalid_message', 'PVP message must be a JSON object', { sample: text.slice(0, 80) }) };
  try {
    return { ok: true, message: read(value) };
  } catch (e) {
    if (e instanceof FieldError) {
      const type = typeof value['type'] === 'string' ? value['type'] : undefined;
      return {
        ok: false,
        error: new PrepatuError('invalid_message', `PVP ${type ?? 'message'}: ${e.message}`, { type, field: e.field }),
      };
    }
    /* c8 ignore next */
    return { ok: false, error: new PrepatuError('invalid_message', 'PVP message could not be read', {}, { cause: e }) };
  }
}

/** Parses one server text frame. Never throws. */
export function parseServerMessage(text: unknown, maxChars = MAX_MESSAGE_CHARS): ParseResult<ServerMessage> {
  return parseWith(text, serverMessage, maxChars);
}

function clientMessage(o: JsonObject): ClientMessage {
  const type = str(o, 'type');
  switch (type) {
    case 'ping':
      return { type, ts: num(o, 'ts') };
    case 'config':
      return { type, sample_rate: num(o, 'sample_rate'), channels: num(o, 'channels') };
    case 'ui_event':
      return defined({ type, flow_id: optStr(o, 'flow_id'), action: str(o, 'action'), data: optObj(o, 'data') ?? {} });
    default:
      throw new FieldError('type', 'ping, config or ui_event');
  }
}

/** Parses one client text frame (what a PVP server reads). Never throws. */
export function parseClientMessage(text: unknown, maxChars = MAX_MESSAGE_CHARS): ParseResult<ClientMessage> {
  return parseWith(text, clientMessage, maxChars);
}

/**
 * Validates and serialises a client message. Returns a typed error instead of
 * sending something the server could not read.
 */
export function serializeClientMessage(msg: ClientMessage): ParseResult<string> {
  let text: string;
  try {
    text = JSON.stringify(msg);
  } catch (cause) {
    return { ok: false, error: new PrepatuError('invalid_message', 'message cannot be serialised to JSON', {}, { cause }) };
  }
  const check = parseClientMessage(text);
  return check.ok ? { ok: true, message: text } : check;
}
