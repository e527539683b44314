// An import batch over Kafka, applied by a consumer that had fallen behind: trainee-service and
// training-service as two hosts. Training's consumer is stopped while trainees are registered and an
// enrolments file naming them is uploaded, so when it comes back it fetches, in one partition, a
// trainee's TraineeRegistered and then the job's batch (ImportRowsSubmitted, keyed by job id), in
// one chunk of its batched consumer. The batch enrols through the trainee replica, read through the
// pool in a transaction of its own: it must see the trainee that the message before it recorded.
// Then a batch whose trainee's registration is more than a fetch behind it, in another partition: it is
// held (its partition paused) while the consumer fetches on, and judged once the registration is applied;
// and a batch naming someone voided goes once what was produced before it has been applied.
// On a broker of its own: on the shared one, other suites' training hosts would read the job's batch
// too and answer it first (refused: they hold no such course), and their messages would move the
// chunks' boundaries.
import { ImportRowsSubmitted, TRAINEE_TOPIC } from '@skills/contracts';
import { HeldUntilLater, MessageConsumer } from '@skills/messaging';
import { ImportBatchHold, TraineeReplica } from '@skills/service-runtime';
import {
  bearer,
  consumerGroupCaughtUp,
  createTestDatabase,
  describeWithKafka,
  http,
  importClient,
  KafkaBroker,
  partitionOfKey,
  startDedicatedKafka,
  startTestHost,
  TestDatabase,
  TestHost,
  testAdultIdentityNumber,
  testCreditCode,
  testIssuer,
  waitFor,
} from '@skills/testing';
import { TraineeModule } from '@skills/trainee-service';
import { TrainingModule } from '@skills/training-service';
import { Kafka, logLevel } from 'kafkajs';
import { randomBytes, randomUUID } from 'node:crypto';

