// Worker threads start as plain Node: register the TypeScript loader here, then load the real
// entry named in workerData (same boot as the run pool's workers).
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
