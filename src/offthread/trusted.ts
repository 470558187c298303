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
 * only vouches for the worker URLs this package produced. Without Trusted Types, the URL itself.
 * Throws when the page's CSP does not allow the policy.
 */
export function workerScriptUrl(url: string): string {
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

/** A URL the page gave (relative to the document), absolute. */
export const absolute = (url: string): string => new URL(url, globalThis.document?.baseURI ?? globalThis.location?.href).href;

/** How to start the socket worker. */
export interface WorkerScript {
  url: string;
  type: WorkerType;
}
