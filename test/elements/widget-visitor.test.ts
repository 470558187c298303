// Every visitor gets through (issue 14), tried as a visitor would against the development server:
// typing instead of talking, voice and text on one connection, consent before the first call,
// captions, the end-of-call summary and transcript file, and the device menu.
import { expect } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../src/define.js';
import type { PrepatuArtifact } from '../../src/elements/prepatu-artifact.js';
import type { PrepatuWidget } from '../../src/elements/prepatu-widget.js';
import { PrepatuError, type PrepatuErrorCode, type ServerMessage } from '../../src/protocol/index.js';
import { DIALECTS, until, wsUrl } from '../support/servers.js';
import { hook, mount, stats, unmountAll, widgetFocus, widgetQuery } from './helpers.js';

const engine = /Firefox\//.test(navigator.userAgent) ? 'firefox' : /Chrome\//.test(navigator.userAgent) ? 'chromium' : 'webkit';

const widgets: PrepatuWidget[] = [];
/** A widget with `attrs` (and `inner` markup), with every server message it received. */
async function widget(attrs: string, inner = '') {
  const el = mount(`<prepatu-widget ${attrs}>${inner}</prepatu-widget>`).querySelector('prepatu-widget')!;
  widgets.push(el);
  const messages: ServerMessage[] = [];
  el.addEventListener('prepatu-message', (e) => messages.push(e.detail.message));
  await el.updateComplete;
  return { el, messages };
}

const part = <T extends HTMLElement = HTMLElement>(el: PrepatuWidget, name: string) => widgetQuery<T>(el, `[part~="${name}"]`);
const text = (node: Element | null) => node?.textContent?.replace(/\s+/g, ' ').trim() ?? null;
const configs = (messages: ServerMessage[]) => messages.filter((m) => m.type === 'config').length;
/** An element as text, for assertions: chai's own rendering of a node in a shadow tree can take minutes. */
const describeNode = (node: Element | null) => (node ? `<${node.localName} part="${node.getAttribute('part') ?? ''}">${text(node)}` : 'nothing');
const artifactOf = (el: PrepatuWidget) => widgetQuery<PrepatuArtifact>(el, 'prepatu-artifact')!;

/** Opens the panel and waits for its code. */
async function open(el: PrepatuWidget): Promise<void> {
  el.show();
  await until(() => part(el, 'controls') !== null, 'the panel');
  await el.updateComplete;
  for (const a of part(el, 'panel')!.getAnimations()) a.finish();
}

async function live(el: PrepatuWidget, what = 'the call to go live'): Promise<void> {
  await until(() => el.phase === 'live', what, 10_000);
  await el.updateComplete;
}

/** The agent's audio arrives at the server's microphone counter: voice is on. */
async function micBytesGrow(el: PrepatuWidget): Promise<void> {
  const before = (await stats(el.session!)).audio_bytes;
  let now = before;
  for (let i = 0; i < 40 && now < before + 3200; i++) {
    await new Promise((r) => setTimeout(r, 100));
    now = (await stats(el.session!)).audio_bytes;
  }
  expect(now - before, 'mic audio at the server').to.be.at.least(3200);
}

