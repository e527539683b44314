// The upgrade that keeps the day a placement was closed on the board (placement.migrations.ts,
// PlacementBoardClosedOn). A board an old build filled has only `closed`; the upgrade fills the day in place
// from the log, so a placement closed before the upgrade answers its `closedOn` too, and the board answers
// throughout. Without the migration the column is added empty and the day is never known.
import { migrate } from '@skills/postgres';
import { serviceMigrations } from '@skills/service-runtime';
import { apiSpec, createTestDatabase, http, startTestHost, TestDatabase, TestHost, waitFor } from '@skills/testing';
import { Client } from 'pg';
import { placementMigrations, PlacementBoardClosedOn } from '../../placement.migrations';
import { PlacementModule } from '../../placement.module';
import { employerStream, placementStream, postedPlacement } from '../../placement-fixtures';

describe('the upgrade that keeps the day a placement was closed on the board', () => {
  const employerId = '0b9a7a4e-3f0c-4a8e-9d51-6f3f0c2a9b11';
  const closedOne = postedPlacement({ employerId, openings: 3 });
  const openOne = postedPlacement({ employerId, openings: 2 });
  let database: TestDatabase;
  let sql: Client;
  let host: TestHost | undefined;

  const board = async () => {
    const answer = await http(host!.baseUrl, 'GET', `/api/v1/placements?employerId=${employerId}`);
    expect(answer.status).toBe(200);
    return answer.body.items as { id: string; status: string; closedOn: string | null }[];
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    sql = new Client({ connectionString: database.url });
    await sql.connect();
    host = await startTestHost({ modules: [PlacementModule], transport: 'in-process', databaseUrl: database.url });
    const spec = apiSpec({ host, databaseUrl: database.url, service: 'placement' });
    await spec
      .given(employerStream(employerId), placementStream(closedOne, { type: 'PlacementClosed', data: { placementId: closedOne.data.placementId, closedOn: '2021-09-01' } }), placementStream(openOne))
      .when('GET', '/health/ready')
      .then(200);
    await spec.close();
    await waitFor(async () => ((await board()).length === 2 ? true : undefined), { description: 'both placements on the board' });
    await host.close();
    host = undefined;

    // As the build before this migration left it: the board with a `closed` flag and no day, the checkpoint at the head.
    await sql.query('DELETE FROM placement.migrations WHERE name = $1', [new PlacementBoardClosedOn().name]);
    await sql.query('ALTER TABLE placement.placement_board DROP COLUMN closed_on');
  });

  afterAll(async () => {
    await host?.close();
    await sql?.end();
    await database?.drop();
  });

  it('fills the day each placement was closed in place, from the log, and the next start answers it', async () => {
    await migrate(database.url, 'placement', serviceMigrations({ migrations: placementMigrations }));
    // The board was kept, its checkpoint too: nothing to replay.
    expect((await sql.query("SELECT 1 FROM placement.projection_checkpoints WHERE projection = 'placement-board'")).rowCount).toBe(1);
    const days = await sql.query("SELECT placement_id::text AS id, to_char(closed_on, 'YYYY-MM-DD') AS closed_on FROM placement.placement_board ORDER BY closed_on NULLS LAST");
    expect(days.rows).toEqual([
      { id: closedOne.data.placementId, closed_on: '2021-09-01' },
      { id: openOne.data.placementId, closed_on: null },
    ]);

    host = await startTestHost({ modules: [PlacementModule], transport: 'in-process', databaseUrl: database.url });
    const answered = await board();
    expect(answered.find((item) => item.id === closedOne.data.placementId)).toMatchObject({ status: 'closed', closedOn: '2021-09-01' });
    expect(answered.find((item) => item.id === openOne.data.placementId)).toMatchObject({ status: 'open', closedOn: null });
  });
});
