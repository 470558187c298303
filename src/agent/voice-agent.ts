import type { AudioLevels, AudioPipeline, AudioPipelineOptions } from '../audio/types.js';
import { WebAudioPipeline } from '../audio/web-audio-pipeline.js';
import { PrepatuError, type PrepatuWarning } from '../protocol/errors.js';
import { EMPTY_FLOW_VIEW, reduceFlowView, type FlowView } from '../protocol/flow-view.js';
import type { ClientMessage, JsonObject, ServerMessage, SessionStatus } from '../protocol/messages.js';
import type { CloseReason, ConnectionQuality, Transport } from '../transport/types.js';
import { WebRtcTransport, type WebRtcTransportOptions } from '../transport/webrtc-transport.js';
import { WebSocketTransport, type WebSocketTransportOptions } from '../transport/websocket-transport.js';
import { ScreenWakeLock } from './screen-wake-lock.js';

export interface TranscriptEntry {
  id: string;
  role: 'user' | 'assistant';
  text: string;
}

/** Why the last session ended. */
export type EndReason = CloseReason['kind'] | 'client' | 'server' | 'audio';

/** Everything a UI needs, as one immutable snapshot. */
export interface AgentState {
  status: SessionStatus;
  micEnabled: boolean;
  flow: FlowView;
  transcript: readonly TranscriptEntry[];
  levels: AudioLevels;
  /** Last keepalive round-trip, ms. */
  rtt: number | null;
  /**
   * How well the link carries the session: `good`, `poor` (late answers, audio queueing,
   * WebRTC loss/jitter) or `stalled` (the server has not answered for seconds); a `network_slow`
   * warning comes with each stall.
   */
  connectionQuality: ConnectionQuality;
  /** The AudioContext waits for a user gesture (call `resume()` from one). */
  audioSuspended: boolean;
  endReason: EndReason | null;
  lastError: PrepatuError | null;
  /** The latest warning (a message read leniently or dropped, a slow network); the session went on. */
  lastWarning: PrepatuWarning | null;
  /** Voice (microphone and playback) is on; `false`: a text session (`setAudioEnabled`). */
  audioEnabled: boolean;
  /** The microphone in use (its `deviceId`), or the one chosen for the next session; `null`: the system default. */
  inputDeviceId: string | null;
  /**
   * The server's label for the agent's last turn ("Question", "Greeting"; the reference
   * backend's `intent`), until the next agent turn starts (status becomes `speaking`).
   */
  intent: string | null;
}

export interface VoiceAgentCallbacks {
  /** Every status transition, once each, in order. */
  onStatus?: (status: SessionStatus) => void;
  /** Every parsed server message (unknown types included). */
  onMessage?: (message: ServerMessage) => void;
  /**
   * Problems that affect the session (socket, microphone, audio, auth, server errors); fatal
   * ones are followed by status `error`, then `ended`.
   */
  onError?: (error: PrepatuError) => void;
  /**
   * What the session survives: a server message read leniently (a field coerced or dropped,
   * at most one warning per message) or dropped, an odd-length audio frame, a slow network.
   */
  onWarning?: (warning: PrepatuWarning) => void;
  onLog?: (line: string) => void;
  /** The user talked over the agent and playback stopped. */
  onBargeIn?: () => void;
}

export interface VoiceAgentOptions extends VoiceAgentCallbacks, AudioPipelineOptions {
  /**
   * The audio side. Default: a `WebAudioPipeline` built from these options.
   * `false`: no audio at all (text-only sessions, tests of the protocol).
   */
  audio?: AudioPipeline | false;
  /** Start with the mic muted. */
  startMuted?: boolean;
  /** How long to let queued agent audio finish after the server ends the session (default 15 s). */
  drainTimeoutMs?: number;
  /**
   * Keep the screen on while a voice session is live (Screen Wake Lock), so a phone does not
   * dim and lock mid-conversation. Default true; not used by text-only sessions (`audio: false`).
   */
  keepScreenOn?: boolean;
  /**
   * Keep a trace of each session in memory for `exportTrace()`: every JSON message both ways
   * with its time, binary frames as time and length, open and close (`true`); `'audio'` keeps the
   * audio frames too. Bounded: the last 10 minutes, ~20 MB of audio. Default: nothing is recorded.
   * It stays in this page (and its socket worker) until exported. Format: docs/traces.md.
   */
  record?: boolean | 'audio';
}

