/**
 * Keeps the screen on while a voice session is live (Screen Wake Lock API), so a phone does not
 * dim and lock in the middle of a conversation: a locked iPhone suspends the page, and the call
 * with it. The browser drops the lock whenever the page is hidden; it is taken again when the
 * page is visible. Where the API is missing or refuses (no permission, battery saver), the lock
 * is simply not held: that is logged, never an error.
 */
export class ScreenWakeLock {
  readonly #log: (line: string) => void;
  #sentinel: WakeLockSentinel | null = null;
  #wanted = false;

  constructor(log: (line: string) => void) {
    this.#log = log;
  }

  /** Whether the screen is being kept on right now. */
  get held(): boolean {
    return this.#sentinel !== null && !this.#sentinel.released;
  }

  /** Asks for the lock now and whenever the page becomes visible again, until `release()`. */
  acquire(): void {
    if (this.#wanted || typeof document === 'undefined') return;
    this.#wanted = true;
    document.addEventListener('visibilitychange', this.#onVisibility);
    void this.#request();
  }

  release(): void {
    if (!this.#wanted) return;
    this.#wanted = false;
    document.removeEventListener('visibilitychange', this.#onVisibility);
    const sentinel = this.#sentinel;
    this.#sentinel = null;
    void sentinel?.release().catch(() => {});
  }

  #onVisibility = (): void => {
    if (document.visibilityState === 'visible' && !this.held) void this.#request();
  };

  async #request(): Promise<void> {
    if (!('wakeLock' in navigator) || document.visibilityState !== 'visible') return;
    try {
      const sentinel = await navigator.wakeLock.request('screen');
      // Released meanwhile, or a second request won the race: this one is not needed.
      if (!this.#wanted || this.held) return void (await sentinel.release());
      this.#sentinel = sentinel;
    } catch (e) {
      this.#log(`the screen may dim: the browser refused a screen wake lock (${(e as Error).name})`);
    }
  }
}
