/**
 * The site's own session endpoint for the Prepatu cloud: the widget POSTs `{program_id,
 * flow_id, metadata}` to it, it calls `POST {baseUrl}/v1/sessions` with the site's API key and
 * answers `{ws_url}`. One Fetch API handler (Next.js route handlers, Cloudflare Workers, Deno,
 * Bun; `toNodeHandler` for Node and Express). No DOM, no Node types, no dependencies.
 */

/** Options of {@link createSessionHandler}. */
export interface SessionHandlerOptions {
  /** The site's Prepatu API key. Read it from the environment: it never reaches the browser. */
  apiKey: string;
  /** The flow when the request names none. Without `allowedFlows`, also the only flow allowed. */
  flowId?: string;
  /** The API origin, default `https://api.prepatu.io`; `/v1/sessions` is added to it. */
  baseUrl?: string;
  /** The flows a browser may ask for. Default: `[flowId]` when `flowId` is set, else any flow. */
  allowedFlows?: readonly string[];
  /** The largest request body accepted, in bytes (default 16 KiB). */
  maxBodyBytes?: number;
  /** How long to wait for the API, in ms (default 10 s). */
  timeoutMs?: number;
  /** Called with every error answer, for the server's log (upstream details included; never the key). */
  onError?: (error: SessionHandlerError) => void;
}

/** `code` of an error answer; see the table in the README. */
export type SessionErrorCode =
  | 'method_not_allowed'
  | 'unsupported_media_type'
  | 'payload_too_large'
  | 'invalid_request'
  | 'flow_not_allowed'
  | 'unknown_flow'
  | 'rate_limited'
  | 'not_configured'
  | 'api_key_refused'
  | 'unavailable'
  | 'upstream_unreachable'
  | 'upstream_timeout'
  | 'upstream_error'
  | 'internal_error';

/** What `onError` receives. */
export interface SessionHandlerError {
  code: SessionErrorCode;
  /** The HTTP status answered to the browser. */
  status: number;
  /** The message answered to the browser. */
  message: string;
  /** The API's status, when it answered. */
  upstreamStatus?: number;
  /** The API's answer or the network error, with the key redacted. */
  detail?: string;
}

/** The body of an error answer. */
export interface SessionErrorBody {
  error: { code: SessionErrorCode; message: string };
}

/** The body of a successful answer (never the API key). */
export interface SessionStartBody {
  ws_url: string;
  session_token?: string;
  transport: string;
}

export type SessionHandler = (request: Request) => Promise<Response>;

export const DEFAULT_BASE_URL = 'https://api.prepatu.io';
const DEFAULT_MAX_BODY_BYTES = 16 * 1024;
const DEFAULT_TIMEOUT_MS = 10_000;

class Failure extends Error {
  constructor(
    readonly status: number,
    readonly code: SessionErrorCode,
    message: string,
    readonly extra: { upstreamStatus?: number; detail?: string; headers?: Record<string, string> } = {},
  ) {
    super(message);
  }
}

const answer = (status: number, body: SessionStartBody | SessionErrorBody, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', ...headers },
  });

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const isUrl = (v: unknown): v is string => {
  try {
    return typeof v === 'string' && Boolean(new URL(v));
  } catch {
    return false;
  }
};

/** The body as text, refusing more than `max` bytes without reading the rest. */
async function readText(request: Request, max: number): Promise<string> {
  const tooLarge = () => new Failure(413, 'payload_too_large', `The request body is larger than ${max} bytes.`);
  if (Number(request.headers.get('content-length') ?? 0) > max) throw tooLarge();
  if (!request.body) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      void reader.cancel().catch(() => {});
      throw tooLarge();
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    bytes.set(c, at);
    at += c.byteLength;
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new Failure(400, 'invalid_request', 'The request body is not UTF-8 text.');
  }
}

/** What the widget sent: `{program_id?, flow_id?, metadata?}` (an empty body is `{}`). */
async function readRequest(request: Request, max: number): Promise<{ flowId?: string; metadata?: Record<string, unknown> }> {
  const text = await readText(request, max);
  if (!text.trim()) return {};
  const type = request.headers.get('content-type') ?? '';
  if (!/^application\/([\w.+-]+\+)?json\s*(;|$)/i.test(type))
    throw new Failure(415, 'unsupported_media_type', 'Send the request body as JSON (Content-Type: application/json).');
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new Failure(400, 'invalid_request', 'The request body is not valid JSON.');
  }
  if (!isObject(body)) throw new Failure(400, 'invalid_request', 'The request body must be a JSON object.');
  const { flow_id: flowId, program_id: programId, metadata } = body;
  for (const [name, v] of [['flow_id', flowId], ['program_id', programId]] as const)
    if (v !== undefined && v !== null && (typeof v !== 'string' || !v))
      throw new Failure(400, 'invalid_request', `"${name}" must be a non-empty string.`);
  if (flowId && programId && flowId !== programId)
    throw new Failure(400, 'invalid_request', '"flow_id" and "program_id" name different flows.');
  if (metadata !== undefined && metadata !== null && !isObject(metadata))
    throw new Failure(400, 'invalid_request', '"metadata" must be a JSON object.');
  return {
    ...(flowId || programId ? { flowId: (flowId || programId) as string } : {}),
    ...(isObject(metadata) ? { metadata } : {}),
  };
}