describeWithKafka('an import batch fetched together with the registrations it names', () => {
  const suffix = randomBytes(4).toString('hex');
  const trainingGroup = `training-service-import-${suffix}`;
  let traineeDb: TestDatabase;
  let trainingDb: TestDatabase;
  let trainee: TestHost;
  let training: TestHost | undefined;
  let courseId: string;
  let school: Record<string, string>;
  let broker: KafkaBroker;
  // Short, so that a batch which cannot see its trainees is refused within the test, not after 30 s.
  const startTraining = () => startTestHost({ transport: 'kafka', kafkaBrokers: broker.brokers, modules: [TrainingModule], clientId: trainingGroup, databaseUrl: trainingDb.url, replicaWaitMs: 3_000 });

  beforeAll(async () => {
    const issuer = await testIssuer();
    broker = await startDedicatedKafka();
    [traineeDb, trainingDb] = await Promise.all([createTestDatabase(), createTestDatabase()]);
    trainee = await startTestHost({ transport: 'kafka', kafkaBrokers: broker.brokers, modules: [TraineeModule], clientId: `trainee-service-import-${suffix}`, databaseUrl: traineeDb.url });
    training = await startTraining();
    const admin = bearer(await issuer.token({ role: 'platform_admin' }));
    const provider = await http(training.baseUrl, 'POST', '/api/v1/providers', { name: '株洲新希望焊接培训学校', creditCode: testCreditCode(1801), regionCode: '430200' }, admin);
    expect(provider.status).toBe(201);
    school = bearer(await issuer.token({ role: 'school_staff', organisationId: provider.body.id }));
    const course = await http(training.baseUrl, 'POST', '/api/v1/courses', { providerId: provider.body.id, title: '焊工（中级）', occupationCode: '6-18-02-04', kind: 'skill', capacity: 50, startDate: '2021-03-01', endDate: '2021-05-31' }, school);
    expect(course.status).toBe(201);
    courseId = course.body.id;
    await waitFor(() => consumerGroupCaughtUp(broker.brokers, trainingGroup, TRAINEE_TOPIC), { timeoutMs: 60_000, description: 'training-service to catch up with the trainee topic' });
  }, 120_000);

  afterAll(async () => {
    await trainee?.close();
    await training?.close();
    await broker?.destroy();
    await traineeDb?.drop();
    await trainingDb?.drop();
  }, 60_000);

  it('enrols every row, the trainee registered just before the batch in its partition included', async () => {
    await training?.close();
    training = undefined;

    // Registered until every partition of the trainee topic holds one of them: whichever partition the
    // job's batch goes to, a registration the batch names is ahead of it there.
    const { partitions, partitionOf } = await partitionOfKey(broker.brokers, TRAINEE_TOPIC);
    const people: Array<{ name: string; idNumber: string }> = [];
    const covered = new Set<number>();
    for (let n = 0; covered.size < partitions; n++) {
      const person = { name: `学员${n}`, idNumber: testAdultIdentityNumber(181_000 + n) };
      const registered = await http(trainee.baseUrl, 'POST', '/api/v1/trainees', { ...person, phone: '13800000000' }, school);
      expect(registered.status).toBe(201);
      people.push(person);
      covered.add(partitionOf(registered.body.id));
    }

    const rows = people.map((person) => [person.name, person.idNumber, '2021-03-02', '合格', '80', '2021-05-30'].join(','));
    const file = { bytes: Buffer.from(['姓名,身份证号,报名日期,是否合格,成绩,考核日期', ...rows].join('\r\n') + '\r\n'), name: '成绩.csv' };
    const imports = importClient(trainee.baseUrl, school);
    const job = await imports.upload(file, { kind: 'enrolments_and_results', courseId }, '?run=true');
    expect(job.status).toBe(202);
    expect(await imports.job(job.body.id)).toMatchObject({ state: 'validating' });

    training = await startTraining();
    expect(await imports.settled(job.body.id)).toMatchObject({ state: 'done', total: people.length, created: people.length, refused: 0 });
    const roster = await http(training.baseUrl, 'GET', `/api/v1/courses/${courseId}/enrollments?limit=100&consistent=true`, undefined, school);
    expect(roster.status).toBe(200);
    expect(roster.body.items).toHaveLength(people.length);
  }, 180_000);

  it('holds a batch that comes a fetch ahead of its trainee’s registration in another partition, and judges it once the registration is applied', async () => {
    await training?.close();
    training = undefined;

    // More than a fetch's worth of the topic (kafkajs takes 1 MB a partition) ahead of the registration
    // in its partition, of messages training-service ignores (another kind's batch).
    const { partitionOf } = await partitionOfKey(broker.brokers, TRAINEE_TOPIC);
    const behind = 0;
    await padPartition(broker.brokers, behind, 4, 400_000);
    let person = { name: '', idNumber: '' };
    for (let n = 0; ; n++) {
      person = { name: `学员乙${n}`, idNumber: testAdultIdentityNumber(182_000 + n) };
      const registered = await http(trainee.baseUrl, 'POST', '/api/v1/trainees', { ...person, phone: '13800000000' }, school);
      expect(registered.status).toBe(201);
      if (partitionOf(registered.body.id) === behind) break;
    }

    // The job's batches in another partition, near its start: fetched at once when training comes back.
    // A job whose batches would follow the registration in its partition is left unrun (its dry run
    // judges the same row, after the registration, in order).
    const file = { bytes: Buffer.from(`姓名,身份证号,报名日期,是否合格,成绩,考核日期\r\n${person.name},${person.idNumber},2021-03-02,合格,80,2021-05-30\r\n`), name: '成绩.csv' };
    const imports = importClient(trainee.baseUrl, school);
    let jobId = '';
    do {
      const job = await imports.upload(file, { kind: 'enrolments_and_results', courseId });
      expect(job.status).toBe(202);
      jobId = job.body.id;
    } while (partitionOf(jobId) === behind);

    training = await startTraining();
    // Not refused as an unknown trainee after the replica's 3 s: held until the registration was applied.
    expect(await imports.settled(jobId)).toMatchObject({ state: 'ready', total: 1, refused: 0 });
    expect((await imports.run(jobId)).status).toBe(202);
    expect(await imports.settled(jobId)).toMatchObject({ state: 'done', created: 1, refused: 0 });
  }, 180_000);

  it('lets a batch go once what was produced before it has been applied, though its trainee stays unknown (voided since the file was checked)', async () => {
    const running = training as TestHost;
    const consumer = running.app.select(TrainingModule).get(MessageConsumer);
    const hold = running.app.get(ImportBatchHold, { strict: false });
    const { partitions, partitionOf } = await partitionOfKey(broker.brokers, TRAINEE_TOPIC);
    // training-service falls behind: its consumer holds what it fetches.
    consumer.pause();
    let traineeId: string;
    try {
      const registered = await http(trainee.baseUrl, 'POST', '/api/v1/trainees', { name: '学员丙', idNumber: testAdultIdentityNumber(183_000), phone: '13800000000' }, school);
      expect(registered.status).toBe(201);
      traineeId = registered.body.id;
      expect((await http(trainee.baseUrl, 'POST', `/api/v1/trainees/${traineeId}/void`, { reason: '身份证号录入错误' }, school)).status).toBe(200);
      // A batch produced after both, naming the trainee, in another partition than theirs.
      const envelope = importBatch({ kind: 'enrolments_and_results', courseId, rows: [{ row: 2, naturalKey: traineeId, key: 'k', traineeId, fields: {} }] });
      const delivery = { partition: (partitionOf(traineeId) + 1) % partitions, timestamp: Date.now() + 1 };
      await expect(hold.untilItsTraineesArrived(envelope, delivery)).rejects.toBeInstanceOf(HeldUntilLater);
      consumer.resume();
      await waitFor(() => consumerGroupCaughtUp(broker.brokers, trainingGroup, TRAINEE_TOPIC), { timeoutMs: 60_000, description: 'training-service to apply the registration and its void' });
      expect(await running.app.get(TraineeReplica, { strict: false }).unknownAmong([traineeId])).toEqual([traineeId.toLowerCase()]);
      // Decided now (its row refused as an unknown trainee), not held until HOLD_LIMIT_MS.
      await expect(hold.untilItsTraineesArrived(envelope, delivery)).resolves.toBeUndefined();
    } finally {
      consumer.resume();
    }
  }, 120_000);
});

