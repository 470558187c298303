// Server text is untrusted: every string field of every artifact type is fed a corpus
// of injection payloads. Nothing may execute, no element may be created from the
// markup, and the text must come out verbatim (escaped, not stripped).
import { ContextProvider } from '@lit/context';
import { expect, fixture, fixtureSync, html } from '@open-wc/testing';
import { LitElement } from 'lit';
import type { AgentState } from '../../src/agent/voice-agent.js';
import { sessionContext } from '../../src/elements/context.js';
import { PrepatuArtifact } from '../../src/elements/prepatu-artifact.js';
import { EMPTY_FLOW_VIEW, type FlowView } from '../../src/protocol/flow-view.js';
import type { Artifact, JsonObject } from '../../src/protocol/messages.js';

PrepatuArtifact.define();

declare global {
  interface Window {
    __pwned?: boolean;
  }
}

const P = 'window.__pwned=true';
export const XSS_CORPUS: readonly string[] = [
  `<img src=x onerror="${P}">`,
  `<script>${P}</script>`,
  `"><svg onload="${P}">`,
  `'><svg/onload=${P}>`,
  `javascript:${P}`,
  `{{constructor.constructor('${P}')()}}`,
  `</style><script>${P}</script>`,
  `</textarea><img src=x onerror=${P}>`,
  `<iframe srcdoc="<script>parent.__pwned=true</script>"></iframe>`,
  `<details open ontoggle="${P}">`,
  `<a href="javascript:${P}">click</a>`,
  '${' + P + '}',
  `<!--<img src=x onerror=${P}>-->`,
  `<math><mtext><table><mglyph><style><img src=x onerror=${P}>`,
  `<noscript><p title="</noscript><img src=x onerror=${P}>">`,
  `<body onload=${P}>`,
  `<input autofocus onfocus=${P}>`,
  `<object data="javascript:${P}"></object>`,
  `&lt;img src=x onerror=${P}&gt;`,
  `<!--?lit$1234567890$--><img src=x onerror=${P}>`,
  `<video><source onerror="${P}"></video>`,
  `<style>@import 'javascript:${P}';</style><marquee onstart=${P}>`,
  `\u0000<img src=x onerror=${P}>\u2028`,
];

// Elements the artifact never renders itself: finding one means markup was parsed.
const FROM_MARKUP =
  'img, script, svg, iframe, object, embed, math, video, audio, source, details, a, base, link, meta, ' +
  'template, noscript, body, html, marquee, textarea, select, frame, frameset, mglyph, table';

class XssTestSession extends LitElement {
  #provider = new ContextProvider(this, {
    context: sessionContext,
    initialValue: { state: { flow: EMPTY_FLOW_VIEW } as AgentState, agent: null },
  });
  set flow(flow: Partial<FlowView>) {
    this.#provider.setValue({ state: { flow: { ...EMPTY_FLOW_VIEW, ...flow } } as AgentState, agent: null });
  }
  override render() {
    return html`<slot></slot>`;
  }
}
if (!customElements.get('xss-test-session')) customElements.define('xss-test-session', XssTestSession);

class XssProbe extends HTMLElement {
  label: unknown;
  items: unknown;
}
if (!customElements.get('xss-probe')) customElements.define('xss-probe', XssProbe);

async function render(flow: Partial<FlowView>): Promise<PrepatuArtifact> {
  const host = await fixture<XssTestSession>(
    html`<xss-test-session .flow=${flow}><prepatu-artifact focus-on-change></prepatu-artifact></xss-test-session>`,
  );
  const el = host.querySelector('prepatu-artifact')!;
  await el.updateComplete;
  return el;
}

/** Gives `onerror`/`onload`/`ontoggle` handlers time to run if anything was parsed. */
const settle = () => new Promise((r) => setTimeout(r, 150));

function allElements(root: ParentNode): Element[] {
  const out: Element[] = [];
  for (const e of root.querySelectorAll('*')) {
    out.push(e);
    if (e.shadowRoot) out.push(...allElements(e.shadowRoot));
  }
  return out;
}

async function expectInert(el: PrepatuArtifact) {
  await settle();
  expect(window.__pwned, 'a payload executed').to.equal(undefined);
  const root = el.shadowRoot!;
  // A textarea or select of a form field is the artifact's own (it carries the `input` part).
  const parsed = allElements(root).filter((e) => e.matches(FROM_MARKUP) && !e.matches(':is(textarea, select)[part~="input"]'));
  expect(parsed.map((e) => e.localName), 'elements created from markup').to.deep.equal([]);
  const styles = [...root.querySelectorAll('style')].filter((s) => s.textContent!.includes('__pwned'));
  expect(styles, 'style elements from markup').to.have.length(0);
  for (const e of allElements(root)) {
    const handlers = [...e.attributes].filter((a) => /^on/i.test(a.name)).map((a) => a.name);
    expect(handlers, `event-handler attributes on <${e.localName}>`).to.deep.equal([]);
    const urls = [...e.attributes].filter((a) => /^(href|src|action|formaction|data|srcdoc)$/i.test(a.name));
    expect(urls.map((a) => a.name), `URL attributes on <${e.localName}>`).to.deep.equal([]);
  }
}

