/** Whether this engine grants a screen wake lock here (WebKitGTK refuses it); the probe lock is released at once. */
export const wakeLockGranted = async (): Promise<boolean> =>
  'wakeLock' in navigator && (await navigator.wakeLock.request('screen').then((l) => (void l.release(), true), () => false));
