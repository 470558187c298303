// @ts-check
/**
 * The two PVP dialects the server speaks:
 * - `documented`: what wire-protocol-pvp.txt describes (config, then status
 *   listening; flow_state on every state entry; paced audio; flow_end,
 *   status ended, close 1000 at the end).
 * - `reference`: what the public reference backend really sends
 *   (backend-interop.md): status idle before config, top-level `artifact`
 *   messages instead of flow_state, unpaced audio, `is_final` transcripts,
 *   `field_value` on every second field_update, no flow_end / ended / close.
 */

/** @typedef {import('./types.js').Dialect} Dialect */

export const DIALECTS = /** @type {const} */ (['documented', 'reference']);

/** @param {Dialect} dialect @returns {Record<string, unknown>[]} */
export function openingMessages(dialect) {
  const config = { type: 'config', audio_sample_rate: 16_000, audio_encoding: 'pcm_s16le' };
  return dialect === 'reference'
    ? [{ type: 'status', status: 'idle' }, { ...config, audio_channels: 1 }]
    : [config, { type: 'status', status: 'listening' }];
}

/**
 * The reference backend drops some artifact fields on the way out.
 * @param {Record<string, unknown>} artifact
 */
function referenceFields(artifact) {
  const { artifact_type: type } = artifact;
  /** @type {Record<string, unknown>} */
  const out = { ...artifact };
  delete out.id;
  if (type === 'card') {
    for (const k of Object.keys(out)) if (!['artifact_type', 'prompt', 'params'].includes(k)) delete out[k];
  } else if (type === 'dismiss') delete out.target_id;
  else if (type === 'custom') {
    delete out.component;
    delete out.props;
  }
  return out;
}

/**
 * The message(s) announcing a state entry, or null (reference: state without ui).
 * @param {Dialect} dialect
 * @param {{flowId: string, state: string, artifact: Record<string, unknown>|null, variables: Record<string, unknown>, actions: string[], entry: number}} e
 */
export function stateEntryMessage(dialect, e) {
  if (dialect === 'documented')
    return { type: 'flow_state', flow_id: e.flowId, state: e.state, artifact: e.artifact, variables: e.variables, available_actions: e.actions };
  if (!e.artifact) return null;
  return { type: 'artifact', id: `${e.state}-${e.entry}`, ...referenceFields(e.artifact) };
}

/**
 * @param {Dialect} dialect
 * @param {string} fieldId
 * @param {unknown} value
 * @param {number} n 1-based count of field updates in this session
 */
export function fieldUpdateMessage(dialect, fieldId, value, n) {
  const key = dialect === 'reference' && n % 2 === 0 ? 'field_value' : 'value';
  return { type: 'artifact', artifact_type: 'field_update', field_id: fieldId, [key]: value };
}
