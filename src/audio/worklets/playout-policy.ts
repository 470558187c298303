/**
 * How much agent audio to buffer before playing (the playout lead), learned from how late it
 * arrives. Pure arithmetic on the audio clock: runs in the playback worklet, in Node and in tests.
 *
 * Each buffer's **need** is the lead that would have been just enough for it: the lead the
 * current playout started with, minus how far ahead of the playhead the buffer arrived (its
 * media time within the utterance against the audio clock). A buffer that arrives after the
 * playhead ran dry needs more than that lead; a burst sent faster than real time needs nothing.
 *
 * - **Underrun**: the playhead ran dry and waited. If the stream then catches up (TCP delivers
 *   the backlog held behind the late buffer), it was network lateness and the lead grows at
 *   once to twice that buffer's need (lateness is heavy-tailed: the next spike is bigger). If
 *   it does not (the server paused, or the delay moved for good), the lead stays.
 * - **Steady state**: a histogram of needs (weighted by media duration, so a burst of tiny
 *   buffers weighs what it lasts; older ones fading on the audio clock) gives a high
 *   percentile; the lead never stays below it.
 * - **Silence between utterances**: the lead relaxes toward that percentile, slowly.
 * Always within [min, max]; with min = max the lead is fixed.
 */
const BIN_S = 0.005;
const BINS = 100; // 0–500 ms
/**
 * How long the histogram remembers (1/e), in audio-clock seconds rather than seconds of audio:
 * networks change, so an utterance after a long silence outweighs what came before it.
 */
const MEMORY_S = 3;
/** Share of audio the steady-state lead covers. */
const QUANTILE = 0.99;
/** Time constant of the lead's decay toward the percentile during silences. */
const SHRINK_S = 4;
/**
 * How long after a late buffer the backlog must have arrived for it to count as a network stall
 * (TCP delivers it in the same read; this leaves room for a busy thread handing it over).
 */
const CATCH_UP_S = 0.02;
const GROWTH = 2;

interface Stall {
  at: number;
  /** Arrival time minus media time of the buffer that ended the underrun. */
  offset: number;
  need: number;
  seconds: number;
  /** Lowest offset since: the backlog arriving behind it brings it down. */
  min: number;
}

export class PlayoutPolicy {
  readonly min: number;
  readonly max: number;
  #lead: number;
  /** The lead the current playout started with. */
  #used: number;
  readonly #hist = new Float64Array(BINS);
  #total = 0;
  /** Weights are stored as of this time: new ones grow instead of old ones decaying, O(1) per buffer. */
  #epoch = 0;
  #media = 0;
  #stall: Stall | null = null;
  #silentSince = NaN;

  constructor(minLead: number, maxLead: number) {
    this.min = minLead;
    this.max = Math.max(minLead, maxLead);
    this.#lead = this.#used = minLead;
  }

  /** Seconds of audio to buffer before playing, after silence or an underrun. */
  get lead(): number {
    return this.#lead;
  }

  /** An underrun is being classified (for up to CATCH_UP_S): playback should not resume yet. */
  get settling(): boolean {
    return this.#stall !== null;
  }

  /** The first buffer of an utterance arrives at `now`. */
  begin(now: number): void {
    this.#settle();
    const target = this.#target();
    const silence = now - this.#silentSince;
    if (this.#lead > target && silence > 0) this.#lead = target + (this.#lead - target) * Math.exp(-silence / SHRINK_S);
    this.#lead = this.#used = this.#clamp(Math.max(this.#lead, target));
    this.#media = 0;
  }

  /** Playback (re)starts with the current lead. */
  started(): void {
    this.#used = this.#lead;
  }

  /**
   * A buffer of `seconds` arrived at `now`, `ahead` seconds before the playhead needs it
   * (negative: the playhead has been waiting that long); `starved`: the playhead ran dry.
   */
  arrive(now: number, seconds: number, ahead: number, starved: boolean): void {
    const offset = now - this.#media;
    this.#media += seconds;
    const need = this.#used - ahead;
    if (starved && !this.#stall && this.min < this.max) {
      this.#stall = { at: now, offset, need, seconds, min: offset };
      return;
    }
    if (this.#stall) this.#stall.min = Math.min(this.#stall.min, offset);
    this.#record(need, seconds, now);
  }

  /** Called every render quantum: ends a catch-up window. */
  tick(now: number): void {
    if (this.#stall && now - this.#stall.at >= CATCH_UP_S) this.#settle();
  }

  /** The utterance is over (or interrupted) at `now`: silence starts. */
  end(now: number): void {
    this.#settle();
    this.#silentSince = now;
  }

  /** Decides what an underrun was, once its catch-up window is over. */
  #settle(): void {
    const s = this.#stall;
    if (!s) return;
    this.#stall = null;
    if (s.offset - s.min < s.need / 2) return; // no backlog followed: a pause, not lateness
    this.#record(s.need, s.seconds, s.at);
    this.#lead = this.#clamp(Math.max(this.#lead, GROWTH * s.need, this.#target()));
  }

  #record(need: number, seconds: number, now: number): void {
    const age = (now - this.#epoch) / MEMORY_S;
    if (age > 20) {
      const k = Math.exp(-age);
      for (let b = 0; b < BINS; b++) this.#hist[b]! *= k;
      this.#total *= k;
      this.#epoch = now;
    }
    const w = seconds * Math.exp((now - this.#epoch) / MEMORY_S);
    this.#hist[Math.min(BINS - 1, Math.max(0, Math.floor(need / BIN_S)))]! += w;
    this.#total += w;
  }

  /** The need that QUANTILE of the remembered audio stayed under. */
  #target(): number {
    let acc = 0;
    for (let b = 0; b < BINS && this.#total > 0; b++) {
      acc += this.#hist[b]!;
      if (acc >= QUANTILE * this.#total) return this.#clamp((b + 1) * BIN_S);
    }
    return this.#total > 0 ? this.max : this.min;
  }

  #clamp(lead: number): number {
    return Math.min(this.max, Math.max(this.min, lead));
  }
}
