// Reading the recording proxy's log (test/support/recording-proxy.mjs) and judging it: which
// hosts were contacted, whether a cookie went either way, and whether anything sent carries an
// identifier that no server issued and the visitor did not type.

export interface Message {
  seq: number;
  from: 'client' | 'server';
  text: string;
}

export interface Entry {
  seq: number;
  /** 'datachannel': a WebRTC data channel's text, recorded in the page (probes.ts), not by the proxy. */
  kind: 'http' | 'websocket' | 'tunnel' | 'datachannel';
  method: string;
  url?: string;
  /** host:port */
  host: string;
  path?: string;
  headers: Record<string, string>;
  body?: string;
  status?: number;
  responseHeaders?: Record<string, string | string[]>;
  responseBody?: string;
  /** When the response was complete (the same counter as `seq`). */
  responseSeq?: number;
  closed: boolean;
  error?: string;
  messages?: Message[];
  binary?: { client: { frames: number; bytes: number }; server: { frames: number; bytes: number } };
  compressed?: boolean;
}

interface Log {
  active: boolean;
  seq: number;
  entries: Entry[];
}

/** The proxy's log after `from` (its sequence numbers), read through the proxy itself. */
export async function proxyLog(from = 0): Promise<Log> {
  const res = await fetch(`/__prepatu/proxy?from=${from}`, { cache: 'no-store' });
  return (await res.json()) as Log;
}

/** The test's own endpoints on the page's origin (the log, the server list): not the widget's. */
export const isTestEndpoint = (e: Entry, pageHost: string) => e.host === pageHost && (e.path ?? '').startsWith('/__prepatu/');

/** One line per request, for failure messages. */
export const describe = (e: Entry) => `${e.kind} ${e.method} ${e.url ?? e.host}${e.status ? ` → ${e.status}` : ''}`;

/** Problems with cookies: any Cookie header sent, any Set-Cookie received. */
export function cookieProblems(entries: Entry[]): string[] {
  const out: string[] = [];
  for (const e of entries) {
    if (e.headers['cookie']) out.push(`${describe(e)} sent Cookie: ${e.headers['cookie']}`);
    const set = e.responseHeaders?.['set-cookie'];
    if (set) out.push(`${describe(e)} received Set-Cookie: ${String(set)}`);
  }
  return out;
}

/**
 * Request headers a browser adds by itself (or for CORS, caching and WebSocket handshakes).
 * Anything else was set by the page and must be accounted for; the widget sets only
 * Content-Type on its JSON requests.
 */
const BROWSER_HEADERS = new Set([
  'host', 'connection', 'proxy-connection', 'keep-alive', 'user-agent', 'accept', 'accept-language', 'accept-encoding',
  'origin', 'referer', 'content-type', 'content-length', 'cache-control', 'pragma', 'upgrade', 'te', 'dnt', 'priority',
  'if-none-match', 'if-modified-since', 'upgrade-insecure-requests', 'access-control-request-method', 'access-control-request-headers',
  'sec-websocket-key', 'sec-websocket-version', 'sec-websocket-extensions', 'sec-gpc',
]);
const browserHeader = (name: string) => BROWSER_HEADERS.has(name) || name.startsWith('sec-fetch-') || name.startsWith('sec-ch-');

/** Headers the page added beyond what browsers send. */
export function headerProblems(entries: Entry[]): string[] {
  return entries.flatMap((e) => Object.keys(e.headers).filter((h) => !browserHeader(h)).map((h) => `${describe(e)} carries header ${h}: ${e.headers[h]}`));
}

interface Sent {
  /** When it was sent (the proxy's counter): only what a server said before then can explain it. */
  seq: number;
  where: string;
  key: string;
  value: string;
}

/** Leaves of a JSON value as key paths and string values (numbers are counts and times, not names). */
function leaves(v: unknown, key: string, out: { key: string; value: string }[]): void {
  if (typeof v === 'string') out.push({ key, value: v });
  else if (Array.isArray(v)) v.forEach((x, i) => leaves(x, `${key}[${i}]`, out));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) leaves(x, key ? `${key}.${k}` : k, out);
}

