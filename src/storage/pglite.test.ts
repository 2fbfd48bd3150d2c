import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'kysely';
import { openDatabase } from './open.ts';

test('a PGlite URL carries PostgreSQL settings; anything else in it is refused', async () => {
  const db = await openDatabase('pglite:?shared_buffers=64MB&work_mem=8MB');
  try {
    const show = async (name: string) => Object.values((await sql.raw(`SHOW ${name}`).execute(db.db)).rows[0] as object)[0];
    assert.equal(await show('shared_buffers'), '64MB');
    assert.equal(await show('work_mem'), '8MB');
  } finally {
    await db.close();
  }
  await assert.rejects(openDatabase("pglite:?work_mem=8MB' -c fsync=off"), /not a PostgreSQL setting/);
});
