// A dry run of a hire (`?dryRun=true`, issue 16) answers exactly what the hire would, and records nothing:
// the refusal with the same status and problem body, or 200 with an employment id, and the store as it
// was (events, outbox and audit lines, the employment index, periods and claims, Idempotency-Keys).
import { fixedClock } from '@skills/domain-kernel';
import { bearer, http, PastEvents, ServiceSpec, startServiceSpec, testIssuer, traineeRegisteredFact } from '@skills/testing';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { placementStream, postedPlacement } from './placement-fixtures';
import { PlacementPosted } from './placements/placement.aggregate';
import { PlacementModule } from './placement.module';

const clock = fixedClock('2021-10-15T02:00:00.000Z');

const staffOf = async (employerId: string) => bearer(await (await testIssuer()).token({ role: 'employer_staff', organisationId: employerId }));

describe('hires: a dry run answers what the hire would, and records nothing', () => {
  let service: ServiceSpec;
  let observer: Client;

  beforeAll(async () => {
    service = await startServiceSpec({ modules: [PlacementModule], service: 'placement', replicaWaitMs: 200, clock });
    observer = new Client({ connectionString: service.database.url, options: '-c search_path=placement' });
    await observer.connect();
  });

  afterAll(async () => {
    await observer?.end();
    await service?.close();
  });

  const store = async (correlationId: string) => {
    const one = async (sql: string, values: unknown[] = []) => (await observer.query<{ n: string }>(sql, values)).rows[0].n;
    return {
      events: await one('SELECT count(*)::text AS n FROM events'),
      head: await one('SELECT coalesce(max(global_position), 0)::text AS n FROM events'),
      outboxOfRequest: await one("SELECT count(*)::text AS n FROM outbox WHERE envelope->>'correlationId' = $1", [correlationId]),
      employments: await one('SELECT count(*)::text AS n FROM employment_index'),
      periods: await one('SELECT count(*)::text AS n FROM employment_periods'),
      claims: await one('SELECT count(*)::text AS n FROM active_employments'),
      idempotencyKeys: await one('SELECT count(*)::text AS n FROM idempotency_keys'),
    };
  };

  /** The past arranged, then the dry run and the real hire of the same trainee; the store around the dry run. */
  const dryRunThenHire = async (placement: PlacementPosted, past: PastEvents, trainee = randomUUID(), startDate = '2021-07-01') => {
    await service.spec.given(past, traineeRegisteredFact(trainee)).when('GET', '/health/live').then(200, []);
    const path = `/api/v1/placements/${placement.data.placementId}/hires`;
    const body = { traineeId: trainee, startDate, monthlyWage: 8000 };
    const headers = await staffOf(placement.data.employerId);
    const correlationId = randomUUID();
    const key = randomUUID();
    const before = await store(correlationId);
    const dry = await http(service.host.baseUrl, 'POST', `${path}?dryRun=true`, body, { ...headers, 'x-correlation-id': correlationId, 'idempotency-key': key });
    const after = await store(correlationId);
    expect(after).toEqual(before);
    expect(after.outboxOfRequest).toBe('0');
    const real = await http(service.host.baseUrl, 'POST', path, body, { ...headers, 'idempotency-key': key });
    return { dry, real };
  };
  const sameRefusal = ({ dry, real }: Awaited<ReturnType<typeof dryRunThenHire>>, rule: string) => {
    expect(dry.body).toMatchObject({ status: 409, rule });
    expect({ status: dry.status, body: dry.body }).toEqual({ status: real.status, body: real.body });
  };

  it('answers level_too_low as the hire does', async () => {
    const placement = postedPlacement({ minLevel: 'junior' });
    sameRefusal(await dryRunThenHire(placement, placementStream(placement)), 'level_too_low');
  });

  it('answers placement_closed as the hire does', async () => {
    const placement = postedPlacement();
    const closed = { type: 'PlacementClosed', data: { placementId: placement.data.placementId, closedOn: '2021-09-01' } };
    sameRefusal(await dryRunThenHire(placement, placementStream(placement, closed), randomUUID(), '2021-09-01'), 'placement_closed');
  });

  it('answers no_openings_left as the hire does', async () => {
    const placement = postedPlacement({ openings: 1 });
    const other = { type: 'TraineeHired', data: { employmentId: randomUUID(), placementId: placement.data.placementId, traineeId: randomUUID(), startDate: '2021-07-01', monthlyWage: 8000 } };
    sameRefusal(await dryRunThenHire(placement, placementStream(placement, other)), 'no_openings_left');
  });

  it('answers already_employed_by_employer (a claim another hire holds) as the hire does', async () => {
    const employerId = randomUUID();
    const [first, second] = [postedPlacement({ employerId }), postedPlacement({ employerId })];
    const trainee = randomUUID();
    await service.spec.given(placementStream(first), traineeRegisteredFact(trainee)).when('POST', `/api/v1/placements/${first.data.placementId}/hires`, { traineeId: trainee, startDate: '2021-07-01', monthlyWage: 8000 }, await staffOf(employerId)).then(201);
    sameRefusal(await dryRunThenHire(second, placementStream(second), trainee), 'already_employed_by_employer');
  });

  it('answers 200 with an employment id and hires nobody; the hire then takes the opening', async () => {
    const placement = postedPlacement({ openings: 1 });
    const { dry, real } = await dryRunThenHire(placement, placementStream(placement));
    expect(dry.status).toBe(200);
    expect(dry.body).toEqual({ dryRun: true, employmentId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    // The opening, the claim and the Idempotency-Key were left free: the hire is done, not replayed.
    expect(real.status).toBe(201);
    expect(real.body).toEqual({ employmentId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    expect(real.body.employmentId).not.toBe(dry.body.employmentId);
  });

  it("answers another employer's staff the 403 of the hire", async () => {
    const placement = postedPlacement();
    const trainee = randomUUID();
    await service.spec.given(placementStream(placement), traineeRegisteredFact(trainee)).when('GET', '/health/live').then(200, []);
    const path = `/api/v1/placements/${placement.data.placementId}/hires`;
    const body = { traineeId: trainee, startDate: '2021-07-01', monthlyWage: 8000 };
    const stranger = await staffOf(randomUUID());
    const dry = await http(service.host.baseUrl, 'POST', `${path}?dryRun=true`, body, stranger);
    const real = await http(service.host.baseUrl, 'POST', path, body, stranger);
    expect(dry.status).toBe(403);
    expect({ status: dry.status, body: dry.body }).toEqual({ status: real.status, body: real.body });
  });
});
