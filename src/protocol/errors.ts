/**
 * Every failure the SDK reports is a `PrepatuError` with a stable `code`, so a
 * site can branch on `error.code` and show `error.message` to a site owner.
 */
export type PrepatuErrorCode =
  // protocol
  | 'invalid_json'
  | 'invalid_message'
  | 'message_too_large'
  | 'invalid_audio_frame'
  // transport
  | 'connect_timeout'
  | 'connection_failed'
  | 'connection_lost'
  | 'auth_failed'
  | 'keepalive_timeout'
  | 'not_connected'
  | 'aborted'
  | 'session_start_failed'
  | 'server_error'
  | 'webrtc_failed'
  /** `exportTrace()` with nothing recorded (no `record` option, or no session yet). */
  | 'no_trace'
  // audio
  | 'mic_denied'
  | 'mic_not_found'
  | 'mic_ended'
  | 'mic_failed'
  | 'audio_unavailable'
  | 'audio_suspended'
  | 'output_device_failed';

export class PrepatuError extends Error {
  override readonly name = 'PrepatuError';
  readonly code: PrepatuErrorCode;
  /** Extra machine-readable facts (field name, close code, …). */
  readonly details: Readonly<Record<string, unknown>>;

  constructor(
    code: PrepatuErrorCode,
    message: string,
    details: Record<string, unknown> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.code = code;
    this.details = details;
  }
}

export const isPrepatuError = (e: unknown): e is PrepatuError =>
  e instanceof PrepatuError;

/**
 * Something the session survives and the page may want to know: a server message read
 * leniently (a field coerced or dropped), one that could not be read at all, an odd-length
 * audio frame, a slow network. Reported through `onWarning`, the agent's `lastWarning`, the
 * `prepatu-warning` event and the debug log; never an error, never the end of a session.
 */
export type PrepatuWarningCode =
  // protocol: a whole message or frame was dropped
  | 'invalid_json'
  | 'invalid_message'
  | 'message_too_large'
  | 'invalid_audio_frame'
  | 'unknown_message'
  // protocol: part of a message was coerced or dropped, the rest was used
  | 'coerced_field'
  | 'dropped_field'
  | 'missing_field'
  | 'unknown_status'
  // network
  | 'network_slow';

export interface PrepatuWarning {
  readonly code: PrepatuWarningCode;
  /** What happened, in words a site owner can act on. */
  readonly message: string;
  /** JSON path of the field concerned, e.g. `$.options[2].id`. */
  readonly path?: string;
  readonly details?: Readonly<Record<string, unknown>>;
}

const WARNING_CODES: ReadonlySet<string> = new Set<PrepatuWarningCode>([
  'invalid_json',
  'invalid_message',
  'message_too_large',
  'invalid_audio_frame',
  'unknown_message',
  'coerced_field',
  'dropped_field',
  'missing_field',
  'unknown_status',
  'network_slow',
]);

/** A dropped message or frame, reported as the warning it is (the session goes on). */
export function warningFrom(error: PrepatuError): PrepatuWarning {
  const code = WARNING_CODES.has(error.code) ? (error.code as PrepatuWarningCode) : 'invalid_message';
  return { code, message: error.message, details: error.details };
}
