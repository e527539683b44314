// LegacyCategoriesErased: the categories of trainees erased (or voided) before erasures took them out go
// from the log's registrations and from the directory; those of trainees whose data key stands stay.
import { Database, migrate } from '@skills/postgres';
import { createTestDatabase, TestDatabase } from '@skills/testing';
import { randomUUID } from 'node:crypto';
import { LegacyCategoriesErased, PersonalDataKeys } from './trainee.migrations';

describe('the migration that takes erased trainees’ categories out of the log and the directory', () => {
  let testDatabase: TestDatabase;
  let database: Database;

  beforeAll(async () => {
    testDatabase = await createTestDatabase();
    database = new Database({ url: testDatabase.url, schema: 'trainee' });
  });

  afterAll(async () => {
    await database?.close();
    await testDatabase?.drop();
  });

  it('empties the categories of registrations without a data key, and keeps the others', async () => {
    await migrate(testDatabase.url, 'trainee', [PersonalDataKeys]);
    // The columns the migration reads, as the event store and the directory projection make them.
    await database.query('CREATE TABLE events (stream_id text NOT NULL, event_type text NOT NULL, data jsonb NOT NULL)');
    await database.query('CREATE TABLE trainee_directory (trainee_id uuid PRIMARY KEY, categories text[] NOT NULL, registered_on date NOT NULL)');
    const [erased, standing] = [randomUUID(), randomUUID()];
    await database.query(`INSERT INTO personal_data_keys (trainee_id, wrapped_key) VALUES ($1, '{}')`, [standing]);
    for (const traineeId of [erased, standing]) {
      await database.query(`INSERT INTO events (stream_id, event_type, data) VALUES ($1, 'TraineeRegistered', $2)`, [`trainee-${traineeId}`, { traineeId, categories: ['disabled'] }]);
      await database.query(`INSERT INTO trainee_directory VALUES ($1, '{disabled}', '2021-06-01')`, [traineeId]);
    }

    await migrate(testDatabase.url, 'trainee', [PersonalDataKeys, LegacyCategoriesErased]);

    const logged = await database.query<{ id: string; categories: string[] }>("SELECT data->>'traineeId' AS id, data->'categories' AS categories FROM events ORDER BY 1");
    expect(Object.fromEntries(logged.rows.map((row) => [row.id, row.categories]))).toEqual({ [erased]: [], [standing]: ['disabled'] });
    const listed = await database.query<{ id: string; categories: string[] }>('SELECT trainee_id::text AS id, categories FROM trainee_directory');
    expect(Object.fromEntries(listed.rows.map((row) => [row.id, row.categories]))).toEqual({ [erased]: [], [standing]: ['disabled'] });
  });
});
