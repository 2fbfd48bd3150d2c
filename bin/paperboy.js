#!/usr/bin/env node
// Entry point for `paperboy` / `npx paperboy`: the CLI, compiled or from its TypeScript sources (load.js).
import { load } from './load.js';

await load('src/cli/main.ts');
