// What every interop app shares: the same page, written the way each framework writes it.
import type { OptionsArtifact } from '@prepatu/elements';

/** The PVP socket: `?ws=` when given, else the development server's `/ws` on this host. */
export const wsUrl = (): string => new URLSearchParams(location.search).get('ws') ?? '/ws';

/** A flow whose form and options move on by user action (`on_ui_event`), not only by voice. */
export const FLOW = 'sample-onboarding';

/** A local artifact bound as a property (no session): proves objects reach the element intact. */
export const PLANS: OptionsArtifact = {
  artifact_type: 'options',
  prompt: 'Pick a plan',
  options: [
    { id: 'basic', label: 'Basic', description: 'One appointment a month' },
    { id: 'pro', label: 'Pro', description: 'Unlimited appointments' },
  ],
};
