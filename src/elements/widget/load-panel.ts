// The panel's code and everything behind it, loaded by <prepatu-widget> on the visitor's first sign
// of interest. Side effect: registers the panel and the elements it composes.
import { PrepatuArtifact } from '../prepatu-artifact.js';
import { PrepatuOrb } from '../prepatu-orb.js';
import { PrepatuSession } from '../prepatu-session.js';
import { PrepatuTranscript } from '../prepatu-transcript.js';
import { PrepatuWidgetPanel } from '../prepatu-widget-panel.js';

PrepatuSession.define();
PrepatuArtifact.define();
PrepatuTranscript.define();
PrepatuOrb.define();
PrepatuWidgetPanel.define();
