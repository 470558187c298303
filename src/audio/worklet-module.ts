import { offThreadModuleUrl } from '../offthread/module.js';

/**
 * Where to load the worklet module from: the site's hosted copy of `dist/prepatu-worklets.js`
 * when given (strict CSP without `blob:`), else a Blob URL of the inlined source, created once.
 */
export const workletModuleUrl = (hosted?: string): string => offThreadModuleUrl(hosted);