/** An import batch's message as trainee-service submits it (a dry run's first batch of a job of its own). */
function importBatch({ kind, courseId, rows }: Pick<ImportRowsSubmitted['payload'], 'kind' | 'courseId' | 'rows'>): ImportRowsSubmitted {
  const now = new Date().toISOString();
  return {
    eventId: randomUUID(),
    type: 'ImportRowsSubmitted',
    schemaVersion: 1,
    aggregateId: randomUUID(),
    aggregateVersion: 0,
    occurredAt: now,
    recordedAt: now,
    correlationId: randomUUID(),
    payload: { jobId: randomUUID(), batch: 0, mode: 'judge', kind, organisationId: randomUUID(), courseId, startedBy: { userId: null, role: 'school_staff' }, rows },
  };
}

/** `sends` sends of about `bytes` each (under the broker's 1 MB a request; 40 messages a send) into one partition of the trainee topic. */
async function padPartition(brokers: string[], partition: number, sends: number, bytes: number): Promise<void> {
  const producer = new Kafka({ clientId: 'import-kafka-spec-padding', brokers, logLevel: logLevel.NOTHING }).producer();
  await producer.connect();
  try {
    for (let send = 0; send < sends; send++) {
      const messages = Array.from({ length: 40 }, () => {
        // A trainees batch: applied in trainee-service, ignored by training-service.
        const envelope = importBatch({ kind: 'trainees', courseId: null, rows: [{ row: 2, naturalKey: 'padding', key: 'padding', traineeId: null, fields: { padding: 'x'.repeat(bytes / 40) } }] });
        return { partition, value: JSON.stringify(envelope), headers: { eventId: envelope.eventId, type: envelope.type, schemaVersion: '1', correlationId: envelope.correlationId } };
      });
      await producer.send({ topic: TRAINEE_TOPIC, messages });
    }
  } finally {
    await producer.disconnect();
  }
}
