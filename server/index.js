// @ts-check
/**
 * The development PVP server: HTTP + WebSocket on one port.
 *
 *   WS   /ws?mode=flow&program_id=<flow id>   one PVP session
 *   POST /api/start-session {flow_id?}        → {ws_url, session_token, transport}
 *   POST /v1/sessions {flow_id?} + X-Prepatu-Key   the cloud API (option apiKey) → the same, credits_remaining
 *   WS   /v1/ws/<token>                       a session for a single-use token
 *   GET  /healthz                             → {ok, flows}
 *   GET  /ice-servers, POST /offer, PATCH /offer/<pc_id>, WS /ws?mode=control
 *                                             WebRTC (SmallWebRTC signalling), see webrtc.js
 *   GET  /*                                   static files (option staticDir)
 *
 * With option `replay` (a trace file), every client of /ws gets the trace's server side
 * instead of a flow session (replay.js).
 *
 * Understanding is simulated: there is no speech recognition or language
 * model; see agent-sim.js.
 */
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { WebSocketServer } from 'ws';
import { DIALECTS } from './dialect.js';
import { loadFlows } from './flow-loader.js';
import { createHttpHandler } from './http.js';
import { createReplay, describeTrace } from './replay.js';
import { Session } from './session.js';
import { synthesize as defaultSynthesize } from './speech.js';
import { TokenStore } from './tokens.js';
import { loadTrace } from './trace-file.js';
import { createWebRtc } from './webrtc.js';

export { FlowLoadError, loadFlows, parseFlow } from './flow-loader.js';
export { TraceLoadError, loadTrace, parseTrace } from './trace-file.js';

/** @typedef {import('./types.js').Dialect} Dialect */
/** @typedef {import('./types.js').Flow} Flow */

/** The flows shipped with the package. */
export const DEFAULT_FLOWS_DIR = fileURLToPath(new URL('./flows/', import.meta.url));
/** The flow used when a client names none, if loaded. */
export const PREFERRED_DEFAULT_FLOW = 'sample-onboarding';

/**
 * @typedef {object} ServerOptions
 * @property {number} [port] default 8000; 0 picks a free port
 * @property {string} [host] default 127.0.0.1
 * @property {string[]} [flows] flow files and/or directories; default: the bundled server/flows/
 * @property {Dialect} [dialect] default 'documented'
 * @property {boolean} [testHooks] honour `{"type":"__test"}` messages
 * @property {boolean} [agentArtifacts] the simulated agent also sends model-driven artifacts (agent-artifacts.js)
 * @property {string} [apiKey] serve the cloud's `POST /v1/sessions`, which requires this `X-Prepatu-Key`
 * @property {string} [staticDir] serve files from this directory
 * @property {number} [vadThreshold] mic RMS (fraction of full scale) counted as speech; default 0.02
 * @property {(text: string) => Promise<Int16Array>} [synthesize] the agent's voice (PCM16 16 kHz mono)
 * @property {(msg: string) => void} [log] default: silent
 * @property {string|import('./trace-file.js').Trace} [replay] a trace file (or a parsed one): every client of `/ws` gets its server side instead of a flow (replay.js)
 */

/**
 * @typedef {object} RunningServer
 * @property {number} port
 * @property {string} host
 * @property {string} url http://host:port
 * @property {Flow[]} flows default flow first
 * @property {ReturnType<typeof describeTrace>|null} replay what `--replay` plays back
 * @property {() => Promise<void>} close
 */

/**
 * Loads the flows (rejects with a FlowLoadError on a malformed file) and listens.
 * @param {ServerOptions} [options]
 * @returns {Promise<RunningServer>}
 */
export async function startServer(options = {}) {
  const {
    port = 8000,
    host = '127.0.0.1',
    dialect = 'documented',
    testHooks = false,
    agentArtifacts = false,
    apiKey,
    staticDir,
    vadThreshold = 0.02,
    synthesize = defaultSynthesize,
    log = () => {},
  } = options;
  if (!DIALECTS.includes(dialect)) throw new Error(`unknown dialect "${dialect}" (expected ${DIALECTS.join(' or ')})`);
  if (apiKey !== undefined && (typeof apiKey !== 'string' || !apiKey.trim())) throw new Error('apiKey must be a non-empty string');
  const loaded = await loadFlows(options.flows?.length ? options.flows : [DEFAULT_FLOWS_DIR]);
  const preferred = loaded.find((f) => f.id === PREFERRED_DEFAULT_FLOW);
  const flows = preferred ? [preferred, ...loaded.filter((f) => f !== preferred)] : loaded;
  const flowIds = () => flows.map((f) => f.id);
  const trace = typeof options.replay === 'string' ? await loadTrace(options.replay) : (options.replay ?? null);
  const replay = trace ? createReplay({ trace, testHooks, log }) : null;
  const tokens = new TokenStore();
  let sessionCount = 0;

  const webrtc = createWebRtc({ host, flows, dialect, testHooks, agentArtifacts, synthesize, vadThreshold, log, nextId: () => `s${++sessionCount}` });
  const server = createServer(createHttpHandler({ flowIds, tokens, staticDir, apiKey, log, webrtc: (req, res) => webrtc.handle(req, res) }));
  const wss = new WebSocketServer({ noServer: true, maxPayload: 4 * 1024 * 1024 });

  /**
   * @param {import('ws').WebSocket} ws
   * @param {number} code
   * @param {string} message
   * @param {string} reason
   */
  const refuse = (ws, code, message, reason) => {
    log(`refused a session: ${message}`);
    ws.send(JSON.stringify({ type: 'error', message }));
    ws.close(code, reason);
  };

  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const tokenPath = /^\/v1\/ws\/([^/]+)$/.exec(url.pathname);
    const controlPath = webrtc.controlPaths.includes(url.pathname);
    if (url.pathname !== '/ws' && !tokenPath && !controlPath) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      if (replay && !controlPath && url.searchParams.get('mode') !== 'control') return replay.serve(ws);
      /** @type {string|null} */
      let flowId;
      if (tokenPath) {
        flowId = tokens.consume(decodeURIComponent(/** @type {string} */ (tokenPath[1])));
        if (!flowId) return refuse(ws, 4401, 'authentication failed: invalid or expired session token', 'authentication failed');
      } else {
        const mode = url.searchParams.get('mode');
        if (mode === 'control') return webrtc.control(ws, url);
        if (controlPath) return refuse(ws, 1008, `${url.pathname} is the WebRTC control socket: use mode=control&session_id=…`, 'unsupported mode');
        if (mode && mode !== 'flow')
          return refuse(ws, 1008, `mode "${mode}" is not supported: this development server runs flows (mode=flow)`, 'unsupported mode');
        flowId = url.searchParams.get('program_id') || flowIds()[0] || null;
      }
      const flow = flows.find((f) => f.id === flowId);
      if (!flow) return refuse(ws, 1008, `unknown program_id "${flowId}"; this server has: ${flowIds().join(', ')}`, 'unknown program_id');
      const session = new Session(ws, {
        flow,
        dialect,
        testHooks,
        agentArtifacts,
        synthesize,
        vadThreshold,
        log,
        id: `s${++sessionCount}`,
      });
      session.start();
    });
  });

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(undefined);
    });
  });
  const address = server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  const shownHost = host.includes(':') ? `[${host}]` : host;

  return {
    port: actualPort,
    host,
    url: `http://${shownHost}:${actualPort}`,
    flows,
    replay: trace ? describeTrace(trace) : null,
    close: async () => {
      webrtc.close();
      for (const ws of wss.clients) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(() => resolve(undefined)));
    },
  };
}
