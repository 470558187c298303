// Entry of the bundles (dist/prepatu.js, dist/prepatu.iife.js): the whole API, every element registered.
export * from './index.js';
import './define.js';
