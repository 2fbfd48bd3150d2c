// `npm test`: every *.test.ts / *.test.tsx under src/ and test/, with Node's own test runner.
// (Node 20's --test takes no glob patterns, so the files are listed here.)
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';

const files = ['src', 'test']
  .flatMap((dir) => {
    try {
      return readdirSync(dir, { recursive: true, encoding: 'utf8' }).map((f) => `${dir}/${f}`);
    } catch {
      return [];
    }
  })
  .filter((f) => /\.test\.tsx?$/.test(f) && !f.includes('node_modules'))
  .filter((f) => process.argv.length <= 2 || process.argv.slice(2).some((a) => f.includes(a)))
  .sort();

const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', ...files], { stdio: 'inherit' });
process.exit(result.status ?? 1);
