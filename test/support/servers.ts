// Browser-side helpers for talking to the real development servers.
import type { ServerMessage } from '../../src/protocol/messages.js';
export type Dialect = 'documented' | 'reference';
export const DIALECTS: readonly Dialect[] = ['documented', 'reference'];

interface Servers {
  documented: string;
  reference: string;
  blackHole: string;
  /** Nothing listens here. */
  refused: string;
  /** The documented dialect with the cloud API (`--api-key`). */
  cloud: string;
  /** A site backend using createSessionHandler against `cloud`: POST /session, POST /session-wrong-key. */
  siteBackend: string;
  /** A `--replay` server per trace fixture (test/fixtures/traces/<name>.jsonl), by name. */
  traces: Record<string, string>;
}
let cached: Promise<Servers> | undefined;
export const servers = (): Promise<Servers> => (cached ??= fetch('/__prepatu/servers').then((r) => r.json() as Promise<Servers>));

/** `ws://…/ws?mode=flow&program_id=…` of a dialect's server. */
export async function wsUrl(dialect: Dialect, programId = 'sample-onboarding'): Promise<string> {
  const base = (await servers())[dialect].replace(/^http/, 'ws');
  return `${base}/ws?mode=flow&program_id=${encodeURIComponent(programId)}`;
}

/**
 * Starts a `--replay` dev server for a trace the test recorded (the test plugin's
 * `POST /__prepatu/replay`) and returns its `ws://…/ws` URL.
 */
export async function replayServer(trace: Blob): Promise<string> {
  const res = await fetch('/__prepatu/replay', { method: 'POST', body: trace });
  const answer = (await res.json()) as { url?: string; error?: string };
  if (!answer.url) throw new Error(`the replay server did not start: ${answer.error}`);
  return `${answer.url.replace(/^http/, 'ws')}/ws`;
}

/** Waits until `predicate` holds, polling; rejects with `what` after `ms`. */
export async function until(predicate: () => boolean, what: string, ms = 5000): Promise<void> {
  const start = performance.now();
  while (!predicate()) {
    if (performance.now() - start > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export interface ServerStats {
  type: '__test_stats';
  audio_bytes: number;
  audio_frames: number;
  odd_frames: number;
  ui_events: { action: string; data: Record<string, unknown> }[];
  messages: { type: string }[];
  state: string | null;
  variables: Record<string, unknown>;
}

let statsAsked = 0;

/**
 * A fresh id for a `stats` request: the server echoes it, so the answer is told apart from any
 * other `__test_stats` (a replay plays back the ones its recording received).
 */
export const statsId = () => `stats-${++statsAsked}-${Math.random().toString(36).slice(2)}`;

/** Whether `m` is the `__test_stats` answer to the request `id`. */
export const isStatsAnswer = (m: ServerMessage, id: string): m is Extract<ServerMessage, { type: 'unknown' }> =>
  m.type === 'unknown' && m.original_type === '__test_stats' && m.raw['id'] === id;

/**
 * What the server has seen so far: sends `{"do":"stats", id}` through `hook` and waits for the
 * `__test_stats` answer with that id (`received` grows as messages arrive).
 */
export async function askStats(hook: (o: object) => void, received: () => readonly ServerMessage[]): Promise<ServerStats> {
  const id = statsId();
  const answer = () => received().find((m) => isStatsAnswer(m, id));
  hook({ do: 'stats', id });
  await until(() => answer() !== undefined, 'stats');
  return (answer() as { raw: unknown }).raw as ServerStats;
}
