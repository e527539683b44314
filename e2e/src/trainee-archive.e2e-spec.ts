// The lifelong training archive, built in trainee-service from training-service's integration
// events: in one process (in-process transport) and as two services on Kafka, the same scenario.
import { ServiceRegistry } from '@skills/service-runtime';
import { bearer, createTestDatabase, describeWithKafka, http, kafkaBrokers, startTestHost, TestDatabase, TestHost, testIssuer, waitFor } from '@skills/testing';
import { TraineeModule } from '@skills/trainee-service';
import { TrainingModule } from '@skills/training-service';
import { randomBytes } from 'node:crypto';
import { runArchiveScenario } from './archive-scenario';

type Scenario = Awaited<ReturnType<typeof runArchiveScenario>>;

function expectTimeline({ archive, traineeId, courseA, courseB }: Scenario) {
  expect(archive.trainee).toMatchObject({ id: traineeId, name: expect.stringContaining('档案学员') });
  expect(archive.entries.map((entry: { at: string; kind: string }) => [entry.at, entry.kind])).toEqual([
    ['2020-09-05', 'enrolled'],
    ['2020-10-01', 'withdrew'],
    ['2021-03-02', 'enrolled'],
    ['2021-05-31', 'assessed'],
  ]);
  const [enrolledB, withdrewB, enrolledA, assessedA] = archive.entries;
  expect(enrolledB).toMatchObject({ courseId: courseB, courseTitle: '焊工（初级）2020', courseKind: 'skill', occupationCode: '6-18-02-04', context: 'training' });
  expect(withdrewB).toMatchObject({ courseId: courseB, enrollmentId: enrolledB.enrollmentId });
  expect(enrolledA).toMatchObject({ courseId: courseA, courseTitle: '焊工（中级）2021' });
  // The correction replaced the failed result and says which one it corrected.
  expect(assessedA).toMatchObject({ courseId: courseA, enrollmentId: enrolledA.enrollmentId, passed: true, score: 82, corrects: expect.any(String) });
}

describe('training archive, all in one process', () => {
  let database: TestDatabase;
  let host: TestHost;

  beforeAll(async () => {
    // Hosts started afterwards trust the test issuer; runArchiveScenario signs its tokens with it.
    await testIssuer();
    database = await createTestDatabase();
    host = await startTestHost({ modules: [TraineeModule, TrainingModule], transport: 'in-process', databaseUrl: database.url, replicaWaitMs: 5000 });
  });

  afterAll(async () => {
    await host?.close();
    await database?.drop();
  });

  it('lists enrolment, withdrawal and the corrected assessment in business-date order', async () => {
    const scenario = await runArchiveScenario({ trainee: host.baseUrl, training: host.baseUrl }, 1000);
    expectTimeline(scenario);
    // The other trainee's enrolment travels on its own: wait for it, then nothing else may be there.
    // Read by the school that registered and enrolled them (a related organisation).
    const other = await waitFor(async () => {
      const answer = await http(host.baseUrl, 'GET', `/api/v1/trainees/${scenario.otherId}/archive`, undefined, bearer(scenario.schoolStaff));
      return answer.body.entries.length > 0 ? answer.body.entries : undefined;
    }, { description: 'the other trainee’s enrolment to reach the archive' });
    expect(other.map((entry: { courseId: string }) => entry.courseId)).toEqual([scenario.courseC]);
  });

  it('rebuilds the archive from the log to the same rows while the live one keeps answering', async () => {
    const scenario = await runArchiveScenario({ trainee: host.baseUrl, training: host.baseUrl }, 2000);
    const runner = host.app.get(ServiceRegistry).get('trainee')!.projections;
    await runner.caughtUp();
    // Read by the school that registered and enrolled the trainee (a related organisation).
    const archive = async () => {
      const { freshness: _freshness, ...timeline } = (await http(host.baseUrl, 'GET', `/api/v1/trainees/${scenario.traineeId}/archive`, undefined, bearer(scenario.schoolStaff))).body;
      return timeline;
    };
    const live = await archive();
    const rebuilding = runner.rebuild('trainee-archive');
    expect(await archive()).toEqual(live);
    await rebuilding;
    expect(await archive()).toEqual(scenario.archive);
  });

  it('answers 404 for the archive of an unknown trainee', async () => {
    // No organisation is related to a trainee nobody registered: the platform admin asks.
    const admin = await (await testIssuer()).token({ role: 'platform_admin' });
    const answer = await http(host.baseUrl, 'GET', '/api/v1/trainees/00000000-0000-4000-8000-000000000000/archive', undefined, bearer(admin));
    expect(answer).toMatchObject({ status: 404 });
  });
});

describeWithKafka('training archive, trainee-service and training-service on Kafka', () => {
  const suffix = randomBytes(4).toString('hex');
  let databases: TestDatabase[] = [];
  let trainee: TestHost;
  let training: TestHost;

  beforeAll(async () => {
    await testIssuer();
    databases = await Promise.all([createTestDatabase(), createTestDatabase()]);
    const common = { transport: 'kafka' as const, kafkaBrokers: kafkaBrokers() };
    trainee = await startTestHost({ ...common, modules: [TraineeModule], clientId: `trainee-service-archive-${suffix}`, databaseUrl: databases[0].url });
    training = await startTestHost({ ...common, modules: [TrainingModule], clientId: `training-service-archive-${suffix}`, databaseUrl: databases[1].url });
  }, 90_000);

  afterAll(async () => {
    await trainee?.close();
    await training?.close();
    for (const database of databases) await database.drop();
  });

  it('lists the same timeline as in one process', async () => {
    expectTimeline(await runArchiveScenario({ trainee: trainee.baseUrl, training: training.baseUrl }, 3000 + (parseInt(suffix, 16) % 1000) * 3));
  }, 60_000);
});
