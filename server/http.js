// @ts-check
/**
 * Plain HTTP: `GET /healthz`, `POST /api/start-session` (both with CORS for
 * any origin), the cloud's `POST /v1/sessions` (with `--api-key`; no CORS: only
 * a site's backend calls it), and optional static files (`--static <dir>`).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { cors, json, readBody } from './http-util.js';

/** @typedef {import('node:http').IncomingMessage} Req */
/** @typedef {import('node:http').ServerResponse} Res */

const MAX_BODY_BYTES = 64 * 1024;
/** The simulated account's balance: one credit per session issued, and nothing is refused at 0. */
const CREDITS = 1000;

/** Compares API keys in constant time. @param {string} a @param {string} b */
const sameKey = (a, b) => timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());

/** The cloud API's error shape. @param {Res} res @param {number} status @param {string} code @param {string} message */
const cloudError = (res, status, code, message) => json(res, status, { error: { code, message } });

const CONTENT_TYPES = /** @type {Record<string, string>} */ ({
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.cjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.yaml': 'text/yaml; charset=utf-8',
  '.yml': 'text/yaml; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.wav': 'audio/wav',
  '.mp3': 'audio/mpeg',
  '.ogg': 'audio/ogg',
  '.wasm': 'application/wasm',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
});


/**
 * @param {object} o
 * @param {() => string[]} o.flowIds all flow ids, the default first
 * @param {import('./tokens.js').TokenStore} o.tokens
 * @param {string|undefined} o.staticDir
 * @param {string|undefined} [o.apiKey] enables `POST /v1/sessions`
 * @param {(msg: string) => void} o.log
 * @param {(req: Req, res: Res) => boolean} [o.webrtc] answers the WebRTC signalling requests (true when it did)
 * @returns {(req: Req, res: Res) => void}
 */
export function createHttpHandler({ flowIds, tokens, staticDir, apiKey, log, webrtc }) {
  /**
   * Reads `{flow_id?, …}` and picks the flow.
   * @param {Req} req
   * @returns {Promise<{ok: true, body: Record<string, unknown>, flowId: string} | {ok: false, status: number, code: string, message: string}>}
   */
  async function readSessionRequest(req) {
    /** @type {unknown} */
    let body;
    try {
      const text = await readBody(req, MAX_BODY_BYTES);
      body = text.trim() ? JSON.parse(text) : {};
    } catch (e) {
      return { ok: false, status: 400, code: 'invalid_request', message: `invalid request body: ${/** @type {Error} */ (e).message}` };
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      return { ok: false, status: 400, code: 'invalid_request', message: 'the request body must be a JSON object' };
    const ids = flowIds();
    const requested = /** @type {Record<string, unknown>} */ (body).flow_id;
    if (requested !== undefined && requested !== null && typeof requested !== 'string')
      return { ok: false, status: 400, code: 'invalid_request', message: '"flow_id" must be a string' };
    const flowId = requested ?? ids[0] ?? '';
    if (!ids.includes(flowId)) return { ok: false, status: 404, code: 'unknown_flow', message: `unknown flow_id "${flowId}"; this server has: ${ids.join(', ')}` };
    return { ok: true, body: /** @type {Record<string, unknown>} */ (body), flowId };
  }

  /** @param {Req} req @param {Res} res */
  async function startSession(req, res) {
    if (req.method !== 'POST') return json(res, 405, { error: 'use POST' });
    const r = await readSessionRequest(req);
    if (!r.ok) return json(res, r.status, { error: r.message });
    const token = tokens.issue(r.flowId);
    const host = req.headers.host ?? 'localhost';
    log(`start-session: token issued for ${r.flowId}`);
    json(res, 200, {
      ws_url: `ws://${host}/v1/ws/${token}?program_id=${encodeURIComponent(r.flowId)}`,
      session_token: token,
      transport: 'websocket',
    });
  }

  let issued = 0;
  /** The cloud's session API: the key first, then the body. @param {Req} req @param {Res} res */
  async function cloudSession(req, res) {
    if (!apiKey) return cloudError(res, 404, 'not_found', 'this development server has no cloud API: start it with --api-key <key>');
    if (req.method !== 'POST') {
      res.setHeader('Allow', 'POST');
      return cloudError(res, 405, 'method_not_allowed', 'use POST');
    }
    const key = req.headers['x-prepatu-key'];
    if (typeof key !== 'string' || !key) return cloudError(res, 401, 'missing_api_key', 'the X-Prepatu-Key header is missing');
    if (!sameKey(key, apiKey)) {
      log('cloud session refused: wrong API key');
      return cloudError(res, 401, 'invalid_api_key', 'invalid API key');
    }
    const r = await readSessionRequest(req);
    if (!r.ok) return cloudError(res, r.status, r.code, r.message);
    const { context, metadata } = r.body;
    const token = tokens.issue(r.flowId);
    issued++;
    log(`cloud session for ${r.flowId}${context === undefined ? '' : `, context ${JSON.stringify(context)}`}${metadata === undefined ? '' : `, metadata ${JSON.stringify(metadata)}`}`);
    json(res, 200, {
      ws_url: `ws://${req.headers.host ?? 'localhost'}/v1/ws/${token}`,
      session_token: token,
      transport: 'websocket',
      credits_remaining: Math.max(0, CREDITS - issued),
    });
  }

  /** @param {Req} req @param {Res} res @param {string} pathname */
  async function serveStatic(req, res, pathname) {
    if (!staticDir || (req.method !== 'GET' && req.method !== 'HEAD')) return json(res, 404, { error: 'not found' });
    const root = path.resolve(staticDir);
    let rel;
    try {
      rel = decodeURIComponent(pathname);
    } catch {
      return json(res, 400, { error: 'bad path' });
    }
    let file = path.resolve(root, `.${path.posix.normalize(`/${rel}`)}`);
    if (file !== root && !file.startsWith(root + path.sep)) return json(res, 403, { error: 'forbidden' });
    try {
      let info = await stat(file);
      if (info.isDirectory()) {
        file = path.join(file, 'index.html');
        info = await stat(file);
      }
      res.writeHead(200, {
        'Content-Type': CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
        'Content-Length': info.size,
        'Cache-Control': 'no-store',
      });
      if (req.method === 'HEAD') return res.end();
      createReadStream(file).on('error', () => res.destroy()).pipe(res);
    } catch {
      json(res, 404, { error: 'not found' });
    }
  }

  return (req, res) => {
    if (webrtc?.(req, res)) return;
    const { pathname } = new URL(req.url ?? '/', 'http://x');
    const api = pathname === '/healthz' || pathname.startsWith('/api/');
    if (api) cors(req, res);
    if (api && req.method === 'OPTIONS') {
      res.writeHead(204);
      return res.end();
    }
    const done = (/** @type {unknown} */ e) => {
      log(`http ${req.method} ${pathname} failed: ${/** @type {Error} */ (e)?.message}`);
      if (!res.headersSent) json(res, 500, { error: 'internal error' });
      else res.destroy();
    };
    if (pathname === '/healthz') return json(res, 200, { ok: true, flows: flowIds() });
    if (pathname === '/api/start-session') return void startSession(req, res).catch(done);
    if (pathname === '/v1/sessions') return void cloudSession(req, res).catch(done);
    if (api) return json(res, 404, { error: 'not found' });
    void serveStatic(req, res, pathname).catch(done);
  };
}
