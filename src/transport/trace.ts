/**
 * Session traces: what crossed the wire, kept in memory only when asked (`record`), exported as
 * JSONL (docs/traces.md) and replayed by `prepatu-dev-server --replay`. No DOM: a trace is kept
 * wherever the socket runs, the socket worker included.
 */

/** What a trace keeps: `messages` (every JSON text, binary frames as length only) or `audio` too. */
export type TraceMode = 'messages' | 'audio';

export const TRACE_FORMAT = 'prepatu-trace';
export const TRACE_VERSION = 1;
export const TRACE_MIME = 'application/x-ndjson';

/** Entries older than this (10 minutes) are dropped as new ones arrive. */
export const TRACE_MAX_AGE_MS = 10 * 60_000;
/** Audio kept at most (~20 MB, about 5 minutes of both directions): older frames keep only their length. */
export const TRACE_MAX_AUDIO_BYTES = 20 * 1024 * 1024;
/** Text kept at most (in UTF-16 units, ~10 M characters): beyond it the oldest entries go. */
export const TRACE_MAX_TEXT_CHARS = 10_000_000;

/** The first line of a trace. */
export interface TraceHeader {
  format: typeof TRACE_FORMAT;
  version: typeof TRACE_VERSION;
  transport: 'websocket' | 'webrtc';
  /** The endpoint, with credentials removed (see `redactUrl`). */
  url: string;
  /** Wall-clock time of `t = 0`, ISO 8601. */
  started_at: string;
  /** The client cannot know which dialect the server speaks. */
  dialect: 'unknown';
  user_agent: string;
  /** Whether binary entries carry their audio. */
  audio: boolean;
  /** Entries dropped by the bounds (older than 10 minutes, or beyond the text cap). */
  dropped_entries: number;
  /** Binary entries whose audio was dropped by the audio cap (their length is kept). */
  dropped_audio_frames: number;
}

/** One line after the header: `in` is server → client, `out` client → server. */
export interface TraceEntry {
  /** ms since the session started (`performance.now()` of the thread that keeps the trace). */
  t: number;
  dir: 'in' | 'out';
  kind: 'text' | 'binary' | 'open' | 'close';
  /** `text`: the frame as received or sent. */
  text?: string;
  /** `binary`: the frame's length in bytes. */
  bytes?: number;
  /** `binary`, recording `audio` only: the frame, base64. */
  audio?: string;
  /** `close`: the WebSocket close code, when there is one. */
  code?: number;
  /** `close`: the close reason, when there is one. */
  reason?: string;
}

/** In memory the audio stays binary; it becomes base64 only on export. */
type Kept = Omit<TraceEntry, 'audio'> & { audio?: Uint8Array };

/** Query parameters whose values are credentials. */
const SECRET_PARAM = /token|key|secret|auth|pass|signature|credential/i;

/** The URL without what authenticates it: the cloud's `/v1/ws/<token>` segment, token-like query values, user info. */
export function redactUrl(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return '(not a URL)';
  }
  u.pathname = u.pathname.replace(/\/v1\/ws\/[^/]+/, '/v1/ws/redacted');
  for (const key of new Set(u.searchParams.keys())) if (SECRET_PARAM.test(key)) u.searchParams.set(key, 'redacted');
  if (u.username || u.password) u.username = u.password = 'redacted';
  return u.toString();
}

function base64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

/**
 * The trace of one session, bounded: the last 10 minutes, at most ~20 MB of audio and ~10 M
 * characters of text. `now` is injectable for tests.
 */
export class TraceRecorder {
  readonly #header: Omit<TraceHeader, 'dropped_entries' | 'dropped_audio_frames'>;
  readonly #now: () => number;
  readonly #t0: number;
  #entries: Kept[] = [];
  /** Index of the oldest kept entry (dropping moves it; the array is compacted now and then). */
  #head = 0;
  /** Index from which entries may still hold audio. */
  #audioHead = 0;
  #audioBytes = 0;
  #textChars = 0;
  #dropped = 0;
  #droppedAudio = 0;

  constructor(o: { transport: TraceHeader['transport']; url: string; mode: TraceMode; now?: () => number }) {
    this.#now = o.now ?? (() => performance.now());
    this.#t0 = this.#now();
    this.#header = {
      format: TRACE_FORMAT,
      version: TRACE_VERSION,
      transport: o.transport,
      url: redactUrl(o.url),
      started_at: new Date().toISOString(),
      dialect: 'unknown',
      user_agent: typeof navigator === 'undefined' ? '' : navigator.userAgent,
      audio: o.mode === 'audio',
    };
  }

  open(): void {
    this.#add({ t: 0, dir: 'out', kind: 'open' });
  }

  /** `dir`: who closed (`in`: the server, or the network; `out`: this client). */
  close(dir: TraceEntry['dir'], code?: number, reason?: string): void {
    this.#add({ t: 0, dir, kind: 'close', ...(code !== undefined ? { code } : {}), ...(reason ? { reason } : {}) });
  }

  text(dir: TraceEntry['dir'], text: string): void {
    this.#add({ t: 0, dir, kind: 'text', text });
  }

  /** Copies the frame (when audio is kept) before the caller sends or transfers it. */
  binary(dir: TraceEntry['dir'], frame: ArrayBuffer): void {
    const entry: Kept = { t: 0, dir, kind: 'binary', bytes: frame.byteLength };
    if (this.#header.audio && frame.byteLength > 0) entry.audio = new Uint8Array(frame.slice(0));
    this.#add(entry);
  }

  #add(entry: Kept): void {
    const now = this.#now() - this.#t0;
    entry.t = Math.round(now * 10) / 10;
    this.#entries.push(entry);
    this.#textChars += entry.text?.length ?? 0;
    this.#audioBytes += entry.audio?.length ?? 0;
    const list = this.#entries;
    while (this.#head < list.length - 1 && (list[this.#head]!.t < now - TRACE_MAX_AGE_MS || this.#textChars > TRACE_MAX_TEXT_CHARS)) {
      const old = list[this.#head++]!;
      this.#textChars -= old.text?.length ?? 0;
      this.#audioBytes -= old.audio?.length ?? 0;
      this.#dropped++;
    }
    this.#audioHead = Math.max(this.#audioHead, this.#head);
    while (this.#audioBytes > TRACE_MAX_AUDIO_BYTES && this.#audioHead < list.length) {
      const old = list[this.#audioHead++]!;
      if (!old.audio) continue;
      this.#audioBytes -= old.audio.length;
      delete old.audio;
      this.#droppedAudio++;
    }
    if (this.#head > 4096 && this.#head * 2 > list.length) {
      this.#entries = list.slice(this.#head);
      this.#audioHead -= this.#head;
      this.#head = 0;
    }
  }

  /** The kept entries, oldest first, as they are exported. */
  entries(): TraceEntry[] {
    return this.#entries.slice(this.#head).map(({ audio, ...e }) => (audio ? { ...e, audio: base64(audio) } : e));
  }

  header(): TraceHeader {
    return { ...this.#header, dropped_entries: this.#dropped, dropped_audio_frames: this.#droppedAudio };
  }

  /** The trace as JSONL: the header line, then one line per entry. */
  toBlob(): Blob {
    const lines = [JSON.stringify(this.header()) + '\n'];
    for (const e of this.entries()) lines.push(JSON.stringify(e) + '\n');
    return new Blob(lines, { type: TRACE_MIME });
  }
}
