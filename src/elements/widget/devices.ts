import { html, nothing, svg, type ReactiveController, type ReactiveControllerHost, type TemplateResult } from 'lit';
import type { WidgetStrings } from './strings.js';

/** Whether the browser lets a page choose the speaker (`setSinkId` on the AudioContext or on media elements). */
export const canChooseSpeaker = (): boolean =>
  (typeof AudioContext !== 'undefined' && 'setSinkId' in AudioContext.prototype) || 'setSinkId' in HTMLMediaElement.prototype;

/** The device menu's icon: a headset. (Here, not in icons.ts, which the launcher's code shares.) */
export const HEADSET = svg`<path d="M4 15v-3a8 8 0 0 1 16 0v3M20 15v3a2 2 0 0 1-2 2h-1v-6h3zM4 15v3a2 2 0 0 0 2 2h1v-6H4z" />`;

/** Chromium's stand-ins for the system's own choice, which "System default" already is. */
const ALIASES = new Set(['', 'default', 'communications']);

/**
 * The widget's device menu: while it is open, the microphones (and the speakers, where the page
 * can choose one) as the browser lists them, listed again on every `devicechange`. Labels come
 * once the microphone is allowed, which it is during a voice call.
 */
export class DeviceMenu implements ReactiveController {
  open = false;
  inputs: MediaDeviceInfo[] = [];
  outputs: MediaDeviceInfo[] = [];
  readonly #host: ReactiveControllerHost;

  constructor(host: ReactiveControllerHost) {
    this.#host = host;
    host.addController(this);
  }

  hostDisconnected(): void {
    this.close();
  }

  toggle(): void {
    if (this.open) return this.close();
    this.open = true;
    navigator.mediaDevices?.addEventListener('devicechange', this.#list);
    void this.#list();
    this.#host.requestUpdate();
  }

  close(): void {
    if (!this.open) return;
    this.open = false;
    navigator.mediaDevices?.removeEventListener('devicechange', this.#list);
    this.#host.requestUpdate();
  }

  #list = async (): Promise<void> => {
    const all = (await navigator.mediaDevices?.enumerateDevices().catch(() => null)) ?? [];
    const real = (kind: MediaDeviceKind) => all.filter((d) => d.kind === kind && !ALIASES.has(d.deviceId));
    this.inputs = real('audioinput');
    this.outputs = canChooseSpeaker() ? real('audiooutput') : [];
    this.#host.requestUpdate();
  };
}

export interface DeviceMenuView {
  menu: DeviceMenu;
  strings: WidgetStrings;
  /** The microphone the visitor chose; null: the system default. */
  input: string | null;
  /** The speaker the visitor chose; '': the system default. */
  output: string;
  onInput: (deviceId: string | null) => void;
  onOutput: (deviceId: string) => void;
  onClose: () => void;
}

function select(s: WidgetStrings, label: string, devices: MediaDeviceInfo[], chosen: string, pick: (id: string) => void): TemplateResult {
  return html`<label>${label}<select part="device-select" @change=${(e: Event) => pick((e.target as HTMLSelectElement).value)}>
      <option value="" ?selected=${!chosen}>${s.systemDefault}</option>
      ${devices.map((d, i) => html`<option value=${d.deviceId} ?selected=${d.deviceId === chosen}>${d.label || `${label} ${i + 1}`}</option>`)}
    </select></label
  >`;
}

/** The open menu: a labelled group of a microphone `<select>` and, where it can be chosen, a speaker one. */
export function renderDeviceMenu(v: DeviceMenuView): TemplateResult {
  const s = v.strings;
  const onKeydown = (e: KeyboardEvent) => {
    // Escape closes the menu before it would close the panel.
    if (e.key !== 'Escape') return;
    e.preventDefault();
    v.onClose();
  };
  return html`<div id="devices" class="devices" part="devices" role="group" aria-label=${s.devices} @keydown=${onKeydown}>
    ${select(s, s.microphone, v.menu.inputs, v.input ?? '', (id) => v.onInput(id || null))}
    ${v.menu.outputs.length ? select(s, s.speaker, v.menu.outputs, v.output, v.onOutput) : nothing}
  </div>`;
}
