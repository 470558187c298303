import type { WidgetStrings } from './strings.js';

/** The texts the widget's launcher and panel frame show before the panel's code has arrived. */
export type ShellStrings = Pick<WidgetStrings, 'title' | 'open' | 'close' | 'loading'>;

export const SHELL_STRINGS: Readonly<ShellStrings> = Object.freeze({
  title: 'Voice assistant',
  open: 'Open voice assistant',
  close: 'Close voice assistant',
  loading: 'Loading…',
});
