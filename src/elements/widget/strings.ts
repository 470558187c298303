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
  /** Starts a call without the microphone (beside the start button and after a microphone error), or turns a voice call into text. */
  typeInstead: string;
  /** Turns a text call into a voice call, on the same connection. */
  useVoice: string;
  /** Heading of the consent notice. */
  consentTitle: string;
  /** The consent notice's button. */
  accept: string;
  /** Heading of what the flow collected, after the call. */
  summary: string;
  /** Label of the option the visitor picked, in the summary. */
  choice: string;
  /** A true / false value in the summary. */
  yes: string;
  no: string;
  /** Saves the conversation as a text file. */
  downloadTranscript: string;
  /** Who said a line, in the transcript and its file. */
  you: string;
  agent: string;
  /** The device menu's button (accessible name) and the menu's label. */
  devices: string;
  microphone: string;
  speaker: string;
  /** The device choice that follows the system's setting. */
  systemDefault: string;
  /** A device chosen in the menu could not be used (the previous one goes on). */
  deviceFailed: string;
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
  typeInstead: 'Type instead',
  useVoice: 'Use voice',
  consentTitle: 'Before you start',
  accept: 'Accept',
  summary: 'Summary',
  choice: 'Your choice',
  yes: 'Yes',
  no: 'No',
  downloadTranscript: 'Download transcript',
  you: 'You',
  agent: 'Agent',
  devices: 'Audio devices',
  microphone: 'Microphone',
  speaker: 'Speaker',
  systemDefault: 'System default',
  deviceFailed: "That device couldn't be used. Choose another one.",
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
