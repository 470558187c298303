import { WORKLET_MODULE_SOURCE } from './generated/worklets.js';

let blobUrl: string | undefined;

/**
 * Where to load the worklet module from: the site's hosted copy of `dist/prepatu-worklets.js`
 * when given (strict CSP without `blob:`), else a Blob URL of the inlined source, created once.
 */
export function workletModuleUrl(hosted?: string): string {
  if (hosted) return hosted;
  blobUrl ??= URL.createObjectURL(new Blob([WORKLET_MODULE_SOURCE], { type: 'text/javascript' }));
  return blobUrl;
}
