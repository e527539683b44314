// Hosts that start while the broker is down (a pod restarted or scaled out during a Kafka outage):
// trainee-service and training-service as separate hosts with separate databases, their KAFKA_BROKERS a
// port where no broker listens yet. They must start and take commands (the outbox holds the integration
// events); once a broker listens there, each host ensures the topics and connects its consumers by
// itself, and the events reach the other service, without anyone restarting anything.
import { bearer, createTestDatabase, describeWithKafka, freePort, http, KafkaBroker, startDedicatedKafka, startTestHost, TestDatabase, TestHost, testIssuer, waitFor, testIdentityNumber as identityNumber } from '@skills/testing';
import { TraineeModule } from '@skills/trainee-service';
import { TrainingModule } from '@skills/training-service';
import { Client } from 'pg';

async function query<Row extends Record<string, unknown>>(url: string, schema: string, sql: string, values: unknown[] = []): Promise<Row[]> {
  const client = new Client({ connectionString: url, options: `-c search_path=${schema}` });
  await client.connect();
  try {
    return (await client.query<Row>(sql, values)).rows;
  } finally {
    await client.end();
  }
}

describeWithKafka('hosts started while the broker is down', () => {
  let brokerPort: number;
  let broker: KafkaBroker | undefined;
  let traineeDb: TestDatabase;
  let trainingDb: TestDatabase;
  let trainee: TestHost;
  let training: TestHost;
  let admin: Record<string, string>;

  beforeAll(async () => {
    admin = bearer(await (await testIssuer()).token({ role: 'platform_admin' }));
    brokerPort = await freePort();
    [traineeDb, trainingDb] = await Promise.all([createTestDatabase(), createTestDatabase()]);
    const common = { transport: 'kafka' as const, kafkaBrokers: [`127.0.0.1:${brokerPort}`], publicationWaitMs: 1000 };
    [trainee, training] = await Promise.all([
      startTestHost({ ...common, modules: [TraineeModule], clientId: 'trainee-service', databaseUrl: traineeDb.url }),
      startTestHost({ ...common, modules: [TrainingModule], clientId: 'training-service', databaseUrl: trainingDb.url }),
    ]);
  }, 120_000);

  afterAll(async () => {
    await trainee?.close();
    await training?.close();
    await broker?.destroy();
    await traineeDb?.drop();
    await trainingDb?.drop();
  }, 60_000);

  const knownTrainees = async () => (await query<{ trainee_id: string }>(trainingDb.url, 'training', 'SELECT trainee_id FROM known_trainees')).map((row) => row.trainee_id);
  const outboxOf = async (aggregateId: string) => (await query(traineeDb.url, 'trainee', 'SELECT 1 FROM outbox WHERE message_key = $1', [aggregateId])).length;

  it('take a command into the outbox with no broker, and deliver it once a broker is there', async () => {
    const answer = await http(trainee.baseUrl, 'POST', '/api/v1/trainees', { name: '学员1', idNumber: identityNumber(1), phone: '13800000000' }, admin);
    expect({ status: answer.status, publication: answer.headers.get('publication') }).toEqual({ status: 201, publication: 'pending' });
    const traineeId: string = answer.body.id;
    expect(await outboxOf(traineeId)).toBeGreaterThan(0);
    // Degraded but ready: a load balancer sends it commands.
    expect(await http(trainee.baseUrl, 'GET', '/health/ready')).toMatchObject({ status: 200, body: { status: 'degraded', degraded: ['broker'], checks: { broker: 'down' } } });

    broker = await startDedicatedKafka({ port: brokerPort });

    await waitFor(async () => (await knownTrainees()).includes(traineeId), { timeoutMs: 90_000, description: 'training-service to learn of the trainee' });
    expect(await outboxOf(traineeId)).toBe(0);
    await waitFor(async () => (await http(trainee.baseUrl, 'GET', '/health/ready')).body?.checks?.broker === 'up', { timeoutMs: 10_000, description: 'readiness to see the broker up' });
  }, 180_000);
});