/**
 * Signalling fields the browser's WebRTC stack writes, not the page: the SDP offer (its ICE
 * credentials, DTLS fingerprint and stream ids are random per connection and die with it) and
 * the trickled ICE candidates.
 */
const WEBRTC_FIELDS = /(^|\.)(sdp|candidate|sdpMid|sdpMLineIndex|usernameFragment)$/;

function bodyValues(text: string, seq: number, where: string): Sent[] {
  const out: { key: string; value: string }[] = [];
  try {
    leaves(JSON.parse(text), '', out);
  } catch {
    out.push({ key: '(body)', value: text });
  }
  return out.filter((x) => !WEBRTC_FIELDS.test(x.key)).map((x) => ({ seq, where, ...x }));
}

/** What the page sent in an entry: query values, path segments, added headers, bodies, WebSocket text. */
function sentValues(e: Entry, pageHost: string): Sent[] {
  const out: Sent[] = [];
  const where = describe(e);
  const { seq } = e;
  if (e.url) {
    const url = new URL(e.url);
    for (const [k, v] of url.searchParams) out.push({ seq, where, key: `?${k}`, value: v });
    // The page's own files are named by the build; other hosts' paths are the page's to choose.
    if (e.host !== pageHost) for (const seg of url.pathname.split('/').filter(Boolean)) out.push({ seq, where, key: 'path', value: decodeURIComponent(seg) });
  }
  for (const [h, v] of Object.entries(e.headers)) if (!browserHeader(h)) out.push({ seq, where, key: h, value: v });
  if (e.body) out.push(...bodyValues(e.body, seq, where));
  for (const m of e.messages ?? []) if (m.from === 'client') out.push(...bodyValues(m.text, m.seq, `${where} message`));
  return out;
}

/** Everything servers said, each with when: response bodies and headers, WebSocket messages. */
function serverSaid(entries: Entry[]): { seq: number; text: string }[] {
  return entries.flatMap((e) => [
    ...(e.responseSeq ? [{ seq: e.responseSeq, text: `${e.responseBody ?? ''}\n${JSON.stringify(e.responseHeaders ?? {})}` }] : []),
    ...(e.messages ?? []).filter((m) => m.from === 'server'),
  ]);
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
/** A long run of letters and digits mixed: what random ids and tokens look like. */
const TOKEN = /[A-Za-z0-9_+/=-]{16,}/g;
const tokenLike = (s: string) => /[0-9]/.test(s) && /[A-Za-z]/.test(s);
/** Field names under which trackers send what they made up. */
const ID_KEY = /(^|[._?-])(uuid|guid|visitor\w*|device\w*|fingerprint|anon\w*|track\w*|cid|uid|client_?id|user_?id|session_?id|install\w*|distinct_?id)$/i;

/**
 * Values sent that look like identifiers (a UUID, a long mixed token, or any value under an
 * id-like field name) and that neither a server said before they were sent nor the visitor typed
 * or the page configured (`known`). A server-issued token (the session's `st_…`) or id echoed
 * back (a `pc_id`, a `flow_id`, an option's `selected_id`) is fine: the server made it. A server
 * echoing what the page made up afterwards does not make it the server's.
 */
export function identifierProblems(entries: Entry[], pageHost: string, known: string[]): string[] {
  const said = serverSaid(entries);
  const isKnown = (s: string, before: number) => said.some((x) => x.seq < before && x.text.includes(s)) || known.some((k) => k.includes(s));
  const out: string[] = [];
  for (const e of entries) {
    for (const { seq, where, key, value } of sentValues(e, pageHost)) {
      const suspects = [...(value.match(UUID) ?? []), ...(value.match(TOKEN) ?? []).filter(tokenLike)];
      if (ID_KEY.test(key) && value) suspects.push(value);
      for (const s of new Set(suspects)) if (!isKnown(s, seq)) out.push(`${where}: ${key} = ${JSON.stringify(value)} looks like an identifier no server issued (${s})`);
    }
  }
  return out;
}