/** Text as rendered: every payload must appear verbatim. */
const textOf = (el: PrepatuArtifact) => el.shadowRoot!.textContent!;

describe('XSS: server strings are rendered as text only', () => {
  beforeEach(() => {
    delete window.__pwned;
  });
  afterEach(() => {
    delete window.__pwned;
  });

  it('the probe works: the same payloads do execute when parsed as HTML', async () => {
    // Guards the test itself: if the corpus were harmless, the assertions below would prove nothing.
    const div = document.createElement('div');
    document.body.append(div);
    div.innerHTML = XSS_CORPUS[0]!;
    // The image error arrives after a network round trip: poll instead of a fixed wait.
    for (let t = 0; t < 100 && !window.__pwned; t++) await settle();
    expect(window.__pwned).to.equal(true);
    div.remove();
  });

  it('form: prompt, labels, placeholders, field ids, types and voice-filled values', async () => {
    const fields = XSS_CORPUS.map((p, i) => ({ id: `${p}#${i}`, type: p, label: `L${i}:${p}`, placeholder: p, required: true }));
    const artifact: Artifact = { artifact_type: 'form', prompt: XSS_CORPUS.join(' | '), fields };
    const filled = Object.fromEntries(fields.filter((_, i) => i % 2 === 0).map((f) => [f.id, f.placeholder]));
    const el = await render({ artifact, filled, flowId: XSS_CORPUS[2]!, availableActions: [XSS_CORPUS[0]!, 'form_submit'] });
    const inputs = [...el.shadowRoot!.querySelectorAll('input')];
    expect(inputs).to.have.length(XSS_CORPUS.length);
    inputs.forEach((input, i) => {
      expect(input.placeholder).to.equal(XSS_CORPUS[i]);
      expect(input.name).to.equal(`${XSS_CORPUS[i]}#${i}`);
      expect(input.type).to.equal('text');
      // Browsers strip line breaks (and some NULs) from an input's value.
      const clean = (v: string) => v.replace(/[\n\r]/g, '').replaceAll(String.fromCharCode(0), '');
      if (i % 2 === 0) expect(clean(input.value)).to.equal(clean(XSS_CORPUS[i]!));
    });
    for (const [i, p] of XSS_CORPUS.entries()) expect(textOf(el)).to.contain(`L${i}:${p}`);
    expect(textOf(el)).to.contain(XSS_CORPUS.join(' | '));
    // Validation messages and the submit payload carry the values, still as text.
    el.shadowRoot!.querySelector<HTMLButtonElement>('button[part="submit"]')!.click();
    await el.updateComplete;
    await expectInert(el);
  });

  it('options: prompt, option ids, labels and descriptions', async () => {
    const options = XSS_CORPUS.map((p, i) => ({ id: p, label: `O${i}:${p}`, description: `D${i}:${p}` }));
    const el = await render({ artifact: { artifact_type: 'options', prompt: XSS_CORPUS.join(' '), options } });
    for (const [i, p] of XSS_CORPUS.entries()) {
      expect(textOf(el)).to.contain(`O${i}:${p}`);
      expect(textOf(el)).to.contain(`D${i}:${p}`);
    }
    expect(textOf(el)).to.contain(XSS_CORPUS.join(' '));
    let selected: unknown;
    el.addEventListener('prepatu-ui-event', (e) => (selected = e.detail.data.selected_id));
    el.shadowRoot!.querySelectorAll<HTMLButtonElement>('button[part~="option"]')[4]!.click();
    expect(selected).to.equal(XSS_CORPUS[4]);
    await expectInert(el);
  });

  it('card, documented shape: card_type, title, content', async () => {
    for (const p of XSS_CORPUS) {
      const el = await render({ artifact: { artifact_type: 'card', card_type: p, title: `T:${p}`, content: `C:${p}` } });
      expect(el.shadowRoot!.querySelector('[part="card-title"]')!.textContent).to.equal(`T:${p}`);
      expect(el.shadowRoot!.querySelector('[part="card-content"]')!.textContent).to.equal(`C:${p}`);
      expect(el.shadowRoot!.querySelector<HTMLElement>('[part="card"]')!.dataset.cardType).to.equal(p);
      await expectInert(el);
    }
  });

  it('card, reference shape: prompt, params keys and values (strings, lists, objects)', async () => {
    const params: JsonObject = { title: XSS_CORPUS[1]!, cardType: XSS_CORPUS[2]!, points: [...XSS_CORPUS] };
    XSS_CORPUS.forEach((p, i) => {
      params[`k${i}${p}`] = `v${i}:${p}`;
    });
    params.nested = { [XSS_CORPUS[0]!]: XSS_CORPUS[3]! };
    const el = await render({ artifact: { artifact_type: 'card', prompt: XSS_CORPUS.join(''), params } });
    expect(el.shadowRoot!.querySelector('[part="card-title"]')!.textContent).to.equal(XSS_CORPUS[1]);
    const items = [...el.shadowRoot!.querySelectorAll('[part="card-params"] li')].map((li) => li.textContent);
    expect(items).to.deep.equal([...XSS_CORPUS]);
    const dds = [...el.shadowRoot!.querySelectorAll('[part="card-params"] dd')].map((d) => d.textContent);
    for (const [i, p] of XSS_CORPUS.entries()) expect(dds).to.include(`v${i}:${p}`);
    // A nested object is a nested definition list, its key humanized, its value verbatim.
    expect(dds).to.include(XSS_CORPUS[3]);
    const nestedKey = [...el.shadowRoot!.querySelectorAll('[part="card-params"] dd dt')].map((d) => d.textContent);
    expect(nestedKey).to.have.length(1);
    expect(nestedKey[0]).to.contain('<img src=x onerror=');
    expect(textOf(el)).to.contain(XSS_CORPUS.join(''));
    // Keys are humanized as text; the markup in them survives as characters.
    expect(textOf(el)).to.contain('<img src=x onerror=');
    await expectInert(el);
  });

  it('card content as an object or a list, and a score card: keys and values', async () => {
    const content: JsonObject = { [XSS_CORPUS[0]!]: 7.5, list: [...XSS_CORPUS], deep: { a: { b: { c: XSS_CORPUS[1]! } } } };
    XSS_CORPUS.forEach((p, i) => {
      content[`k${i}${p}`] = `v${i}:${p}`;
    });
    const el = await render({ artifact: { artifact_type: 'card', card_type: 'score', title: XSS_CORPUS[2]!, content } });
    expect(el.shadowRoot!.querySelector('[part="card-title"]')!.textContent).to.equal(XSS_CORPUS[2]);
    // The first number is the main score; its key, humanized, is text.
    expect(el.shadowRoot!.querySelector('[part~="card-score"] .score-value')?.textContent).to.equal('7.5');
    expect(el.shadowRoot!.querySelector('[part~="card-score"] .score-label')?.textContent).to.contain('<img src=x onerror=');
    const items = [...el.shadowRoot!.querySelectorAll('dl[part="card-content"] li')].map((li) => li.textContent);
    expect(items).to.deep.equal([...XSS_CORPUS]);
    for (const [i, p] of XSS_CORPUS.entries()) expect(textOf(el)).to.contain(`v${i}:${p}`);
    expect(textOf(el)).to.contain(`C: ${XSS_CORPUS[1]}`); // below the depth limit: one line of text
    await expectInert(el);
    const list = await render({ artifact: { artifact_type: 'card', content: [...XSS_CORPUS] } });
    expect([...list.shadowRoot!.querySelectorAll('[part="card-content"] li')].map((li) => li.textContent)).to.deep.equal([...XSS_CORPUS]);
    await expectInert(list);
  });

  it('form: textarea, select, radio and checkbox labels, options and voice-filled values', async () => {
    const options = XSS_CORPUS.map((p, i) => ({ id: `${p}#${i}`, label: `O${i}:${p}` }));
    const artifact: Artifact = {
      artifact_type: 'form',
      fields: [
        { id: 'note', type: 'textarea', label: XSS_CORPUS[0]!, placeholder: XSS_CORPUS[1]! },
        { id: 'pick', type: 'select', label: XSS_CORPUS[2]!, placeholder: XSS_CORPUS[3]!, options },
        { id: 'radio', type: 'radio', label: XSS_CORPUS[4]!, options },
        { id: 'ok', type: 'checkbox', label: XSS_CORPUS[5]! },
      ],
    };
    const el = await render({ artifact, filled: { note: XSS_CORPUS[6]!, pick: `O3:${XSS_CORPUS[3]}`, radio: `${XSS_CORPUS[7]}#7`, ok: XSS_CORPUS[8]! } });
    const root = el.shadowRoot!;
    expect(root.querySelector('textarea')!.value).to.equal(XSS_CORPUS[6]!.replace(/\r\n?/g, '\n'));
    expect(root.querySelector('select')!.value).to.equal(`${XSS_CORPUS[3]}#3`);
    expect([...root.querySelectorAll('select option')].slice(1).map((o) => o.textContent)).to.deep.equal(options.map((o) => o.label));
    expect(root.querySelector<HTMLInputElement>('input[type="radio"]:checked')!.value).to.equal(`${XSS_CORPUS[7]}#7`);
    expect(root.querySelector('legend')!.textContent).to.contain(XSS_CORPUS[4]);
    for (const p of XSS_CORPUS.slice(0, 6)) expect(textOf(el)).to.contain(p);
    await expectInert(el);
  });

  it('transition_blocked: reason and detail', async () => {
    for (const p of XSS_CORPUS) {
      const el = await render({
        artifact: { artifact_type: 'card', title: 'x' },
        blocked: { type: 'transition_blocked', reason: p, detail: `detail:${p}`, attempted_target: p, from_state: p },
      });
      expect(el.shadowRoot!.querySelector('[part~="notice"]')!.textContent).to.contain(`detail:${p}`);
      await expectInert(el);
      const reasonOnly = await render({ artifact: null, blocked: { type: 'transition_blocked', reason: p } });
      expect(reasonOnly.shadowRoot!.querySelector('[part~="notice"]')!.textContent).to.contain(p);
      await expectInert(reasonOnly);
    }
  });

  it('custom: props reach the page element as inert properties; markup keys are refused', async () => {
    const props: JsonObject = { label: XSS_CORPUS.join(''), items: [...XSS_CORPUS] };
    for (const key of ['innerHTML', 'outerHTML', 'onclick', 'onerror', 'srcdoc', '__proto__', 'constructor']) props[key] = XSS_CORPUS[0]!;
    const el = await render({ artifact: { artifact_type: 'custom', component: 'XssProbe', props } });
    const probe = el.shadowRoot!.querySelector('xss-probe') as XssProbe;
    expect(probe).to.be.instanceOf(XssProbe);
    expect(probe.label).to.equal(XSS_CORPUS.join(''));
    expect(probe.items).to.deep.equal([...XSS_CORPUS]);
    expect(probe.childNodes).to.have.length(0);
    expect(probe.onclick).to.equal(null);
    expect(Object.getPrototypeOf(probe)).to.equal(XssProbe.prototype);
    await expectInert(el);
  });

  it('custom: payloads as component names never become elements', async () => {
    for (const p of XSS_CORPUS) {
      let unknown = 0;
      const el = document.createElement('prepatu-artifact');
      el.addEventListener('prepatu-unknown-artifact', () => unknown++);
      el.components = { Mapped: p };
      el.artifact = { artifact_type: 'custom', component: p, props: { label: p } };
      fixtureSync(html`<div>${el}</div>`);
      await el.updateComplete;
      await el.updateComplete;
      expect(el.shadowRoot!.querySelector('.surface')!.children.length, p).to.equal(0);
      el.artifact = { artifact_type: 'custom', component: 'Mapped' };
      await el.updateComplete;
      expect(el.shadowRoot!.querySelector('.surface')!.children.length, p).to.equal(0);
      expect(unknown).to.equal(2);
      await expectInert(el);
    }
  });

  it('navigate and unknown artifacts: payloads only travel in event details', async () => {
    const href = location.href;
    const screens: string[] = [];
    const el = await render({});
    el.addEventListener('prepatu-navigate', (e) => screens.push(e.detail.screen));
    for (const p of XSS_CORPUS) {
      el.artifact = { artifact_type: 'navigate', screen: p, params: { url: p } };
      await el.updateComplete;
      el.artifact = { artifact_type: 'unknown', original_type: p, raw: { html: p } };
      await el.updateComplete;
    }
    expect(screens).to.deep.equal([...XSS_CORPUS]);
    expect(location.href).to.equal(href);
    expect(textOf(el).trim()).to.equal('');
    await expectInert(el);
  });

  it('strings overrides are text too', async () => {
    const el = await fixture<PrepatuArtifact>(html`<prepatu-artifact
      .strings=${{ submit: XSS_CORPUS[0], required: XSS_CORPUS[1], voiceFilled: XSS_CORPUS[2] }}
      .artifact=${{ artifact_type: 'form', fields: [{ id: 'a', type: 'text', required: true }] }}
    ></prepatu-artifact>`);
    el.shadowRoot!.querySelector<HTMLButtonElement>('button[part="submit"]')!.click();
    await el.updateComplete;
    expect(textOf(el)).to.contain(XSS_CORPUS[0]);
    expect(textOf(el)).to.contain(XSS_CORPUS[1]);
    await expectInert(el);
  });
});
