// @ts-check
/**
 * Reads a session trace (JSONL, docs/traces.md) as the client's `exportTrace()` writes it.
 * Every problem is reported as `<file>:<line>: <reason>`, like a malformed flow.
 */
import { readFile } from 'node:fs/promises';

export const TRACE_FORMAT = 'prepatu-trace';
export const TRACE_VERSION = 1;

/**
 * @typedef {object} TraceEntry
 * @property {number} line where it is in the file (1-based)
 * @property {number} t ms since the session started
 * @property {'in'|'out'} dir in: server → client
 * @property {'text'|'binary'|'open'|'close'} kind
 * @property {string} [text]
 * @property {number} [bytes]
 * @property {Buffer} [audio] the frame, when the trace kept audio
 * @property {number} [code]
 * @property {string} [reason]
 */

/**
 * @typedef {object} Trace
 * @property {string} file
 * @property {Record<string, unknown>} header
 * @property {TraceEntry[]} entries
 */

export class TraceLoadError extends Error {
  /**
   * @param {string} file
   * @param {number} line 0: the file as a whole
   * @param {string} reason
   */
  constructor(file, line, reason) {
    super(`${file}:${line ? `${line}:` : ''} ${reason}`);
    this.name = 'TraceLoadError';
    this.file = file;
    this.line = line;
    this.reason = reason;
  }
}

const DIRS = ['in', 'out'];
const KINDS = ['text', 'binary', 'open', 'close'];
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** @param {unknown} v @returns {v is Record<string, any>} */
const isObject = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * @param {string} text the JSONL
 * @param {string} [file] shown in error messages
 * @returns {Trace}
 */
export function parseTrace(text, file = '<trace>') {
  const lines = text.split('\n');
  /** @param {number} line @param {string} reason @returns {never} */
  const fail = (line, reason) => {
    throw new TraceLoadError(file, line, reason);
  };
  /** @param {number} n */
  const json = (n) => {
    try {
      return JSON.parse(/** @type {string} */ (lines[n - 1]));
    } catch (e) {
      return fail(n, `not JSON (${/** @type {Error} */ (e).message})`);
    }
  };
  if (!lines[0]?.trim()) fail(1, `empty: the first line must be the trace header {"format":"${TRACE_FORMAT}","version":${TRACE_VERSION},…}`);
  const header = json(1);
  if (!isObject(header) || header.format !== TRACE_FORMAT) fail(1, `not a trace header: expected {"format":"${TRACE_FORMAT}",…}`);
  if (header.version !== TRACE_VERSION) fail(1, `trace version ${JSON.stringify(header.version)} is not supported (this server reads version ${TRACE_VERSION})`);

  /** @type {TraceEntry[]} */
  const entries = [];
  let last = 0;
  for (let n = 2; n <= lines.length; n++) {
    if (!lines[n - 1]?.trim()) continue;
    const e = json(n);
    if (!isObject(e)) fail(n, 'an entry must be a JSON object');
    const { t, dir, kind } = e;
    if (typeof t !== 'number' || !Number.isFinite(t) || t < 0) fail(n, '"t" must be a number of milliseconds ≥ 0');
    if (t < last) fail(n, `"t" goes back in time (${t} after ${last})`);
    last = t;
    if (!DIRS.includes(dir)) fail(n, `"dir" must be "in" or "out", got ${JSON.stringify(dir)}`);
    if (!KINDS.includes(kind)) fail(n, `"kind" must be one of ${KINDS.join(', ')}, got ${JSON.stringify(kind)}`);
    /** @type {TraceEntry} */
    const entry = { line: n, t, dir, kind };
    if (kind === 'text') {
      if (typeof e.text !== 'string') fail(n, 'a text entry needs "text", a string');
      entry.text = e.text;
    } else if (kind === 'binary') {
      if (!Number.isInteger(e.bytes) || e.bytes < 0) fail(n, 'a binary entry needs "bytes", an integer ≥ 0');
      entry.bytes = e.bytes;
      if (e.audio !== undefined) {
        if (typeof e.audio !== 'string' || !BASE64.test(e.audio)) fail(n, '"audio" must be base64 text');
        const audio = Buffer.from(e.audio, 'base64');
        if (audio.length !== e.bytes) fail(n, `"audio" holds ${audio.length} bytes, "bytes" says ${e.bytes}`);
        entry.audio = audio;
      }
    } else if (kind === 'close') {
      if (e.code !== undefined && (!Number.isInteger(e.code) || e.code < 1000 || e.code > 4999)) fail(n, '"code" must be a WebSocket close code (1000..4999)');
      if (e.code !== undefined) entry.code = e.code;
      if (typeof e.reason === 'string' && e.reason) entry.reason = e.reason;
    }
    entries.push(entry);
  }
  return { file, header, entries };
}

/**
 * @param {string} file
 * @returns {Promise<Trace>}
 */
export async function loadTrace(file) {
  let text;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new TraceLoadError(file, 0, `cannot read the trace: ${/** @type {Error} */ (e).message}`);
  }
  return parseTrace(text, file);
}
