// migrate(): a schema a newer build migrated is refused to an older build, on a real Postgres; a
// migration renumbered in the code is still known by its name.
import { createTestDatabase, TestDatabase } from '@skills/testing';
import { Client } from 'pg';
import { MigratedByNewerBuild, migrate, refuseSchemaOfNewerBuild, sqlMigration } from './migrations';

describe('migrate', () => {
  let testDatabase: TestDatabase;
  const Things = sqlMigration('Things', 1700000000001, 'CREATE TABLE things (id integer PRIMARY KEY)', 'DROP TABLE things');
  const ThingsNamed = sqlMigration('ThingsNamed', 1700000000002, 'ALTER TABLE things ADD COLUMN name text', 'ALTER TABLE things DROP COLUMN name');

  beforeAll(async () => {
    testDatabase = await createTestDatabase();
  });
  afterAll(() => testDatabase?.drop());

  const applied = async (schema: string) => {
    const client = new Client({ connectionString: testDatabase.url });
    await client.connect();
    try {
      return (await client.query<{ name: string }>(`SELECT name FROM ${schema}.migrations ORDER BY id`)).rows.map((row) => row.name);
    } finally {
      await client.end();
    }
  };

  it('runs what is pending once, and again is a no-op', async () => {
    await migrate(testDatabase.url, 'again', [Things]);
    await migrate(testDatabase.url, 'again', [Things, ThingsNamed]);
    await migrate(testDatabase.url, 'again', [Things, ThingsNamed]);
    expect(await applied('again')).toEqual(['Things1700000000001', 'ThingsNamed1700000000002']);
  });

  it('refuses an older build on a schema a newer one migrated, naming what it does not know, and runs nothing', async () => {
    await migrate(testDatabase.url, 'newer', [Things, ThingsNamed]);
    const Older = sqlMigration('Older', 1700000000003, 'CREATE TABLE older (id integer)');
    const refusal = migrate(testDatabase.url, 'newer', [Things, Older]);
    await expect(refusal).rejects.toBeInstanceOf(MigratedByNewerBuild);
    await expect(refusal).rejects.toThrow(/schema newer was migrated by a newer build of the platform \(ThingsNamed1700000000002, unknown to this one\)/);
    expect(await applied('newer')).toEqual(['Things1700000000001', 'ThingsNamed1700000000002']);
  });

  it('does not refuse a migration renumbered in the code (TypeORM runs it again under its new number: it must be safe to run twice)', async () => {
    await migrate(testDatabase.url, 'renumbered', [Things, ThingsNamed]);
    const Renumbered = sqlMigration('ThingsNamed', 1700000000009, 'ALTER TABLE things ADD COLUMN IF NOT EXISTS name text');
    await expect(migrate(testDatabase.url, 'renumbered', [Things, Renumbered])).resolves.toBeUndefined();
    expect(await applied('renumbered')).toEqual(['Things1700000000001', 'ThingsNamed1700000000002', 'ThingsNamed1700000000009']);
  });

  it('refuses without migrating, for a host that asks of every schema before any starts', async () => {
    await migrate(testDatabase.url, 'asked', [Things, ThingsNamed]);
    await expect(refuseSchemaOfNewerBuild(testDatabase.url, 'asked', [Things])).rejects.toBeInstanceOf(MigratedByNewerBuild);
    await expect(refuseSchemaOfNewerBuild(testDatabase.url, 'asked', [Things, ThingsNamed])).resolves.toBeUndefined();
    // A schema not made yet: nothing to refuse.
    await expect(refuseSchemaOfNewerBuild(testDatabase.url, 'not_yet', [Things])).resolves.toBeUndefined();
  });
});
