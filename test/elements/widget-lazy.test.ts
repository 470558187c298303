// <prepatu-widget> costs a page only its launcher until the visitor shows interest: the panel's
// code loads on pointer over, focus on or touch of the launcher (or when the browser is idle,
// switched off here), and a click before it arrives opens the panel at once with a loading state.
import { expect } from '@open-wc/testing';
import { until } from '../support/servers.js';
import { axeViolations } from './helpers.js';

interface LazyWindow extends Window {
  loads: number;
  openGate(): void;
  ready?: boolean;
}

/** A frame with only the launcher's code defined, and a panel loader held at a gate. */
async function lazyFrame(widget: string) {
  const iframe = document.createElement('iframe');
  iframe.title = 'lazy widget';
  iframe.setAttribute('style', 'width:480px;height:640px;border:0');
  iframe.srcdoc = `<!doctype html><html lang="en"><title>lazy</title><body>
    <script type="module">
      import { PrepatuWidget } from '/src/elements/prepatu-widget.ts';
      const gate = new Promise((r) => (window.openGate = r));
      window.loads = 0;
      window.requestIdleCallback = () => 0; // never idle here: only the visitor's interest loads the panel
      // An absolute URL: WebKit resolves a srcdoc frame's dynamic import() against about:srcdoc.
      PrepatuWidget.loadPanel = () => (window.loads++, gate.then(() => import('${location.origin}/src/elements/widget/load-panel.ts')));
      PrepatuWidget.define();
      window.ready = true;
    </script>${widget}</body></html>`;
  const loaded = new Promise((r) => iframe.addEventListener('load', r, { once: true }));
  document.body.append(iframe);
  await loaded;
  const win = iframe.contentWindow as LazyWindow & typeof globalThis;
  await until(() => win.ready === true, 'the launcher defined in the frame');
  const el = win.document.querySelector('prepatu-widget')!;
  await el.updateComplete;
  const part = (name: string) => el.shadowRoot!.querySelector<HTMLElement>(`[part~="${name}"]`);
  const inPanel = (name: string) => el.shadowRoot!.querySelector('prepatu-widget-panel')?.shadowRoot?.querySelector<HTMLElement>(`[part~="${name}"]`) ?? null;
  return { win, el, part, inPanel, remove: () => iframe.remove() };
}

describe('<prepatu-widget>, lazily', function () {
  this.timeout(20_000);

  it('loads nothing but the launcher until the pointer comes over it', async () => {
    const f = await lazyFrame('<prepatu-widget no-audio></prepatu-widget>');
    await new Promise((r) => setTimeout(r, 300));
    expect(f.win.loads).to.equal(0);
    expect(f.win.customElements.get('prepatu-widget-panel')).to.equal(undefined);
    f.part('launcher')!.dispatchEvent(new PointerEvent('pointerenter'));
    expect(f.win.loads).to.equal(1);
    f.remove();
  });

  it('a click before the code arrives opens the panel at once, saying it is loading; then the panel is there', async () => {
    const f = await lazyFrame('<prepatu-widget no-audio></prepatu-widget>');
    f.part('launcher')!.click();
    await f.el.updateComplete;
    expect(f.el.open).to.equal(true);
    expect(f.part('panel')!.hidden).to.equal(false);
    expect(f.part('loading')!.textContent).to.equal('Loading…');
    expect(f.part('loading')!.hidden).to.equal(false);
    expect(f.inPanel('start')).to.equal(null);
    expect(await axeViolations(f.el)).to.deep.equal([]);
    f.win.openGate();
    await until(() => f.inPanel('start') !== null, 'the panel, once its code has arrived');
    await f.el.updateComplete;
    expect(f.part('loading')!.hidden).to.equal(true);
    expect(f.inPanel('start')!.textContent!.trim()).to.equal('Talk to us');
    expect(await axeViolations(f.el)).to.deep.equal([]);
    f.remove();
  });

  it('focus on the launcher loads the panel; placement="inline" loads it at once', async () => {
    const f = await lazyFrame('<prepatu-widget no-audio></prepatu-widget>');
    f.part('launcher')!.focus();
    expect(f.win.loads).to.equal(1);
    f.remove();
    const inline = await lazyFrame('<prepatu-widget no-audio placement="inline"></prepatu-widget>');
    expect(inline.win.loads).to.equal(1);
    inline.remove();
  });
});
