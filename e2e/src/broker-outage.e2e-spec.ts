// A Kafka outage, on a broker of this test's own: trainee-service and training-service as separate
// hosts with separate databases (the distributed deployment). While the broker is down, commands must
// still succeed (the outbox holds their integration events); once it is back, every event must reach
// the other service exactly once, without anyone restarting anything.
import { bearer, createTestDatabase, describeWithKafka, http, KafkaBroker, startDedicatedKafka, startTestHost, TestDatabase, TestHost, testIssuer, waitFor, testIdentityNumber as identityNumber } from '@skills/testing';
import { TraineeModule } from '@skills/trainee-service';
import { TrainingModule } from '@skills/training-service';
import { Client } from 'pg';


async function query<Row extends Record<string, unknown>>(url: string, schema: string, sql: string): Promise<Row[]> {
  const client = new Client({ connectionString: url, options: `-c search_path=${schema}` });
  await client.connect();
  try {
    return (await client.query<Row>(sql)).rows;
  } finally {
    await client.end();
  }
}

const count = async (url: string, schema: string, table: string) => Number((await query<{ n: string }>(url, schema, `SELECT count(*) AS n FROM ${table}`))[0].n);

describeWithKafka('a Kafka outage between trainee-service and training-service', () => {
  let broker: KafkaBroker;
  let traineeDb: TestDatabase;
  let trainingDb: TestDatabase;
  let trainee: TestHost;
  let training: TestHost;
  /** The platform admin registers the trainees (no school exists before the outage) and the school. */
  let admin: Record<string, string>;

  beforeAll(async () => {
    admin = bearer(await (await testIssuer()).token({ role: 'platform_admin' }));
    broker = await startDedicatedKafka();
    [traineeDb, trainingDb] = await Promise.all([createTestDatabase(), createTestDatabase()]);
    // A command answers once the broker has its events, or after PUBLICATION_WAIT_MS with `Publication: pending`.
    const common = { transport: 'kafka' as const, kafkaBrokers: broker.brokers, publicationWaitMs: 1000 };
    trainee = await startTestHost({ ...common, modules: [TraineeModule], clientId: 'trainee-service', databaseUrl: traineeDb.url });
    training = await startTestHost({ ...common, modules: [TrainingModule], clientId: 'training-service', databaseUrl: trainingDb.url });
  }, 120_000);

  afterAll(async () => {
    await trainee?.close();
    await training?.close();
    await broker?.destroy();
    await traineeDb?.drop();
    await trainingDb?.drop();
  }, 60_000);

  /** Registers the n-th trainee; the answer says whether its events still wait in the outbox. */
  const register = async (n: number, publication: 'pending' | null = null): Promise<string> => {
    const answer = await http(trainee.baseUrl, 'POST', '/api/v1/trainees', { name: `学员${n}`, idNumber: identityNumber(n), phone: '13800000000' }, admin);
    expect({ status: answer.status, publication: answer.headers.get('publication') }).toEqual({ status: 201, publication });
    return answer.body.id;
  };

  const knownTrainees = async () => (await query<{ trainee_id: string }>(trainingDb.url, 'training', 'SELECT trainee_id FROM known_trainees')).map((row) => row.trainee_id);

  it('accepts registrations while the broker is down and delivers every one of them exactly once after it is back', async () => {
    const before = [await register(1), await register(2), await register(3)];
    await waitFor(async () => (await knownTrainees()).length === before.length, { timeoutMs: 20_000, description: 'the replica to learn of the first trainees' });
    await waitFor(async () => (await count(traineeDb.url, 'trainee', 'outbox')) === 0, { timeoutMs: 5_000, description: 'the outbox to empty' });

    await broker.stop();
    // Degraded but ready: a load balancer keeps sending commands, which the outbox takes.
    expect(await http(trainee.baseUrl, 'GET', '/health/ready')).toMatchObject({ status: 200, body: { status: 'degraded', degraded: ['broker'], checks: { broker: 'down' } } });

    // The outbox takes the integration events (and each command's audit line): every command answers 201 without the broker.
    const during: string[] = [];
    for (let batch = 0; batch < 4; batch++) {
      during.push(...(await Promise.all(Array.from({ length: 5 }, (_, n) => register(100 + batch * 5 + n, 'pending')))));
    }
    expect(new Set(during).size).toBe(20);
    expect(await count(traineeDb.url, 'trainee', 'outbox')).toBe(40);
    // A service whose very first publication falls into the outage (training has published nothing yet).
    const provider = await http(training.baseUrl, 'POST', '/api/v1/providers', { name: '株洲新希望焊接培训学校', creditCode: '91430200MA4L00001P', regionCode: '430200' }, admin);
    expect(provider.status).toBe(201);
    expect((await knownTrainees()).sort()).toEqual([...before].sort());

    await broker.restart();

    const everyone = [...before, ...during].sort();
    await waitFor(async () => (await knownTrainees()).length >= everyone.length, { timeoutMs: 60_000, description: `the replica to know all ${everyone.length} trainees` });
    const replica = await query<{ total: string; distinct: string }>(trainingDb.url, 'training', 'SELECT count(*) AS total, count(DISTINCT trainee_id) AS distinct FROM known_trainees');
    expect(replica[0]).toEqual({ total: String(everyone.length), distinct: String(everyone.length) });
    expect((await knownTrainees()).sort()).toEqual(everyone);
    const inbox = await query<{ total: string; distinct: string }>(trainingDb.url, 'training', "SELECT count(*) AS total, count(DISTINCT message_id) AS distinct FROM inbox WHERE consumer = 'training.known-trainees'");
    expect(inbox[0]).toEqual({ total: String(everyone.length), distinct: String(everyone.length) });

    await waitFor(async () => (await count(traineeDb.url, 'trainee', 'outbox')) === 0, { timeoutMs: 15_000, description: "trainee-service's outbox to empty" });
    await waitFor(async () => (await count(trainingDb.url, 'training', 'outbox')) === 0, { timeoutMs: 15_000, description: "training-service's outbox to empty" });
    expect(await http(trainee.baseUrl, 'GET', '/health/ready')).toMatchObject({ status: 200, body: { status: 'ok', checks: { broker: 'up' } } });
  }, 150_000);
});
