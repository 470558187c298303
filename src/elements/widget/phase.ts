import type { SessionStatus } from '../../protocol/messages.js';

/** What the visitor sees: derived from the session's status. */
export type WidgetPhase = 'idle' | 'connecting' | 'live' | 'ended' | 'error';

export function phaseOf({ status, endReason }: { status: SessionStatus; endReason: string | null }): WidgetPhase {
  if (status === 'error' || (status === 'ended' && endReason === 'error')) return 'error';
  if (status === 'listening' || status === 'speaking') return 'live';
  if (status === 'connecting' || status === 'connected') return 'connecting';
  return status;
}
