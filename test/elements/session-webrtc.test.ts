// <prepatu-session transport="webrtc">: the same elements over WebRTC (mic and agent audio on
// media tracks, PVP on the data channel) against the development server.
import { expect } from '@open-wc/testing';
import '../../src/define.js';
import type { PrepatuArtifact } from '../../src/elements/prepatu-artifact.js';
import type { PrepatuSession } from '../../src/elements/prepatu-session.js';
import { DIALECTS, servers, until } from '../support/servers.js';
import { mount, stats, unmountAll } from './helpers.js';

// WebKitGTK here is built without WebRTC (see test/transport/webrtc.test.ts).
const maybe = typeof RTCPeerConnection === 'undefined' ? describe.skip : describe;

maybe('<prepatu-session transport="webrtc">', function () {
  this.timeout(30_000);
  afterEach(unmountAll);

  for (const dialect of DIALECTS) {
    it(`${dialect}: renders the flow from the data channel, sends the mic track, and the ui_event reaches the server`, async () => {
      const base = (await servers())[dialect];
      const host = mount(`<prepatu-session transport="webrtc" webrtc-url="${base}" program-id="sample-onboarding" metadata='{"user":"e2e"}'><prepatu-artifact></prepatu-artifact></prepatu-session>`);
      const session = host.querySelector('prepatu-session') as PrepatuSession;
      const artifact = host.querySelector('prepatu-artifact') as PrepatuArtifact;
      await session.connect();
      expect(session.status).to.be.oneOf(['listening', 'speaking']);
      await until(() => artifact.shadowRoot?.querySelector('[part~="form"]') != null, 'the form', 10_000);
      for (const input of artifact.shadowRoot!.querySelectorAll<HTMLInputElement>('[part~="input"]')) {
        input.value = input.type === 'email' ? 'alex@example.com' : 'Alex';
        input.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
      }
      artifact.shadowRoot!.querySelector<HTMLButtonElement>('[part~="submit"]')!.click();
      await until(() => artifact.shadowRoot?.querySelector('[part~="options"]') != null, 'the options after form_submit', 10_000);
      let s = await stats(session);
      expect(s.ui_events.map((e) => e.action)).to.deep.equal(['form_submit']);
      // The mic track arrives (Firefox may start sending RTP a few seconds after the data channel opens).
      for (const end = performance.now() + 10_000; s.audio_bytes === 0 && performance.now() < end; s = await stats(session))
        await new Promise((r) => setTimeout(r, 200));
      expect(s.audio_bytes).to.be.above(0);
      await session.disconnect();
      expect(session.status).to.equal('ended');
    });
  }

  it('reports a refused offer as a typed error and ends', async () => {
    const host = mount(`<prepatu-session transport="webrtc" webrtc-url="${(await servers()).documented}/no-such-base" no-audio></prepatu-session>`);
    const session = host.querySelector('prepatu-session') as PrepatuSession;
    const errors: string[] = [];
    session.addEventListener('prepatu-error', (e) => errors.push(e.detail.error.code));
    const err = await session.connect().catch((e: unknown) => e);
    expect(err).to.have.property('code').that.is.oneOf(['webrtc_failed', 'connection_failed']);
    expect(errors.length).to.be.above(0);
    expect(session.status).to.equal('ended');
  });
});
