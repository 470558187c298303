import { createContext } from '@lit/context';
import type { AgentState, VoiceAgent } from '../agent/voice-agent.js';

/**
 * What `<prepatu-session>` provides to every descendant: the agent's state snapshot
 * (status, flow view, transcript, levels) and the agent itself (null until the first
 * `connect()`). Children render from `state` and act by dispatching events
 * (`prepatu-ui-event`), never by calling into the session directly.
 */
export interface SessionContextValue {
  state: AgentState;
  agent: VoiceAgent | null;
}

export const sessionContext = createContext<SessionContextValue>(Symbol('prepatu-session'));
