// The catch-up barrier on Kafka, with a fact its source has accepted but not yet published (the source's
// relay stopped, as after a command answered 201 `Publication: pending`): a decision waits for it, and says
// 503 when the wait runs out, never "unknown". Two real hosts on the shared broker: a stand-in for
// trainee-service (a module named `trainee`, whose outbox publishes the trainee topic) and a reader
// keeping the trainee replica, told where the source is by TRAINEE_SERVICE_URL, as a deployment tells it.
import { Module } from '@nestjs/common';
import { TRAINEE_TOPIC } from '@skills/contracts';
import { enqueueMessages, OutboxRelay } from '@skills/event-sourcing';
import { Database } from '@skills/postgres';
import { createTestDatabase, describeWithKafka, http, kafkaBrokers, startTestHost, TestDatabase, TestHost, traineeRegisteredFact } from '@skills/testing';
import { randomBytes, randomUUID } from 'node:crypto';
import { INTERNAL_SECRET_HEADER } from '../trainee-ages';
import { outboxPositionPath } from '../outbox-position';
import { ServiceRegistry } from '../service-registry';
import { ServiceRuntimeModule } from '../service-runtime.module';
import { TraineeReplica, traineeReplicaFor, TraineeReplicaForgotten, TraineeReplicaSchema, TraineeReplicaWorkingAge } from '../trainee-replica';
import { CatchUp, FactsNotCaughtUp } from './catch-up';

const SECRET = 'catch-up-kafka-secret';
const WAIT_MS = 2500;

@Module({ imports: [ServiceRuntimeModule.forService({ name: 'trainee', migrations: [] })] })
class SourceModule {}

const replica = traineeReplicaFor('reader');
@Module({
  imports: [ServiceRuntimeModule.forService({ name: 'reader', migrations: [TraineeReplicaSchema, TraineeReplicaWorkingAge, TraineeReplicaForgotten] })],
  controllers: replica.controllers,
  providers: replica.providers,
})
class ReaderModule {}

