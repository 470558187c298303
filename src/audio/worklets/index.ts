// The worklet module: bundled to a string (scripts/build-worklets.mjs), loaded from a Blob URL
// or from a hosted file (dist/prepatu-worklets.js) on strict-CSP sites.
import { CaptureProcessor } from './capture-processor.js';
import { CAPTURE_PROCESSOR, PLAYBACK_PROCESSOR } from './messages.js';
import { PlaybackProcessor } from './playback-processor.js';
import { scope } from './scope.js';

scope.registerProcessor(CAPTURE_PROCESSOR, CaptureProcessor);
scope.registerProcessor(PLAYBACK_PROCESSOR, PlaybackProcessor);
