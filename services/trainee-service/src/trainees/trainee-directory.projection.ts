import { Projection, RecordedEvent } from '@skills/event-sourcing';
import { PoolClient } from 'pg';
import { TraineeEvent, TraineeRegistered } from './trainee.aggregate';

/**
 * Who is registered, by category, for lists and counts. It holds no other personal data (not even a
 * masked identity number, nor region, birth date or gender: DirectoryWithoutPersonalData dropped
 * those columns); an erasure takes the categories out (some tell of health or hardship), a voided
 * registration leaves it.
 */
export const traineeDirectory: Projection<TraineeEvent> = {
  name: 'trainee-directory',
  table: 'trainee_directory',
  async createTable(tx, table) {
    await tx.query(`CREATE TABLE IF NOT EXISTS ${table} (
      trainee_id uuid PRIMARY KEY,
      categories text[] NOT NULL,
      registered_on date NOT NULL
    )`);
  },
  apply: (tx, table, event) => applyToDirectory(tx, table, [event]),
  applyAll: applyToDirectory,
};

/** Consecutive registrations in one insert (a bulk import's batch is 500 of them); a void or an erasure in between ends the run. */
async function applyToDirectory(tx: PoolClient, table: string, events: RecordedEvent<TraineeEvent>[]): Promise<void> {
  let registered: Array<TraineeRegistered['data']> = [];
  const insertRegistered = async () => {
    if (registered.length === 0) return;
    await tx.query(
      `INSERT INTO ${table} (trainee_id, categories, registered_on)
       SELECT r.trainee_id, ARRAY(SELECT jsonb_array_elements_text(r.categories)), r.registered_on
         FROM unnest($1::uuid[], $2::jsonb[], $3::date[]) AS r(trainee_id, categories, registered_on)
       ON CONFLICT (trainee_id) DO NOTHING`,
      [registered.map((data) => data.traineeId), registered.map((data) => JSON.stringify(data.categories)), registered.map((data) => data.registeredOn)],
    );
    registered = [];
  };
  for (const event of events) {
    if (event.type === 'TraineeRegistered') registered.push(event.data);
    else if (event.type === 'TraineeRegistrationVoided') {
      await insertRegistered();
      await tx.query(`DELETE FROM ${table} WHERE trainee_id = $1`, [event.data.traineeId]);
    } else if (event.type === 'PersonalDataErased') {
      await insertRegistered();
      await tx.query(`UPDATE ${table} SET categories = '{}' WHERE trainee_id = $1`, [event.data.traineeId]);
    }
  }
  await insertRegistered();
}
