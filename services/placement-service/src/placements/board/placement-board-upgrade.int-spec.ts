// The upgrade that keeps the day a placement was closed on the board (placement.migrations.ts,
// PlacementBoardClosedOn). A board an old build filled has only `closed`; the upgrade's first start fills
// it again from the log, so a placement closed before the upgrade answers its `closedOn` too. Without the
// migration the old table stays and the board cannot answer at all (no `closed_on` column).
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
    await sql.query('ALTER TABLE placement.placement_board DROP COLUMN closed_on, ADD COLUMN closed boolean NOT NULL DEFAULT false');
    await sql.query('UPDATE placement.placement_board SET closed = true WHERE placement_id = $1', [closedOne.data.placementId]);
  });

  afterAll(async () => {
    await host?.close();
    await sql?.end();
    await database?.drop();
  });

  it('drops the old board and its checkpoint, and the next start answers the day each placement was closed', async () => {
    await migrate(database.url, 'placement', serviceMigrations({ migrations: placementMigrations }));
    expect((await sql.query("SELECT to_regclass('placement.placement_board') AS board")).rows).toEqual([{ board: null }]);
    expect((await sql.query("SELECT 1 FROM placement.projection_checkpoints WHERE projection = 'placement-board'")).rowCount).toBe(0);

    host = await startTestHost({ modules: [PlacementModule], transport: 'in-process', databaseUrl: database.url });
    const answered = await waitFor(async () => {
      const items = await board();
      return items.length === 2 ? items : undefined;
    }, { description: 'the board filled again from the log' });
    expect(answered.find((item) => item.id === closedOne.data.placementId)).toMatchObject({ status: 'closed', closedOn: '2021-09-01' });
    expect(answered.find((item) => item.id === openOne.data.placementId)).toMatchObject({ status: 'open', closedOn: null });
  });
});