/** The API's answer as an error of ours. The browser never sees the API's own words. */
function upstreamFailure(status: number, flowId: string | undefined, detail: string, retryAfter: string | null): Failure {
  const extra = { upstreamStatus: status, detail };
  if (status === 401 || status === 403)
    return new Failure(502, 'api_key_refused', "The voice service refused this site's API key. The site's server configuration needs attention.", extra);
  if (status === 404)
    return new Failure(404, 'unknown_flow', flowId ? `The voice service has no flow "${flowId}".` : 'The voice service has no default flow for this site.', extra);
  if (status === 400 || status === 422) return new Failure(400, 'invalid_request', `The voice service rejected the session request (HTTP ${status}).`, extra);
  if (status === 402) return new Failure(503, 'unavailable', 'The voice service cannot start a session for this site right now (HTTP 402).', extra);
  if (status === 429)
    return new Failure(429, 'rate_limited', 'Too many sessions started; try again shortly.', { ...extra, ...(retryAfter ? { headers: { 'Retry-After': retryAfter } } : {}) });
  return new Failure(502, 'upstream_error', `The voice service failed to start a session (HTTP ${status}).`, extra);
}

/**
 * Creates the handler of the site's session endpoint.
 *
 * ```ts
 * // app/api/start-session/route.ts (Next.js)
 * export const POST = createSessionHandler({ apiKey: process.env.PREPATU_API_KEY!, flowId: 'onboarding' });
 * ```
 *
 * Answers `200 {ws_url, session_token, transport}` or `{error: {code, message}}` with a 4xx/5xx
 * status; never the API key.
 */
export function createSessionHandler(options: SessionHandlerOptions): SessionHandler {
  const { apiKey, flowId: defaultFlow, allowedFlows, onError } = options;
  const maxBody = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const allowed = allowedFlows ?? (defaultFlow ? [defaultFlow] : null);
  const redact = (text: string) => (apiKey ? text.split(apiKey).join('[redacted]') : text).slice(0, 500);

  async function start(request: Request): Promise<Response> {
    if (request.method !== 'POST')
      throw new Failure(405, 'method_not_allowed', 'Use POST to start a session.', { headers: { Allow: 'POST' } });
    if (typeof apiKey !== 'string' || !apiKey.trim())
      throw new Failure(500, 'not_configured', 'The session endpoint has no Prepatu API key configured.');
    let endpoint: string;
    try {
      endpoint = new URL(`${(options.baseUrl ?? DEFAULT_BASE_URL).replace(/\/+$/, '')}/v1/sessions`).toString();
    } catch {
      throw new Failure(500, 'not_configured', 'The session endpoint has an invalid baseUrl.');
    }
    const { flowId: requested, metadata } = await readRequest(request, maxBody);
    const flowId = requested ?? defaultFlow;
    if (requested && allowed && !allowed.includes(requested))
      throw new Failure(403, 'flow_not_allowed', `This site does not offer the flow "${requested}".`);

    let res: Response;
    try {
      res = await fetch(endpoint, {
        method: 'POST',
        headers: { 'X-Prepatu-Key': apiKey, 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify({ ...(flowId ? { flow_id: flowId } : {}), ...(metadata ? { metadata } : {}) }),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (e) {
      const detail = redact(String((e as Error)?.message ?? e));
      if ((e as Error)?.name === 'TimeoutError')
        throw new Failure(504, 'upstream_timeout', `The voice service did not answer within ${timeoutMs} ms.`, { detail });
      throw new Failure(502, 'upstream_unreachable', 'The voice service could not be reached.', { detail });
    }
    const text = await res.text().catch(() => '');
    if (!res.ok) throw upstreamFailure(res.status, flowId, redact(text), res.headers.get('retry-after'));
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      // reported below
    }
    const wsUrl = isObject(body) ? body['ws_url'] : undefined;
    if (!isUrl(wsUrl))
      throw new Failure(502, 'upstream_error', 'The voice service answered without a usable ws_url.', { upstreamStatus: res.status, detail: redact(text) });
    const token = isObject(body) && typeof body['session_token'] === 'string' ? body['session_token'] : undefined;
    const transport = isObject(body) && typeof body['transport'] === 'string' ? body['transport'] : 'websocket';
    return answer(200, { ws_url: wsUrl, ...(token ? { session_token: token } : {}), transport });
  }

  return async (request) => {
    try {
      return await start(request);
    } catch (e) {
      const f = e instanceof Failure ? e : new Failure(500, 'internal_error', 'The session endpoint failed.', { detail: redact(String(e)) });
      const { headers, ...extra } = f.extra;
      try {
        onError?.({ code: f.code, status: f.status, message: f.message, ...extra });
      } catch {
        // a failing logger must not change the answer
      }
      return answer(f.status, { error: { code: f.code, message: f.message } }, headers);
    }
  };
}
