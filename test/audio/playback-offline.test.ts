// The playback worklet rendered offline, fed on schedules of audio-clock arrival times:
// deterministic checks of gapless, click-free playback, the adaptive playout lead and the
// interrupt, independent of the machine's load, in every engine.
import { expect } from '@open-wc/testing';
import { gaps, leads, maxStep, pacedTrace, playing, renderPlayout, toneFrames, type Arrival, type Delivery } from '../../bench/playout.js';
import { peak, rms, sine, toPcm16 } from '../support/dsp.js';

const RATE = 48_000;
const QUANTUM = 128 / RATE;

/** `pcm` in chunks of the given sizes (cycled), all arriving at `at`. */
function chunks(pcm: Int16Array, sizes: readonly number[], at = 0): Delivery[] {
  const out: Delivery[] = [];
  for (let i = 0, k = 0; i < pcm.length; k++) {
    const n = sizes[k % sizes.length]!;
    out.push({ at, data: pcm.slice(i, i + n) });
    i += n;
  }
  return out;
}

/** Paced 20 ms frames arriving on time (no network delay) from `start`. */
const onTime = (start: number, seconds: number): Arrival[] => Array.from({ length: Math.round(seconds / 0.02) }, (_, k) => ({ at: start + k * 0.02, media: k * 0.02 }));

/** A sine's largest step is 2π·f/rate·A; a seam, gap or hard cut is far above it. */
const idealStep = (freq: number, amp: number) => ((2 * Math.PI * freq) / RATE) * amp;

