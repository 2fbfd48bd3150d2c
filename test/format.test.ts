// One formatting for all the code (Prettier, .prettierrc.json): `npm run format` applies it, and this
// test fails, naming the files, when a change is not formatted.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import * as prettier from 'prettier';

/** The folders `npm run format` formats, and the files in them it reads. */
const FORMATTED = { folders: ['src', 'test', 'bench', 'scripts', 'bin'], files: /\.(ts|tsx|js|css)$/ };

test('the code is formatted as Prettier formats it (npm run format)', async () => {
  const files = FORMATTED.folders.flatMap((folder) =>
    readdirSync(folder, { recursive: true, encoding: 'utf8' })
      .filter((f) => FORMATTED.files.test(f))
      .map((f) => join(folder, f)),
  );
  const unformatted: string[] = [];
  for (const file of files) {
    const options = await prettier.resolveConfig(file);
    if (!(await prettier.check(readFileSync(file, 'utf8'), { ...options, filepath: file }))) unformatted.push(file);
  }
  assert.ok(files.length > 100, 'the code was found');
  assert.deepEqual(unformatted, [], 'run npm run format');
});
