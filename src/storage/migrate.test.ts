import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { sql } from 'kysely';
import { testBackends } from '../testing/backends.ts';
import { currentVersion, migrate, migrationsFor } from './migrate.ts';

test('both dialects have the same numbered migrations', () => {
  const names = (d: 'sqlite' | 'postgres') => migrationsFor(d).map((m) => m.name);
  assert.deepEqual(names('sqlite'), names('postgres'));
  assert.deepEqual(
    migrationsFor('sqlite').map((m) => m.version),
    migrationsFor('sqlite').map((_, i) => i + 1),
  );
});

for (const backend of testBackends()) {
  describe(`migrations on ${backend.name}`, { skip: backend.skip }, () => {
    after(() => backend.dispose());
    const latest = migrationsFor(backend.name === 'sqlite' ? 'sqlite' : 'postgres').length;

    test('an empty database goes to the latest version, and a second run does nothing', async () => {
      const db = await backend.fresh({ migrated: false });
      assert.equal(await currentVersion(db), 0);
      assert.equal((await migrate(db)).length, latest);
      assert.equal(await currentVersion(db), latest);
      assert.deepEqual(await migrate(db), []);
    });

    test('a database at the previous version keeps its data through the upgrade', async () => {
      const db = await backend.fresh({ migrated: false });
      await migrate(db, latest - 1);
      assert.equal(await currentVersion(db), latest - 1);
      await sql`INSERT INTO paper (arxiv_id, title, abstract, created_at, updated_at)
                VALUES ('2301.00001', 'Kept', 'Abstract', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')`.execute(db.db);
      await migrate(db);
      assert.equal(await currentVersion(db), latest);
      const row = await db.db.selectFrom('paper').select(['title', 'version']).executeTakeFirstOrThrow();
      assert.deepEqual(row, { title: 'Kept', version: 1 });
    });

    test('a failing migration leaves nothing half-done', async () => {
      const db = await backend.fresh({ migrated: false });
      await assert.rejects(db.runScript('CREATE TABLE half_done (x integer); SELECT * FROM no_such_table;'));
      const exists = db.db
        .selectFrom('half_done' as never)
        .selectAll()
        .execute();
      await assert.rejects(exists);
    });
  });
}
