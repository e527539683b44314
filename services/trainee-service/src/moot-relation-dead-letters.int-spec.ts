// MootRelationDeadLetters: the trainee relations consumer's parked TraineeRegistered go, nothing else does.
import { MESSAGING_MIGRATIONS } from '@skills/messaging';
import { Database, migrate } from '@skills/postgres';
import { createTestDatabase, TestDatabase } from '@skills/testing';
import { randomUUID } from 'node:crypto';
import { MootRelationDeadLetters } from './trainee.migrations';

describe('the migration that forgets the relations consumer’s moot dead letters', () => {
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

  it('deletes the TraineeRegistered parked by trainee.trainee-relations and keeps every other letter', async () => {
    await migrate(testDatabase.url, 'trainee', MESSAGING_MIGRATIONS);
    const letters = [
      ['trainee.trainee-relations', 'TraineeRegistered'],
      ['trainee.trainee-relations', 'TraineeEnrolled'],
      ['trainee.archive', 'TraineeRegistered'],
    ];
    for (const [consumer, type] of letters)
      await database.query("INSERT INTO dead_letters (consumer, topic, message_id, envelope, error) VALUES ($1, 'topic', $2, $3, 'failed')", [consumer, randomUUID(), JSON.stringify({ type })]);
    await migrate(testDatabase.url, 'trainee', [...MESSAGING_MIGRATIONS, MootRelationDeadLetters]);
    const { rows } = await database.query<{ consumer: string; type: string }>("SELECT consumer, envelope->>'type' AS type FROM dead_letters ORDER BY id");
    expect(rows.map(({ consumer, type }) => [consumer, type])).toEqual(letters.slice(1));
  });
});
