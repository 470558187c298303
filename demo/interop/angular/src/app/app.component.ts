// Attributes (`[attr.ws-url]`), a property (`[artifact]`, an object) and events
// (`(prepatu-status)`, `(prepatu-ui-event)`, whose `$event` types come from the elements'
// `GlobalEventHandlersEventMap` entries), with CUSTOM_ELEMENTS_SCHEMA and strict templates.
import { ChangeDetectionStrategy, Component, CUSTOM_ELEMENTS_SCHEMA, signal } from '@angular/core';
import type { PrepatuSession, SessionStatus } from '@prepatu/elements';
import { FLOW, PLANS, wsUrl } from '../../../shared/app';

@Component({
  selector: 'app-root',
  schemas: [CUSTOM_ELEMENTS_SCHEMA],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <main>
      <h1>Prepatu elements in Angular</h1>
      <p>Status: <output data-testid="status">{{ status() }}</output></p>
      <button type="button" (click)="start(session)">Start</button>
      <button type="button" (click)="session.disconnect()">End</button>
      <prepatu-session
        #session
        [attr.ws-url]="wsUrl"
        [attr.program-id]="flow"
        (prepatu-status)="status.set($event.detail.status)"
        (prepatu-ui-event)="lastEvent.set($event.detail.action)"
      >
        <prepatu-orb></prepatu-orb>
        <prepatu-artifact></prepatu-artifact>
        <prepatu-transcript></prepatu-transcript>
      </prepatu-session>
      <p>Last UI event: <output data-testid="last-event">{{ lastEvent() }}</output></p>
      <h2>A local artifact, bound as a property</h2>
      <prepatu-artifact [artifact]="plans" (prepatu-ui-event)="chosen.set(selected($event))"></prepatu-artifact>
      <p>Chosen: <output data-testid="chosen">{{ chosen() }}</output></p>
    </main>
  `,
})
export class AppComponent {
  readonly wsUrl = wsUrl();
  readonly flow = FLOW;
  readonly plans = PLANS;
  readonly status = signal<SessionStatus>('idle');
  readonly lastEvent = signal('');
  readonly chosen = signal('');

  start(session: PrepatuSession): void {
    session.connect().catch(() => {});
  }

  selected(e: HTMLElementEventMap['prepatu-ui-event']): string {
    return String(e.detail.data['selected_id']);
  }
}
