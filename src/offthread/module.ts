import { OFF_THREAD_SOURCE } from './generated/source.js';

/**
 * The one module that runs off the page's main thread: loaded with `audioWorklet.addModule()` it
 * registers the capture and playback processors; started as a `Worker` it runs the session's
 * socket. One file for sites to host (`dist/prepatu-worklets.js`, named by `worklet-url`), one
 * inlined copy otherwise (a `blob:` URL).
 */
let blobUrl: string | undefined;

export function offThreadModuleUrl(hosted?: string): string {
  if (hosted) return new URL(hosted, globalThis.document?.baseURI ?? globalThis.location?.href).href;
  blobUrl ??= URL.createObjectURL(new Blob([OFF_THREAD_SOURCE], { type: 'text/javascript' }));
  return blobUrl;
}

interface TrustedTypePolicyLike {
  createScriptURL(url: string): unknown;
}
interface TrustedTypesLike {
  createPolicy(name: string, rules: { createScriptURL(url: string): string }): TrustedTypePolicyLike;
}

/** The name of the widget's own Trusted Types policy: a strict site lists it (`trusted-types lit-html prepatu`). */
export const TRUSTED_TYPES_POLICY = 'prepatu';
let policy: TrustedTypePolicyLike | undefined;
const vouched = new Set<string>();

/**
 * `url` as `new Worker()` takes it under Trusted Types: through the `prepatu` policy, which
 * only vouches for the module URLs this file produced. Without Trusted Types, the URL itself.
 * Throws when the page's CSP does not allow the policy.
 */
export function workerScriptUrl(url: string): string | URL {
  const tt = (globalThis as { trustedTypes?: TrustedTypesLike }).trustedTypes;
  if (!tt) return url;
  vouched.add(url);
  policy ??= tt.createPolicy(TRUSTED_TYPES_POLICY, {
    createScriptURL: (u) => {
      if (vouched.has(u)) return u;
      throw new TypeError(`The ${TRUSTED_TYPES_POLICY} policy only creates the URL of its own worker module, not ${u}.`);
    },
  });
  return policy.createScriptURL(url) as string;
}
