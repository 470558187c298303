// Attributes (`ws-url`, `program-id`), a property (`artifact`, an object: React 19 sets it as a
// property because the element has one) and events (`onprepatu-status`, `onprepatu-ui-event`),
// all type-checked by tsc through `@prepatu/elements/react`.
import { useRef, useState } from 'react';
import type { PrepatuSession, SessionStatus } from '@prepatu/elements';
import { FLOW, PLANS, wsUrl } from '../../shared/app.js';

export function App() {
  const session = useRef<PrepatuSession>(null);
  const [status, setStatus] = useState<SessionStatus>('idle');
  const [lastEvent, setLastEvent] = useState('');
  const [chosen, setChosen] = useState('');
  return (
    <main>
      <h1>Prepatu elements in React 19</h1>
      <p>
        Status: <output data-testid="status">{status}</output>
      </p>
      <button type="button" onClick={() => session.current?.connect().catch(() => {})}>
        Start
      </button>
      <button type="button" onClick={() => session.current?.disconnect()}>
        End
      </button>
      <prepatu-session
        ref={session}
        ws-url={wsUrl()}
        program-id={FLOW}
        onprepatu-status={(e) => setStatus(e.detail.status)}
        onprepatu-ui-event={(e) => setLastEvent(e.detail.action)}
      >
        <prepatu-orb></prepatu-orb>
        <prepatu-artifact></prepatu-artifact>
        <prepatu-transcript></prepatu-transcript>
      </prepatu-session>
      <p>
        Last UI event: <output data-testid="last-event">{lastEvent}</output>
      </p>
      <h2>A local artifact, bound as a property</h2>
      <prepatu-artifact artifact={PLANS} onprepatu-ui-event={(e) => setChosen(String(e.detail.data['selected_id']))}></prepatu-artifact>
      <p>
        Chosen: <output data-testid="chosen">{chosen}</output>
      </p>
    </main>
  );
}
