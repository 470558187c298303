import type { JsonObject } from '../../protocol/messages.js';
import type { WidgetStrings } from './strings.js';

/** What `<prepatu-widget>` hands its panel: the session's settings and the panel's texts. */
export interface WidgetPanelConfig {
  wsUrl: string;
  sessionUrl: string;
  programId: string;
  transport: 'websocket' | 'webrtc';
  webrtcUrl: string;
  metadata: JsonObject | string | undefined;
  workletUrl: string;
  startMuted: boolean;
  bargeIn: boolean;
  keepScreenOn: boolean;
  noAudio: boolean;
  record: boolean | 'audio';
  intents: boolean;
  compact: boolean;
  startLabel: string;
  endLabel: string;
  /** The page's own texts; the panel fills in the rest from `DEFAULT_WIDGET_STRINGS`. */
  strings: Partial<WidgetStrings>;
}

/** The tag of the widget's panel, defined when its code arrives. */
export const PANEL_TAG = 'prepatu-widget-panel';

/** The parts inside the panel that `<prepatu-widget>` exposes to the page (`exportparts`). */
export const PANEL_PARTS = 'body,status,intent,network,error,controls,start,mute,end,enable-sound,orb,ring,core';
