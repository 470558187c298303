/** The AudioWorkletGlobalScope, typed locally so main-thread code never sees these globals. */
export interface ProcessorBase {
  readonly port: MessagePort;
}
interface WorkletScope {
  sampleRate: number;
  currentTime: number;
  AudioWorkletProcessor: new (options?: unknown) => ProcessorBase;
  registerProcessor(name: string, ctor: unknown): void;
}
export const scope = globalThis as unknown as WorkletScope;
