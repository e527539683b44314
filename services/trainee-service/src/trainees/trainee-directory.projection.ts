import { Projection } from '@skills/event-sourcing';
import { TraineeEvent } from './trainee.aggregate';

/**
 * Who is registered, by category, for lists and counts. It holds no personal data at all (not even a
 * masked identity number, nor region, birth date or gender: DirectoryWithoutPersonalData dropped
 * those columns), so erasure has nothing to remove here; a voided registration leaves it.
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
  async apply(tx, table, event) {
    if (event.type === 'TraineeRegistrationVoided') {
      await tx.query(`DELETE FROM ${table} WHERE trainee_id = $1`, [event.data.traineeId]);
      return;
    }
    if (event.type !== 'TraineeRegistered') return;
    const data = event.data;
    await tx.query(
      `INSERT INTO ${table} (trainee_id, categories, registered_on) VALUES ($1, $2, $3) ON CONFLICT (trainee_id) DO NOTHING`,
      [data.traineeId, data.categories, data.registeredOn],
    );
  },
};
