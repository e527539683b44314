import { rankOf } from '@skills/domain-kernel';
import { Projection } from '@skills/event-sourcing';
import { PlacementEvent } from '../placement.aggregate';

/**
 * The placements board: one row per placement, newest first by the position it was posted at. A row is
 * closed by its employer (`closed`, on `closed_on`), and filled when `hired` reaches `openings`: the two are
 * kept apart, so a placement filled and then closed says both.
 */
export const placementBoard: Projection<PlacementEvent> = {
  name: 'placement-board',
  table: 'placement_board',
  async createTable(tx, table) {
    await tx.query(`CREATE TABLE IF NOT EXISTS ${table} (
      placement_id uuid PRIMARY KEY,
      posted_position bigint NOT NULL UNIQUE,
      employer_id uuid NOT NULL,
      title text NOT NULL,
      occupation_code text NOT NULL,
      industry_code text NOT NULL,
      openings integer NOT NULL,
      hired integer NOT NULL DEFAULT 0,
      min_level text,
      min_rank smallint NOT NULL,
      wage_min integer NOT NULL,
      wage_max integer NOT NULL,
      region_code text NOT NULL,
      closed boolean NOT NULL DEFAULT false,
      closed_on date,
      posted_on date NOT NULL
    )`);
    // A board of an older build: the column is filled from the log by PlacementBoardClosedOn (placement.migrations.ts).
    await tx.query(`ALTER TABLE ${table} ADD COLUMN IF NOT EXISTS closed_on date`);
    await tx.query(`CREATE INDEX IF NOT EXISTS ${table}_by_occupation ON ${table} (occupation_code, posted_position DESC)`);
  },
  async apply(tx, table, event) {
    switch (event.type) {
      case 'PlacementPosted': {
        const p = event.data;
        await tx.query(
          `INSERT INTO ${table} (placement_id, posted_position, employer_id, title, occupation_code, industry_code, openings, min_level, min_rank, wage_min, wage_max, region_code, posted_on)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) ON CONFLICT (placement_id) DO NOTHING`,
          [p.placementId, event.position.globalPosition, p.employerId, p.title, p.occupationCode, p.industryCode, p.openings, p.minLevel ?? null, p.minLevel ? rankOf(p.minLevel) : 0, p.wageMin, p.wageMax, p.regionCode, p.postedOn],
        );
        return;
      }
      case 'PlacementClosed':
        // `closed` too, which an older replica beside this one reads while an upgrade rolls out.
        await tx.query(`UPDATE ${table} SET closed = true, closed_on = $2 WHERE placement_id = $1`, [event.data.placementId, event.data.closedOn]);
        return;
      // In the checkpoint's transaction, so the count moves once per hire.
      case 'TraineeHired':
        await tx.query(`UPDATE ${table} SET hired = hired + 1 WHERE placement_id = $1`, [event.data.placementId]);
        return;
      case 'EmploymentEnded':
        return;
      // As if never hired: its opening is free again (a closed placement stays closed).
      case 'EmploymentVoided':
        await tx.query(`UPDATE ${table} SET hired = hired - 1 WHERE placement_id = $1`, [event.data.placementId]);
        return;
    }
  },
};
