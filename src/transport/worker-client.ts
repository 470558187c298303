import { socketWorkerScript, workerScriptUrl } from '../offthread/module.js';
import type { FromWorker } from './worker/messages.js';

/** How long a starting worker may take to say it is ready before the main thread takes over. */
const READY_TIMEOUT_MS = 5_000;
let warned = false;

/**
 * Starts a socket worker (from the site's hosted module, else the inlined one) and resolves
 * with it once it runs, or with `null` when no worker can start here: a Content-Security-Policy
 * without `worker-src` for it, Trusted Types without the `prepatu` policy, a cross-origin
 * `workerUrl`, no Worker at all. Then the socket runs on the main thread, and the page's console
 * says why, once.
 */
export function spawnSocketWorker(hosted?: string): Promise<Worker | null> {
  const fallback = (why: string): null => {
    if (!warned) {
      warned = true;
      console.warn(
        `Prepatu: the voice session's socket runs on the page's main thread (${why}). Audio still works, but a busy page can delay it. ` +
          "Allow the worker: host dist/prepatu-worklets.js on this site's origin and set worklet-url, with worker-src 'self' (or blob:) and, under Trusted Types, the 'prepatu' policy.",
      );
    }
    return null;
  };
  if (typeof Worker === 'undefined') return Promise.resolve(fallback('this browser has no Worker'));
  let worker: Worker;
  try {
    const script = socketWorkerScript(hosted);
    worker = new Worker(workerScriptUrl(script.url), { name: 'prepatu-socket', type: script.type });
  } catch (e) {
    return Promise.resolve(fallback(String((e as Error)?.message ?? e)));
  }
  return new Promise((resolve) => {
    const done = (ok: boolean, why = '') => {
      clearTimeout(timer);
      worker.onmessage = worker.onerror = null;
      if (ok) return resolve(worker);
      worker.terminate();
      resolve(fallback(why));
    };
    const timer = setTimeout(() => done(false, 'the worker did not start'), READY_TIMEOUT_MS);
    worker.onmessage = (e: MessageEvent<FromWorker>) => done(e.data.t === 'ready', 'the worker said something unexpected');
    worker.onerror = (e) => {
      e.preventDefault();
      done(false, e.message || 'the worker script could not be loaded');
    };
  });
}
