// The level check of a hire follows certification and revocation events over Kafka: trainee-,
// certification- and placement-service as three hosts, each with its own database and group.
import { CertificationModule } from '@skills/certification-service';
import { PlacementModule } from '@skills/placement-service';
import { bearer, createTestDatabase, describeWithKafka, http, kafkaBrokers, startTestHost, TestDatabase, TestHost, testCreditCode, testIdentityNumber, testIssuer, TestIssuer, waitFor } from '@skills/testing';
import { TraineeModule } from '@skills/trainee-service';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

describeWithKafka('hires follow certification and revocation over Kafka', () => {
  const suffix = randomBytes(4).toString('hex');
  let databases: TestDatabase[] = [];
  let hosts: TestHost[] = [];
  let issuer: TestIssuer;

  beforeAll(async () => {
    issuer = await testIssuer();
    databases = await Promise.all([createTestDatabase(), createTestDatabase(), createTestDatabase()]);
    const common = { transport: 'kafka' as const, kafkaBrokers: kafkaBrokers() };
    hosts = [
      await startTestHost({ ...common, modules: [TraineeModule], clientId: `trainee-service-hire-${suffix}`, databaseUrl: databases[0].url }),
      await startTestHost({ ...common, modules: [CertificationModule], clientId: `certification-service-hire-${suffix}`, databaseUrl: databases[1].url }),
      await startTestHost({ ...common, modules: [PlacementModule], clientId: `placement-service-hire-${suffix}`, databaseUrl: databases[2].url }),
    ];
  }, 120_000);

  afterAll(async () => {
    for (const host of hosts) await host.close();
    for (const database of databases) await database.drop();
  });

  it('refuses below the minimum level, accepts once certified, and refuses again after the revocation', async () => {
    const [trainee, certification, placement] = hosts.map((host) => host.baseUrl);
    const seed = parseInt(suffix, 16) % 100_000;
    const code = (n: number) => testCreditCode(seed * 10 + n);
    // The platform admin registers the trainee and the organisations; each organisation's staff acts for it.
    const admin = bearer(await issuer.token({ role: 'platform_admin' }));
    const staffOf = async (role: 'evaluator_staff' | 'employer_staff', organisationId: string) => bearer(await issuer.token({ role, organisationId }));
    const worker = (await http(trainee, 'POST', '/api/v1/trainees', { name: '王焊', idNumber: testIdentityNumber(12_001), phone: '13800000000' }, admin)).body.id;
    const evaluator = (await http(certification, 'POST', '/api/v1/evaluators', { name: '协会', creditCode: code(1), kind: 'social_organisation', regionCode: '430200' }, admin)).body.id;
    const evaluatorStaff = await staffOf('evaluator_staff', evaluator);
    const certify = (level: string, certifiedOn: string) =>
      http(certification, 'POST', '/api/v1/certifications', { traineeId: worker, occupationCode: '6-18-02-04', level, route: 'assessment', evaluatorId: evaluator, certifiedOn }, evaluatorStaff);
    const employer = async (n: number) => (await http(placement, 'POST', '/api/v1/employers', { name: `厂${n}`, creditCode: code(n), industryCode: 'C37', regionCode: '430200' }, admin)).body.id as string;
    /** A placement of that employer, posted by its staff, and that staff's hire of the worker into it. */
    const posting = async (employerId: string) => {
      const staff = await staffOf('employer_staff', employerId);
      const id = (await http(placement, 'POST', '/api/v1/placements', { employerId, title: '焊工', occupationCode: '6-18-02-04', openings: 2, minLevel: 'intermediate', wageMin: 7000, wageMax: 9000, regionCode: '430200' }, staff)).body.id as string;
      return { id, staff };
    };
    const hire = ({ id, staff }: { id: string; staff: Record<string, string> }) => http(placement, 'POST', `/api/v1/placements/${id}/hires`, { traineeId: worker, startDate: '2021-07-01', monthlyWage: 8000 }, staff);

    expect((await certify('junior', '2020-01-01')).status).toBe(201);
    const first = await posting(await employer(2));
    const refused = await waitFor(async () => ((await hire(first)).body.traineeLevel === 'junior' ? true : undefined), { timeoutMs: 30_000, description: 'the junior certificate to reach placement' });
    expect(refused).toBe(true);
    expect(await hire(first)).toMatchObject({ status: 409, body: { rule: 'level_too_low', traineeLevel: 'junior' } });

    const intermediate = await certify('intermediate', '2021-01-01');
    expect(intermediate.status).toBe(201);
    const accepted = await waitFor(async () => {
      const answer = await hire(first);
      return answer.status === 201 ? answer : undefined;
    }, { timeoutMs: 30_000, description: 'the intermediate certificate to reach placement' });
    expect(accepted.body.employmentId).toEqual(expect.any(String));

    expect((await http(certification, 'POST', `/api/v1/certificates/${intermediate.body.certificateNumber}/revocation`, { reason: '材料造假', revokedOn: '2021-06-01' }, evaluatorStaff)).status).toBe(200);
    // Wait until placement has applied the revocation (its replica), then try: the hire must be refused (a
    // hire decided after a revocation is judged on the certificates that stand, whatever its start date).
    const sql = new Client({ connectionString: databases[2].url });
    await sql.connect();
    try {
      await waitFor(
        // The highest certificate placement holds as not revoked.
        async () =>
          (await sql.query(`SELECT level FROM placement.trainee_certificates WHERE trainee_id = $1 AND occupation_code = '6-18-02-04' AND revoked_on IS NULL ORDER BY rank DESC LIMIT 1`, [worker])).rows[0]?.level ===
          'junior',
        { timeoutMs: 30_000, description: 'the revocation to reach placement' },
      );
    } finally {
      await sql.end();
    }
    const afterRevocation = await hire(await posting(await employer(3)));
    expect(afterRevocation).toMatchObject({ status: 409, body: { rule: 'level_too_low', traineeLevel: 'junior' } });
  }, 120_000);
});