describe('<prepatu-widget>: every visitor gets through', function () {
  this.timeout(60_000);

  afterEach(async () => {
    await Promise.all(widgets.splice(0).map((w) => w.disconnect()));
    unmountAll();
  });

  it('microphone denied → "Type instead" → a text call: the form is submitted and the ui_event reaches the server', async () => {
    const media = navigator.mediaDevices;
    media.getUserMedia = () => Promise.reject(new DOMException('Permission denied', 'NotAllowedError'));
    try {
      const { el } = await widget(`ws-url="${await wsUrl('documented')}"`);
      await open(el);
      // Beside the start button from the start.
      expect(part(el, 'type-instead')!.parentElement === part(el, 'start')!.parentElement, 'beside the start button').to.equal(true);
      part(el, 'start')!.click();
      await until(() => el.phase === 'error', 'the microphone error', 10_000);
      await el.updateComplete;
      expect(el.session!.state.lastError!.code).to.equal('mic_denied');
      expect(text(part(el, 'error'))).to.match(/blocking the microphone/);
      expect(text(part(el, 'start'))).to.equal('Try again');
      expect(text(part(el, 'type-instead'))).to.equal('Type instead');
      await expect(el).to.be.accessible();

      part(el, 'type-instead')!.click();
      await live(el, 'the text call');
      expect(el.session!.state.audioEnabled).to.equal(false);
      expect(part(el, 'mute')).to.equal(null);
      expect(text(part(el, 'use-voice'))).to.equal('Use voice');
      expect(widgetFocus(el)?.closest('[part~="controls"]') != null, 'focus in the controls').to.equal(true); // focus stayed in the controls

      const artifact = artifactOf(el);
      await until(() => artifact.shadowRoot?.querySelector('[part~="form"]') != null, 'the form', 10_000);
      await artifact.updateComplete;
      for (const input of artifact.shadowRoot!.querySelectorAll<HTMLInputElement>('[part~="input"]')) {
        input.focus();
        await sendKeys({ type: input.type === 'email' ? 'alex@example.com' : 'Alex Doe' });
      }
      await sendKeys({ press: 'Enter' });
      await until(() => el.session!.state.flow.artifact?.artifact_type === 'options', 'the options after form_submit', 10_000);
      const s = await stats(el.session!);
      expect(s.ui_events.map((e) => e.action)).to.deep.equal(['form_submit']);
      expect(Object.values(s.ui_events[0]!.data)).to.include.members(['Alex Doe', 'alex@example.com']);
      expect(s.audio_bytes).to.equal(0);
      await expect(el).to.be.accessible();
    } finally {
      delete (media as Partial<MediaDevices>).getUserMedia; // the prototype's own again
    }
  });

  it('offers "Type instead" after every microphone error, and only then', async () => {
    const { el } = await widget('open');
    await open(el);
    const panel = widgetQuery(el, 'prepatu-widget-panel') as unknown as { _state: object; updateComplete: Promise<boolean> };
    const offered = async (code: PrepatuErrorCode) => {
      panel._state = { ...el.session!.state, status: 'ended', endReason: 'error', lastError: new PrepatuError(code, 'technical') };
      await panel.updateComplete;
      return part(el, 'type-instead') !== null;
    };
    for (const code of ['mic_denied', 'mic_not_found', 'mic_failed', 'mic_ended', 'audio_unavailable'] as const) expect(await offered(code), code).to.equal(true);
    for (const code of ['connection_failed', 'auth_failed', 'server_error'] as const) expect(await offered(code), code).to.equal(false);
  });

  it('a text call switches to voice and back on the same socket ("Use voice", "Type instead", setAudioEnabled)', async () => {
    const { el, messages } = await widget(`no-audio ws-url="${await wsUrl('documented')}"`);
    await open(el);
    part(el, 'start')!.click();
    await live(el);
    await until(() => el.session!.state.flow.artifact !== null, 'the first artifact');
    const state = (await stats(el.session!)).state;
    expect(el.session!.state.audioEnabled).to.equal(false);
    await expect(el).to.be.accessible();

    part(el, 'use-voice')!.click();
    await until(() => el.session!.state.audioEnabled, 'voice on');
    await el.updateComplete;
    expect(part(el, 'mute')).to.not.equal(null);
    expect(part(el, 'use-voice')).to.equal(null);
    await micBytesGrow(el);
    await expect(el).to.be.accessible();

    part(el, 'type-instead')!.click();
    await until(() => !el.session!.state.audioEnabled, 'voice off');
    await el.updateComplete;
    expect(part(el, 'mute')).to.equal(null);
    expect(describeNode(widgetFocus(el))).to.equal(describeNode(part(el, 'use-voice'))); // the pressed button was replaced: focus stays on the switch

    await el.setAudioEnabled(true); // the widget's own method, on the same call
    expect(el.session!.state.audioEnabled).to.equal(true);
    await micBytesGrow(el);
    await el.setAudioEnabled(false);
    expect(el.session!.state.audioEnabled).to.equal(false);

    expect(el.phase).to.equal('live');
    expect(configs(messages)).to.equal(1); // one connection: the server greeted once
    expect((await stats(el.session!)).state).to.equal(state); // nothing restarted
  });

  it('voice that cannot start during a text call: the call goes on in text and says why', async () => {
    const { el } = await widget(`no-audio ws-url="${await wsUrl('documented')}"`);
    await open(el);
    part(el, 'start')!.click();
    await live(el);
    const media = navigator.mediaDevices;
    media.getUserMedia = () => Promise.reject(new DOMException('Permission denied', 'NotAllowedError'));
    try {
      part(el, 'use-voice')!.click();
      await until(() => part(el, 'error') !== null, 'the error line');
    } finally {
      delete (media as Partial<MediaDevices>).getUserMedia;
    }
    expect(part(el, 'error')!.getAttribute('role')).to.equal('alert');
    expect(text(part(el, 'error'))).to.match(/blocking the microphone/);
    expect(el.phase).to.equal('live');
    expect(el.session!.state.audioEnabled).to.equal(false);
    expect(part(el, 'use-voice')).to.not.equal(null);
    await expect(el).to.be.accessible();
  });

  it('consent: the call cannot start until the notice is accepted; prepatu-consent; consented', async () => {
    const notice = 'Calls are recorded to improve the service.';
    const { el } = await widget(`consent="${notice}" ws-url="${await wsUrl('documented')}"`);
    const accepted: string[] = [];
    document.addEventListener('prepatu-consent', (e) => e.composedPath().includes(el) && accepted.push(e.detail.text));
    await open(el);
    const consent = part(el, 'consent')!;
    expect(text(consent)).to.contain('Before you start');
    expect(text(part(el, 'accept'))).to.equal('Accept');
    const description = widgetQuery(el, `#${part(el, 'accept')!.getAttribute('aria-describedby')}`)!;
    expect(description.querySelector('slot')!.assignedNodes({ flatten: true }).map((n) => n.textContent).join('')).to.equal(notice);
    await expect(el).to.be.accessible();

    // Start and "Type instead" only point at the notice.
    for (const name of ['start', 'type-instead']) {
      part(el, name)!.click();
      await el.updateComplete;
      expect(describeNode(widgetFocus(el))).to.equal(describeNode(part(el, 'accept')));
    }
    const refused = await el.connect().then(() => null, (e: PrepatuError) => e.code);
    expect(refused).to.equal('consent_required');
    await new Promise((r) => setTimeout(r, 300));
    expect([el.phase, el.session!.agent === null]).to.deep.equal(['idle', true]);
    expect(accepted).to.deep.equal([]);

    part(el, 'accept')!.click();
    expect(accepted).to.deep.equal([notice]);
    expect(el.consented).to.equal(true);
    await el.updateComplete;
    await widgetQuery<PrepatuWidget>(el, 'prepatu-widget-panel')!.updateComplete;
    expect(part(el, 'consent')).to.equal(null);
    expect(describeNode(widgetFocus(el))).to.equal(describeNode(part(el, 'start')));
    part(el, 'type-instead')!.click();
    await live(el);
    expect(el.session!.state.audioEnabled).to.equal(false);
    await el.disconnect();
    await el.updateComplete;
    expect(part(el, 'consent')).to.equal(null); // kept for the next call
  });

  it('consent slot: the site\'s markup (with a link) is the notice; the consented property lets the call start', async () => {
    const { el } = await widget(`no-audio ws-url="${await wsUrl('documented')}"`, '<p slot="consent">We record calls. <a href="#terms">Terms</a></p>');
    await open(el);
    expect(part(el, 'consent')).to.not.equal(null);
    const slotted = part(el, 'consent')!.querySelector('slot')!.assignedNodes({ flatten: true });
    expect((slotted[0] as HTMLElement).querySelector('a')!.getAttribute('href')).to.equal('#terms');
    expect(part(el, 'consent')!.getBoundingClientRect().height).to.be.greaterThan(0);
    await expect(el).to.be.accessible();
    el.consented = true; // from the site's own consent records
    await el.updateComplete;
    await widgetQuery<PrepatuWidget>(el, 'prepatu-widget-panel')!.updateComplete;
    expect(part(el, 'consent')).to.equal(null);
    await el.connect();
    expect(el.phase).to.equal('live');
  });

  it('captions: the line being spoken shows while the agent speaks (on the audio clock\'s status) and clears after; not a live region', async () => {
    const { el } = await widget(`ws-url="${await wsUrl('documented')}"`);
    await open(el);
    part(el, 'start')!.click();
    // Caption and status come from one render: read together, they show what the visitor saw.
    const seen: { caption: string | null; status: string | null; line: string | undefined }[] = [];
    await until(() => {
      const caption = part(el, 'caption');
      if (caption) seen.push({ caption: text(caption), status: text(part(el, 'status')), line: el.session!.state.transcript.findLast((t) => t.role === 'assistant')?.text });
      return caption !== null;
    }, 'a caption', 15_000);
    expect(seen[0]!.status).to.equal('Speaking');
    expect(seen[0]!.caption).to.equal(seen[0]!.line);
    expect(seen[0]!.caption).to.match(/^Welcome!/);
    const caption = part(el, 'caption')!;
    expect([caption.getAttribute('role'), caption.getAttribute('aria-live')]).to.deep.equal([null, null]);
    expect(caption.closest('[aria-live], [role="status"], [role="log"], [role="alert"]')).to.equal(null);
    await expect(el).to.be.accessible();
    await until(() => el.session!.status === 'listening', 'the greeting to end', 20_000);
    await el.updateComplete;
    await widgetQuery<PrepatuWidget>(el, 'prepatu-widget-panel')!.updateComplete;
    expect(part(el, 'caption')).to.equal(null);
    expect(text(part(el, 'status'))).to.equal('Listening');
  });

  it('captions="off": no caption while the agent speaks', async () => {
    const { el } = await widget(`captions="off" ws-url="${await wsUrl('documented')}"`);
    await open(el);
    part(el, 'start')!.click();
    await until(() => text(part(el, 'status')) === 'Speaking' && el.session!.state.transcript.length > 0, 'the agent speaking', 15_000);
    expect(part(el, 'caption')).to.equal(null);
  });

  for (const dialect of DIALECTS) {
    it(`${dialect}: after the flow ends the summary lists the values under their form labels; the transcript downloads as text; start again`, async () => {
      const { el } = await widget(`no-audio ws-url="${await wsUrl(dialect)}"`);
      await open(el);
      part(el, 'start')!.click();
      await live(el);
      const flow = () => el.session!.state.flow;
      await until(() => flow().artifact?.artifact_type === 'form', 'the form');
      // The greeting's line first (a tool call would cut it short before its transcript).
      await until(() => el.session!.state.transcript.some((t) => t.role === 'assistant'), "the greeting's line");
      hook(el.session!, { do: 'tool_call', tool: 'save_details', args: { name: 'Alex Doe', email: 'alex@example.com' } });
      await until(() => flow().artifact?.artifact_type === 'options', 'the options');
      if (dialect === 'documented') {
        hook(el.session!, { do: 'tool_call', tool: 'choose_plan', args: { selected_id: 'pro' } });
        await until(() => flow().artifact?.artifact_type === 'card', 'the summary card');
        hook(el.session!, { do: 'tool_call', tool: 'confirm_details' });
        await until(() => part(el, 'summary') !== null, 'the summary after flow_end', 10_000);
        expect(flow().ended?.reason).to.equal('completed');
        await until(() => el.phase === 'ended', 'ended');
      } else {
        // The reference backend never ends a flow by itself: the visitor ends the call.
        part(el, 'end')!.click();
        await until(() => el.phase === 'ended', 'ended');
      }
      await el.updateComplete;
      const rows = () => [...part(el, 'summary-list')!.querySelectorAll('dt')].map((dt) => [text(dt), text(dt.nextElementSibling)]);
      const expected = [
        ['Full name', 'Alex Doe'],
        ['Email address', 'alex@example.com'],
      ];
      if (dialect === 'documented') expected.push(['Your choice', 'Pro']);
      expect(rows()).to.deep.equal(expected);
      expect(artifactOf(el).hidden).to.equal(true); // the last card no longer stands in
      expect(text(part(el, 'start'))).to.equal('Start again');
      await expect(el).to.be.accessible();

      // The transcript file: made in the browser, a plain-text Blob behind a download link.
      let link: HTMLAnchorElement | null = null;
      const onClick = (e: MouseEvent) => {
        const a = e.composedPath()[0];
        if (a instanceof HTMLAnchorElement && a.hasAttribute('download')) {
          link = a;
          e.preventDefault(); // no save dialog in the test
        }
      };
      document.addEventListener('click', onClick, true);
      try {
        part(el, 'download')!.click();
      } finally {
        document.removeEventListener('click', onClick, true);
      }
      expect(link, 'the download link').to.not.equal(null);
      expect(link!.href).to.match(/^blob:/);
      expect(link!.download).to.match(/^transcript-\d{4}-\d{2}-\d{2}\.txt$/);
      const file = await (await fetch(link!.href)).blob();
      expect(file.type).to.match(/^text\/plain/);
      const lines = (await file.text()).split('\n');
      expect(lines[0]).to.match(/^Voice assistant \(/);
      const agentLines = el.session!.state.transcript.filter((t) => t.role === 'assistant').map((t) => `Agent: ${t.text}`);
      expect(agentLines.length).to.be.at.least(1);
      expect(lines).to.include.members(agentLines);

      // The site formats the rows, or brings its own summary; a formatter that fails changes nothing.
      el.summaryFormatter = (() => 'not rows') as unknown as PrepatuWidget['summaryFormatter'];
      await el.updateComplete;
      await widgetQuery<PrepatuWidget>(el, 'prepatu-widget-panel')!.updateComplete;
      expect(rows()).to.deep.equal(expected);
      el.summaryFormatter = (items) => items.filter((i) => i.key !== 'email').map((i) => ({ label: i.label.toUpperCase(), value: `<b>${i.text}</b>` }));
      await el.updateComplete;
      await widgetQuery<PrepatuWidget>(el, 'prepatu-widget-panel')!.updateComplete;
      expect(rows()[0]).to.deep.equal(['FULL NAME', '<b>Alex Doe</b>']); // text, never HTML
      expect(part(el, 'summary-list')!.querySelector('b')).to.equal(null);
      const own = document.createElement('p');
      own.slot = 'summary';
      own.textContent = "Thanks! We'll email you a copy.";
      el.append(own);
      await until(() => part(el, 'summary-list') === null, 'the slotted summary to replace the list');
      expect(part(el, 'summary')!.querySelector('slot')!.assignedNodes({ flatten: true })).to.deep.equal([own]);
      expect(part(el, 'download')).to.not.equal(null);

      part(el, 'start')!.click();
      await live(el, 'the new call');
      expect(part(el, 'summary')).to.equal(null);
      expect(artifactOf(el).hidden).to.equal(false);
    });
  }

  it('device menu: lists the microphones by label during a voice call, switches on the same connection, follows devicechange', async function () {
    const { el, messages } = await widget(`ws-url="${await wsUrl('documented')}"`);
    await open(el);
    expect(part(el, 'devices-toggle')).to.equal(null); // during a voice call only
    part(el, 'start')!.click();
    await live(el);
    const toggle = part<HTMLButtonElement>(el, 'devices-toggle')!;
    expect(toggle.getAttribute('aria-label')).to.equal('Audio devices');
    expect(toggle.getAttribute('aria-expanded')).to.equal('false');
    toggle.click();
    const selects = () => [...(part(el, 'devices')?.querySelectorAll('select') ?? [])];
    await until(() => (selects()[0]?.options.length ?? 0) > 1, 'the microphones listed');
    expect(toggle.getAttribute('aria-expanded')).to.equal('true');
    const [mic, speaker] = selects();
    const labels = [...mic!.options].map((o) => o.textContent!.trim());
    expect(labels[0]).to.equal('System default');
    const devices = (await navigator.mediaDevices.enumerateDevices()).filter((d) => d.kind === 'audioinput' && d.deviceId !== 'default' && d.deviceId !== 'communications');
    expect(labels.slice(1)).to.deep.equal(devices.map((d, i) => d.label || `Microphone ${i + 1}`));
    if (engine === 'chromium') expect(labels.slice(1).every((l) => /fake/i.test(l))).to.equal(true); // labels, once the microphone is allowed
    expect(mic!.closest('label')!.textContent).to.contain('Microphone');
    await expect(el).to.be.accessible();

    if (engine === 'chromium') expect(devices.length, "Chromium's fake capture offers several inputs").to.be.at.least(2);
    if (devices.length >= 2) {
      const target = devices.at(-1)!;
      mic!.value = target.deviceId;
      mic!.dispatchEvent(new Event('change'));
      await until(() => el.session!.state.inputDeviceId === target.deviceId, 'the chosen microphone in use');
      expect(part(el, 'error')).to.equal(null);
    }
    const outputs = (await navigator.mediaDevices.enumerateDevices()).filter((d) => d.kind === 'audiooutput' && d.deviceId !== 'default' && d.deviceId !== 'communications');
    const sinkable = 'setSinkId' in AudioContext.prototype || 'setSinkId' in HTMLMediaElement.prototype;
    console.log(`[${engine}] device menu: ${devices.length} microphones, ${outputs.length} speakers listed, setSinkId ${sinkable}`);
    expect(speaker !== undefined).to.equal(sinkable && outputs.length > 0);
    if (speaker) {
      speaker.value = speaker.options[speaker.options.length - 1]!.value;
      speaker.dispatchEvent(new Event('change'));
      await new Promise((r) => setTimeout(r, 300));
      expect(part(el, 'error')).to.equal(null);
    }

    // A headset plugged in: the list follows (no engine's fake devices fire devicechange).
    const media = navigator.mediaDevices;
    const real = media.enumerateDevices.bind(media);
    media.enumerateDevices = async () => [...(await real()), { kind: 'audioinput', deviceId: 'usb-headset', groupId: 'usb', label: 'USB headset' } as MediaDeviceInfo];
    try {
      media.dispatchEvent(new Event('devicechange'));
      await until(() => [...selects()[0]!.options].some((o) => o.textContent!.trim() === 'USB headset'), 'the new microphone listed');
    } finally {
      delete (media as Partial<MediaDevices>).enumerateDevices;
    }

    // Escape closes the menu (not the panel), and focus goes back to its button.
    selects()[0]!.focus();
    await sendKeys({ press: 'Escape' });
    await until(() => part(el, 'devices') === null, 'the menu closed');
    expect(el.open).to.equal(true);
    expect(describeNode(widgetFocus(el))).to.equal(describeNode(part(el, 'devices-toggle')));
    expect(configs(messages)).to.equal(1);
    expect(el.phase).to.equal('live');
  });
});
