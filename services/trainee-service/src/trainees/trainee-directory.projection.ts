import { Projection } from '@skills/event-sourcing';
import { TraineeEvent } from './trainee.aggregate';

/**
 * Who is registered, by region and category, for lists and counts. It holds no personal data at all
 * (not even a masked identity number), so erasure has nothing to remove here.
 */
export const traineeDirectory: Projection<TraineeEvent> = {
  name: 'trainee-directory',
  table: 'trainee_directory',
  async createTable(tx, table) {
    await tx.query(`CREATE TABLE IF NOT EXISTS ${table} (
      trainee_id uuid PRIMARY KEY,
      region_code text NOT NULL,
      gender text NOT NULL,
      birth_date date NOT NULL,
      categories text[] NOT NULL,
      registered_on date NOT NULL
    )`);
    await tx.query(`CREATE INDEX IF NOT EXISTS ${table}_region ON ${table} (region_code)`);
  },
  async apply(tx, table, event) {
    if (event.type !== 'TraineeRegistered') return;
    const data = event.data;
    await tx.query(
      `INSERT INTO ${table} (trainee_id, region_code, gender, birth_date, categories, registered_on)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (trainee_id) DO NOTHING`,
      [data.traineeId, data.regionCode, data.gender, data.birthDate, data.categories, data.registeredOn],
    );
  },
};
