// Form fields beyond text and email: each type's control, the autofill hints its id suggests,
// its validation, and values filled by voice coerced to the field's type.
import { expect, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { PrepatuUiEvent } from '../../src/elements/events.js';
import { DEFAULT_ARTIFACT_STRINGS as S } from '../../src/elements/prepatu-artifact.js';
import type { FormArtifact, FormField } from '../../src/protocol/messages.js';
import { $, $$, collect, inSession, standalone } from './artifact-helpers.js';

const plans = [
  { id: 'basic', label: 'Basic' },
  { id: 'pro', label: 'Pro plan' },
];
const form: FormArtifact = {
  artifact_type: 'form',
  prompt: 'Book a call',
  fields: [
    { id: 'phone', type: 'tel', label: 'Phone', required: true },
    { id: 'seats', type: 'number', label: 'Seats' },
    { id: 'day', type: 'date', label: 'Day' },
    { id: 'at', type: 'time', label: 'Time' },
    { id: 'website', type: 'url', label: 'Website' },
    { id: 'notes', type: 'textarea', label: 'Notes', placeholder: 'Anything else?' },
    { id: 'plan', type: 'select', label: 'Plan', options: plans, required: true },
    { id: 'contact', type: 'radio', label: 'Contact me by', options: [{ id: 'phone', label: 'Phone' }, { id: 'mail', label: 'Email' }], required: true },
    { id: 'terms', type: 'checkbox', label: 'I accept the terms', required: true },
    { id: 'colour', type: 'hologram', label: 'Colour' },
  ],
};

/** The control of a field by its server id (the first radio of a group). */
const control = <T extends HTMLElement = HTMLInputElement>(el: HTMLElement & { shadowRoot: ShadowRoot | null }, name: string) =>
  el.shadowRoot!.querySelector<T>(`[name="${name}"]`)!;
const submit = (el: HTMLElement & { shadowRoot: ShadowRoot | null }) => el.shadowRoot!.querySelector<HTMLButtonElement>('button[part="submit"]')!.click();

describe('<prepatu-artifact>: form field types', () => {
  it('renders each type as its control, every one labelled; an unknown type is text', async () => {
    const el = await standalone(form);
    expect(['phone', 'seats', 'day', 'at', 'website', 'colour'].map((n) => control(el, n).type)).to.deep.equal(['tel', 'number', 'date', 'time', 'url', 'text']);
    expect(control(el, 'notes').localName).to.equal('textarea');
    expect(control<HTMLTextAreaElement>(el, 'notes').placeholder).to.equal('Anything else?');
    const select = control<HTMLSelectElement>(el, 'plan');
    expect([...select.options].map((o) => [o.value, o.textContent])).to.deep.equal([['', S.choose], ['basic', 'Basic'], ['pro', 'Pro plan']]);
    expect(select.value).to.equal('');
    const group = $(el, 'fieldset[part~="fieldset"]')!;
    expect(group.getAttribute('role')).to.equal('radiogroup');
    expect(group.querySelector('legend')!.textContent).to.contain('Contact me by');
    expect($$<HTMLInputElement>(el, 'input[type="radio"]').map((r) => [r.name, r.value, r.labels?.[0]?.textContent])).to.deep.equal([
      ['contact', 'phone', 'Phone'],
      ['contact', 'mail', 'Email'],
    ]);
    const terms = control(el, 'terms');
    expect(terms.type).to.equal('checkbox');
    expect(terms.labels?.[0]?.textContent).to.contain('I accept the terms');
    for (const c of $$<HTMLInputElement>(el, 'input, select, textarea')) expect(c.labels?.length ?? 0, c.name).to.be.greaterThan(0);
    await expect(el).to.be.accessible();
  });

  it('a select or radio without options is a text field', async () => {
    const el = await standalone({ artifact_type: 'form', fields: [{ id: 'a', type: 'select' }, { id: 'b', type: 'radio', options: [] }] });
    expect($$<HTMLInputElement>(el, 'input').map((i) => i.type)).to.deep.equal(['text', 'text']);
  });

  it('autocomplete and inputmode follow the field’s id and type, for autofill and phone keyboards', async () => {
    const cases: [FormField, string | null, string | null][] = [
      [{ id: 'first_name', type: 'text' }, 'given-name', null],
      [{ id: 'givenName', type: 'text' }, 'given-name', null],
      [{ id: 'last_name', type: 'text' }, 'family-name', null],
      [{ id: 'surname', type: 'text' }, 'family-name', null],
      [{ id: 'full_name', type: 'text' }, 'name', null],
      [{ id: 'name', type: 'text' }, 'name', null],
      [{ id: 'email', type: 'email' }, 'email', 'email'],
      [{ id: 'work_email', type: 'text' }, 'email', 'email'],
      [{ id: 'phone', type: 'text' }, 'tel', 'tel'],
      [{ id: 'mobile', type: 'tel' }, 'tel', 'tel'],
      [{ id: 'contact', type: 'tel' }, 'tel', 'tel'],
      [{ id: 'street_address', type: 'text' }, 'street-address', null],
      [{ id: 'address', type: 'textarea' }, 'street-address', null],
      [{ id: 'city', type: 'text' }, 'address-level2', null],
      [{ id: 'zip', type: 'text' }, 'postal-code', null],
      [{ id: 'postal_code', type: 'text' }, 'postal-code', null],
      [{ id: 'country', type: 'select', options: [{ id: 'nl', label: 'Netherlands' }] }, 'country-name', null],
      [{ id: 'date_of_birth', type: 'date' }, 'bday', null],
      [{ id: 'dob', type: 'text' }, 'bday', null],
      [{ id: 'company', type: 'text' }, 'organization', null],
      [{ id: 'website', type: 'text' }, 'url', 'url'],
      [{ id: 'homepage', type: 'url' }, 'url', 'url'],
      [{ id: 'age', type: 'number' }, null, 'numeric'],
      [{ id: 'budget', type: 'number' }, null, 'decimal'],
      [{ id: 'favourite_colour', type: 'text' }, null, null],
    ];
    const el = await standalone({ artifact_type: 'form', fields: cases.map(([f]) => f) });
    const got = cases.map(([f]) => {
      const c = control(el, f.id);
      return [f.id, c.getAttribute('autocomplete'), c.getAttribute('inputmode')];
    });
    expect(got).to.deep.equal(cases.map(([f, ac, im]) => [f.id, ac, im]));
    await expect(el).to.be.accessible();
  });

  it('validates each type, marks the fields (aria-invalid, described error) and sends form_validation_error', async () => {
    const { el } = await inSession({ artifact: form, availableActions: null });
    control(el, 'phone').focus();
    await sendKeys({ type: 'call me' });
    control(el, 'website').focus();
    await sendKeys({ type: 'not a site' });
    const events = collect<PrepatuUiEvent>(el, 'prepatu-ui-event');
    submit(el);
    await el.updateComplete;
    expect(events.map((e) => e.detail)).to.deep.equal([
      { action: 'form_validation_error', flow_id: null, data: { missing_fields: ['plan', 'contact', 'terms'], invalid_fields: ['phone', 'website'] } },
    ]);
    const errorOf = (c: HTMLElement) => el.shadowRoot!.getElementById(c.getAttribute('aria-describedby')!.split(' ')[0]!)?.textContent;
    expect(errorOf(control(el, 'phone'))).to.equal(S.invalidTel);
    expect(errorOf(control(el, 'website'))).to.equal(S.invalidUrl);
    expect(errorOf(control(el, 'plan'))).to.equal(S.required);
    expect(errorOf(control(el, 'terms'))).to.equal(S.checkboxRequired);
    const group = $(el, 'fieldset')!;
    expect(group.getAttribute('aria-invalid')).to.equal('true');
    expect(errorOf(group)).to.equal(S.required);
    for (const name of ['phone', 'website', 'plan', 'terms']) expect(control(el, name).getAttribute('aria-invalid'), name).to.equal('true');
    expect(control(el, 'seats').getAttribute('aria-invalid')).to.equal('false');
    expect(el.shadowRoot!.activeElement).to.equal(control(el, 'phone'));
    await expect(el).to.be.accessible();
  });

  it('a valid form sends typed values: numbers, yyyy-mm-dd, HH:MM, option ids, a boolean for the checkbox', async () => {
    const { el } = await inSession({ artifact: form, availableActions: null });
    const type = async (name: string, text: string) => {
      control(el, name).focus();
      await sendKeys({ type: text });
    };
    await type('phone', '+31-612-345678');
    await type('seats', '3');
    await type('website', 'example.com');
    await type('notes', 'Mornings');
    // The engines' own widgets for date, time and select differ; set them as the widget would.
    for (const [name, value] of [['day', '2030-04-05'], ['at', '09:30'], ['plan', 'pro']] as const) {
      const c = control<HTMLInputElement | HTMLSelectElement>(el, name);
      c.value = value;
      c.dispatchEvent(new Event(c.localName === 'select' ? 'change' : 'input', { bubbles: true }));
    }
    $$<HTMLInputElement>(el, 'input[type="radio"]')[1]!.click();
    control(el, 'terms').click();
    await el.updateComplete;
    const fired = oneEvent(el, 'prepatu-ui-event');
    submit(el);
    expect((await fired).detail.data).to.deep.equal({
      phone: '+31-612-345678',
      seats: 3,
      day: '2030-04-05',
      at: '09:30',
      website: 'example.com',
      notes: 'Mornings',
      plan: 'pro',
      contact: 'mail',
      terms: true,
      colour: null,
    });
  });

  it('an unchecked optional checkbox is false; a required one must be checked', async () => {
    const el = await standalone({ artifact_type: 'form', fields: [{ id: 'news', type: 'checkbox', label: 'News' }, { id: 'ok', type: 'checkbox', label: 'OK', required: true }] });
    const events = collect<PrepatuUiEvent>(el, 'prepatu-ui-event');
    submit(el);
    expect(events[0]!.detail.action).to.equal('form_validation_error');
    control(el, 'ok').click();
    await el.updateComplete;
    submit(el);
    expect(events[1]!.detail).to.deep.include({ action: 'form_submit', data: { news: false, ok: true } });
  });

  it('arrow keys move between radios (native), and the choice is sent', async function (this: { skip(): void }) {
    // Firefox and WebKit deliver no key events to a page without window focus (a background tab).
    if (!document.hasFocus()) this.skip();
    const el = await standalone({ artifact_type: 'form', fields: [{ id: 'size', type: 'radio', label: 'Size', options: ['S', 'M', 'L'].map((id) => ({ id, label: id })) }] });
    const radios = $$<HTMLInputElement>(el, 'input[type="radio"]');
    radios[0]!.click();
    radios[0]!.focus();
    await sendKeys({ press: 'ArrowDown' });
    await el.updateComplete;
    expect(radios[1]!.checked).to.equal(true);
    expect(el.shadowRoot!.activeElement).to.equal(radios[1]);
    const fired = oneEvent(el, 'prepatu-ui-event');
    submit(el);
    expect((await fired).detail.data).to.deep.equal({ size: 'M' });
  });
});

describe('<prepatu-artifact>: values filled by voice, coerced to the field', () => {
  it('yes checks a box, a label picks its option, numbers, dates and times take the field’s format', async () => {
    const { el, set } = await inSession({ artifact: form });
    await set({
      artifact: form,
      filled: { terms: 'yes', plan: 'pro plan', contact: 'Email', seats: '12', day: 'March 5, 2030', at: '2:30 pm', phone: 31612345678 },
    });
    expect(control(el, 'terms').checked).to.equal(true);
    expect(control<HTMLSelectElement>(el, 'plan').value).to.equal('pro');
    expect($$<HTMLInputElement>(el, 'input[type="radio"]').map((r) => r.checked)).to.deep.equal([false, true]);
    expect(control(el, 'seats').value).to.equal('12');
    expect(control(el, 'day').value).to.equal('2030-03-05');
    expect(control(el, 'at').value).to.equal('14:30');
    expect(control(el, 'phone').value).to.equal('31612345678');
    const live = $(el, '[aria-live="polite"]')!.textContent!;
    expect(live).to.contain('I accept the terms filled by voice: Yes').and.contain('Plan filled by voice: Pro plan').and.contain('Contact me by filled by voice: Email');
    expect($$(el, '[part~="voice-filled"]').length).to.equal(7);
    await expect(el).to.be.accessible();

    await set({ artifact: form, filled: { terms: 1, plan: 'basic', at: '14:05:00', day: '2031-01-02T10:00:00' } });
    expect(control(el, 'terms').checked).to.equal(true);
    expect(control<HTMLSelectElement>(el, 'plan').value).to.equal('basic');
    expect(control(el, 'at').value).to.equal('14:05');
    expect(control(el, 'day').value).to.equal('2031-01-02');
    await set({ artifact: form, filled: { terms: 'no', plan: 'basic', at: '14:05:00', day: '2031-01-02T10:00:00' } });
    expect(control(el, 'terms').checked).to.equal(false);
  });

  it('a value that fits no option stays invalid, so the user sees it', async () => {
    const { el, set } = await inSession({ artifact: form, availableActions: null });
    await set({ artifact: form, filled: { plan: 'platinum', contact: 'pigeon' } });
    expect(control<HTMLSelectElement>(el, 'plan').value).to.equal('');
    const events = collect<PrepatuUiEvent>(el, 'prepatu-ui-event');
    submit(el);
    await el.updateComplete;
    expect(events[0]!.detail.data['invalid_fields']).to.include.members(['plan', 'contact']);
    expect(el.shadowRoot!.textContent).to.contain(S.invalidChoice);
  });
});
