// The cloud path end to end: <prepatu-widget session-url> → the site's backend
// (createSessionHandler from @prepatu/elements/server) → the cloud API (POST /v1/sessions with
// X-Prepatu-Key, here the dev server with --api-key) → the browser connects to ws_url.
import { expect } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../src/define.js';
import type { PrepatuArtifact } from '../../src/elements/prepatu-artifact.js';
import type { PrepatuWidget } from '../../src/elements/prepatu-widget.js';
import type { PrepatuError } from '../../src/protocol/index.js';
import { servers, until } from '../support/servers.js';
import { mount, stats, unmountAll, widgetQuery } from './helpers.js';

const part = (el: PrepatuWidget, name: string) => widgetQuery(el, `[part~="${name}"]`);
const artifactOf = (el: PrepatuWidget) => widgetQuery<PrepatuArtifact>(el, 'prepatu-artifact')!;

async function widget(sessionUrl: string): Promise<PrepatuWidget> {
  const el = mount(`<prepatu-widget no-audio program-id="appointment-booking"></prepatu-widget>`).querySelector('prepatu-widget')!;
  el.sessionUrl = sessionUrl;
  await el.updateComplete;
  part(el, 'launcher')!.click();
  await el.updateComplete;
  part(el, 'start')!.click();
  return el;
}

describe('cloud session through the site backend', function () {
  this.timeout(40_000);
  const errors: PrepatuError[] = [];
  const onError = (e: HTMLElementEventMap['prepatu-error']) => errors.push(e.detail.error);
  const widgets: PrepatuWidget[] = [];

  beforeEach(() => document.addEventListener('prepatu-error', onError));
  afterEach(async () => {
    document.removeEventListener('prepatu-error', onError);
    errors.length = 0;
    await Promise.all(widgets.splice(0).map((w) => w.disconnect()));
    unmountAll();
  });

  it('runs the flow: its first artifact renders, and the typed form reaches the cloud server and moves the flow on', async () => {
    const { siteBackend, cloud } = await servers();
    // What the site backend answers the widget: the cloud's ws_url, never the key.
    const direct = await fetch(`${siteBackend}/session`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"flow_id":"appointment-booking"}' });
    const text = await direct.text();
    expect((JSON.parse(text) as { ws_url: string }).ws_url.startsWith(`${cloud.replace(/^http/, 'ws')}/v1/ws/st_`)).to.equal(true);
    expect(text).to.not.contain('pk_test');

    const el = await widget(`${siteBackend}/session`);
    widgets.push(el);
    await until(() => el.phase === 'live', 'live', 10_000);
    const session = el.session!;
    const artifact = artifactOf(el);
    await until(() => artifact.shadowRoot?.querySelector('[part~="submit"]') != null, 'the contact form with its submit button', 10_000);
    await artifact.updateComplete;
    for (const input of artifact.shadowRoot!.querySelectorAll<HTMLInputElement>('[part~="input"]')) {
      input.focus();
      await sendKeys({ type: input.type === 'email' ? 'ada@example.com' : 'Ada Lovelace' });
    }
    artifact.shadowRoot!.querySelector<HTMLElement>('[part~="submit"]')!.click();
    await until(() => session.state.flow.state === 'collect_appointment', 'the next step of the flow', 10_000);
    const s = await stats(session);
    expect(s.ui_events.map((e) => e.action)).to.deep.equal(['form_submit']);
    expect(s.variables['full_name']).to.equal('Ada Lovelace');
    expect(s.variables['email']).to.equal('ada@example.com');
    expect(errors).to.deep.equal([]);
  });

  it('a refused API key: the visitor sees "unavailable", the page gets session_start_failed without the key', async () => {
    const el = await widget(`${(await servers()).siteBackend}/session-wrong-key`);
    widgets.push(el);
    await until(() => el.phase === 'error', 'the error phase', 10_000);
    await el.updateComplete;
    expect(part(el, 'error')!.textContent).to.match(/unavailable right now/);
    expect(errors.map((e) => e.code)).to.include('session_start_failed');
    const error = errors.find((e) => e.code === 'session_start_failed')!;
    expect(error.message).to.match(/HTTP 502/).and.match(/api_key_refused/);
    expect(error.message).to.not.contain('pk_test');
  });
});
