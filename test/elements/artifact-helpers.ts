// Shared by the <prepatu-artifact> tests: a stand-in session whose flow view the test sets,
// and queries into the element's shadow root.
import { ContextProvider } from '@lit/context';
import { fixture, html } from '@open-wc/testing';
import { LitElement } from 'lit';
import type { AgentState } from '../../src/agent/voice-agent.js';
import { sessionContext, type SessionContextValue } from '../../src/elements/context.js';
import { PrepatuArtifact } from '../../src/elements/prepatu-artifact.js';
import { EMPTY_FLOW_VIEW, type FlowView } from '../../src/protocol/flow-view.js';
import type { Artifact } from '../../src/protocol/messages.js';

PrepatuArtifact.define();

// Stands in for <prepatu-session>: provides a session context whose flow view the test sets.
const sessionValue = (flow: Partial<FlowView>): SessionContextValue => ({
  state: { flow: { ...EMPTY_FLOW_VIEW, ...flow } } as AgentState, // only `flow` is read
  agent: null,
});
class ArtifactTestSession extends LitElement {
  #provider = new ContextProvider(this, { context: sessionContext, initialValue: sessionValue({}) });
  set flow(flow: Partial<FlowView>) {
    this.#provider.setValue(sessionValue(flow));
  }
  override render() {
    return html`<slot></slot>`;
  }
}
if (!customElements.get('artifact-test-session')) customElements.define('artifact-test-session', ArtifactTestSession);

export async function inSession(flow: Partial<FlowView>, attrs = false) {
  const host = await fixture<ArtifactTestSession>(
    attrs
      ? html`<artifact-test-session .flow=${flow}><prepatu-artifact focus-on-change></prepatu-artifact></artifact-test-session>`
      : html`<artifact-test-session .flow=${flow}><prepatu-artifact></prepatu-artifact></artifact-test-session>`,
  );
  const el = host.querySelector('prepatu-artifact')!;
  await el.updateComplete;
  const set = async (next: Partial<FlowView>) => {
    host.flow = next;
    await el.updateComplete;
  };
  return { host, el, set };
}

export const standalone = async (artifact: Artifact | null) =>
  fixture<PrepatuArtifact>(html`<prepatu-artifact .artifact=${artifact}></prepatu-artifact>`);

/** Polls (timers, not rAF: a background tab gets no frames) until `ok()` or 3 s. */
export async function until(ok: () => boolean, ms = 3000) {
  for (const end = performance.now() + ms; !ok() && performance.now() < end; ) await new Promise((r) => setTimeout(r, 20));
}

export function collect<T extends Event>(target: EventTarget, type: string): T[] {
  const seen: T[] = [];
  target.addEventListener(type, (e) => seen.push(e as T));
  return seen;
}

export const $ = <E extends Element = HTMLElement>(el: PrepatuArtifact, sel: string) => el.shadowRoot!.querySelector<E>(sel);
export const $$ = <E extends Element = HTMLElement>(el: PrepatuArtifact, sel: string) => [...el.shadowRoot!.querySelectorAll(sel)] as E[];
export const input = (el: PrepatuArtifact, name: string) => $$<HTMLInputElement>(el, 'input').find((i) => i.name === name)!;
export const visibleText = (el: PrepatuArtifact) => el.shadowRoot!.textContent!.replace(/\s+/g, ' ').trim();
