// @ts-check
/**
 * Plain HTTP: `GET /healthz`, `POST /api/start-session` (both with CORS for
 * any origin), and optional static files (`--static <dir>`).
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { cors, json, readBody } from './http-util.js';

/** @typedef {import('node:http').IncomingMessage} Req */
/** @typedef {import('node:http').ServerResponse} Res */

const MAX_BODY_BYTES = 64 * 1024;

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
 * @param {(msg: string) => void} o.log
 * @param {(req: Req, res: Res) => boolean} [o.webrtc] answers the WebRTC signalling requests (true when it did)
 * @returns {(req: Req, res: Res) => void}
 */
export function createHttpHandler({ flowIds, tokens, staticDir, log, webrtc }) {
  /** @param {Req} req @param {Res} res */
  async function startSession(req, res) {
    if (req.method !== 'POST') return json(res, 405, { error: 'use POST' });
    let body = {};
    try {
      const text = await readBody(req, MAX_BODY_BYTES);
      body = text.trim() ? JSON.parse(text) : {};
    } catch (e) {
      return json(res, 400, { error: `invalid request body: ${/** @type {Error} */ (e).message}` });
    }
    const ids = flowIds();
    const requested = /** @type {any} */ (body)?.flow_id;
    if (requested !== undefined && requested !== null && typeof requested !== 'string')
      return json(res, 400, { error: '"flow_id" must be a string' });
    const flowId = requested ?? ids[0];
    if (!ids.includes(flowId)) return json(res, 404, { error: `unknown flow_id "${flowId}"; this server has: ${ids.join(', ')}` });
    const token = tokens.issue(flowId);
    const host = req.headers.host ?? 'localhost';
    log(`start-session: token issued for ${flowId}`);
    json(res, 200, {
      ws_url: `ws://${host}/v1/ws/${token}?program_id=${encodeURIComponent(flowId)}`,
      session_token: token,
      transport: 'websocket',
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
    if (api) return json(res, 404, { error: 'not found' });
    void serveStatic(req, res, pathname).catch(done);
  };
}
