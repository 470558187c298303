// Never run: svelte-check must reject each marked line, or the generated types are too loose.
import type { SvelteHTMLElements } from 'svelte/elements';

type Session = SvelteHTMLElements['prepatu-session'];
type Artifact = SvelteHTMLElements['prepatu-artifact'];

// @ts-expect-error transport is 'websocket' | 'webrtc'
export const transport: Session = { transport: 'carrier-pigeon' };
// @ts-expect-error an artifact is an object, not a number
export const artifact: Artifact = { artifact: 42 };
// @ts-expect-error the status event's detail has no `frequency`
export const listener: Session = { 'onprepatu-status': (e) => e.detail.frequency };
export const fine: Session = { 'ws-url': '/ws', 'onprepatu-status': (e) => e.detail.status };
