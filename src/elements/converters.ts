/**
 * An attribute for a feature that is on by default: absent or present, it is on; `off` (or
 * `false`, `0`, `no`) turns it off, e.g. `barge-in="off"`.
 */
export const onUnlessOff = {
  fromAttribute: (value: string | null): boolean => value === null || !/^(off|false|0|no)$/i.test(value.trim()),
};
