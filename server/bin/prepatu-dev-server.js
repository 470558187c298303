#!/usr/bin/env node
// @ts-check
/**
 * prepatu-dev-server: a development PVP server that runs Prepatu flow YAML
 * files with a simulated agent, so the widget can be tried without a backend.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createEspeakSynthesizer } from '../espeak.js';
import { FlowLoadError, TraceLoadError, startServer } from '../index.js';
import { synthesize as syntheticVoice } from '../speech.js';

const USAGE = `Usage: prepatu-dev-server [options]

  --port <n>              port to listen on (default 8000; 0 = any free port)
  --host <addr>           address to bind (default 127.0.0.1)
  --flows <dir|file>      flow YAML file or directory; repeatable
                          (default: the bundled server/flows/)
  --dialect <d>           documented (default) | reference
  --test-hooks            honour {"type":"__test"} messages (tests only)
  --agent-artifacts       the simulated agent also sends the artifacts a real model
                          adds on its own (score card, option list, navigate)
  --api-key <key>         also serve the cloud API: POST /v1/sessions with the
                          header X-Prepatu-Key: <key>
  --static <dir>          also serve the files of <dir> over HTTP
  --replay <trace.jsonl>  play the server side of a recorded session (exportTrace())
                          back to every client of /ws, with its original timing
  --voice <v>             espeak (default when the optional espeak-ng package is
                          installed: real offline speech) | synthetic (a hum)
  --vad-threshold <rms>   mic level counted as speech, 0..1 (default 0.02)
  --quiet                 no per-session log
  -h, --help              show this help`;

/** @param {string} message */
function usageError(message) {
  process.stderr.write(`prepatu-dev-server: ${message}\n\n${USAGE}\n`);
  process.exit(2);
}

/** @type {ReturnType<typeof parseArgs>['values']} */
let values;
try {
  ({ values } = parseArgs({
    options: {
      port: { type: 'string', default: '8000' },
      host: { type: 'string', default: '127.0.0.1' },
      flows: { type: 'string', multiple: true },
      dialect: { type: 'string', default: 'documented' },
      'test-hooks': { type: 'boolean', default: false },
      'agent-artifacts': { type: 'boolean', default: false },
      'api-key': { type: 'string' },
      static: { type: 'string' },
      replay: { type: 'string' },
      'vad-threshold': { type: 'string', default: '0.02' },
      voice: { type: 'string', default: 'espeak' },
      quiet: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    allowPositionals: false,
  }));
} catch (e) {
  usageError(/** @type {Error} */ (e).message);
  throw e;
}

if (values.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) usageError(`--port must be 0..65535, got "${values.port}"`);
const dialect = /** @type {'documented'|'reference'} */ (String(values.dialect));
if (dialect !== 'documented' && dialect !== 'reference') usageError(`--dialect must be documented or reference, got "${dialect}"`);
const vadThreshold = Number(values['vad-threshold']);
if (!(vadThreshold > 0 && vadThreshold < 1)) usageError(`--vad-threshold must be between 0 and 1, got "${values['vad-threshold']}"`);

const apiKey = /** @type {string|undefined} */ (values['api-key']);
if (apiKey !== undefined && !apiKey.trim()) usageError('--api-key must not be empty');

const voiceName = String(values.voice);
if (voiceName !== 'espeak' && voiceName !== 'synthetic') usageError(`--voice must be espeak or synthetic, got "${voiceName}"`);
const espeak = voiceName === 'espeak' ? await createEspeakSynthesizer() : null;
if (voiceName === 'espeak' && !espeak) process.stderr.write('prepatu-dev-server: espeak-ng is not installed; using the synthetic voice\n');

const quiet = Boolean(values.quiet);
const log = (/** @type {string} */ msg) => {
  if (!quiet) process.stdout.write(`${new Date().toISOString().slice(11, 23)} ${msg}\n`);
};

try {
  const server = await startServer({
    port,
    host: String(values.host),
    flows: /** @type {string[]|undefined} */ (values.flows),
    dialect,
    testHooks: Boolean(values['test-hooks']),
    agentArtifacts: Boolean(values['agent-artifacts']),
    apiKey,
    staticDir: /** @type {string|undefined} */ (values.static),
    vadThreshold,
    synthesize: espeak ?? syntheticVoice,
    log,
    ...(values.replay !== undefined ? { replay: String(values.replay) } : {}),
  });
  const out = (/** @type {string} */ s) => process.stdout.write(`${s}\n`);
  out(`prepatu-dev-server listening on ${server.url}`);
  out(`flows (${dialect} dialect; the first is the default):`);
  for (const f of server.flows) out(`  ${f.id}  ${path.relative(process.cwd(), f.file) || f.file}  ws://${server.url.slice(7)}/ws?mode=flow&program_id=${encodeURIComponent(f.id)}`);
  out('understanding is simulated: no speech recognition, no language model. Each utterance the energy VAD');
  out('detects is taken as the current state\'s next tool call with example values.');
  out(`the agent's voice: ${espeak ? 'eSpeak NG (offline text-to-speech)' : 'synthetic (a speech-like hum, no words)'}`);
  if (values['test-hooks']) out('test hooks are ON ({"type":"__test", ...} messages are honoured)');
  if (values['agent-artifacts']) out('the agent also sends model-driven artifacts (score cards, option lists, navigate)');
  if (apiKey) out(`cloud API: POST ${server.url}/v1/sessions with the header X-Prepatu-Key (the key given with --api-key)`);
  if (server.replay) {
    const r = server.replay;
    const end = r.close === undefined ? 'then stays open' : `then closes${r.close === null ? '' : ` (${r.close})`}`;
    out(`replaying ${values.replay}: ${r.messages} messages and ${r.frames} frames over ${(r.durationMs / 1000).toFixed(1)} s to every client of ws://${server.url.slice(7)}/ws, ${end}`);
  }
  if (values.static) out(`static files from ${path.resolve(String(values.static))}`);

  const stop = () => {
    server.close().then(() => process.exit(0));
    setTimeout(() => process.exit(0), 2000).unref();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
} catch (e) {
  if (e instanceof FlowLoadError || e instanceof TraceLoadError) {
    process.stderr.write(`${e.message}\n`);
    process.exit(1);
  }
  const err = /** @type {NodeJS.ErrnoException} */ (e);
  process.stderr.write(`prepatu-dev-server: ${err.code === 'EADDRINUSE' ? `port ${port} is already in use` : err.message}\n`);
  process.exit(1);
}