const ZERO_LEVELS: AudioLevels = Object.freeze({ input: 0, output: 0 });

/**
 * The headless core: one PVP session over any `Transport`, with the mic and
 * playback of an `AudioPipeline`. The elements are a view of this class.
 *
 * @example
 * const agent = VoiceAgent.withWebSocket(
 *   { url: 'ws://localhost:8000/ws?mode=flow&program_id=onboarding' },
 *   { onStatus: (s) => console.log(s), onMessage: (m) => console.log(m) },
 * );
 * await agent.connect(); // from a click: opens the socket and the microphone
 */
export class VoiceAgent {
  /** Connects over a PVP WebSocket (`ws_url` of the cloud, or `ws://host/ws?...` self-hosted). */
  static withWebSocket(
    options: WebSocketTransportOptions,
    callbacks: VoiceAgentOptions = {},
  ): VoiceAgent {
    return new VoiceAgent(new WebSocketTransport(options), callbacks);
  }

  /**
   * Connects over WebRTC (SmallWebRTC signalling): browser Opus on media tracks, PVP JSON on
   * the `bot-messages` data channel (and the control socket with `controlUrl`).
   */
  static withWebRTC(options: WebRtcTransportOptions, callbacks: VoiceAgentOptions = {}): VoiceAgent {
    return new VoiceAgent(new WebRtcTransport(options), callbacks);
  }

  readonly transport: Transport;
  #opts: VoiceAgentOptions;
  #audio: AudioPipeline | null = null;
  #state: AgentState;
  #listeners = new Set<(state: AgentState) => void>();
  #abort: AbortController | null = null;
  #playing = false;
  #serverSpeaking = false;
  #drainTimer: ReturnType<typeof setTimeout> | undefined;
  #levelWatchers = 0;
  #usedGivenPipeline = false;
  #serverRate: number | null = null;
  #remoteTrack: MediaStreamTrack | null = null;
  /** The microphone the user chose; null: follow the system default. */
  #inputDevice: string | null;
  /** Voice (true) or text (false) for the session, as `audio` and `setAudioEnabled()` chose. */
  #audioMode: boolean;
  readonly #wakeLock = new ScreenWakeLock((line) => this.#log(line));

