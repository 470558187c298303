/**
 * Shared state between the capture and playback processors of one pipeline. Both are
 * registered by the same module in the same AudioContext, so they share this module's
 * scope: barge-in reaches the playback node in the next render quantum, with no trip
 * through the main thread.
 */
export interface Bus {
  /** RMS of the last ~33 ms of output, 0..1. */
  outputRms: number;
  /** Agent audio is audible. */
  playing: boolean;
  /** Set by the capture node on barge-in; the playback node fades out and clears it. */
  interrupt: boolean;
}

const buses = new Map<string, Bus>();

export function bus(id: string): Bus {
  let b = buses.get(id);
  if (!b) buses.set(id, (b = { outputRms: 0, playing: false, interrupt: false }));
  return b;
}

export function dropBus(id: string): void {
  buses.delete(id);
}
