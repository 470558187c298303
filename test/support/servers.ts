// Browser-side helpers for talking to the real development servers.
export type Dialect = 'documented' | 'reference';
export const DIALECTS: readonly Dialect[] = ['documented', 'reference'];

interface Servers {
  documented: string;
  reference: string;
  blackHole: string;
  /** Nothing listens here. */
  refused: string;
}
let cached: Promise<Servers> | undefined;
export const servers = (): Promise<Servers> => (cached ??= fetch('/__prepatu/servers').then((r) => r.json() as Promise<Servers>));

/** `ws://…/ws?mode=flow&program_id=…` of a dialect's server. */
export async function wsUrl(dialect: Dialect, programId = 'sample-onboarding'): Promise<string> {
  const base = (await servers())[dialect].replace(/^http/, 'ws');
  return `${base}/ws?mode=flow&program_id=${encodeURIComponent(programId)}`;
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
