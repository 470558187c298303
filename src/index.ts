// Public API, free of side effects: importing this registers no element.
// Register the elements with `import '@prepatu/elements/define.js'` or call each class's `define()`.
export * from './protocol/index.js';
export type { Transport, TransportEvents, CloseReason, ConnectionQuality } from './transport/types.js';
export type { SocketQueue } from './transport/pvp-socket.js';
export type { TraceEntry, TraceHeader, TraceMode } from './transport/trace.js';
export { WebSocketTransport, closeReasonFor, type WebSocketTransportOptions } from './transport/websocket-transport.js';
export { WebRtcTransport, type WebRtcTransportOptions, type WebRtcQuality } from './transport/webrtc-transport.js';
export * from './audio/types.js';
export { WebAudioPipeline } from './audio/web-audio-pipeline.js';
export * from './agent/voice-agent.js';
export * from './elements/index.js';
