import { PrepatuError } from '../protocol/errors.js';
import { openMicrophone } from './microphone.js';
import type { AudioPipeline, AudioPipelineEvents, AudioPipelineOptions, AudioPorts } from './types.js';
import {
  CAPTURE_PROCESSOR,
  CAPTURE_RATE,
  PLAYBACK_PROCESSOR,
  type CaptureCommand,
  type CaptureProcessorOptions,
  type CaptureReport,
  type PlaybackCommand,
  type PlaybackProcessorOptions,
  type PlaybackReport,
} from './worklets/messages.js';
import { workletModuleUrl } from './worklet-module.js';

/** Barge-in defaults, from the measurements in docs/audio.md. */
export const BARGE_IN_DEFAULTS = Object.freeze({ enabled: true, threshold: 0.02, holdMs: 150 });
const RESUME_WAIT_MS = 1500;
/** How long the old and the new microphone both feed the worklet when switching devices. */
const MIC_OVERLAP_MS = 150;

type AudioContextCtor = typeof AudioContext;
interface SinkCapable {
  setSinkId?(id: string): Promise<void>;
}

let buses = 0;

/**
 * The browser audio side of a session: mic → capture worklet (16 kHz PCM16 frames, input
 * level, barge-in) and server PCM16 / a remote track → playback worklet (gapless, resampled,
 * output level). The main thread only hands buffers over; all per-sample work is in the
 * worklets. One AudioContext at the device's own rate, created inside `start()` so that a
 * `connect()` called from a click counts as the user gesture browsers require.
 */
export class WebAudioPipeline implements AudioPipeline {
  readonly #opts: AudioPipelineOptions;
  #ctx: AudioContext | null = null;
  #stream: MediaStream | null = null;
  #ownsStream = false;
  #capture: AudioWorkletNode | null = null;
  #playback: AudioWorkletNode | null = null;
  #source: MediaStreamAudioSourceNode | null = null;
  #trackSources: MediaStreamAudioSourceNode[] = [];
  #elements: HTMLAudioElement[] = [];
  #elementDest: MediaStreamAudioDestinationNode | null = null;
  #events: AudioPipelineEvents | null = null;
  #cleanups: (() => void)[] = [];
  #pendingRate = 16_000;
  /** Agent audio that arrived while the mic and worklets were still starting (the greeting). */
  #early: ArrayBuffer[] = [];
  #closed = false;
  #closing: Promise<void> | null = null;
  #levels = true;
  #micEnabled = true;
  #micCleanup: (() => void) | null = null;
  /** The input the page chose; null: the system default, followed as it changes. */
  #chosenInput: string | null;

  constructor(options: AudioPipelineOptions = {}) {
    this.#opts = options;
    this.#chosenInput = options.inputDeviceId ?? null;
  }

  get micTrack(): MediaStreamTrack | null {
    return this.#stream?.getAudioTracks()[0] ?? null;
  }

  /** The AudioContext (for diagnostics and benchmarks); null before `start()` and after `close()`. */
  get context(): AudioContext | null {
    return this.#ctx;
  }

  /**
   * The node whose output is the agent's voice as it reaches the speakers (connect an analyser
   * to it for a visualiser); null before `start()` and after `close()`.
   */
  get output(): AudioNode | null {
    return this.#playback;
  }

  audioPorts(): AudioPorts | null {
    const capture = this.#capture;
    const playback = this.#playback;
    if (!capture || !playback) return null;
    const up = new MessageChannel();
    const down = new MessageChannel();
    capture.port.postMessage({ type: 'port', port: up.port1 } satisfies CaptureCommand, [up.port1]);
    playback.port.postMessage({ type: 'port', port: down.port1 } satisfies PlaybackCommand, [down.port1]);
    return { capture: up.port2, playback: down.port2 };
  }

