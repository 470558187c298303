import { artifactType, readArtifact } from './artifacts.js';
import { PrepatuError, type PrepatuWarning } from './errors.js';
import type { Artifact, ClientMessage, JsonObject, ServerMessage, ServerStatus } from './messages.js';
import { FieldError, Reader, defined, get, isObject, oneOf } from './reader.js';

/** Text frames longer than this are refused before `JSON.parse` sees them. */
export const MAX_MESSAGE_CHARS = 1_000_000;

/**
 * A message that could be used (with at most one `warning` when part of it had to be coerced
 * or dropped), or the reason none of it could.
 */
export type ParseResult<T> = { ok: true; message: T; warning?: PrepatuWarning } | { ok: false; error: PrepatuError };

const SERVER_STATUSES: readonly ServerStatus[] = ['idle', 'listening', 'speaking', 'ended'];
const SERVER_TYPES = [
  'config', 'status', 'transcript', 'pong', 'error', 'flow_state', 'flow_variable',
  'artifact', 'navigate', 'flow_end', 'transition_blocked', 'intent',
];
const ROLES: Readonly<Record<string, 'user' | 'assistant'>> = { user: 'user', assistant: 'assistant', human: 'user', bot: 'assistant', agent: 'assistant' };

/** Every key but `type`: the fields of an artifact sent at the top level. */
const withoutType = (o: JsonObject): JsonObject => Object.fromEntries(Object.entries(o).filter(([k]) => k !== 'type'));

function status(r: Reader, o: JsonObject): ServerMessage {
  const v = get(o, 'status');
  const known = typeof v === 'string' ? oneOf(r, v, SERVER_STATUSES, '$.status', 'status') : undefined;
  if (known) return { type: 'status', status: known };
  // Ignored rather than guessed at: a wrong status would start or stop the agent's speaking state.
  r.notice('unknown_status', '$.status', `Ignored a status message with the unknown status ${JSON.stringify(v ?? null).slice(0, 40)} (known: ${SERVER_STATUSES.join(', ')}).`);
  return { type: 'unknown', original_type: 'status', raw: o };
}

function flowStateArtifact(r: Reader, o: JsonObject): Artifact | null {
  const a = get(o, 'artifact');
  if (a === undefined || a === null) return null;
  if (isObject(a)) {
    try {
      return readArtifact(r, a, '$.artifact');
    } catch (e) {
      if (!(e instanceof FieldError)) throw e;
    }
  }
  r.dropped('$.artifact', 'artifact', 'a usable artifact', a);
  return null;
}

function serverMessage(r: Reader, o: JsonObject): ServerMessage {
  const raw = r.reqText(o, 'type', '$');
  const type = oneOf(r, raw, SERVER_TYPES, '$.type', 'type') ?? raw;
  const $ = '$';
  switch (type) {
    case 'config': {
      let rate = r.optNumber(o, 'audio_sample_rate', $);
      if (rate !== undefined && !(rate > 0)) {
        r.dropped('$.audio_sample_rate', 'audio_sample_rate', 'a positive number', rate);
        rate = undefined;
      }
      return defined({
        type,
        audio_sample_rate: rate ?? 16_000,
        audio_encoding: r.optText(o, 'audio_encoding', $) ?? 'pcm_s16le',
        audio_channels: r.optNumber(o, 'audio_channels', $),
      });
    }
    case 'status':
      return status(r, o);
    case 'transcript': {
      const role = r.reqText(o, 'role', $);
      const known = ROLES[role.trim().toLowerCase()];
      if (!known) throw new FieldError('role', '$.role', '"user" or "assistant"');
      if (known !== role) r.coerced('$.role', 'role', '"user" or "assistant"', role, known);
      return defined({ type, id: r.optText(o, 'id', $), role: known, text: r.reqText(o, 'text', $), is_final: r.optBoolean(o, 'is_final', $) });
    }
    case 'pong':
      return defined({ type, ts: r.reqNumber(o, 'ts', $), server_ts: r.optNumber(o, 'server_ts', $) });
    case 'error':
      return { type, message: r.optText(o, 'message', $) ?? 'unspecified server error' };
    case 'flow_state':
      return {
        type,
        flow_id: r.reqText(o, 'flow_id', $),
        state: r.reqText(o, 'state', $),
        artifact: flowStateArtifact(r, o),
        variables: r.optObject(o, 'variables', $) ?? {},
        available_actions: r.optTextArray(o, 'available_actions', $) ?? [],
      };
    case 'flow_variable': {
      const value = get(o, 'value');
      if (value === undefined) throw new FieldError('value', '$.value', 'present');
      return defined({ type, flow_id: r.optText(o, 'flow_id', $), key: r.reqText(o, 'key', $), value });
    }
    case 'artifact': {
      // Documented: a nested `artifact` object; both real dialects put the fields at the top level.
      const nested = get(o, 'artifact');
      const inner = isObject(nested) && get(o, 'artifact_type') === undefined;
      const fields = inner ? nested : withoutType(o);
      const path = inner ? '$.artifact' : $;
      const kind = artifactType(r, fields, path);
      if (kind === 'intent') return { type: 'intent', text: r.reqText(fields, 'text', path) };
      return { type, artifact: readArtifact(r, fields, path, kind) };
    }
    case 'navigate':
      // A reference agent sends `{"type":"navigate", screen, params}`: the artifact it meant.
      return { type: 'artifact', artifact: readArtifact(r, withoutType(o), $, 'navigate') };
    case 'intent':
      return { type, text: r.reqText(o, 'text', $) };
    case 'flow_end':
      return defined({ type, flow_id: r.optText(o, 'flow_id', $), reason: r.optText(o, 'reason', $), variables: r.optObject(o, 'variables', $) ?? {} });
    case 'transition_blocked':
      return defined({
        type,
        flow_id: r.optText(o, 'flow_id', $),
        from_state: r.optText(o, 'from_state', $),
        attempted_target: r.optText(o, 'attempted_target', $),
        reason: r.optText(o, 'reason', $),
        detail: r.optText(o, 'detail', $),
        variables: r.optObject(o, 'variables', $),
      });
    default:
      r.notice('unknown_message', '$.type', `Ignored a message of unknown type ${JSON.stringify(type)}.`);
      return { type: 'unknown', original_type: type, raw: o };
  }
}

