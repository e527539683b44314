// Direct certification and appointment follow employment, over Kafka: trainee-service and
// certification-service as two hosts with their own databases; the hire arrives on the placement
// topic as placement-service publishes it. A platform_admin registers the worker and the evaluator; the
// evaluator's staff certify.
import { CertificationModule } from '@skills/certification-service';
import { bearer, createTestDatabase, describeWithKafka, http, kafkaBrokers, startTestHost, TestDatabase, TestHost, testCreditCode, testIdentityNumber, TestIssuer, testIssuer, waitFor } from '@skills/testing';
import { TraineeModule } from '@skills/trainee-service';
import { randomBytes } from 'node:crypto';
import { publishHire } from './placement-facts';

describeWithKafka('certification follows hires over Kafka', () => {
  const suffix = randomBytes(4).toString('hex');
  let databases: TestDatabase[] = [];
  let trainee: TestHost;
  let certification: TestHost;
  let issuer: TestIssuer;

  beforeAll(async () => {
    // 30 s: beside the rest of the suite the shared broker's first consumer-group join alone can take
    // longer than 10 s; what is asserted is that the fresh id is waited for, not how fast it arrives.
    issuer = await testIssuer();
    databases = await Promise.all([createTestDatabase(), createTestDatabase()]);
    const common = { transport: 'kafka' as const, kafkaBrokers: kafkaBrokers() };
    trainee = await startTestHost({ ...common, modules: [TraineeModule], clientId: `trainee-service-cert-${suffix}`, databaseUrl: databases[0].url });
    certification = await startTestHost({ ...common, modules: [CertificationModule], clientId: `certification-service-cert-${suffix}`, databaseUrl: databases[1].url });
  }, 90_000);

  afterAll(async () => {
    await trainee?.close();
    await certification?.close();
    for (const database of databases) await database.drop();
  });

  it('refuses direct certification and appointment before the hire and accepts them after it', async () => {
    const creditCode = testCreditCode(parseInt(suffix, 16) % 1_000_000);
    const admin = bearer(await issuer.token({ role: 'platform_admin' }));
    const registered = await http(trainee.baseUrl, 'POST', '/api/v1/trainees', { name: '李铆焊', idNumber: testIdentityNumber(12_000), phone: '13800000000' }, admin);
    expect(registered.status).toBe(201);
    const workerId = registered.body.id;
    const employer = await http(certification.baseUrl, 'POST', '/api/v1/evaluators', { name: '株洲新希望铆焊', creditCode, kind: 'employer', regionCode: '430200' }, admin);
    expect(employer.status).toBe(201);
    const staff = bearer(await issuer.token({ role: 'evaluator_staff', organisationId: employer.body.id }));
    const certify = (level: string, route: string, certifiedOn: string) =>
      http(certification.baseUrl, 'POST', '/api/v1/certifications', { traineeId: workerId, occupationCode: '6-18-02-04', level, route, evaluatorId: employer.body.id, certifiedOn, justification: '十年铆焊，带徒二十人' }, staff);

    // Read-your-writes: the trainee registered a moment ago on another service is found.
    expect(await certify('senior_technician', 'direct', '2021-03-01')).toMatchObject({ status: 409, body: { rule: 'direct_requires_current_employer' } });

    await publishHire(certification, { traineeId: workerId, employerCreditCode: creditCode, startDate: '2021-02-01' });
    const direct = await waitFor(
      async () => {
        const answer = await certify('senior_technician', 'direct', '2021-03-01');
        return answer.status === 201 ? answer : undefined;
      },
      { timeoutMs: 30_000, description: 'the hire to arrive over Kafka and direct certification to succeed' },
    );
    expect(direct.body).toMatchObject({ level: 'senior_technician', previousLevel: null });
    // Dated before the senior_technician it would build on (and before the hire): judged at its own date.
    expect(await certify('special_technician', 'appointment', '2021-01-15')).toMatchObject({ status: 409, body: { rule: 'later_certificate_not_above', laterLevel: 'senior_technician' } });
    expect(await certify('special_technician', 'appointment', '2021-04-01')).toMatchObject({ status: 201, body: { level: 'special_technician', previousLevel: 'senior_technician' } });
  }, 120_000);
});
