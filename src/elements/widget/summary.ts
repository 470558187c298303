import type { TranscriptEntry } from '../../agent/voice-agent.js';
import type { Artifact, JsonObject, JsonValue, OptionItem } from '../../protocol/messages.js';
import { humanizeKey, plain } from '../artifact/card.js';
import type { WidgetStrings } from './strings.js';

/** One variable the flow collected, as the end-of-call summary has it. */
export interface SummaryItem {
  /** The flow variable's name. */
  key: string;
  /** The label of the form field that asked for it during the call, else a readable form of `key`. */
  label: string;
  /** The value as the server sent it. */
  value: JsonValue;
  /** The value as the summary shows it: an option's label for its id, Yes / No, lists joined. */
  text: string;
}

/** One row of the summary. Shown as text, never as HTML. */
export interface SummaryRow {
  label: string;
  value: string;
}

/**
 * Makes the rows of `<prepatu-widget>`'s end-of-call summary from what the flow collected: rename,
 * leave out, reorder, format.
 *
 * @example
 * widget.summaryFormatter = (items) =>
 *   items.filter((i) => i.key !== 'crm_id').map((i) => ({ label: i.label, value: i.key === 'budget' ? `€${i.text}` : i.text }));
 */
export type SummaryFormatter = (items: readonly SummaryItem[]) => readonly SummaryRow[];

/** What the call showed about each variable it collected: a label and, for choices, the options' labels. */
export type FieldLabels = Map<string, { label: string | undefined; choices: Map<string, string> | undefined }>;

const choicesOf = (options: readonly OptionItem[] | undefined) => options && new Map(options.map((o) => [o.id, o.label]));

/** Remembers what a form or options artifact says about the variables it collects. */
export function rememberLabels(labels: FieldLabels, a: Artifact | null, s: WidgetStrings): void {
  if (a?.artifact_type === 'form') for (const f of a.fields) labels.set(f.id, { label: f.label, choices: choicesOf(f.options) });
  // An option_select sends `selected_id`, which the server keeps under that name.
  else if (a?.artifact_type === 'options') labels.set('selected_id', { label: s.choice, choices: choicesOf(a.options) });
}

/** The flow's variables as summary items, empty values left out. */
export function summaryItems(variables: Readonly<JsonObject>, labels: FieldLabels, s: WidgetStrings): SummaryItem[] {
  const ctx = { number: (n: number) => n.toLocaleString(), strings: s };
  const items: SummaryItem[] = [];
  for (const [key, value] of Object.entries(variables)) {
    const known = labels.get(key);
    const text = (value !== null && typeof value !== 'object' && known?.choices?.get(String(value))) || plain(value, ctx);
    if (text.trim()) items.push({ key, label: known?.label || humanizeKey(key), value, text });
  }
  return items;
}

/** The conversation as the text of a file: a heading line, then one line per turn. */
export const transcriptText = (title: string, entries: readonly TranscriptEntry[], s: WidgetStrings, when: Date): string =>
  [`${title} (${when.toLocaleString()})`, '', ...entries.map((e) => `${e.role === 'user' ? s.you : s.agent}: ${e.text}`), ''].join('\n');

/**
 * Saves `text` as a file, made in the browser (a Blob URL and a download link in `root`): nothing
 * is sent anywhere. Returns the URL, for the caller to revoke once it is no longer needed.
 */
export function saveText(root: ParentNode, text: string, name: string): string {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/plain;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.hidden = true;
  root.append(a);
  a.click();
  a.remove();
  return url;
}
