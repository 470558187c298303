import { PrepatuError } from '../protocol/errors.js';
import type { CaptureOptions } from './types.js';

/** Opens the microphone, mapping every browser failure to a typed error a site owner can act on. */
export async function openMicrophone(options: CaptureOptions): Promise<MediaStream> {
  const media = globalThis.navigator?.mediaDevices;
  if (!media?.getUserMedia) {
    throw new PrepatuError('mic_failed', 'This page cannot use the microphone: it needs a secure context (https:// or http://localhost).');
  }
  const audio: MediaTrackConstraints = {
    channelCount: 1,
    echoCancellation: options.echoCancellation ?? true,
    noiseSuppression: options.noiseSuppression ?? true,
    autoGainControl: options.autoGainControl ?? true,
  };
  if (options.inputDeviceId) audio.deviceId = { exact: options.inputDeviceId };
  try {
    return await media.getUserMedia({ audio });
  } catch (e) {
    throw microphoneError(e);
  }
}

export function microphoneError(e: unknown): PrepatuError {
  const name = (e as DOMException | undefined)?.name ?? '';
  const detail = { name, message: String((e as Error | undefined)?.message ?? e) };
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
    case 'PermissionDeniedError':
      return new PrepatuError('mic_denied', 'Microphone access was refused. Allow the microphone for this site in the browser (the icon in the address bar) and try again.', detail, { cause: e });
    case 'NotFoundError':
    case 'OverconstrainedError':
    case 'DevicesNotFoundError':
      return new PrepatuError('mic_not_found', 'No microphone was found. Connect one (or pick another input device) and try again.', detail, { cause: e });
    case 'NotReadableError':
    case 'AbortError':
      return new PrepatuError('mic_failed', 'The microphone could not be started: another application may be using it.', detail, { cause: e });
    default:
      return new PrepatuError('mic_failed', `The microphone could not be opened: ${detail.message}`, detail, { cause: e });
  }
}
