// Every event records who acted (domain.md section 9): `{userId, role, organisationId, via}`, with
// `via: system` for what the platform does by itself. A flow through all six services as the people who
// would do it, then every event of every service's log is read back.
import { BrandModule } from '@skills/brand-service';
import { CertificationModule } from '@skills/certification-service';
import { IdentityModule } from '@skills/identity-service';
import { PlacementModule } from '@skills/placement-service';
import { adminToken, bearer, createTestDatabase, http, signInAs, startTestHost, TestDatabase, TestHost, testCreditCode, testIdentityNumber, waitFor } from '@skills/testing';
import { TraineeModule } from '@skills/trainee-service';
import { TrainingModule } from '@skills/training-service';
import { Client } from 'pg';

const SCHEMAS = ['identity', 'trainee', 'training', 'certification', 'placement', 'brand'];

describe('the actor of every event', () => {
  let database: TestDatabase;
  let host: TestHost;

  beforeAll(async () => {
    database = await createTestDatabase();
    host = await startTestHost({ modules: [IdentityModule, TraineeModule, TrainingModule, CertificationModule, PlacementModule, BrandModule], transport: 'in-process', databaseUrl: database.url });
  });

  afterAll(async () => {
    await host?.close();
    await database?.drop();
  });

  const as = (token: string) => async (method: string, path: string, body?: unknown) => {
    const answer = await http(host.baseUrl, method, path, body, bearer(token));
    expect(answer.status).toBeLessThan(300);
    return answer.body;
  };

  it('is the signed-in user (via token) for commands, and the platform (via system) for what consumers record', async () => {
    const admin = as(await adminToken(host.baseUrl));
    const provider = (await admin('POST', '/api/v1/providers', { name: '株洲新希望焊接培训学校', creditCode: testCreditCode(8101), regionCode: '430200' })).id;
    const evaluator = (await admin('POST', '/api/v1/evaluators', { name: '株洲焊接协会', creditCode: testCreditCode(8102), kind: 'social_organisation', regionCode: '430200' })).id;
    const employer = (await admin('POST', '/api/v1/employers', { name: '株洲焊接厂', creditCode: testCreditCode(8103), industryCode: 'C37', regionCode: '430200' })).id;
    const bureau = (await admin('POST', '/api/v1/bureaus', { name: '株洲市人力资源和社会保障局', regionCode: '430200' })).id;
    const school = await signInAs(host.baseUrl, { role: 'school_staff', organisationId: provider });
    const assessor = await signInAs(host.baseUrl, { role: 'evaluator_staff', organisationId: evaluator });
    const hr = await signInAs(host.baseUrl, { role: 'employer_staff', organisationId: employer });
    const officer = await signInAs(host.baseUrl, { role: 'bureau_officer', organisationId: bureau });

    const trainee = (await as(school.token)('POST', '/api/v1/trainees', { name: '李焊工', idNumber: testIdentityNumber(8104), phone: '13800000000' })).id;
    const course = (await as(school.token)('POST', '/api/v1/courses', { providerId: provider, title: '焊工（初级）', occupationCode: '6-18-02-04', kind: 'skill', capacity: 5, startDate: '2021-03-01', endDate: '2021-05-31' })).id;
    await as(school.token)('POST', `/api/v1/courses/${course}/enrollments`, { traineeId: trainee, enrolledOn: '2021-03-01' });
    await as(school.token)('POST', `/api/v1/courses/${course}/assessments`, { traineeId: trainee, passed: true, score: 88, assessedOn: '2021-05-31' });
    await as(assessor.token)('POST', '/api/v1/certifications', { traineeId: trainee, occupationCode: '6-18-02-04', level: 'junior', route: 'assessment', evaluatorId: evaluator, certifiedOn: '2021-06-01' });
    const placement = (await as(hr.token)('POST', '/api/v1/placements', { employerId: employer, title: '铆焊工', occupationCode: '6-18-02-04', openings: 2, wageMin: 7000, wageMax: 9000, regionCode: '430200' })).id;
    await as(hr.token)('POST', `/api/v1/placements/${placement}/hires`, { traineeId: trainee, startDate: '2021-07-01', monthlyWage: 8000 });
    await as(officer.token)('POST', '/api/v1/brands', {
      bureauId: bureau,
      name: '株洲新希望铆焊工',
      tier: 'city',
      industryCode: 'C37',
      occupationCodes: ['6-18-02-04'],
      buildingUnits: [testCreditCode(8101)],
      policy: { windowStart: '2020-11-01', windowEnd: '2021-09-30', minTrained: 1, minPassRate: 0.85, minEmploymentRate: 0.7, requiresEthicsTraining: false },
    });

    const sql = new Client({ connectionString: database.url });
    await sql.connect();
    try {
      // One query for every store: a pg client runs one query at a time.
      const events = async () =>
        (
          await sql.query<{ schema: string; type: string; actor: Record<string, unknown> | null }>(
            SCHEMAS.map((schema) => `SELECT '${schema}' AS schema, event_type AS type, metadata->'actor' AS actor FROM ${schema}.events`).join(' UNION ALL '),
          )
        ).rows;
      // The trainee's archive records the enrolment, the result, the certificate and the hire (consumers).
      const all = await waitFor(
        async () => {
          const now = await events();
          return now.filter((event) => event.type === 'ArchiveEntryRecorded').length >= 4 ? now : undefined;
        },
        { description: 'four archive entries recorded by the consumers' },
      );
      expect(all.length).toBeGreaterThan(15);
      for (const event of all) {
        expect({ event: `${event.schema}.${event.type}`, via: event.actor?.via }).toEqual({ event: `${event.schema}.${event.type}`, via: expect.stringMatching(/^(token|apiKey|system)$/) });
        if (event.actor?.via === 'token') expect(event.actor).toMatchObject({ userId: expect.any(String), role: expect.any(String) });
        if (event.actor?.via === 'system') expect(event.actor).toMatchObject({ userId: null, component: expect.any(String) });
      }
      const byType = (type: string) => all.filter((event) => event.type === type).map((event) => event.actor);
      expect(byType('LevelCertified')).toEqual([{ userId: assessor.userId, role: 'evaluator_staff', organisationId: evaluator, via: 'token' }]);
      expect(byType('TraineeHired')).toEqual([{ userId: hr.userId, role: 'employer_staff', organisationId: employer, via: 'token' }]);
      expect(byType('ArchiveEntryRecorded').every((actor) => actor?.via === 'system')).toBe(true);
    } finally {
      await sql.end();
    }
  });
});
