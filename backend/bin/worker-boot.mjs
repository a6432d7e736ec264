// Worker threads of the compiled backend start here: source maps on, as in the main thread (a
// worker does not inherit that setting), then the compiled entry named in workerData.
import { workerData } from 'node:worker_threads';

process.setSourceMapsEnabled(true);
await import(workerData.entry);
