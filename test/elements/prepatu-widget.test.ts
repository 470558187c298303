import { expect } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { autoEmbed } from '../../src/auto-embed.js';
import '../../src/define.js';
import type { PrepatuArtifact } from '../../src/elements/prepatu-artifact.js';
import { PrepatuWidget } from '../../src/elements/prepatu-widget.js';
import type { PrepatuError, SessionStatus } from '../../src/protocol/index.js';
import { DIALECTS, servers, until, wsUrl } from '../support/servers.js';
import { axeViolations, darkScheme, emulate, frame, hook, mount, stats, unmountAll, widgetFocus, widgetQuery } from './helpers.js';

const widgets: PrepatuWidget[] = [];
async function widget(attrs: string): Promise<PrepatuWidget> {
  const host = mount(`<prepatu-widget ${attrs}></prepatu-widget>`);
  const el = host.querySelector('prepatu-widget')!;
  widgets.push(el);
  await el.updateComplete;
  return el;
}

const part = <T extends HTMLElement = HTMLElement>(el: PrepatuWidget, name: string): T | null =>
  widgetQuery<T>(el, `[part~="${name}"]`);
const launcher = (el: PrepatuWidget) => part<HTMLButtonElement>(el, 'launcher')!;
const panel = (el: PrepatuWidget) => part(el, 'panel')!;
/** The computed style in the element's own window (some tests render in a frame). */
const css = (node: Element) => node.ownerDocument.defaultView!.getComputedStyle(node);
const visible = (node: Element) => {
  const r = node.getBoundingClientRect();
  return r.width > 0 && r.height > 0 && css(node).display !== 'none' && css(node).visibility !== 'hidden';
};
const focused = (el: PrepatuWidget) => widgetFocus(el);
const statusText = (el: PrepatuWidget) => part(el, 'status')!.textContent!.trim();
const artifactOf = (el: PrepatuWidget) => widgetQuery<PrepatuArtifact>(el, 'prepatu-artifact')!;
const live = (s: SessionStatus) => s === 'listening' || s === 'speaking';

/**
 * Waits for the render and jumps the panel's opening animation to its end: a background tab
 * (two test files run at once) may get no animation frames for a long time.
 */
async function settle(el: PrepatuWidget): Promise<void> {
  await el.updateComplete;
  for (const animation of panel(el).getAnimations()) animation.finish();
}

async function startCall(el: PrepatuWidget): Promise<void> {
  if (!el.open) {
    launcher(el).click();
    await el.updateComplete;
  }
  part(el, 'start')!.click();
  await until(() => el.phase === 'live', 'the call to go live', 8000);
  await el.updateComplete;
}

