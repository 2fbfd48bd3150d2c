#!/usr/bin/env node
// Entry point for `paperboy` / `npx paperboy`: registers tsx so the TypeScript sources run as they are
// (no build step), then hands over to the CLI.
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

// The project's tsconfig wherever the command is run from (a service's working directory is
// seldom the clone): without it tsx would not know how to compile the pages' JSX.
register({ tsconfig: fileURLToPath(new URL('../tsconfig.json', import.meta.url)) });
await import('../src/cli/main.ts');