function parseWith<T>(text: unknown, read: (r: Reader, o: JsonObject) => T, strict: boolean, maxChars: number): ParseResult<T> {
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
  const type = typeof value['type'] === 'string' ? value['type'] : undefined;
  const r = new Reader(strict);
  try {
    const message = read(r, value);
    const warning = r.warning(type);
    return warning ? { ok: true, message, warning } : { ok: true, message };
  } catch (e) {
    if (e instanceof FieldError)
      return {
        ok: false,
        error: new PrepatuError('invalid_message', `PVP ${type ?? 'message'}: ${e.message}`, { type, field: e.field, path: e.path }),
      };
    /* c8 ignore next */
    return { ok: false, error: new PrepatuError('invalid_message', 'PVP message could not be read', {}, { cause: e }) };
  }
}

/**
 * Parses one server text frame, liberally: see docs/protocol.md for what is coerced or left
 * out (and reported as the result's one `warning`). Never throws.
 */
export function parseServerMessage(text: unknown, maxChars = MAX_MESSAGE_CHARS): ParseResult<ServerMessage> {
  return parseWith(text, serverMessage, false, maxChars);
}

/**
 * Reads one artifact object leniently (as `parseServerMessage` reads the one in a message).
 * Throws a `PrepatuError` (`invalid_message`) when it cannot be used.
 */
export function parseArtifact(o: JsonObject): Artifact {
  try {
    return readArtifact(new Reader(false), o, '$');
  } catch (e) {
    if (!(e instanceof FieldError)) throw e;
    throw new PrepatuError('invalid_message', `PVP artifact: ${e.message}`, { field: e.field, path: e.path }, { cause: e });
  }
}

function clientMessage(r: Reader, o: JsonObject): ClientMessage {
  const type = r.reqText(o, 'type', '$');
  switch (type) {
    case 'ping':
      return { type, ts: r.reqNumber(o, 'ts', '$') };
    case 'config':
      return { type, sample_rate: r.reqNumber(o, 'sample_rate', '$'), channels: r.reqNumber(o, 'channels', '$') };
    case 'ui_event':
      return defined({ type, flow_id: r.optText(o, 'flow_id', '$'), action: r.reqText(o, 'action', '$'), data: r.optObject(o, 'data', '$') ?? {} });
    default:
      throw new FieldError('type', '$.type', 'ping, config or ui_event');
  }
}

/** Parses one client text frame (what a PVP server reads), strictly. Never throws. */
export function parseClientMessage(text: unknown, maxChars = MAX_MESSAGE_CHARS): ParseResult<ClientMessage> {
  return parseWith(text, clientMessage, true, maxChars);
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
