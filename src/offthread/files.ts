import { absolute, type WorkerScript } from './trusted.js';

export { workerScriptUrl, TRUSTED_TYPES_POLICY, type WorkerScript } from './trusted.js';

/**
 * The script-tag bundles' variant of `module.ts` (swapped in by vite.config.ts): the audio
 * worklets and the socket worker are files beside the bundle, so no code is inlined twice and
 * a strict site that serves the bundle needs no `blob:`. The worker is an ES module that shares
 * the protocol's chunk with the page. From another origin (a CDN) a Worker cannot start from the
 * file itself: a `blob:` module imports it instead (the CDN sends CORS headers, as for the
 * bundle). `worklet-url` (the hosted all-in-one `prepatu-worklets.js`) still wins when given.
 */
const beside = (file: string): string => new URL(file, import.meta.url).href;
const WORKLETS = './prepatu-audio-worklets.js';
const WORKER = './prepatu-socket-worker.js';

export function workletModuleUrl(hosted?: string): string {
  return hosted ? absolute(hosted) : beside(WORKLETS);
}

let importer: string | undefined;

export function socketWorkerScript(hosted?: string): WorkerScript {
  if (hosted) return { url: absolute(hosted), type: 'classic' };
  const url = beside(WORKER);
  if (new URL(url).origin === globalThis.location?.origin) return { url, type: 'module' };
  importer ??= URL.createObjectURL(new Blob([`import ${JSON.stringify(url)};`], { type: 'text/javascript' }));
  return { url: importer, type: 'module' };
}
