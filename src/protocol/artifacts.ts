import {
  ORB_POSITIONS,
  type Artifact,
  type FormField,
  type JsonObject,
  type JsonValue,
  type OptionItem,
  type OrbPosition,
} from './messages.js';
import { FieldError, Reader, at, defined, get, isObject, oneOf } from './reader.js';

const fail = (field: string, path: string, expected: string): never => {
  throw new FieldError(field, path, expected);
};

const KNOWN_TYPES = ['form', 'field_update', 'options', 'card', 'orb_layout', 'navigate', 'dismiss', 'custom', 'intent'];

/** The `artifact_type` of an artifact object; a `FieldError` when it cannot be read. */
export function artifactType(r: Reader, o: JsonObject, path: string): string {
  const type = r.reqText(o, 'artifact_type', path);
  return oneOf(r, type, KNOWN_TYPES, at(path, 'artifact_type'), 'artifact_type') ?? type;
}

/**
 * One choice: `{id, label, description}`; a plain string or number stands for both id and
 * label; a model's `{value, text}` is read as `{id, label}`. `undefined` when there is neither.
 */
export function readOption(r: Reader, v: JsonValue, path: string): OptionItem | undefined {
  if (typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v))) {
    const text = String(v);
    if (text.trim() === '') return undefined;
    r.coerced(path, 'options', 'an object {id, label}', v, { id: text, label: text });
    return { id: text, label: text };
  }
  if (!isObject(v)) return undefined;
  let id = r.optText(v, 'id', path);
  let label = r.optText(v, 'label', path);
  if (id === undefined && get(v, 'value') != null) {
    id = r.optText(v, 'value', path);
    if (id !== undefined) r.coerced(at(path, 'value'), 'id', 'named "id"', id, id);
  }
  for (const alias of ['text', 'title', 'name']) {
    if (label !== undefined || get(v, alias) == null) continue;
    label = r.optText(v, alias, path);
    if (label !== undefined) r.coerced(at(path, alias), 'label', 'named "label"', label, label);
  }
  if (id === undefined && label === undefined) return undefined;
  if (id === undefined) r.coerced(at(path, 'id'), 'id', 'present', null, (id = label!));
  return defined({ id, label: label ?? id, description: r.optText(v, 'description', path) });
}

/** An array of choices, unusable ones left out; `undefined` when absent. */
function optOptions(r: Reader, o: JsonObject, path: string): OptionItem[] | undefined {
  const v = get(o, 'options');
  if (v === undefined || v === null) return undefined;
  const p = at(path, 'options');
  if (!Array.isArray(v)) {
    r.dropped(p, 'options', 'an array', v);
    return undefined;
  }
  return r.items(v, p, 'options', 'a string or an object {id, label}', (item, ip) => readOption(r, item, ip));
}

/** One form field; a plain string is a text field of that id. */
function readField(r: Reader, v: JsonValue, path: string): FormField | undefined {
  if (typeof v === 'string' && v.trim() !== '') {
    r.coerced(path, 'fields', 'an object {id, type}', v, { id: v, type: 'text' });
    return { id: v, type: 'text' };
  }
  if (!isObject(v)) return undefined;
  let id = r.optText(v, 'id', path);
  if (id === undefined && get(v, 'name') != null) {
    id = r.optText(v, 'name', path);
    if (id !== undefined) r.coerced(at(path, 'name'), 'id', 'named "id"', id, id);
  }
  if (id === undefined) return undefined;
  const type = r.optText(v, 'type', path);
  return defined({
    id,
    type: type === undefined ? 'text' : (oneOf(r, type, FIELD_TYPES, at(path, 'type'), 'type') ?? type),
    label: r.optText(v, 'label', path),
    placeholder: r.optText(v, 'placeholder', path),
    required: r.optBoolean(v, 'required', path),
    options: optOptions(r, v, path),
  });
}

const FIELD_TYPES = ['text', 'email', 'tel', 'number', 'date', 'time', 'url', 'textarea', 'select', 'radio', 'checkbox'];

/** A list the artifact needs: absent or unusable, it is empty (and noted). */
function list<T>(r: Reader, o: JsonObject, key: string, path: string, expected: string, read: (v: JsonValue, path: string) => T | undefined): T[] {
  const v = get(o, key);
  const p = at(path, key);
  if (Array.isArray(v)) return r.items(v, p, key, expected, read);
  if (v === undefined || v === null) r.missing(p, key, 'an array', []);
  else r.dropped(p, key, 'an array', v);
  return [];
}

function orbPosition(r: Reader, o: JsonObject, path: string): OrbPosition {
  const p = at(path, 'position');
  return oneOf(r, r.reqText(o, 'position', path), ORB_POSITIONS, p, 'position') ?? fail('position', p, `one of ${ORB_POSITIONS.join(', ')}`);
}

/**
 * Reads an artifact from its fields, wherever they sit (inside `flow_state.artifact` or at
 * the top level of a reference-backend `artifact` message); `path` is where they sit. Throws
 * a `FieldError` when the artifact cannot be used (no type, a `field_update` without a field).
 * `intent` is not an artifact here: the caller turns it into an `IntentMessage`.
 */
export function readArtifact(r: Reader, o: JsonObject, path: string, type = artifactType(r, o, path)): Artifact {
  const id = r.optText(o, 'id', path);
  switch (type) {
    case 'form':
      return defined({
        artifact_type: type,
        id,
        prompt: r.optText(o, 'prompt', path),
        fields: list(r, o, 'fields', path, 'a form field {id, type}', (v, p) => readField(r, v, p)),
      });
    case 'field_update': {
      const value = get(o, 'value') !== undefined ? get(o, 'value') : get(o, 'field_value');
      if (value === undefined) throw new FieldError('value', at(path, 'value'), 'present (or field_value)');
      return defined({ artifact_type: type, id, field_id: r.reqText(o, 'field_id', path), value });
    }
    case 'options':
      return defined({
        artifact_type: type,
        id,
        prompt: r.optText(o, 'prompt', path),
        options: list(r, o, 'options', path, 'a string or an object {id, label}', (v, p) => readOption(r, v, p)),
      });
    case 'card': {
      const content = get(o, 'content');
      return defined({
        artifact_type: type,
        id,
        card_type: r.optText(o, 'card_type', path),
        title: r.optText(o, 'title', path),
        content: content === null ? undefined : content,
        prompt: r.optText(o, 'prompt', path),
        params: r.optObject(o, 'params', path),
      });
    }
    case 'orb_layout':
      return defined({ artifact_type: type, id, position: orbPosition(r, o, path) });
    case 'navigate':
      return defined({
        artifact_type: type,
        id,
        screen: r.reqText(o, 'screen', path),
        // The reference's send_artifact renames the model's `screen_params`; a hand-made message may not.
        params: r.optObject(o, 'params', path) ?? r.optObject(o, 'screen_params', path),
        options: optOptions(r, o, path),
      });
    case 'dismiss': {
      // Leaving out an unreadable target would dismiss everything: the artifact is unusable instead.
      const target = get(o, 'target_id');
      const targetId = target === undefined || target === null ? null : r.text(target, at(path, 'target_id'), 'target_id');
      if (targetId === undefined) throw new FieldError('target_id', at(path, 'target_id'), 'a string or null');
      return defined({ artifact_type: type, id, target_id: targetId });
    }
    case 'custom':
      return defined({ artifact_type: type, id, component: r.optText(o, 'component', path), props: r.optObject(o, 'props', path) });
    default:
      return defined({ artifact_type: 'unknown', id, original_type: type, raw: o });
  }
}
