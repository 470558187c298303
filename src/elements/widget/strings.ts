import { SHELL_STRINGS } from './shell-strings.js';

import type { PrepatuErrorCode } from '../../protocol/errors.js';

/** Every text `<prepatu-widget>` shows or announces, for translation. */
export interface WidgetStrings {
  /** Heading of the panel when no `title` is set. */
  title: string;
  /** Accessible name of the launcher while the panel is closed. */
  open: string;
  /** Accessible name of the launcher (and the panel's close button) while it is open. */
  close: string;
  /** The button that starts a call. */
  start: string;
  /** The button that starts a new call after one ended. */
  startAgain: string;
  /** The button that retries after an error. */
  retry: string;
  /** The button that ends the call. */
  end: string;
  /** The microphone toggle while the microphone is on. */
  mute: string;
  /** The microphone toggle while the microphone is muted. */
  unmute: string;
  /** Shown when the browser holds back the agent's audio until a tap. */
  enableSound: string;
  /** Shown in the panel until its code has arrived (a click right after the page loaded). */
  loading: string;
  /** Status line before the first call. */
  idle: string;
  connecting: string;
  listening: string;
  speaking: string;
  /** Status line while listening with the microphone muted. */
  muted: string;
  /** Shown during a call while the connection is poor or stalled. */
  slowConnection: string;
  ended: string;
  /** The microphone is blocked: how to allow it. */
  micDenied: string;
  /** No microphone. */
  micNotFound: string;
  /** Network problems (refused, timed out, dropped). */
  unreachable: string;
  /** The browser could not run the call's audio (microphone lost, audio blocked by the site's policy…). */
  audioFailed: string;
  /** The backend would not start a session. */
  unavailable: string;
  /** Anything else. */
  genericError: string;
}

export const DEFAULT_WIDGET_STRINGS: Readonly<WidgetStrings> = Object.freeze({
  ...SHELL_STRINGS,
  start: 'Talk to us',
  startAgain: 'Start again',
  retry: 'Try again',
  end: 'End call',
  mute: 'Mute microphone',
  unmute: 'Unmute microphone',
  enableSound: 'Tap to enable sound',
  idle: 'Talk with our assistant by voice.',
  connecting: 'Connecting…',
  listening: 'Listening',
  speaking: 'Speaking',
  muted: 'Your microphone is muted',
  slowConnection: 'Your connection is slow',
  ended: 'The call has ended.',
  micDenied: 'Your browser is blocking the microphone. Select the microphone or lock icon in the address bar, allow the microphone for this site, then try again.',
  micNotFound: 'No microphone was found. Connect one (and allow it from the icon in the address bar), then try again.',
  unreachable: "Can't reach the assistant. Check your connection and try again.",
  audioFailed: "Your browser couldn't start the call's audio. Try again, or use another browser.",
  unavailable: 'The assistant is unavailable right now. Please try again later.',
  genericError: 'Something went wrong. Please try again.',
});

type ErrorKey = 'micDenied' | 'micNotFound' | 'unreachable' | 'audioFailed' | 'unavailable' | 'genericError';

const ERROR_KEYS: Partial<Record<PrepatuErrorCode, ErrorKey>> = {
  mic_denied: 'micDenied',
  mic_not_found: 'micNotFound',
  connection_failed: 'unreachable',
  connect_timeout: 'unreachable',
  connection_lost: 'unreachable',
  keepalive_timeout: 'unreachable',
  webrtc_failed: 'unreachable',
  mic_failed: 'audioFailed',
  mic_ended: 'audioFailed',
  audio_unavailable: 'audioFailed',
  output_device_failed: 'audioFailed',
  auth_failed: 'unavailable',
  session_start_failed: 'unavailable',
  server_error: 'unavailable',
};

/** The visitor-facing text for an error code (the technical message stays in `prepatu-error`). */
export const friendlyError = (code: PrepatuErrorCode | undefined, s: WidgetStrings): string => s[(code && ERROR_KEYS[code]) || 'genericError'];
