// Entry point for worker threads: registers tsx, as bin/paperboy.js does, then runs the TypeScript
// module named in workerData.module.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.module);
