// The socket worker's entry: bundled with the audio worklets into one off-thread module
// (scripts/build-worklets.mjs), which runs this part when it is started as a Worker.
import { startSocketWorker, type WorkerScope } from './socket-worker.js';

startSocketWorker(globalThis as unknown as WorkerScope);