  async start(events: AudioPipelineEvents, signal: AbortSignal, options: { capture?: boolean } = {}): Promise<void> {
    if (this.#ctx || this.#closed) throw new PrepatuError('audio_unavailable', 'This audio pipeline was already started; create a new one per session.');
    this.#events = events;
    const Ctx = (globalThis.AudioContext ?? (globalThis as { webkitAudioContext?: AudioContextCtor }).webkitAudioContext) as AudioContextCtor | undefined;
    if (!Ctx || typeof AudioWorkletNode === 'undefined') {
      throw new PrepatuError('audio_unavailable', 'This browser has no Web Audio worklets; voice sessions need a current Chrome, Edge, Firefox or Safari.');
    }
    // Synchronously, still inside the caller's user gesture: the device's own rate (no forced
    // 16 kHz: Firefox used to refuse it and Chrome hides a low-quality resampler behind it).
    const ctx = new Ctx({ latencyHint: 'interactive' });
    this.#ctx = ctx;
    // iOS Safari: a play-and-record session keeps output audible with the silent switch on
    // and routes it to the receiver/speaker the way a call does.
    const session = (navigator as { audioSession?: { type: string } }).audioSession;
    if (session) session.type = 'play-and-record';
    const resumed = ctx.resume();
    const onAbort = () => void this.close();
    signal.addEventListener('abort', onAbort, { once: true });
    this.#cleanups.push(() => signal.removeEventListener('abort', onAbort));
    this.#watchState(ctx);

    const [stream] = await Promise.all([
      this.#opts.inputStream ? Promise.resolve(this.#opts.inputStream) : openMicrophone(this.#opts),
      ctx.audioWorklet.addModule(workletModuleUrl(this.#opts.workletUrl)).catch((e: unknown) => {
        throw new PrepatuError('audio_unavailable', `The audio worklet could not be loaded${this.#opts.workletUrl ? ` from ${this.#opts.workletUrl}` : ''}: ${String((e as Error)?.message ?? e)}. On a site with a strict Content-Security-Policy, host dist/prepatu-worklets.js and set worklet-url.`, {}, { cause: e });
      }),
    ]).catch(async (e: unknown) => {
      await this.close();
      throw e;
    });
    if (this.#closed) {
      if (!this.#opts.inputStream) for (const t of stream.getTracks()) t.stop();
      throw new PrepatuError('aborted', 'The session ended while the audio was starting.');
    }
    this.#stream = stream;
    this.#ownsStream = !this.#opts.inputStream;
    this.#buildGraph(ctx, stream, options.capture ?? true);
    this.#watchMicrophone(stream);
    this.#watchPermission();
    if (this.#ownsStream) this.#followDefaultInput();
    this.#events?.inputDevice?.(this.micTrack?.getSettings().deviceId ?? null);
    // A context that stays suspended (autoplay policy, iOS without a gesture) must not hang
    // connect(): report it and let the UI ask for a tap (`resume()`).
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([resumed, new Promise((r) => (timer = setTimeout(r, RESUME_WAIT_MS)))]);
    clearTimeout(timer);
    if (ctx.state !== 'running') events.suspended(true);
  }

  #buildGraph(ctx: AudioContext, stream: MediaStream, sendFrames: boolean): void {
    const bus = `p${++buses}`;
    const frameMs = this.#opts.frameMs ?? 20;
    const captureOptions: CaptureProcessorOptions = {
      bus,
      frameSamples: Math.max(1, Math.round((CAPTURE_RATE * frameMs) / 1000)),
      sendFrames,
      levels: this.#levels,
      bargeIn: { ...BARGE_IN_DEFAULTS, ...this.#opts.bargeIn },
    };
    const capture = new AudioWorkletNode(ctx, CAPTURE_PROCESSOR, {
      numberOfInputs: 1,
      numberOfOutputs: 1,
      outputChannelCount: [1],
      processorOptions: captureOptions,
    });
    const playbackOptions: PlaybackProcessorOptions = {
      bus,
      serverRate: this.#pendingRate,
      leadMs: this.#opts.playbackLeadMs ?? 60,
      maxLeadMs: Math.max(this.#opts.playbackLeadMs ?? 60, this.#opts.playbackMaxLeadMs ?? 400),
      hangoverMs: 200,
      rampMs: 5,
    };
    const playback = new AudioWorkletNode(ctx, PLAYBACK_PROCESSOR, {
      numberOfInputs: 1,
      numberOfOutputs: 1,
      outputChannelCount: [1],
      processorOptions: playbackOptions,
    });
    capture.port.onmessage = (e: MessageEvent<ArrayBuffer | CaptureReport>) => {
      const d = e.data;
      // The only per-frame main-thread work: hand the transferred buffer to the transport.
      if (d instanceof ArrayBuffer) this.#events?.frame(d);
      // A report the worklet posted before it was told to stop is dropped: no levels once unwatched.
      else if (d.type === 'levels') {
        if (this.#levels) this.#events?.levels({ input: d.input, output: d.output }, d.at);
      }
      else if (d.type === 'barge-in') this.#events?.bargeIn(d.at);
    };
    playback.port.onmessage = (e: MessageEvent<PlaybackReport>) => {
      if (e.data.type === 'playing') this.#events?.playing(e.data.playing, e.data.at, e.data.interruptedAt);
    };
    const source = ctx.createMediaStreamSource(stream);
    source.connect(capture);
    // The capture node outputs silence; connecting it keeps it pulled in every engine.
    capture.connect(ctx.destination);
    this.#source = source;
    this.#capture = capture;
    this.#playback = playback;
    this.#route(this.#opts.outputRoute ?? 'context');
    for (const buf of this.#early.splice(0)) playback.port.postMessage(buf, [buf]);
    // A device that cannot be chosen is not worth the session: the default output keeps playing.
    if (this.#opts.outputDeviceId) void this.setOutputDevice(this.#opts.outputDeviceId).catch((e: PrepatuError) => this.#events?.error(e));
  }

  /** Connects the playback node to the speakers, directly or through an `<audio>` element. */
  #route(route: 'context' | 'element'): void {
    const ctx = this.#ctx!;
    const playback = this.#playback!;
    playback.disconnect();
    if (route === 'context') {
      playback.connect(ctx.destination);
      return;
    }
    this.#elementDest ??= ctx.createMediaStreamDestination();
    playback.connect(this.#elementDest);
    const el = this.#element(this.#elementDest.stream, false);
    void el.play().catch(() => this.#events?.suspended(true));
  }

  #element(stream: MediaStream, muted: boolean): HTMLAudioElement {
    const el = document.createElement('audio');
    el.autoplay = true;
    el.muted = muted;
    el.srcObject = stream;
    this.#elements.push(el);
    return el;
  }

  #watchState(ctx: AudioContext): void {
    const onState = () => {
      // 'interrupted' is Safari's state during a phone call or Siri.
      const state = ctx.state as AudioContextState | 'interrupted';
      if (state === 'closed') return;
      this.#events?.suspended(state !== 'running');
    };
    ctx.addEventListener('statechange', onState);
    // iOS and autoplay policies: whatever the user touches next anywhere on the page is the
    // gesture that lets audio start, not only our own "enable sound" button.
    const onGesture = () => {
      if (ctx.state !== 'running' && ctx.state !== 'closed') void this.resume().catch(() => undefined);
    };
    const gestures = ['pointerup', 'keydown', 'touchend'] as const;
    for (const g of gestures) document.addEventListener(g, onGesture, { capture: true, passive: true });
    this.#cleanups.push(() => {
      ctx.removeEventListener('statechange', onState);
      for (const g of gestures) document.removeEventListener(g, onGesture, { capture: true });
    });
  }

  /** Fatal when the microphone goes, unless the system default is being followed and another is there. */
  #watchMicrophone(stream: MediaStream): void {
    this.#micCleanup?.();
    this.#micCleanup = null;
    const track = stream.getAudioTracks()[0];
    if (!track) {
      this.#events?.fatal(new PrepatuError('mic_not_found', 'The microphone stream has no audio track.'));
      return;
    }
    const onEnded = () => {
      const lost = new PrepatuError('mic_ended', 'The microphone stopped (unplugged, or taken away by the system). Check the input device and start again.');
      if (this.#chosenInput !== null || !this.#ownsStream) return this.#events?.fatal(lost);
      // Following the default: the device went, the system's new default takes over.
      this.#switchMicrophone(null).catch(() => this.#events?.fatal(lost));
    };
    track.addEventListener('ended', onEnded);
    this.#micCleanup = () => track.removeEventListener('ended', onEnded);
  }

  /** Permission revoked mid-session: Chrome ends the track, others only tell the Permissions API. */
  #watchPermission(): void {
    const perms = (navigator as { permissions?: Permissions }).permissions;
    void perms
      ?.query({ name: 'microphone' as PermissionName })
      .then((status) => {
        if (this.#closed) return;
        const onChange = () => {
          if (status.state === 'denied') this.#events?.fatal(new PrepatuError('mic_denied', 'Microphone permission was withdrawn during the session. Allow the microphone for this site and start again.'));
        };
        status.addEventListener('change', onChange);
        this.#cleanups.push(() => status.removeEventListener('change', onChange));
      })
      .catch(() => undefined); // Firefox/Safari versions without the 'microphone' permission name
  }

  /** While no device is chosen, a change of the system's default input (a headset plugged in) is followed at once. */
  #followDefaultInput(): void {
    const media = navigator.mediaDevices;
    if (!media?.addEventListener) return;
    const onChange = () => {
      if (this.#chosenInput !== null || this.#closed) return;
      void this.#defaultInputChanged().then((deviceId) => {
        if (deviceId !== undefined && this.#chosenInput === null && !this.#closed) return this.#switchMicrophone(deviceId);
      }).catch((e: unknown) => this.#events?.error(e instanceof PrepatuError ? e : new PrepatuError('mic_failed', String((e as Error)?.message ?? e))));
    };
    media.addEventListener('devicechange', onChange);
    this.#cleanups.push(() => media.removeEventListener('devicechange', onChange));
  }

  /**
   * The device to open when the default input is no longer the one in use, else `undefined`.
   * Chromium lists a `default` entry sharing its `groupId` with the real device behind it;
   * elsewhere the first input is the default.
   */
  async #defaultInputChanged(): Promise<string | null | undefined> {
    const inputs = (await navigator.mediaDevices.enumerateDevices()).filter((d) => d.kind === 'audioinput');
    const current = this.micTrack?.getSettings();
    const alias = inputs.find((d) => d.deviceId === 'default');
    const target = alias ? (inputs.find((d) => d.deviceId !== 'default' && d.groupId === alias.groupId) ?? alias) : inputs[0];
    if (!target || !current) return undefined;
    const same = target.groupId && current.groupId ? target.groupId === current.groupId : target.deviceId === current.deviceId;
    return same ? undefined : target.deviceId === 'default' ? null : target.deviceId;
  }

  /**
   * Opens `deviceId` (null: the default) and feeds it to the same capture worklet, then lets the
   * old microphone go: the worklet never runs dry, the socket never changes.
   */
  async #switchMicrophone(deviceId: string | null): Promise<void> {
    const ctx = this.#ctx;
    const capture = this.#capture;
    if (!ctx || !capture || !this.#ownsStream) return;
    const stream = await openMicrophone({ ...this.#opts, inputDeviceId: deviceId ?? undefined });
    if (this.#closed || this.#capture !== capture) {
      for (const t of stream.getTracks()) t.stop();
      return;
    }
    const source = ctx.createMediaStreamSource(stream);
    source.connect(capture);
    const old = { source: this.#source, stream: this.#stream };
    this.#source = source;
    this.#stream = stream;
    this.#watchMicrophone(stream);
    // The old microphone keeps feeding the worklet until the new one has had time to start
    // delivering (a new capture device takes a few tens of ms): no gap in what the server hears.
    const release = () => {
      old.source?.disconnect();
      for (const t of old.stream?.getTracks() ?? []) t.stop();
    };
    const timer = setTimeout(() => {
      this.#cleanups.splice(this.#cleanups.indexOf(cancel), 1);
      release();
    }, MIC_OVERLAP_MS);
    const cancel = () => {
      clearTimeout(timer);
      release();
    };
    this.#cleanups.push(cancel);
    const track = stream.getAudioTracks()[0];
    if (track) track.enabled = this.#micEnabled;
    this.#events?.inputDevice?.(track?.getSettings().deviceId ?? deviceId);
  }

  async setInputDevice(deviceId: string | null): Promise<void> {
    this.#chosenInput = deviceId;
    if (this.#opts.inputStream) throw new PrepatuError('mic_failed', 'This pipeline plays a stream the page gave it (inputStream); it cannot switch microphones.');
    await this.#switchMicrophone(deviceId);
  }

  play(pcm16: ArrayBuffer): void {
    if (this.#playback) this.#playback.port.postMessage(pcm16, [pcm16]);
    else if (!this.#closed && this.#ctx) this.#early.push(pcm16);
  }

  setServerSampleRate(rate: number): void {
    if (!(rate >= 3000 && rate <= 384_000)) return;
    this.#pendingRate = rate;
    this.#playback?.port.postMessage({ type: 'rate', rate } satisfies PlaybackCommand);
  }

  playTrack(track: MediaStreamTrack): void {
    const ctx = this.#ctx;
    if (!ctx || !this.#playback) return;
    const stream = new MediaStream([track]);
    // Chromium only feeds a remote WebRTC track into Web Audio while a media element plays it.
    this.#element(stream, true);
    const source = ctx.createMediaStreamSource(stream);
    source.connect(this.#playback);
    this.#trackSources.push(source);
  }

  interrupt(): void {
    this.#playback?.port.postMessage({ type: 'interrupt' } satisfies PlaybackCommand);
  }

  setMicEnabled(enabled: boolean): void {
    this.#micEnabled = enabled;
    this.#capture?.port.postMessage({ type: 'mute', muted: !enabled } satisfies CaptureCommand);
    // WebRTC sends the track itself: a disabled track sends silence.
    const track = this.micTrack;
    if (track && this.#ownsStream) track.enabled = enabled;
  }

  setLevelsEnabled(enabled: boolean): void {
    this.#levels = enabled;
    this.#capture?.port.postMessage({ type: 'levels', enabled } satisfies CaptureCommand);
  }

  /** Changes barge-in settings during a session. */
  setBargeIn(options: { enabled: boolean; threshold?: number; holdMs?: number }): void {
    this.#capture?.port.postMessage({ type: 'barge-in', ...options } satisfies CaptureCommand);
  }

  async setOutputDevice(deviceId: string): Promise<void> {
    const ctx = this.#ctx as (AudioContext & SinkCapable) | null;
    if (!ctx) throw new PrepatuError('output_device_failed', 'Audio has not started yet.');
    try {
      if (typeof ctx.setSinkId === 'function') return await ctx.setSinkId(deviceId);
      const proto = HTMLMediaElement.prototype as SinkCapable;
      if (typeof proto.setSinkId !== 'function') {
        throw new PrepatuError('output_device_failed', 'This browser cannot choose the audio output device; use the system settings.');
      }
      if (!this.#elementDest) this.#route('element');
      await Promise.all(this.#elements.map((el) => (el as SinkCapable).setSinkId!(deviceId)));
    } catch (e) {
      if (e instanceof PrepatuError) throw e;
      throw new PrepatuError('output_device_failed', `The output device could not be selected: ${String((e as Error)?.message ?? e)}`, { deviceId }, { cause: e });
    }
  }

  async resume(): Promise<void> {
    const ctx = this.#ctx;
    if (!ctx || ctx.state === 'closed') return;
    await ctx.resume();
    await Promise.all(this.#elements.filter((el) => !el.muted && el.paused).map((el) => el.play().catch(() => undefined)));
    if (ctx.state === 'running') this.#events?.suspended(false);
  }

  /** Idempotent: every call resolves when the first one has finished. */
  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    this.#closed = true;
    this.#events = null;
    for (const c of this.#cleanups.splice(0)) c();
    this.#micCleanup?.();
    this.#micCleanup = null;
    this.#capture?.port.postMessage({ type: 'stop' } satisfies CaptureCommand);
    this.#playback?.port.postMessage({ type: 'stop' } satisfies PlaybackCommand);
    for (const node of [this.#source, this.#capture, this.#playback, this.#elementDest, ...this.#trackSources]) node?.disconnect();
    for (const node of [this.#capture, this.#playback]) if (node) node.port.onmessage = null;
    for (const el of this.#elements) {
      el.pause();
      el.srcObject = null;
    }
    if (this.#ownsStream) for (const t of this.#stream?.getTracks() ?? []) t.stop();
    this.#source = this.#capture = this.#playback = this.#elementDest = null;
    this.#trackSources = [];
    this.#elements = [];
    this.#early = [];
    this.#stream = null;
    const ctx = this.#ctx;
    this.#ctx = null;
    if (ctx && ctx.state !== 'closed') await ctx.close().catch(() => undefined);
  }
}