describe('<prepatu-widget>', function () {
  this.timeout(40_000);

  afterEach(async () => {
    await Promise.all(widgets.splice(0).map((w) => w.disconnect()));
    unmountAll();
  });

  it('shows only the launcher when closed; opens and closes by click, with prepatu-widget-toggle and focus moves', async () => {
    const el = await widget('no-audio ws-url="ws://127.0.0.1:9/ws"');
    const toggles: boolean[] = [];
    document.addEventListener('prepatu-widget-toggle', (e) => toggles.push(e.detail.open));
    expect(visible(launcher(el))).to.equal(true);
    expect(visible(panel(el))).to.equal(false);
    const r = launcher(el).getBoundingClientRect();
    expect(r.width).to.be.at.most(64);
    expect(r.height).to.be.at.least(44);
    expect(launcher(el).getAttribute('aria-expanded')).to.equal('false');
    await expect(el).to.be.accessible();

    launcher(el).click();
    await settle(el);
    expect(el.open).to.equal(true);
    expect(el.hasAttribute('open')).to.equal(true);
    expect(visible(panel(el))).to.equal(true);
    expect(launcher(el).getAttribute('aria-expanded')).to.equal('true');
    expect(focused(el)).to.equal(part(el, 'start'));
    expect(part(el, 'start')!.textContent!.trim()).to.equal('Talk to us');
    await expect(el).to.be.accessible();

    part(el, 'close')!.click();
    await settle(el);
    expect(el.open).to.equal(false);
    expect(visible(panel(el))).to.equal(false);
    expect(focused(el)).to.equal(launcher(el));
    expect(toggles).to.deep.equal([true, false]);
  });

  it('opens with Enter or Space on the launcher and closes with Escape, focus going back to the launcher', async () => {
    const el = await widget('no-audio');
    launcher(el).focus();
    await sendKeys({ press: 'Enter' });
    await until(() => el.open, 'open after Enter');
    await settle(el);
    expect(focused(el)).to.equal(part(el, 'start'));
    await sendKeys({ press: 'Escape' });
    await until(() => !el.open, 'closed after Escape');
    await settle(el);
    expect(focused(el)).to.equal(launcher(el));
    await sendKeys({ press: 'Escape' }); // closed already: nothing happens
    expect(el.open).to.equal(false);
    await sendKeys({ type: ' ' }); // Space (a key name not every driver knows)
    await until(() => el.open, 'open after Space');
    await settle(el);
    // Tab order: from the start button back to the close button, in the panel.
    const inPanel = (node: Node | null): boolean => node !== null && (part(el, 'panel')!.contains(node) || inPanel((node.getRootNode() as ShadowRoot).host ?? null));
    expect(inPanel(focused(el))).to.equal(true);
  });

  it('honours the open attribute, show(), hide(), toggle(), heading, subtitle, labels and strings', async () => {
    const el = await widget('no-audio open heading="Aria" subtitle="Setup help" start-label="Start call"');
    expect(visible(panel(el))).to.equal(true);
    expect(focused(el)).to.equal(null); // no focus stolen on page load
    expect(part(el, 'title')!.textContent).to.equal('Aria');
    expect(part(el, 'subtitle')!.textContent).to.equal('Setup help');
    expect(part(el, 'start')!.textContent!.trim()).to.equal('Start call');
    el.hide();
    await el.updateComplete;
    expect(el.hasAttribute('open')).to.equal(false);
    el.toggle();
    await el.updateComplete;
    expect(el.open).to.equal(true);
    el.strings = { start: 'Parler', close: 'Fermer' };
    el.startLabel = '';
    await el.updateComplete;
    expect(part(el, 'start')!.textContent!.trim()).to.equal('Parler');
    expect(launcher(el).getAttribute('aria-label')).to.equal('Fermer');
    el.show();
    expect(el.open).to.equal(true);
    expect(widgetQuery(el, 'prepatu-transcript')).to.not.equal(null);
    el.setAttribute('variant', 'compact');
    await el.updateComplete;
    expect(widgetQuery(el, 'prepatu-transcript')).to.equal(null);
    expect(widgetQuery(el, 'prepatu-artifact')).to.not.equal(null);
  });

  it('passes the connection attributes to its session: session-url, program-id and metadata', async () => {
    const base = (await servers()).documented;
    const el = await widget(`no-audio session-url="${base}/api/start-session" program-id="sample-onboarding" metadata='{"page":"pricing"}' start-muted barge-in="off"`);
    const session = el.session!;
    expect(session.metadata).to.deep.equal({ page: 'pricing' });
    expect([session.sessionUrl, session.programId, session.noAudio, session.startMuted, session.bargeIn]).to.deep.equal([
      `${base}/api/start-session`,
      'sample-onboarding',
      true,
      true,
      false,
    ]);
    el.metadata = { page: 'home' };
    await el.updateComplete;
    expect(session.metadata).to.deep.equal({ page: 'home' });
    await el.connect();
    expect(live(session.status)).to.equal(true);
    await until(() => session.state.flow.flowId === 'sample-onboarding', 'the flow id');
    expect(session.state.micEnabled).to.equal(false);
  });

  for (const dialect of DIALECTS) {
    it(`${dialect}: start call → connecting → live; the inner artifact's action reaches the server; end → ended → start again`, async () => {
      const el = await widget(`no-audio ws-url="${await wsUrl(dialect)}"`);
      const statuses: SessionStatus[] = [];
      document.addEventListener('prepatu-status', (e) => e.composedPath().includes(el) && statuses.push(e.detail.status));
      launcher(el).click();
      await el.updateComplete;
      part(el, 'start')!.click();
      expect(el.phase).to.equal('connecting');
      await el.updateComplete;
      expect(statusText(el)).to.equal('Connecting…');
      expect(part(el, 'end')).to.not.equal(null);
      await until(() => el.phase === 'live', 'live', 8000);
      await el.updateComplete;
      expect(statuses.slice(0, 2)).to.deep.equal(['connecting', 'connected']);
      expect(live(el.session!.status)).to.equal(true);
      expect(statusText(el)).to.match(/^(Listening|Speaking)$/);
      expect(part(el, 'mute')).to.not.equal(null);

      // The artifact renders inside the panel; the visitor fills and submits the form.
      const artifact = artifactOf(el);
      await until(() => artifact.shadowRoot?.querySelector('[part~="form"]') != null, 'the form in the widget', 10_000);
      await artifact.updateComplete;
      await expect(el).to.be.accessible();
      for (const input of artifact.shadowRoot!.querySelectorAll<HTMLInputElement>('[part~="input"]')) {
        input.focus();
        await sendKeys({ type: input.type === 'email' ? 'alex@example.com' : 'Alex Doe' });
      }
      artifact.shadowRoot!.querySelector<HTMLElement>('[part~="submit"]')!.click();
      await until(() => el.session!.state.flow.artifact?.artifact_type === 'options', 'the options after form_submit', 10_000);
      const s = await stats(el.session!);
      expect(s.ui_events.map((e) => e.action)).to.deep.equal(['form_submit']);
      expect(Object.values(s.ui_events[0]!.data)).to.include.members(['Alex Doe', 'alex@example.com']);

      part(el, 'end')!.focus();
      part(el, 'end')!.click();
      await until(() => el.phase === 'ended', 'ended');
      await settle(el);
      expect(statusText(el)).to.equal('The call has ended.');
      expect(part(el, 'start')!.textContent!.trim()).to.equal('Start again');
      expect(focused(el)).to.equal(part(el, 'start')); // focus stays in the controls
      part(el, 'start')!.click();
      await until(() => el.phase === 'live', 'live again', 8000);
      expect(live(el.session!.status)).to.equal(true);
    });
  }

  it('shows a visitor-friendly error when the server cannot be reached; prepatu-error still reaches the page', async () => {
    const refused = (await servers()).refused.replace(/^http/, 'ws');
    const el = await widget(`no-audio ws-url="${refused}/ws"`);
    const errors: PrepatuError[] = [];
    const onError = (e: HTMLElementEventMap['prepatu-error']) => errors.push(e.detail.error);
    document.addEventListener('prepatu-error', onError);
    try {
      launcher(el).click();
      await el.updateComplete;
      part(el, 'start')!.click();
      await until(() => el.phase === 'error', 'the error phase', 8000);
      await settle(el);
      expect(errors.length).to.be.greaterThan(0);
      expect(errors[0]!.name).to.equal('PrepatuError');
      const message = part(el, 'error')!;
      expect(message.getAttribute('role')).to.equal('alert');
      expect(message.textContent).to.equal("Can't reach the assistant. Check your connection and try again.");
      expect(message.textContent).to.not.contain(refused);
      expect(part(el, 'start')!.textContent!.trim()).to.equal('Try again');
      await expect(el).to.be.accessible();
      // Try again reaches the same (still refused) server and fails the same way.
      const before = errors.length;
      part(el, 'start')!.click();
      await until(() => errors.length > before && el.phase === 'error', 'a second error', 8000);
    } finally {
      document.removeEventListener('prepatu-error', onError);
    }
  });

  it('maps error codes to plain words and offers "Tap to enable sound" while audio is suspended', async () => {
    const el = await widget('no-audio open');
    const { PrepatuError: Err } = await import('../../src/protocol/errors.js');
    const show = async (code: PrepatuError['code']) => {
      // The state the session reports after a fatal error.
      const panel = widgetQuery(el, 'prepatu-widget-panel') as unknown as { _state: object; updateComplete: Promise<boolean> };
      panel._state = { ...el.session!.state, status: 'ended', endReason: 'error', lastError: new Err(code, 'technical') };
      await panel.updateComplete;
      return part(el, 'error')!.textContent!;
    };
    expect(await show('mic_denied')).to.match(/address bar/);
    expect(await show('mic_not_found')).to.match(/No microphone/);
    expect(await show('keepalive_timeout')).to.equal("Can't reach the assistant. Check your connection and try again.");
    expect(await show('audio_unavailable')).to.match(/couldn't start the call's audio/);
    expect(await show('auth_failed')).to.match(/unavailable right now/);
    expect(await show('session_start_failed')).to.match(/unavailable right now/);
    expect(await show('invalid_json')).to.equal('Something went wrong. Please try again.');
    const panel = widgetQuery(el, 'prepatu-widget-panel') as unknown as { _state: object; updateComplete: Promise<boolean> };
    panel._state = { ...el.session!.state, status: 'listening', audioSuspended: true };
    await panel.updateComplete;
    const button = part<HTMLButtonElement>(el, 'enable-sound')!;
    expect(button.textContent).to.equal('Tap to enable sound');
    expect(button.getBoundingClientRect().height).to.be.at.least(44);
    button.click(); // no agent: resume() is a no-op, never a throw
  });

  it('with audio: goes live with the microphone and mutes it from the panel', async () => {
    const el = await widget(`ws-url="${await wsUrl('documented')}"`);
    await startCall(el);
    const mute = part<HTMLButtonElement>(el, 'mute')!;
    expect(mute.getAttribute('aria-pressed')).to.equal('false');
    mute.click();
    await until(() => el.session!.state.micEnabled === false, 'the microphone muted');
    await el.updateComplete;
    expect(part(el, 'mute')!.getAttribute('aria-pressed')).to.equal('true');
    expect(el.session!.muted).to.equal(true);
    if (el.session!.status === 'listening') expect(statusText(el)).to.equal('Your microphone is muted');
    await expect(el).to.be.accessible();
    part(el, 'mute')!.click();
    await until(() => el.session!.state.micEnabled === true, 'the microphone back on');
  });

  it('moves the launcher where the flow\'s orb_layout asks, unless placement is set', async () => {
    const url = await wsUrl('documented');
    const free = await widget(`no-audio ws-url="${url}"`);
    const pinned = await widget(`no-audio placement="bottom-left" ws-url="${url}"`);
    await Promise.all([startCall(free), startCall(pinned)]);
    expect(free.shownPlacement).to.equal('bottom-right');
    free.hide();
    await free.updateComplete;
    const before = launcher(free).getBoundingClientRect();
    expect(before.bottom).to.be.greaterThan(innerHeight / 2);
    for (const w of [free, pinned])
      hook(w.session!, { do: 'send_text', text: JSON.stringify({ type: 'artifact', artifact_type: 'orb_layout', position: 'top_right' }) });
    await until(() => free.shownPlacement === 'top-right', 'the top-right placement');
    await settle(free);
    const after = launcher(free).getBoundingClientRect();
    expect(after.top).to.be.lessThan(innerHeight / 2);
    expect(after.right).to.be.closeTo(before.right, 1);
    expect(free.hasAttribute('placement')).to.equal(false);
    await until(() => pinned.session!.state.flow.orbPosition === 'top_right', 'the pinned widget to get orb_layout');
    await settle(pinned);
    expect(pinned.shownPlacement).to.equal('bottom-left');
    const rp = launcher(pinned).getBoundingClientRect();
    expect(rp.left).to.be.lessThan(innerWidth / 2);
    expect(rp.bottom).to.be.greaterThan(innerHeight / 2);
  });

  it('is placed by placement; inline puts an always-open panel in the page flow', async () => {
    const tl = await widget('no-audio placement="top-left"');
    await settle(tl);
    const r = launcher(tl).getBoundingClientRect();
    expect(r.left).to.be.lessThan(innerWidth / 2);
    expect(r.top).to.be.lessThan(innerHeight / 2);
    const inline = await widget('no-audio placement="inline"');
    await settle(inline);
    expect(visible(panel(inline))).to.equal(true);
    expect(visible(launcher(inline))).to.equal(false);
    expect(getComputedStyle(panel(inline).parentElement!).position).to.equal('relative'); // the dock
    await expect(inline).to.be.accessible();
  });

  it('follows theme="dark" and theme="light" whatever the system scheme', async () => {
    const dark = await widget('no-audio open theme="dark"');
    const light = await widget('no-audio open theme="light"');
    await settle(dark);
    expect(getComputedStyle(panel(dark)).backgroundColor).to.equal('rgb(29, 29, 33)');
    expect(getComputedStyle(panel(light)).backgroundColor).to.equal('rgb(255, 255, 255)');
    light.style.setProperty('--prepatu-bg', '#fafaf0');
    expect(getComputedStyle(panel(light)).backgroundColor).to.equal('rgb(250, 250, 240)');
    await expect(dark).to.be.accessible();
  });

  it('follows the system dark scheme under theme="auto"', async function () {
    const dark = await darkScheme('<prepatu-widget no-audio></prepatu-widget><prepatu-widget no-audio theme="light"></prepatu-widget>');
    if (!dark) return this.skip(); // WebKitGTK: neither emulation nor a frame's color-scheme reaches prefers-color-scheme
    try {
      const [auto, light] = [...dark.doc.querySelectorAll('prepatu-widget')];
      for (const el of [auto!, light!]) {
        el.show();
        await settle(el);
      }
      expect(css(panel(auto!)).backgroundColor).to.equal('rgb(29, 29, 33)');
      expect(css(panel(light!)).backgroundColor).to.equal('rgb(255, 255, 255)');
      expect(await axeViolations(auto!)).to.deep.equal([]);
    } finally {
      await dark.restore();
    }
  });

  it('drops its opening animation under prefers-reduced-motion', async function () {
    if (!(await emulate({ reducedMotion: 'reduce' }))) return this.skip(); // the WebDriver launchers cannot emulate media features
    try {
      const el = await widget('no-audio');
      el.show();
      await el.updateComplete;
      expect(panel(el).getAnimations()).to.deep.equal([]); // checked before any animation could finish
      await expect(el).to.be.accessible();
    } finally {
      await emulate({ reducedMotion: 'no-preference' });
    }
  });

  it('survives hostile page CSS, and its own styles do not leak into the page', async () => {
    const pageButton = document.createElement('button');
    pageButton.textContent = 'Page button';
    document.body.append(pageButton);
    const hostile = document.createElement('style');
    hostile.textContent = `* { color: red !important; font-size: 40px !important; visibility: hidden !important }
      button { display: none !important } prepatu-widget { display: none !important; position: absolute !important }`;
    try {
      const el = await widget('no-audio');
      const plainDisplay = getComputedStyle(pageButton).display;
      expect(plainDisplay).to.not.equal('inline-flex'); // the widget's button style stays inside it
      document.head.append(hostile);
      await settle(el);
      const button = launcher(el);
      expect(visible(button)).to.equal(true);
      expect(getComputedStyle(button).display).to.equal('flex'); // a flex item of the dock
      expect(getComputedStyle(button).color).to.not.equal('rgb(255, 0, 0)');
      expect(button.getBoundingClientRect().width).to.be.at.most(64);
      launcher(el).click();
      await settle(el);
      expect(visible(part(el, 'start')!)).to.equal(true);
      expect(getComputedStyle(part(el, 'title')!).color).to.not.equal('rgb(255, 0, 0)');
      // The page's own rules still apply to the page.
      expect(getComputedStyle(pageButton).display).to.equal('none');
    } finally {
      hostile.remove();
      pageButton.remove();
    }
  });

  it('fits a 360px-wide phone: the launcher alone when closed, a full-width sheet when open', async () => {
    // A 360×640 frame is a phone-sized viewport in every engine.
    const phone = await frame('<prepatu-widget no-audio heading="Aria"></prepatu-widget>');
    try {
      const el = phone.doc.querySelector('prepatu-widget')!;
      await settle(el);
      const closed = launcher(el).getBoundingClientRect();
      expect(closed.right).to.be.at.most(360);
      expect(closed.bottom).to.be.at.most(640);
      expect(closed.width).to.be.at.most(64);
      launcher(el).click();
      await settle(el);
      const r = panel(el).getBoundingClientRect();
      expect(r.left).to.be.at.least(0);
      expect(r.right).to.be.at.most(360);
      expect(r.width).to.be.at.least(340);
      expect(r.bottom).to.be.at.most(640.5);
      expect(r.top).to.be.at.least(0);
      const start = part(el, 'start')!.getBoundingClientRect();
      expect(start.height).to.be.at.least(44);
      expect(start.right).to.be.at.most(360);
      expect(part(el, 'close')!.getBoundingClientRect().width).to.be.at.least(44);
      expect(await axeViolations(el)).to.deep.equal([]);
    } finally {
      phone.remove();
    }
  });

  it('is inserted by the one-script CMS loader from the script tag\'s data-* attributes', async () => {
    const script = document.createElement('script');
    script.dataset['wsUrl'] = await wsUrl('documented');
    script.dataset['heading'] = 'From the CMS';
    script.dataset['placement'] = 'bottom-left';
    script.setAttribute('data-no-audio', '');
    const el = autoEmbed(document, script) as PrepatuWidget;
    try {
      expect(el).to.be.instanceOf(PrepatuWidget);
      widgets.push(el);
      await el.updateComplete;
      expect(part(el, 'title')!.textContent).to.equal('From the CMS');
      expect(el.shownPlacement).to.equal('bottom-left');
      expect(el.noAudio).to.equal(true);
      await startCall(el);
    } finally {
      el.remove();
    }
  });

  it('works when created with document.createElement after the page loaded', async () => {
    const el = document.createElement('prepatu-widget');
    expect(el).to.be.instanceOf(PrepatuWidget);
    const notYet = await el.connect().then(() => null, (e: PrepatuError) => e.code);
    expect(notYet).to.equal('not_connected');
    el.noAudio = true;
    el.wsUrl = await wsUrl('reference');
    el.heading = 'Late';
    const host = mount('');
    host.append(el);
    widgets.push(el);
    await el.updateComplete;
    expect(part(el, 'title')!.textContent).to.equal('Late');
    await el.connect();
    expect(el.open).to.equal(true);
    expect(live(el.session!.status)).to.equal(true);
    // Moved elsewhere in the page: the call goes on and the panel still follows it.
    mount('').append(el);
    await el.updateComplete;
    expect(live(el.session!.status)).to.equal(true);
    el.session!.setMicEnabled(false);
    await until(() => part(el, 'mute')?.getAttribute('aria-pressed') === 'true', 'the mute toggle to follow the session');
    await el.disconnect();
    expect(el.session!.status).to.equal('ended');
  });
});
