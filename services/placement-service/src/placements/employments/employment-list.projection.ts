import { Projection } from '@skills/event-sourcing';
import { PlacementEvent } from '../placement.aggregate';

/**
 * Every employment a placement made, newest hire first, with what its lists and the wage insight ask
 * by: the employer, occupation and region of its placement (read from the placement's PlacementPosted in
 * the log, which always comes before its hires, so a rebuild finds it too), the start date and wage, and
 * its end. No personal data: the trainee is an id.
 */
export const employmentList: Projection<PlacementEvent> = {
  name: 'employment-list',
  table: 'employment_list',
  async createTable(tx, table) {
    await tx.query(`CREATE TABLE IF NOT EXISTS ${table} (
      employment_id uuid PRIMARY KEY,
      hired_position bigint NOT NULL UNIQUE,
      placement_id uuid NOT NULL,
      trainee_id uuid NOT NULL,
      employer_id uuid NOT NULL,
      occupation_code text NOT NULL,
      region_code text NOT NULL,
      start_date date NOT NULL,
      monthly_wage integer NOT NULL,
      end_date date,
      end_reason text
    )`);
    await tx.query(`CREATE INDEX IF NOT EXISTS ${table}_by_employer ON ${table} (employer_id, hired_position DESC)`);
    await tx.query(`CREATE INDEX IF NOT EXISTS ${table}_by_occupation ON ${table} (occupation_code, region_code)`);
  },
  async apply(tx, table, event) {
    switch (event.type) {
      case 'TraineeHired': {
        const hired = event.data;
        await tx.query(
          `INSERT INTO ${table} (employment_id, hired_position, placement_id, trainee_id, employer_id, occupation_code, region_code, start_date, monthly_wage)
           SELECT $1, $2, $3, $4, (posted.data->>'employerId')::uuid, posted.data->>'occupationCode', posted.data->>'regionCode', $5, $6
           FROM events posted WHERE posted.stream_id = $7 AND posted.event_type = 'PlacementPosted'
           ON CONFLICT (employment_id) DO NOTHING`,
          [hired.employmentId, event.position.globalPosition, hired.placementId, hired.traineeId, hired.startDate, hired.monthlyWage, event.streamId],
        );
        return;
      }
      case 'EmploymentEnded':
        await tx.query(`UPDATE ${table} SET end_date = $2, end_reason = $3 WHERE employment_id = $1`, [event.data.employmentId, event.data.endDate, event.data.reason]);
        return;
      // As if never hired: off the employer's list and the wage insight.
      case 'EmploymentVoided':
        await tx.query(`DELETE FROM ${table} WHERE employment_id = $1`, [event.data.employmentId]);
        return;
      default:
        return;
    }
  },
};
