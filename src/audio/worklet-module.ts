// The worklet module's URL, from src/offthread (the inlined module for npm users; files beside
// the bundle for the script-tag bundles; the site's hosted copy when `worklet-url` names one).
export { workletModuleUrl } from '../offthread/module.js';