  constructor(transport: Transport, options: VoiceAgentOptions = {}) {
    this.transport = transport;
    this.#opts = options;
    this.#audioMode = options.audio !== false;
    this.#inputDevice = options.inputDeviceId ?? null;
    if (options.record) transport.record?.(options.record === 'audio' ? 'audio' : 'messages');
    this.#state = {
      status: 'idle',
      micEnabled: !options.startMuted,
      flow: EMPTY_FLOW_VIEW,
      transcript: [],
      levels: ZERO_LEVELS,
      rtt: null,
      connectionQuality: 'good',
      audioSuspended: false,
      endReason: null,
      lastError: null,
      lastWarning: null,
      audioEnabled: options.audio !== false,
      inputDeviceId: options.inputDeviceId ?? null,
      intent: null,
    };
  }

  get state(): AgentState {
    return this.#state;
  }
  get status(): SessionStatus {
    return this.#state.status;
  }
  /** Whether the screen is being kept on for this session right now (see `keepScreenOn`). */
  get screenKeptOn(): boolean {
    return this.#wakeLock.held;
  }

  /**
   * Asks for live input/output levels in `state.levels` (~30 updates a second, for an orb or a
   * meter) until the returned function is called. Each update is a main-thread task, so levels
   * are only measured out of the audio thread while something watches them (`<prepatu-orb>`
   * does); otherwise `state.levels` stays at zero.
   */
  watchLevels(): () => void {
    if (++this.#levelWatchers === 1) this.#audio?.setLevelsEnabled?.(true);
    let done = false;
    return () => {
      if (done) return;
      done = true;
      if (--this.#levelWatchers === 0) {
        this.#audio?.setLevelsEnabled?.(false);
        if (this.#state.levels !== ZERO_LEVELS) this.#set({ levels: ZERO_LEVELS });
      }
    };
  }

  /** Calls `listener` with every new state; returns the unsubscribe function. */
  subscribe(listener: (state: AgentState) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #set(patch: Partial<AgentState>): void {
    const prev = this.#state;
    this.#state = { ...prev, ...patch };
    // An intent labels the turn that just ended; the next one starts without it.
    if (this.#state.status === 'speaking' && prev.status !== 'speaking' && this.#state.intent !== null) this.#state.intent = null;
    if (patch.status !== undefined && patch.status !== prev.status) this.#opts.onStatus?.(patch.status);
    for (const l of this.#listeners) l(this.#state);
  }

  #log(line: string): void {
    this.#opts.onLog?.(line);
  }

  #error(error: PrepatuError): void {
    this.#set({ lastError: error });
    this.#opts.onError?.(error);
  }

  #warn(warning: PrepatuWarning): void {
    this.#log(`warning ${warning.code}${warning.path ? ` at ${warning.path}` : ''}: ${warning.message}`);
    this.#set({ lastWarning: warning });
    this.#opts.onWarning?.(warning);
  }

  /**
   * Opens the transport and the microphone. Call it from a user gesture (a click),
   * so the browser lets audio start. Resolves once the session is `connected`;
   * rejects with a `PrepatuError` (and the session is `ended`) if it cannot be.
   */
  async connect(signal?: AbortSignal): Promise<void> {
    if (this.#abort) throw new PrepatuError('not_connected', 'This agent is already connected; call disconnect() first.');
    const abort = new AbortController();
    this.#abort = abort;
    const onOuterAbort = () => abort.abort();
    signal?.addEventListener('abort', onOuterAbort, { once: true });
    this.#playing = this.#serverSpeaking = false;
    this.#set({
      status: 'connecting',
      flow: EMPTY_FLOW_VIEW,
      transcript: [],
      levels: ZERO_LEVELS,
      rtt: null,
      connectionQuality: 'good',
      endReason: null,
      lastError: null,
      lastWarning: null,
      intent: null,
      audioSuspended: false,
      audioEnabled: this.#audioMode,
    });
    const audio = this.#audioMode ? this.#newPipeline() : null;
    const audioStarted = audio ? this.#startAudio(audio, abort.signal) : null;
    // Audio and socket meet off the main thread where the transport can (a socket worker).
    this.#routeAudio(audio, audioStarted);
    try {
      await Promise.all([
        audioStarted,
        this.transport.connect(
          {
            message: (m) => this.#onMessage(m),
            audio: (buf) => this.#audio?.play(buf),
            error: (e) => this.#error(e),
            warning: (w) => this.#warn(w),
            rtt: (rtt) => this.#set({ rtt }),
            quality: (connectionQuality, warning) => {
              this.#set({ connectionQuality });
              if (warning) this.#warn(warning);
            },
            close: (reason) => this.#onClose(reason),
            remoteTrack: (track) => {
              this.#remoteTrack = track;
              this.#audio?.playTrack(track);
            },
          },
          abort.signal,
          audio ? () => audioStarted!.then(() => audio.micTrack ?? Promise.reject(new PrepatuError('mic_failed', 'No microphone track.'))) : undefined,
        ),
      ]);
    } catch (e) {
      signal?.removeEventListener('abort', onOuterAbort);
      const error = e instanceof PrepatuError ? e : new PrepatuError('connection_failed', String((e as Error)?.message ?? e), {}, { cause: e });
      if (this.#abort === abort) await this.#fail(error, 'error');
      throw error;
    }
    signal?.removeEventListener('abort', onOuterAbort);
    if (this.#abort !== abort) throw new PrepatuError('aborted', 'The session ended while connecting.');
    this.#set({ status: 'connected' });
    this.#set({ status: this.#derivedStatus() });
  }

  /** The pipeline for the next start: the caller's (once), else a `WebAudioPipeline` from the options. */
  #newPipeline(): AudioPipeline {
    const given = this.#opts.audio;
    if (given && !this.#usedGivenPipeline) {
      this.#usedGivenPipeline = true;
      return given;
    }
    return new WebAudioPipeline({ ...this.#opts, ...(this.#inputDevice ? { inputDeviceId: this.#inputDevice } : {}) });
  }

  /**
   * Starts the mic and playback. Call it synchronously from the caller's gesture: the
   * AudioContext is created inside `start()` and the wake lock asked for here.
   */
  #startAudio(audio: AudioPipeline, signal: AbortSignal): Promise<void> {
    this.#audio = audio;
    this.#playing = false;
    audio.setLevelsEnabled?.(this.#levelWatchers > 0);
    if (this.#opts.keepScreenOn !== false) this.#wakeLock.acquire();
    this.#set({ audioEnabled: true });
    const started = audio.start(
      {
        frame: (buf) => this.transport.sendAudio(buf),
        playing: (p) => this.#audio === audio && this.#onPlaying(p),
        // Only while watched: a pipeline's report already on its way when the last watcher left is late.
        levels: (levels) => this.#audio === audio && this.#levelWatchers > 0 && this.#set({ levels }),
        bargeIn: () => {
          this.#log('barge-in: the user spoke over the agent, playback stopped');
          this.#opts.onBargeIn?.();
        },
        suspended: (s) => this.#audio === audio && this.#set({ audioSuspended: s }),
        fatal: (e) => this.#fail(e instanceof PrepatuError ? e : new PrepatuError('mic_failed', e.message, {}, { cause: e }), 'audio'),
        error: (e) => this.#error(e),
        inputDevice: (deviceId) => this.#audio === audio && this.#set({ inputDeviceId: deviceId }),
      },
      signal,
      { capture: this.transport.carriesPcm },
    );
    return started.then(() => {
      audio.setMicEnabled(this.#state.micEnabled);
      if (this.#serverRate) audio.setServerSampleRate(this.#serverRate);
      if (this.#remoteTrack) audio.playTrack(this.#remoteTrack);
    });
  }

  #routeAudio(audio: AudioPipeline | null, started: Promise<void> | null): void {
    this.transport.routeAudio?.(async () => {
      if (!audio?.audioPorts) return null;
      await started;
      return this.#audio === audio ? audio.audioPorts() : null;
    });
  }

  /** Stops the mic and playback (the session goes on). */
  async #stopAudio(): Promise<void> {
    const audio = this.#audio;
    this.#audio = null;
    this.#playing = false;
    this.#wakeLock.release();
    await audio?.close();
  }

  /**
   * Voice on or off during a session, on the same connection (the flow does not restart): on,
   * the microphone and playback start (call it from a user gesture, like `connect()`); off, they
   * stop and the session goes on in text (forms, options, the agent's lines as text). The server
   * receives no mic audio while voice is off; agent audio it still sends is dropped. Before
   * `connect()` it chooses how the next session starts. Rejects with the microphone's typed error
   * (the session stays in text) when voice cannot start. WebSocket sessions only: a WebRTC session
   * keeps the mode it connected with.
   */
  async setAudioEnabled(enabled: boolean): Promise<void> {
    const abort = this.#abort;
    if (!abort) {
      // Not live: the choice for the next connect().
      this.#audioMode = enabled;
      if (enabled !== this.#state.audioEnabled) this.#set({ audioEnabled: enabled });
      return;
    }
    if (this.#state.status === 'connecting') throw new PrepatuError('not_connected', 'The session is still connecting; change the audio mode once it is connected.');
    this.#audioMode = enabled;
    if (enabled === (this.#audio !== null)) return;
    if (!this.transport.carriesPcm)
      throw new PrepatuError('audio_unavailable', 'A WebRTC session keeps the audio mode it connected with; disconnect and connect again to change it.');
    if (!enabled) {
      await this.#stopAudio();
      this.#routeAudio(null, null);
      this.#set({ audioEnabled: false, levels: ZERO_LEVELS, audioSuspended: false });
      this.#updateStatus();
      return;
    }
    const audio = this.#newPipeline();
    const started = this.#startAudio(audio, abort.signal);
    this.#routeAudio(audio, started);
    try {
      await started;
    } catch (e) {
      const error = e instanceof PrepatuError ? e : new PrepatuError('mic_failed', String((e as Error)?.message ?? e), {}, { cause: e });
      if (this.#audio === audio) {
        await this.#stopAudio();
        this.#routeAudio(null, null);
        this.#set({ audioEnabled: false });
      }
      this.#error(error);
      throw error;
    }
    this.#updateStatus();
  }

  /**
   * Switches the microphone during a session (or chooses it for the next one): the new device
   * feeds the same capture worklet, on the same connection. `null`: the system's default,
   * followed as it changes (a headset plugged in is used at once).
   */
  async setInputDevice(deviceId: string | null): Promise<void> {
    this.#inputDevice = deviceId;
    const audio = this.#audio;
    if (!audio?.setInputDevice) return;
    await audio.setInputDevice(deviceId);
    const track = audio.micTrack;
    if (track && !this.transport.carriesPcm) await this.transport.replaceMicTrack?.(track);
  }

  #derivedStatus(): SessionStatus {
    // What the user hears wins over what the server says it is sending.
    const speaking = this.#audio && this.transport.carriesPcm ? this.#playing : this.#serverSpeaking || this.#playing;
    return speaking ? 'speaking' : 'listening';
  }

  #updateStatus(): void {
    const s = this.#state.status;
    if (s === 'listening' || s === 'speaking') this.#set({ status: this.#derivedStatus() });
  }

  #onPlaying(playing: boolean): void {
    this.#playing = playing;
    this.#updateStatus();
    if (!playing && this.#drainTimer !== undefined) void this.#end('server');
  }

  #onMessage(msg: ServerMessage): void {
    const flow = reduceFlowView(this.#state.flow, msg);
    if (flow !== this.#state.flow) this.#set({ flow });
    switch (msg.type) {
      case 'config':
        this.#serverRate = msg.audio_sample_rate;
        this.#audio?.setServerSampleRate(msg.audio_sample_rate);
        break;
      case 'status':
        if (msg.status === 'ended') this.#endAfterPlayback();
        else {
          this.#serverSpeaking = msg.status === 'speaking';
          this.#updateStatus();
        }
        break;
      case 'transcript': {
        const id = msg.id ?? `${msg.role}-${this.#state.transcript.length}`;
        const list = this.#state.transcript;
        const at = list.findIndex((t) => t.id === id);
        const entry = { id, role: msg.role, text: msg.text };
        this.#set({ transcript: at < 0 ? [...list, entry] : list.map((t, i) => (i === at ? entry : t)) });
        break;
      }
      case 'error':
        this.#error(new PrepatuError('server_error', `Server error: ${msg.message}`, { message: msg.message }));
        break;
      case 'intent':
        this.#set({ intent: msg.text });
        break;
      // `unknown` (a type or status this version does not know): the parser's warning said so.
    }
    this.#opts.onMessage?.(msg);
  }

  #onClose(reason: CloseReason): void {
    switch (reason.kind) {
      case 'ended':
        this.#endAfterPlayback();
        return;
      case 'auth_failed':
        void this.#fail(new PrepatuError('auth_failed', 'The server refused this session (authentication failed). Ask your backend for a new session URL.', { code: reason.code }), 'auth_failed');
        return;
      case 'connection_lost':
        void this.#fail(new PrepatuError('connection_lost', 'The connection to the voice server was lost.', { code: reason.code }), 'connection_lost');
        return;
      case 'keepalive_timeout':
        void this.#fail(new PrepatuError('keepalive_timeout', 'The voice server stopped answering.'), 'keepalive_timeout');
        return;
      case 'error':
        void this.#fail(reason.error, 'error');
    }
  }

  /** Lets the user hear the agent's last words before `ended`. */
  #endAfterPlayback(): void {
    if (!this.#abort || this.#drainTimer !== undefined) return;
    if (!this.#playing) {
      void this.#end('server');
      return;
    }
    this.#drainTimer = setTimeout(() => void this.#end('server'), this.#opts.drainTimeoutMs ?? 15_000);
  }

  async #fail(error: PrepatuError, reason: EndReason): Promise<void> {
    if (!this.#abort) return;
    this.#error(error);
    this.#set({ status: 'error' });
    await this.#end(reason);
  }

  async #end(reason: EndReason): Promise<void> {
    const abort = this.#abort;
    if (!abort) return;
    this.#abort = null;
    clearTimeout(this.#drainTimer);
    this.#drainTimer = undefined;
    abort.abort();
    this.#wakeLock.release();
    this.transport.close();
    const audio = this.#audio;
    this.#audio = null;
    this.#remoteTrack = null;
    this.#serverRate = null;
    this.#playing = this.#serverSpeaking = false;
    await audio?.close();
    this.#set({ status: 'ended', endReason: reason, levels: ZERO_LEVELS, audioSuspended: false });
  }

  /** Ends the session: closes the transport, stops every mic track, closes audio. */
  async disconnect(): Promise<void> {
    await this.#end('client');
  }

  /** Mutes (sends silence) or unmutes the microphone from the next frame on. */
  setMicEnabled(enabled: boolean): void {
    this.#audio?.setMicEnabled(enabled);
    if (enabled !== this.#state.micEnabled) this.#set({ micEnabled: enabled });
  }

  /** Sends a PVP message (`ping`, `config`, `ui_event`). Throws a `PrepatuError` when not connected or invalid. */
  sendMessage(message: ClientMessage): void {
    if (!this.#abort) throw new PrepatuError('not_connected', 'Cannot send: the session is not connected.');
    this.transport.send(message);
  }

  /** Sends a `ui_event` for the current flow. */
  sendUiEvent(action: string, data: JsonObject = {}): void {
    const flowId = this.#state.flow.flowId;
    this.sendMessage(flowId ? { type: 'ui_event', flow_id: flowId, action, data } : { type: 'ui_event', action, data });
  }

  /**
   * The current or last session's trace (with `record`), as a JSONL `Blob`
   * (`application/x-ndjson`): a header line, then one line per message, frame, open or close.
   * Save it, or feed it to `prepatu-dev-server --replay` to play the server's side back.
   * Rejects with `no_trace` when nothing was recorded.
   *
   * @example
   * const agent = VoiceAgent.withWebSocket({ url }, { record: true });
   * // … after the session:
   * const url = URL.createObjectURL(await agent.exportTrace()); // a link with download="session.jsonl"
   */
  async exportTrace(): Promise<Blob> {
    const blob = this.#opts.record ? await this.transport.exportTrace?.() : null;
    if (blob) return blob;
    throw new PrepatuError(
      'no_trace',
      this.#opts.record
        ? this.transport.exportTrace
          ? 'Nothing was recorded yet: connect() first.'
          : 'This transport does not record traces.'
        : 'Nothing was recorded: create the agent with record: true (or "audio").',
    );
  }

  /** Silences agent audio now (ramped, ~10 ms) and drops what is queued. */
  interrupt(): void {
    this.#audio?.interrupt();
  }

  /** Resumes audio that the browser suspended; call from a user gesture. */
  async resume(): Promise<void> {
    await this.#audio?.resume();
  }

  /** Switches the output device where the browser supports `setSinkId`. */
  async setOutputDevice(deviceId: string): Promise<void> {
    await this.#audio?.setOutputDevice(deviceId);
  }
}
