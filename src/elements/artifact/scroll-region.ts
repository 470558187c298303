import type { ReactiveController, ReactiveControllerHost } from 'lit';

/**
 * Makes the host's scrolling box (found by `selector` in its shadow root) reachable by keyboard
 * while, and only while, its content overflows: then it is a focusable region named by its
 * `data-label`, so keyboard users can scroll it (axe `scrollable-region-focusable`), and short
 * content adds no Tab stop. Watches the box's size, which changes with the viewport.
 */
export class ScrollRegionController implements ReactiveController {
  readonly #host: ReactiveControllerHost & HTMLElement;
  readonly #selector: string;
  #observer: ResizeObserver | null = null;
  #target: HTMLElement | null = null;

  constructor(host: ReactiveControllerHost & HTMLElement, selector: string) {
    this.#host = host;
    this.#selector = selector;
    host.addController(this);
  }

  hostConnected(): void {
    this.hostUpdated();
  }

  hostUpdated(): void {
    const target = this.#host.shadowRoot?.querySelector<HTMLElement>(this.#selector) ?? null;
    if (target !== this.#target) {
      this.#observer?.disconnect();
      this.#target = target;
      if (target) {
        this.#observer ??= new ResizeObserver(() => this.#check());
        this.#observer.observe(target);
      }
    }
    this.#check();
  }

  hostDisconnected(): void {
    this.#observer?.disconnect();
    this.#observer = null;
    this.#target = null;
  }

  #check(): void {
    const el = this.#target;
    if (!el) return;
    if (el.scrollHeight > el.clientHeight + 1) {
      el.tabIndex = 0;
      el.setAttribute('role', 'region');
      el.setAttribute('aria-label', el.dataset['label'] ?? '');
    } else {
      el.removeAttribute('tabindex');
      el.removeAttribute('role');
      el.removeAttribute('aria-label');
    }
  }
}
