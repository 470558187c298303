/**
 * An attribute for a feature that is on by default: absent or present, it is on; `off` (or
 * `false`, `0`, `no`) turns it off, e.g. `barge-in="off"`.
 */
export const onUnlessOff = {
  fromAttribute: (value: string | null): boolean => value === null || !/^(off|false|0|no)$/i.test(value.trim()),
};

/** `record` keeps the messages, `record="audio"` the audio too; absent (or `off`) records nothing. */
export const recordMode = {
  fromAttribute: (value: string | null): boolean | 'audio' => {
    const v = value?.trim().toLowerCase();
    if (v === undefined || /^(off|false|0|no)$/.test(v)) return false;
    return v === 'audio' ? 'audio' : true;
  },
};
