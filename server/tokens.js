// @ts-check
/**
 * Single-use session tokens (`st_…`) for the cloud-style start-session flow:
 * `POST /api/start-session` issues one, `WS /v1/ws/<token>` consumes it.
 */
import { randomBytes } from 'node:crypto';

const TTL_MS = 5 * 60_000;

export class TokenStore {
  constructor(ttlMs = TTL_MS) {
    this.ttlMs = ttlMs;
    /** @type {Map<string, {flowId: string, expires: number}>} */
    this.tokens = new Map();
  }

  /** @param {string} flowId @returns {string} */
  issue(flowId) {
    const now = Date.now();
    for (const [t, v] of this.tokens) if (v.expires <= now) this.tokens.delete(t);
    const token = `st_${randomBytes(24).toString('base64url')}`;
    this.tokens.set(token, { flowId, expires: now + this.ttlMs });
    return token;
  }

  /**
   * Returns the token's flow id and forgets the token, or null when unknown,
   * already used or expired.
   * @param {string} token
   */
  consume(token) {
    const v = this.tokens.get(token);
    this.tokens.delete(token);
    return v && v.expires > Date.now() ? v.flowId : null;
  }
}
