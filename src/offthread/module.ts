import { OFF_THREAD_SOURCE } from './generated/source.js';
import { absolute, type WorkerScript } from './trusted.js';

export { workerScriptUrl, TRUSTED_TYPES_POLICY, type WorkerScript } from './trusted.js';

/**
 * Where the code that runs off the page's main thread comes from, for the npm modules: one
 * module (the inlined `OFF_THREAD_SOURCE`) that registers the capture and playback processors
 * when an AudioWorklet loads it and runs the session's socket when a Worker does; a `blob:` URL
 * of it, or the site's hosted copy (`dist/prepatu-worklets.js`, named by `worklet-url`). The
 * script-tag bundles swap this module for `files.ts`, which loads the same code from files
 * beside the bundle instead of inlining it.
 */
let blobUrl: string | undefined;

function inlined(): string {
  blobUrl ??= URL.createObjectURL(new Blob([OFF_THREAD_SOURCE], { type: 'text/javascript' }));
  return blobUrl;
}

export function workletModuleUrl(hosted?: string): string {
  return hosted ? absolute(hosted) : inlined();
}

export function socketWorkerScript(hosted?: string): WorkerScript {
  return { url: hosted ? absolute(hosted) : inlined(), type: 'classic' };
}
