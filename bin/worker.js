// Entry point for worker threads: registers tsx, as bin/paperboy.js does, then runs the TypeScript
// module named in workerData.module.
import { workerData } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

// The project's tsconfig wherever the command is run from (a service's working directory is
// seldom the clone): without it tsx would not know how to compile the pages' JSX.
register({ tsconfig: fileURLToPath(new URL('../tsconfig.json', import.meta.url)) });
await import(workerData.module);
