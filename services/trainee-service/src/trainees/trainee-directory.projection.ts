import { Projection } from '@skills/event-sourcing';
import { maskIdentityNumber } from '@skills/domain-kernel';
import { TraineeEvent } from './trainee.aggregate';

/** Who is registered, by region and category, for lists and counts (identity numbers masked). */
export const traineeDirectory: Projection = {
  name: 'trainee-directory',
  table: 'trainee_directory',
  async createTable(tx, table) {
    await tx.query(`CREATE TABLE IF NOT EXISTS ${table} (
      trainee_id uuid PRIMARY KEY,
      id_number_masked text NOT NULL,
      region_code text NOT NULL,
      gender text NOT NULL,
      birth_date date NOT NULL,
      categories text[] NOT NULL,
      registered_on date NOT NULL
    )`);
    await tx.query(`CREATE INDEX IF NOT EXISTS ${table}_region ON ${table} (region_code)`);
  },
  async apply(tx, table, recorded) {
    const event = recorded as unknown as TraineeEvent;
    if (event.type !== 'TraineeRegistered') return;
    const data = event.data;
    await tx.query(
      `INSERT INTO ${table} (trainee_id, id_number_masked, region_code, gender, birth_date, categories, registered_on)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (trainee_id) DO NOTHING`,
      [data.traineeId, maskIdentityNumber(data.idNumber), data.regionCode, data.gender, data.birthDate, data.categories, data.registeredOn],
    );
  },
};
