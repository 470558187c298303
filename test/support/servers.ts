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

/**
 * What the server has seen so far: sends `{"do":"stats"}` through `hook` and waits for the
 * `__test_stats` answer among the messages received after it (`received` grows as they arrive).
 */
export async function askStats(hook: (o: object) => void, received: () => readonly ServerMessage[]): Promise<ServerStats> {
  const from = received().length;
  const answer = () => received().slice(from).find((m) => m.type === 'unknown' && m.original_type === '__test_stats');
  hook({ do: 'stats' });
  await until(() => answer() !== undefined, 'stats');
  return (answer() as { raw: unknown }).raw as ServerStats;
}
