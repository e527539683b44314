import { Client } from 'pg';
import { DataSource, MigrationInterface, QueryRunner } from 'typeorm';

export type MigrationClass = new () => MigrationInterface;

/**
 * A migration written as plain SQL. TypeORM orders migrations by the 13-digit timestamp at the end
 * of the name, so every service lists its own after the event store's.
 */
export function sqlMigration(name: string, timestamp: number, up: string, down = ''): MigrationClass {
  const fullName = `${name}${timestamp}`;
  const migration = class implements MigrationInterface {
    name = fullName;
    async up(queryRunner: QueryRunner): Promise<void> {
      await queryRunner.query(up);
    }
    async down(queryRunner: QueryRunner): Promise<void> {
      if (down) await queryRunner.query(down);
    }
  };
  Object.defineProperty(migration, 'name', { value: fullName });
  return migration;
}

/**
 * Creates the schema and runs the pending migrations. An advisory lock keeps two replicas of the
 * same service that start together from migrating at once. A schema a newer build has migrated is
 * refused (MigratedByNewerBuild), never run on: see refuseNewerMigrations.
 */
export async function migrate(url: string, schema: string, migrations: MigrationClass[]): Promise<void> {
  const lockClient = new Client({ connectionString: url });
  await lockClient.connect();
  try {
    await lockClient.query('SELECT pg_advisory_lock(hashtext($1))', [`migrations:${schema}`]);
    await lockClient.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await refuseNewerMigrations(lockClient, schema, migrations);
    const dataSource = new DataSource({
      type: 'postgres',
      url,
      schema,
      migrations,
      migrationsTableName: 'migrations',
      migrationsTransactionMode: 'each',
      extra: { options: `-c search_path=${schema},public`, max: 1 },
      logging: false,
    });
    await dataSource.initialize();
    try {
      await dataSource.runMigrations();
    } finally {
      await dataSource.destroy();
    }
  } finally {
    await lockClient.query('SELECT pg_advisory_unlock(hashtext($1))', [`migrations:${schema}`]).catch(() => undefined);
    await lockClient.end();
  }
}

/** A schema holds migrations this build does not know: a newer build ran them, and this one would run on data it does not understand. */
export class MigratedByNewerBuild extends Error {
  constructor(
    readonly schema: string,
    readonly unknown: string[],
  ) {
    super(
      `schema ${schema} was migrated by a newer build of the platform (${unknown.join(', ')}, unknown to this one): start that build again, ` +
        'or, to go back, restore the backup taken before the upgrade (README, Upgrading)',
    );
  }
}

/**
 * Refuses a schema a newer build migrated, as migrate() does, without migrating: a host of many services
 * asks it of every schema before any of them starts (and writes), not service by service.
 */
export async function refuseSchemaOfNewerBuild(url: string, schema: string, migrations: MigrationClass[]): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await refuseNewerMigrations(client, schema, migrations);
  } finally {
    await client.end();
  }
}

/**
 * Refuses to start an older build on a schema a newer one migrated (a rollback by starting the old code):
 * it would write by rules the newer build's one-time migrations already replaced (a recount of figures,
 * say), and the newer build, started again, would not run them again. Judged by name without the
 * timestamp, so a migration renumbered in the code is not refused; TypeORM, which knows migrations by
 * their whole name, runs it again under its new number, so a migration renumbered must be safe to run twice.
 */
async function refuseNewerMigrations(client: Client, schema: string, migrations: MigrationClass[]): Promise<void> {
  const { rows: table } = await client.query<{ found: string | null }>('SELECT to_regclass($1) AS found', [`${schema}.migrations`]);
  if (!table[0].found) return;
  const known = new Set(migrations.map((migration) => withoutTimestamp(migration.name)));
  const { rows } = await client.query<{ name: string }>(`SELECT name FROM ${schema}.migrations ORDER BY id`);
  const unknown = rows.map((row) => row.name).filter((name) => !known.has(withoutTimestamp(name)));
  if (unknown.length > 0) throw new MigratedByNewerBuild(schema, unknown);
}

/** A migration's name as written (`BureauClaims1766000000501` → `BureauClaims`). */
const withoutTimestamp = (name: string) => name.replace(/\d{13}$/, '');
