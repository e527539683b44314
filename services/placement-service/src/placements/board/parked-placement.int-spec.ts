// The placements board meets a PlacementPosted it cannot store (a wage beyond its integer column; put in
// the log directly, as validation now refuses it at the door): the event is parked and the board goes on
// answering the other placements; /admin/projections, the metric and readiness say so; after the fix
// (the column widened, standing for a deploy) a retry applies it and all is well again.
import { bearer, http, ServiceSpec, startServiceSpec, waitFor } from '@skills/testing';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { PlacementModule } from '../../placement.module';
import { employerStream, placementStream, postedPlacement } from '../../placement-fixtures';

/** Above PostgreSQL's integer range (2^31 - 1), the type of the board's wage columns. */
const WAGE_BEYOND_THE_COLUMN = 3_000_000_000;

const tooWellPaid = (employerId: string) => postedPlacement({ employerId, wageMax: WAGE_BEYOND_THE_COLUMN });

describe('the placements board parks a placement it cannot store, and takes it after a fix', () => {
  let service: ServiceSpec;
  let admin: Record<string, string>;
  let sql: Client;

  beforeAll(async () => {
    service = await startServiceSpec({ modules: [PlacementModule], service: 'placement', replicaWaitMs: 200 });
    admin = bearer(await service.issuer.token({ role: 'platform_admin' }));
    sql = new Client({ connectionString: service.database.url });
    await sql.connect();
  });

  afterAll(async () => {
    await sql?.end();
    await service?.close();
  });

  const boardIds = async () => ((await http(service.host.baseUrl, 'GET', '/api/v1/placements')).body.items as { id: string }[]).map((item) => item.id);
  const boardStatus = async () => {
    const answer = await http(service.host.baseUrl, 'GET', '/admin/projections', undefined, admin);
    expect(answer.status).toBe(200);
    return (answer.body.placement as { projection: string; lag: number; parkedEvents: number; parked: Record<string, unknown>[] }[]).find((status) => status.projection === 'placement-board');
  };
  const parkedMetric = async () => {
    const { body } = await http(service.host.baseUrl, 'GET', '/metrics', undefined, admin);
    return Number(/^projection_parked_events\{service="placement",projection="placement-board"\} (\d+)$/m.exec(body)?.[1]);
  };
  const ready = () => http(service.host.baseUrl, 'GET', '/health/ready');

  it('parks the event, keeps the board answering, reports it; after the fix a retry applies it', async () => {
    const employerId = randomUUID();
    const bad = tooWellPaid(employerId);
    const staff = bearer(await service.issuer.token({ role: 'employer_staff', organisationId: employerId }));
    const { body: good } = await service.spec
      .given(employerStream(employerId), placementStream(bad))
      .when('POST', '/api/v1/placements', { employerId, title: '电焊工', occupationCode: '6-18-02-04', openings: 1, wageMin: 6000, wageMax: 8000, regionCode: '430200' }, staff)
      .then(201, [{ type: 'PlacementPosted' }]);

    // The board moves past the event it cannot store and answers the placement posted after it.
    await waitFor(async () => (await boardIds()).includes(good.id), { description: 'the good placement on the board' });
    expect(await boardIds()).not.toContain(bad.data.placementId);

    const status = await waitFor(async () => ((await boardStatus())?.parkedEvents === 1 ? boardStatus() : undefined), { description: 'the parked event' });
    expect(status).toMatchObject({ lag: 0, parkedEvents: 1 });
    expect(status?.parked).toEqual([
      expect.objectContaining({ streamId: `placement-${bad.data.placementId}`, eventType: 'PlacementPosted', error: 'SQLSTATE 22003: value "…" is out of range for type integer', retriedAt: null }),
    ]);
    expect(await parkedMetric()).toBe(1);
    expect(await ready()).toMatchObject({ status: 200, body: { status: 'degraded', degraded: ['placement/placement-board'], checks: { placement: { parkedEvents: { 'placement-board': 1 } } } } });

    // A retry before the fix changes nothing but when it was tried.
    const retry = () => http(service.host.baseUrl, 'POST', '/admin/projections/placement/placement-board/parked/retry', undefined, admin);
    expect(await retry()).toMatchObject({ status: 200, body: { applied: [], parked: [expect.objectContaining({ eventType: 'PlacementPosted', retriedAt: expect.any(String) })] } });

    // The fix, as a deploy would bring it: wage columns wide enough.
    await sql.query('ALTER TABLE placement.placement_board ALTER COLUMN wage_min TYPE bigint, ALTER COLUMN wage_max TYPE bigint');
    expect(await retry()).toMatchObject({ status: 200, body: { applied: [status?.parked[0].globalPosition], parked: [] } });

    expect(await boardIds()).toEqual(expect.arrayContaining([good.id, bad.data.placementId]));
    expect(await boardStatus()).toMatchObject({ parkedEvents: 0, parked: [] });
    expect(await parkedMetric()).toBe(0);
    expect(await ready()).toMatchObject({ status: 200, body: { status: 'ok' } });
    expect((await ready()).body.degraded).toBeUndefined();
  });

  it('answers 409 rebuild_in_progress to a rebuild asked while another replica rebuilds the board, and 202 once it has ended', async () => {
    const rebuild = () => http(service.host.baseUrl, 'POST', '/admin/projections/placement/placement-board/rebuild', undefined, admin);
    // Another replica's rebuild holds the board's rebuild lock (a session's, as the runner takes it).
    const otherReplica = new Client({ connectionString: service.database.url });
    await otherReplica.connect();
    try {
      await otherReplica.query('SELECT pg_advisory_lock(hashtext($1))', ['projection-rebuild:placement:placement-board']);
      expect(await rebuild()).toMatchObject({ status: 409, body: { rule: 'rebuild_in_progress' } });
    } finally {
      await otherReplica.end();
    }
    // Once it has ended, a rebuild runs: a board emptied by mistake has its placements again (the one
    // beyond the column's old range, widened here as a deploy would, may park again in the rebuilt table).
    const employerId = randomUUID();
    const staff = bearer(await service.issuer.token({ role: 'employer_staff', organisationId: employerId }));
    const { body: posted } = await service.spec
      .given(employerStream(employerId))
      .when('POST', '/api/v1/placements', { employerId, title: '焊工', occupationCode: '6-18-02-04', openings: 1, wageMin: 6000, wageMax: 8000, regionCode: '430200' }, staff)
      .then(201, [{ type: 'PlacementPosted' }]);
    await waitFor(async () => (await boardIds()).includes(posted.id), { description: 'the placement on the board' });
    await sql.query('DELETE FROM placement.placement_board');
    expect(await rebuild()).toMatchObject({ status: 202, body: { rebuilding: 'placement-board' } });
    await waitFor(async () => (await boardIds()).includes(posted.id), { description: 'the rebuild to put it back' });
  });

  it('answers 404 to a retry for a projection the service does not run', async () => {
    expect((await http(service.host.baseUrl, 'POST', '/admin/projections/placement/no-such-board/parked/retry', undefined, admin)).status).toBe(404);
  });
});
