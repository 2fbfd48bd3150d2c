// Entry point for worker threads: runs the module named in workerData.module (a path from the
// project's folder), compiled or from its TypeScript source, as bin/paperboy.js does.
import { workerData } from 'node:worker_threads';
import { load } from './load.js';

await load(workerData.module);