describeWithKafka('CatchUp on Kafka: facts still in their source’s outbox', () => {
  const suffix = randomBytes(4).toString('hex');
  const before = { url: process.env.TRAINEE_SERVICE_URL, secret: process.env.INTERNAL_API_SECRET };
  const databases: TestDatabase[] = [];
  let source: TestHost;
  let reader: TestHost;
  let catchUp: CatchUp;
  let replicaOfReader: TraineeReplica;

  beforeAll(async () => {
    process.env.INTERNAL_API_SECRET = SECRET;
    databases.push(await createTestDatabase(), await createTestDatabase());
    const common = { transport: 'kafka' as const, kafkaBrokers: kafkaBrokers(), catchUpWaitMs: WAIT_MS };
    source = await startTestHost({ ...common, modules: [SourceModule], clientId: `catch-up-source-${suffix}`, databaseUrl: databases[0].url });
    process.env.TRAINEE_SERVICE_URL = source.baseUrl;
    reader = await startTestHost({ ...common, modules: [ReaderModule], clientId: `catch-up-reader-${suffix}`, databaseUrl: databases[1].url });
    catchUp = reader.app.get(CatchUp);
    replicaOfReader = reader.app.get(TraineeReplica);
  }, 180_000);

  afterAll(async () => {
    await reader?.close();
    await source?.close();
    for (const database of databases) await database.drop();
    for (const [name, value] of [['TRAINEE_SERVICE_URL', before.url], ['INTERNAL_API_SECRET', before.secret]] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }, 60_000);

  afterEach(async () => {
    process.env.TRAINEE_SERVICE_URL = source.baseUrl;
    await source.app.get(OutboxRelay).start();
  });

  /** A registration accepted by the source while its relay is stopped: in its outbox, not on the broker. */
  const acceptedNotPublished = async (): Promise<string> => {
    await source.app.get(OutboxRelay).stop();
    const traineeId = randomUUID();
    const { topic, key, envelope } = traineeRegisteredFact(traineeId);
    await source.app.get(Database).transaction((tx) => enqueueMessages(tx, 'trainee', [{ topic, key, envelope }]));
    return traineeId;
  };
  const find = (traineeId: string) => () => replicaOfReader.find(traineeId);

  it('waits for a registration the source holds, answers 503 when it is not published in time, and takes it once it is', async () => {
    const traineeId = await acceptedNotPublished();
    const started = Date.now();
    await expect(catchUp.lookUp([TRAINEE_TOPIC], find(traineeId))).rejects.toBeInstanceOf(FactsNotCaughtUp);
    expect(Date.now() - started).toBeGreaterThanOrEqual(WAIT_MS - 100);
    await expect(catchUp.facts([TRAINEE_TOPIC])).rejects.toBeInstanceOf(FactsNotCaughtUp);
    // A read that does not wait says it lacks the fact; a consistent one does not pretend to be complete.
    expect((await catchUp.forRead(false, [TRAINEE_TOPIC])).pendingFacts).toBeGreaterThanOrEqual(1);
    await expect(catchUp.forRead(true, [TRAINEE_TOPIC])).rejects.toBeInstanceOf(FactsNotCaughtUp);

    // Published while a decision waits: the decision takes it.
    const looking = catchUp.lookUp([TRAINEE_TOPIC], find(traineeId));
    await new Promise((resolve) => setTimeout(resolve, 300));
    await source.app.get(OutboxRelay).start();
    expect(await looking).toMatchObject({ traineeId });
    await expect(catchUp.facts([TRAINEE_TOPIC])).resolves.toHaveProperty([TRAINEE_TOPIC]);
    expect((await catchUp.forRead(true, [TRAINEE_TOPIC])).pendingFacts).toBe(0);
    // Nothing held any more: an id never registered is called unknown without waiting the wait out.
    const asked = Date.now();
    expect(await catchUp.lookUp([TRAINEE_TOPIC], find(randomUUID()))).toBeUndefined();
    expect(Date.now() - asked).toBeLessThan(WAIT_MS);
  }, 60_000);

  it('answers 503 when the configured source cannot be asked, however little it holds, and the source refuses another secret', async () => {
    process.env.TRAINEE_SERVICE_URL = 'http://127.0.0.1:9';
    await expect(catchUp.facts([TRAINEE_TOPIC])).rejects.toBeInstanceOf(FactsNotCaughtUp);
    process.env.TRAINEE_SERVICE_URL = source.baseUrl;
    const refused = await http(source.baseUrl, 'GET', outboxPositionPath(TRAINEE_TOPIC), undefined, { [INTERNAL_SECRET_HEADER]: 'another-secret' });
    expect(refused).toMatchObject({ status: 403, body: { rule: 'internal_secret_mismatch' } });
    // Told where the source is but not how to prove itself: not asked, and so not caught up.
    delete process.env.INTERNAL_API_SECRET;
    try {
      await expect(catchUp.facts([TRAINEE_TOPIC])).rejects.toBeInstanceOf(FactsNotCaughtUp);
    } finally {
      process.env.INTERNAL_API_SECRET = SECRET;
    }
  }, 30_000);

  it('answers the position of the outboxes in its process only, with the secret', async () => {
    const traineeId = await acceptedNotPublished();
    const held = await http(source.baseUrl, 'GET', outboxPositionPath(TRAINEE_TOPIC), undefined, { [INTERNAL_SECRET_HEADER]: SECRET });
    expect(held.status).toBe(200);
    expect(held.body).toEqual({ last: expect.any(Number), left: 1 });
    expect((await http(source.baseUrl, 'GET', outboxPositionPath(TRAINEE_TOPIC, held.body.last - 1), undefined, { [INTERNAL_SECRET_HEADER]: SECRET })).body).toEqual({ last: held.body.last, left: 0 });
    expect(await http(source.baseUrl, 'GET', `${outboxPositionPath(TRAINEE_TOPIC)}?upTo=-1`, undefined, { [INTERNAL_SECRET_HEADER]: SECRET })).toMatchObject({ status: 400 });
    // The reader's process holds no trainee outbox.
    expect(await http(reader.baseUrl, 'GET', outboxPositionPath(TRAINEE_TOPIC), undefined, { [INTERNAL_SECRET_HEADER]: SECRET })).toMatchObject({ status: 404, body: { rule: 'outbox_not_here' } });
    await source.app.get(OutboxRelay).start();
    await expect(catchUp.lookUp([TRAINEE_TOPIC], find(traineeId))).resolves.toMatchObject({ traineeId });
  }, 30_000);

  it('reads the outbox of a source module in its own process, asking no URL', async () => {
    const database = await createTestDatabase();
    databases.push(database);
    const both = await startTestHost({ transport: 'kafka', kafkaBrokers: kafkaBrokers(), catchUpWaitMs: WAIT_MS, modules: [SourceModule, ReaderModule], clientId: `catch-up-both-${suffix}`, databaseUrl: database.url });
    try {
      // Were it asked over HTTP, nothing would answer here: every wait would end in 503.
      process.env.TRAINEE_SERVICE_URL = 'http://127.0.0.1:9';
      const sourceHere = both.app.get(ServiceRegistry).get('trainee')!;
      const readerHere = both.app.get(ServiceRegistry).get('reader')!;
      const findHere = (traineeId: string) => async () =>
        (await readerHere.database.query<{ trainee_id: string }>('SELECT trainee_id FROM known_trainees WHERE trainee_id = $1', [traineeId])).rows[0];
      const catchUpHere = both.app.get(CatchUp);
      await sourceHere.relay.stop();
      const traineeId = randomUUID();
      const { topic, key, envelope } = traineeRegisteredFact(traineeId);
      await sourceHere.database.transaction((tx) => enqueueMessages(tx, 'trainee', [{ topic, key, envelope }]));
      await expect(catchUpHere.lookUp([TRAINEE_TOPIC], findHere(traineeId))).rejects.toBeInstanceOf(FactsNotCaughtUp);
      await sourceHere.relay.start();
      expect(await catchUpHere.lookUp([TRAINEE_TOPIC], findHere(traineeId))).toEqual({ trainee_id: traineeId });
      expect(await catchUpHere.lookUp([TRAINEE_TOPIC], findHere(randomUUID()))).toBeUndefined();
    } finally {
      await both.close();
    }
  }, 120_000);
});
