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
