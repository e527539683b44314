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
 * same service that start together from migrating at once.
 */
export async function migrate(url: string, schema: string, migrations: MigrationClass[]): Promise<void> {
  const lockClient = new Client({ connectionString: url });
  await lockClient.connect();
  try {
    await lockClient.query('SELECT pg_advisory_lock(hashtext($1))', [`migrations:${schema}`]);
    await lockClient.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
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
