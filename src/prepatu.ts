// Entry of the bundles (dist/prepatu.js, dist/prepatu.iife.js): the whole API, every element
// registered, and the one-script embed (data-ws-url / data-session-url on the script tag).
import { autoEmbed } from './auto-embed.js';
import './define.js';

export * from './index.js';
export { autoEmbed };

autoEmbed();