describe('playback worklet (offline render)', function () {
  this.timeout(60_000);

  for (const [name, sizes] of [
    ['steady 20 ms frames', [320]],
    ['irregular bursts', [37, 2000, 1, 555, 8000, 13]],
  ] as const) {
    it(`plays ${name} gaplessly and click-free, at the right pitch and duration`, async () => {
      const amp = 0.5;
      const r = await renderPlayout({ seconds: 1.5, deliveries: chunks(toPcm16(sine(440, 16_000, 1, amp)), sizes) });
      const { out } = r;
      const g = gaps(r);
      expect(g.first).to.be.within(0, 2 * QUANTUM); // the first quantum only starts the clock
      expect(g.gaps).to.equal(0);
      expect(g.last - g.first).to.be.closeTo(1, 0.003);
      // (The first and last 10 ms hold the low-pass filter's onset and the closing fade.)
      const [first, last] = [Math.round(g.first * RATE), Math.round(g.last * RATE)];
      expect(maxStep(out, first + 480, last - 480)).to.be.below(idealStep(440, amp) * 1.02);
      expect(peak(out.subarray(first + 2400, last - 2400), RATE, 430, 450)).to.be.closeTo(440, 1);
      expect(rms(out, first + 2400, last - 2400)).to.be.closeTo(amp / Math.SQRT2, 0.01);
    });
  }

  it('plays audio and commands from a second port (the socket worker\'s) like its own', async () => {
    const at = 0.5;
    const r = await renderPlayout({ seconds: 1, viaPort: true, deliveries: [...chunks(toPcm16(sine(440, 16_000, 0.8, 0.5)), [320]), { at, data: { type: 'interrupt' } }] });
    expect(rms(r.out, Math.round(0.1 * RATE), Math.round(at * RATE))).to.be.above(0.3);
    expect(rms(r.out, Math.round((at + 0.01) * RATE))).to.equal(0);
    expect(playing(r).map((x) => x.playing)).to.deep.equal([true, false]);
  });

  it('plays 24 kHz server audio (config audio_sample_rate) at the right pitch', async () => {
    const pcm = toPcm16(sine(1000, 24_000, 0.5, 0.4));
    const r = await renderPlayout({ seconds: 1, deliveries: [{ at: 0, data: { type: 'rate', rate: 24_000 } }, ...chunks(pcm, [480])] });
    expect(peak(r.out.subarray(4800, 20_000), RATE, 980, 1020)).to.be.closeTo(1000, 1);
  });

  it('interrupt: silent within 10 ms through a fade (no hard cut), the queue dropped, and the status off at once (no hangover)', async () => {
    const amp = 0.5;
    const at = 0.5;
    const r = await renderPlayout({
      seconds: 2,
      deliveries: [...chunks(toPcm16(sine(440, 16_000, 1.8, amp)), [320]), { at, data: { type: 'interrupt' } }],
    });
    const { out } = r;
    const cut = Math.round(at * RATE);
    expect(rms(out, cut - 4800, cut)).to.be.above(0.3); // playing before
    const silentFrom = cut + Math.round(0.01 * RATE);
    expect(Math.max(...Array.from(out.subarray(silentFrom)).map(Math.abs))).to.equal(0);
    expect(maxStep(out, cut - 480, silentFrom)).to.be.below(idealStep(440, amp) * 1.05);
    // The command lands at the quantum starting at `at`; the fade lasts 5 ms; the report comes
    // with the quantum that ends it.
    const off = playing(r).find((x) => !x.playing);
    expect(off?.interruptedAt).to.be.within(at, at + QUANTUM);
    expect(off?.at).to.be.within(at, at + 0.005 + QUANTUM + 1e-6);
  });

  it('a calm paced stream (0–20 ms of network jitter) plays without a gap, and the lead never leaves 60 ms', async () => {
    const trace = pacedTrace({ seed: 7, seconds: 4, network: 'calm' });
    const r = await renderPlayout({ seconds: 5, deliveries: toneFrames(trace) });
    expect(gaps(r).gaps).to.equal(0);
    expect(leads(r).map((l) => l.leadMs)).to.deep.equal([60]);
  });

  it('a mobile-like jitter trace: at most 2 gaps in 8 s (4 with a fixed 60 ms lead), the lead at most 400 ms', async () => {
    const trace = pacedTrace({ seed: 2, seconds: 8, network: 'mobile' });
    const fixed = await renderPlayout({ seconds: 9.5, deliveries: toneFrames(trace), maxLeadMs: 60 });
    const adaptive = await renderPlayout({ seconds: 9.5, deliveries: toneFrames(trace) });
    expect(gaps(fixed).gaps).to.equal(4); // what this trace costs today: the budget below is a real gain
    expect(gaps(adaptive).gaps).to.be.at.most(2);
    expect(Math.max(...leads(adaptive).map((l) => l.leadMs))).to.be.at.most(400);
    expect(leads(fixed).map((l) => l.leadMs)).to.deep.equal([60]);
  });

  it('after an underrun the lead grows at once, and the audio fades out of and back into the gap (no click)', async () => {
    // On time, except one frame held back 150 ms at 1 s (the frames behind it arrive with it).
    const trace = onTime(0.1, 3).map((a) => ({ ...a, at: Math.max(a.at, a.media >= 1 && a.media < 1.15 ? 1.1 + 0.15 : 0) }));
    const amp = 0.3;
    const r = await renderPlayout({ seconds: 3.6, deliveries: toneFrames(trace, 20, 440, amp) });
    const g = gaps(r);
    expect(g.gaps).to.equal(1);
    const grown = leads(r).filter((l) => l.leadMs > 60);
    expect(grown.length).to.be.above(0);
    // Decided within the 20 ms catch-up window after the late frame (and its backlog) arrived.
    expect(grown[0]!.at).to.be.within(1.25, 1.25 + 0.02 + 2 * QUANTUM);
    expect(grown[0]!.leadMs).to.be.within(150, 400);
    const [first, last] = [Math.round(g.first * RATE), Math.round(g.last * RATE)];
    expect(maxStep(r.out, first + 480, last - 480)).to.be.below(idealStep(440, amp) * 1.02);
  });

  it('a server that pauses (no backlog follows) does not grow the lead', async () => {
    // 1 s of audio, a 200 ms pause in sending, then 1 s more, all on time.
    const trace = [...onTime(0.1, 1), ...onTime(1.3, 1).map((a) => ({ ...a, media: a.media + 1 }))];
    const r = await renderPlayout({ seconds: 3, deliveries: toneFrames(trace) });
    expect(gaps(r).gaps).to.equal(1);
    expect(leads(r).map((l) => l.leadMs)).to.deep.equal([60]);
  });

  it('the lead shrinks back toward 60 ms in the silences between calm utterances', async () => {
    const deliveries = toneFrames(pacedTrace({ seed: 2, seconds: 6, network: 'mobile' }));
    for (let u = 0; u < 5; u++) deliveries.push(...toneFrames(pacedTrace({ seed: 10 + u, seconds: 1, network: 'calm', start: 8 + 3 * u })));
    const r = await renderPlayout({ seconds: 23, deliveries });
    const l = leads(r);
    const peak = Math.max(...l.map((x) => x.leadMs));
    const atStarts = [8, 11, 14, 17, 20].map((t) => l.filter((x) => x.at <= t + 0.05).at(-1)!.leadMs);
    expect(peak).to.be.above(150);
    for (let i = 1; i < atStarts.length; i++) expect(atStarts[i]).to.be.below(atStarts[i - 1]!);
    expect(atStarts.at(-1)).to.be.below(peak / 2);
  });

  it('a burst (sent faster than real time) starts at once, even with a grown lead: no added latency', async () => {
    // A jittery utterance grows the lead; 1 s later a 2 s burst arrives at 9.5 s in 40 ms frames.
    const deliveries = toneFrames(pacedTrace({ seed: 2, seconds: 6, network: 'mobile' }));
    const burst = toPcm16(sine(440, 16_000, 2, 0.3));
    deliveries.push(...chunks(burst, [640], 9.5));
    const r = await renderPlayout({ seconds: 12, deliveries });
    const before = leads(r).filter((x) => x.at <= 9.5).at(-1)!.leadMs;
    expect(before).to.be.above(60);
    const g = gaps(r, Math.round(9 * RATE));
    expect(g.first).to.be.within(9.5, 9.5 + QUANTUM + 1e-6);
    expect(g.gaps).to.equal(0);
    expect(g.last - g.first).to.be.closeTo(2, 0.003);
  });
});
