// `@prepatu/elements/server`: for the site's backend, not the browser.
export {
  createSessionHandler,
  DEFAULT_BASE_URL,
  type SessionErrorBody,
  type SessionErrorCode,
  type SessionHandler,
  type SessionHandlerError,
  type SessionHandlerOptions,
  type SessionStartBody,
} from './session-handler.js';
export { toNodeHandler, type NodeRequestLike, type NodeResponseLike } from './node-adapter.js';
