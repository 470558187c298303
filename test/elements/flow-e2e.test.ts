// The elements as a user meets them, against the development server in both dialects:
// render → the user's action in the artifact's own UI → the ui_event the server receives.
import { expect } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../src/define.js';
import type { PrepatuArtifact } from '../../src/elements/prepatu-artifact.js';
import type { PrepatuSession } from '../../src/elements/prepatu-session.js';
import { DIALECTS, until, wsUrl } from '../support/servers.js';
import { mount, stats, unmountAll } from './helpers.js';

const part = <T extends Element = HTMLElement>(el: PrepatuArtifact, name: string): T[] => Array.from(el.shadowRoot!.querySelectorAll<T>(`[part~="${name}"]`));

async function artifactOf(el: PrepatuArtifact, type: string): Promise<void> {
  await until(() => el.shadowRoot?.querySelector(`[part~="${type}"]`) != null, `a ${type} in <prepatu-artifact>`, 15_000);
  await el.updateComplete;
}

describe('session + artifact + transcript against the development server', function () {
  this.timeout(60_000);
  afterEach(unmountAll);

  for (const dialect of DIALECTS) {
    it(`${dialect}: the user fills the form, picks a plan and confirms, by keyboard and mouse; the server receives each ui_event`, async () => {
      const host = mount(`<prepatu-session no-audio ws-url="${await wsUrl(dialect)}"><prepatu-transcript></prepatu-transcript><prepatu-artifact></prepatu-artifact></prepatu-session>`);
      const session = host.querySelector('prepatu-session') as PrepatuSession;
      const artifact = host.querySelector('prepatu-artifact') as PrepatuArtifact;
      await session.connect();
      expect(session.getAttribute('status')).to.be.oneOf(['listening', 'speaking']);

      // 1. form: type into each field (real key events), then press Enter to submit
      await artifactOf(artifact, 'form');
      await expect(artifact).to.be.accessible();
      const inputs = part<HTMLInputElement>(artifact, 'input');
      expect(inputs.length).to.be.at.least(2);
      for (const input of inputs) {
        input.focus();
        await sendKeys({ type: input.type === 'email' ? 'alex@example.com' : 'Alex Doe' });
      }
      await sendKeys({ press: 'Enter' });

      // 2. options: click the second plan
      await artifactOf(artifact, 'options');
      await expect(artifact).to.be.accessible();
      const option = artifact.shadowRoot!.querySelectorAll<HTMLElement>('[part~="option"]')[1]!;
      const current = session.state.flow.artifact;
      const planId = current?.artifact_type === 'options' ? current.options[1]!.id : null;
      expect(planId).to.be.a('string');
      option.click();

      // 3. card: confirm
      await artifactOf(artifact, 'card');
      await expect(artifact).to.be.accessible();
      const s = await stats(session);
      expect(s.ui_events.map((e) => e.action)).to.deep.equal(['form_submit', 'option_select']);
      expect(Object.values(s.ui_events[0]!.data)).to.include.members(['Alex Doe', 'alex@example.com']);
      expect(s.ui_events[1]!.data['selected_id']).to.equal(planId);
      let ended = false;
      session.addEventListener('prepatu-flow-end', () => (ended = true));
      part(artifact, 'confirm')[0]!.click();
      if (dialect === 'documented') {
        await until(() => ended, 'flow_end after confirm', 10_000); // the server ends the flow only on confirm
      } else {
        let after = await stats(session);
        for (let i = 0; i < 50 && after.ui_events.length < 3; i++) after = await stats(session);
        expect(after.ui_events.map((e) => e.action)).to.deep.equal(['form_submit', 'option_select', 'confirm']);
      }
      const transcript = host.querySelector('prepatu-transcript')!;
      expect(transcript.shadowRoot!.textContent).to.contain('Welcome');
      await session.disconnect();
    });
  }
});
