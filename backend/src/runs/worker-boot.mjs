// Worker threads start as plain Node: register the TypeScript loader here, then load the real
// entry named in workerData. (execArgv ['--import', 'tsx'] alone does not reach worker entries on Node 20.)
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
