/**
 * Every user-visible string `<prepatu-artifact>` renders on its own (server text is
 * rendered as given). Override any subset through the element's `strings` property.
 * `{field}` and `{value}` are replaced as plain text, never parsed as markup.
 */
export interface ArtifactStrings {
  /** Submit button of a form. */
  submit: string;
  /** Confirm button of a card. */
  confirm: string;
  /** Error under an empty required field. */
  required: string;
  /** Error under an email field that is not an address. */
  invalidEmail: string;
  /** Error under a number field that is not a number. */
  invalidNumber: string;
  /** Error under a URL field that is not a web address. */
  invalidUrl: string;
  /** Error under a phone field that is not a phone number. */
  invalidTel: string;
  /** Error under a date field that is not a date. */
  invalidDate: string;
  /** Error under a time field that is not a time. */
  invalidTime: string;
  /** Error under a select or radio field whose value is none of its options. */
  invalidChoice: string;
  /** Error under a required checkbox left unchecked. */
  checkboxRequired: string;
  /** The empty first option of a select without a placeholder. */
  choose: string;
  /** A `true` in a card, and a checked box in the voice-filled announcement. */
  yes: string;
  /** A `false` in a card, and an unchecked box in the voice-filled announcement. */
  no: string;
  /** Accessible name of a card's scrolling details. */
  cardDetails: string;
  /** Badge beside a field the agent filled by voice. */
  voiceFilled: string;
  /** Polite announcement when the agent fills a field; `{field}`, `{value}`. */
  voiceFilledAnnouncement: string;
  /** Announced when a submit is refused; `{count}` invalid fields. */
  formInvalid: string;
  /** Text before the server's reason in the transition-blocked notice. */
  blocked: string;
  /** Visible marker after the label of a required field (the input itself carries `required`). */
  requiredMarker: string;
  /** Accessible name of an options group without a prompt. */
  optionsLabel: string;
}

export const DEFAULT_ARTIFACT_STRINGS: Readonly<ArtifactStrings> = Object.freeze({
  submit: 'Submit',
  confirm: 'Confirm',
  required: 'This field is required.',
  invalidEmail: 'Enter an email address, like name@example.com.',
  invalidNumber: 'Enter a number.',
  invalidUrl: 'Enter a web address, like example.com.',
  invalidTel: 'Enter a phone number, like +1 555 0100.',
  invalidDate: 'Enter a date.',
  invalidTime: 'Enter a time, like 14:30.',
  invalidChoice: 'Choose one of the options.',
  checkboxRequired: 'Check this box to continue.',
  choose: 'Choose…',
  yes: 'Yes',
  no: 'No',
  cardDetails: 'Details',
  voiceFilled: 'Filled by voice',
  voiceFilledAnnouncement: '{field} filled by voice: {value}',
  formInvalid: 'Please correct {count} highlighted field(s).',
  blocked: 'Waiting for confirmation:',
  requiredMarker: '*',
  optionsLabel: 'Choose an option',
});

/** Substitutes `{name}` placeholders as text (a function replacer, so `$&` in values stays literal). */
export const formatString = (template: string, values: Record<string, string | number>): string =>
  template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
