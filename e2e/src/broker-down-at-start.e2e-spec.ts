// Hosts that start while the broker is down (a pod restarted or scaled out during a Kafka outage):
// trainee-service and training-service as separate hosts with separate databases, their KAFKA_BROKERS a
// port where no broker listens yet. They must start and take commands (the outbox holds the integration
// events); once a broker listens there, each host ensures the topics and connects its consumers by
// itself, and the events reach the other service, without anyone restarting anything. Until then, what
// must reach the broker at once (an operator's retry of a dead letter) is answered 503 with Retry-After.
import { TOPICS } from '@skills/contracts';
import { bearer, createTestDatabase, describeWithKafka, freePort, http, KafkaBroker, startDedicatedKafka, startTestHost, TestDatabase, TestHost, testIssuer, waitFor, testIdentityNumber as identityNumber } from '@skills/testing';
import { TraineeModule } from '@skills/trainee-service';
import { TrainingModule } from '@skills/training-service';
import { randomUUID } from 'node:crypto';
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
    const common = { transport: 'kafka' as const, kafkaBrokers: [`127.0.0.1:${brokerPort}`], brokerDown: true, publicationWaitMs: 1000 };
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

  it('answer 503 with Retry-After to the retry of a dead letter while there is no broker, sending nothing', async () => {
    // A letter parked before this start: its retry re-publishes it, which needs the topics ensured.
    const eventId = randomUUID();
    const envelope = { eventId, type: 'TraineeRegistered', schemaVersion: 1, aggregateId: randomUUID(), aggregateVersion: 1, occurredAt: '2026-01-01', recordedAt: '2026-01-01T00:00:00Z', correlationId: 'parked', payload: {} };
    const [{ id }] = await query<{ id: string }>(
      trainingDb.url,
      'training',
      'INSERT INTO dead_letters (consumer, topic, message_id, envelope, error) VALUES ($1, $2, $3, $4, $5) RETURNING id::text',
      ['training.known-trainees', TOPICS.trainee, eventId, JSON.stringify(envelope), 'parked before the restart'],
    );
    try {
      const answer = await http(training.baseUrl, 'POST', `/admin/dead-letters/training/${id}/retry`, undefined, admin);
      expect({ status: answer.status, retryAfter: answer.headers.get('retry-after'), rule: answer.body?.rule }).toEqual({ status: 503, retryAfter: '30', rule: 'broker_not_ready' });
      expect(await query(trainingDb.url, 'training', 'SELECT 1 FROM dead_letters WHERE id = $1', [id])).toHaveLength(1);
    } finally {
      await query(trainingDb.url, 'training', 'DELETE FROM dead_letters WHERE id = $1', [id]);
    }
  });

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
