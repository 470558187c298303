// Cards as a model sends them (the reference backend's send_artifact): content that is an
// object, a list or text; a score card's main score; long content that scrolls by keyboard.
import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { PrepatuArtifact } from '../../src/elements/prepatu-artifact.js';
import type { Artifact, JsonValue } from '../../src/protocol/messages.js';
import { $, $$, standalone, until, visibleText } from './artifact-helpers.js';

const scoreCard: Artifact = {
  artifact_type: 'card',
  card_type: 'score',
  title: 'Your speaking score',
  content: {
    fluency_score: 6,
    overall_band: 6.5,
    lexicalResource: 7,
    feedback: 'Good range of vocabulary.',
    passed: true,
    parts: [
      { part: 1, band: 6 },
      { part: 2, band: 7 },
    ],
  },
};

/** Each `dt` with its `dd`'s text, at the top level of the content list. */
const terms = (el: PrepatuArtifact) =>
  Object.fromEntries(
    $$(el, 'dl[part="card-content"] > dt').map((dt) => [dt.textContent, (dt.nextElementSibling as HTMLElement).textContent!.replace(/\s+/g, ' ').trim()]),
  );

describe('<prepatu-artifact>: card content', () => {
  it('a score card shows the main score large and the other values as a definition list of text', async () => {
    const el = await standalone(scoreCard);
    const score = $(el, '[part~="card-score"]')!;
    expect(score.querySelector('.score-label')!.textContent).to.equal('Overall band');
    expect(score.querySelector('.score-value')!.textContent).to.equal('6.5');
    expect(parseFloat(getComputedStyle(score.querySelector('.score-value')!).fontSize)).to.be.greaterThan(
      parseFloat(getComputedStyle($(el, 'dl[part="card-content"] dd')!).fontSize) * 1.5,
    );
    expect(terms(el)).to.deep.equal({
      'Fluency score': '6',
      'Lexical resource': '7',
      Feedback: 'Good range of vocabulary.',
      Passed: 'Yes',
      Parts: 'Part1Band6 Part2Band7',
    });
    // The score is not repeated in the list, and the nested list keeps its structure.
    expect(visibleText(el).match(/6\.5/g)).to.have.length(1);
    const nested = $$(el, 'dl[part="card-content"] li dl').map((dl) => [...dl.children].map((c) => c.textContent));
    expect(nested).to.deep.equal([
      ['Part', '1', 'Band', '6'],
      ['Part', '2', 'Band', '7'],
    ]);
    await expect(el).to.be.accessible();
  });

  it('the main score: a score/band/overall key first, else a key naming overall, else the first number', async () => {
    const cases: [JsonValue, string, string][] = [
      [{ fluency: 5, band: '7.5', overall_score: 6 }, 'Band', '7.5'],
      [{ fluency: 5, overall_score: 6 }, 'Overall score', '6'],
      [{ note: 'x', fluency: 5, grammar: 6 }, 'Fluency', '5'],
      [8, 'Score', '8'],
    ];
    for (const [content, label, value] of cases) {
      const el = await standalone({ artifact_type: 'card', card_type: 'Score', content });
      expect($(el, '.score-label')?.textContent, JSON.stringify(content)).to.equal(label);
      expect($(el, '.score-value')?.textContent).to.equal(value);
    }
    const none = await standalone({ artifact_type: 'card', card_type: 'score', content: { note: 'no numbers' } });
    expect($(none, '[part~="card-score"]')).to.equal(null);
    expect(terms(none)).to.deep.equal({ Note: 'no numbers' });
  });

  it('numbers follow the page’s language', async () => {
    const wrapper = await fixture<HTMLDivElement>(html`<div lang="nl-NL"><prepatu-artifact .artifact=${scoreCard}></prepatu-artifact></div>`);
    const el = wrapper.querySelector('prepatu-artifact')!;
    await el.updateComplete;
    expect($(el, '.score-value')!.textContent).to.equal('6,5');
    expect(terms(el)['Passed']).to.equal('Yes');
    const big = await fixture<HTMLDivElement>(html`<div lang="de"><prepatu-artifact .artifact=${{ artifact_type: 'card', content: { total: 1234567.5 } }}></prepatu-artifact></div>`);
    const bigEl = big.querySelector('prepatu-artifact')!;
    await bigEl.updateComplete;
    expect(terms(bigEl)['Total']).to.equal('1.234.567,5');
  });

  it('a list renders as a list, text as paragraphs; nesting deeper than two levels is one line of text', async () => {
    const list = await standalone({ artifact_type: 'card', title: 'Tips', content: ['Slow down', 'Pause', 3] });
    expect($$(list, '[part="card-content"] li').map((li) => li.textContent)).to.deep.equal(['Slow down', 'Pause', '3']);
    const text = await standalone({ artifact_type: 'card', title: 'T', content: 'Line one\nLine two' });
    expect($(text, 'p[part="card-content"]')!.textContent).to.equal('Line one\nLine two');
    const deep = await standalone({ artifact_type: 'card', content: { a: { b: { c: { d: 1, e: [2, 3] } } } } });
    expect($$(deep, 'dl')).to.have.length(3);
    expect(visibleText(deep)).to.contain('D: 1; E: 2, 3');
    await expect(deep).to.be.accessible();
  });

  it('long content scrolls inside the card and is then a focusable, named region; short content adds no Tab stop', async () => {
    const content = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`criterion_${i}`, `Feedback line ${i}`]));
    const el = await standalone({ artifact_type: 'card', card_type: 'info', title: 'Feedback', content });
    const body = $(el, '[part~="card-body"]')!;
    await until(() => body.tabIndex === 0);
    expect(body.scrollHeight).to.be.greaterThan(body.clientHeight);
    expect(body.getAttribute('role')).to.equal('region');
    expect(body.getAttribute('aria-label')).to.equal('Details');
    await expect(el).to.be.accessible();
    body.focus();
    expect(el.shadowRoot!.activeElement).to.equal(body);
    await sendKeys({ press: 'PageDown' });
    await until(() => body.scrollTop > 0);
    expect(body.scrollTop).to.be.greaterThan(0);

    const short = await standalone({ artifact_type: 'card', title: 'Short', content: { a: 1 } });
    const shortBody = $(short, '[part~="card-body"]')!;
    expect(shortBody.hasAttribute('tabindex')).to.equal(false);
    expect(shortBody.hasAttribute('role')).to.equal(false);
    // A smaller maximum height makes the same card scroll: the size is watched, not measured once.
    short.style.setProperty('--prepatu-card-max-height', '0.5rem');
    await until(() => shortBody.tabIndex === 0);
    expect(shortBody.getAttribute('role')).to.equal('region');
  });
});
