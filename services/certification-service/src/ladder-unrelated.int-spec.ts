// An employer related to a worker here before facts were kept (facts_kept false: the hire that related them is
// unknown here) keeps reading the ladder after that hire's void, which alone cannot tell certification-service
// that nothing else relates them; trainee-service, which knows, announces it (TraineeUnrelated), and the employer
// reads the ladder no longer; a hire since relates them again, whatever is delivered again. Over HTTP on
// certification-service alone, trainee-service's and placement's messages given as facts.
import { EmploymentVoidedV1, PLACEMENT_TOPIC, TRAINEE_TOPIC, TraineeHiredV1, TraineeUnrelatedV1 } from '@skills/contracts';
import { Database } from '@skills/postgres';
import { bearer, fact, Fact, http, publishFacts, ServiceSpec, startServiceSpec, traineeRegisteredFact } from '@skills/testing';
import { randomUUID } from 'node:crypto';
import { CertificationModule } from './certification.module';

describe('certification: a relation of before goes with the void trainee-service says left it resting on nothing', () => {
  let service: ServiceSpec;
  let database: Database;

  beforeAll(async () => {
    service = await startServiceSpec({ modules: [CertificationModule], service: 'certification', replicaWaitMs: 200 });
    database = new Database({ url: service.database.url, schema: 'certification' });
  });

  afterAll(async () => {
    await database?.close();
    await service?.close();
  });

  const ladderStatus = async (traineeId: string, employerId: string) =>
    (await http(service.host.baseUrl, 'GET', `/api/v1/ladder/trainees/${traineeId}`, undefined, bearer(await service.issuer.token({ role: 'employer_staff', organisationId: employerId })))).status;
  const hire = (traineeId: string, employerId: string) => {
    const job = { employmentId: randomUUID(), placementId: randomUUID(), traineeId, employerId, employerCreditCode: '91430200MA4L00002X', employerIndustryCode: 'C37', industryCode: 'C37', occupationCode: '6-18-02-04', regionCode: '430200', startDate: '2021-08-01' };
    const hired: TraineeHiredV1 = { ...job, monthlyWage: 8000 };
    const voided: EmploymentVoidedV1 = { ...job, voidedOn: '2021-09-01' };
    return { id: job.employmentId, hired: fact(PLACEMENT_TOPIC, 'TraineeHired', hired, { key: traineeId }), voided: fact(PLACEMENT_TOPIC, 'EmploymentVoided', voided, { key: traineeId }) };
  };
  const unrelated = (payload: TraineeUnrelatedV1): Fact => fact(TRAINEE_TOPIC, 'TraineeUnrelated', payload, { key: payload.traineeId });

  it('answers the employer 404 once trainee-service announces its voided hire left them unrelated; a new hire relates them again, the announcement delivered again changing nothing', async () => {
    const [worker, employer] = [randomUUID(), randomUUID()];
    await publishFacts(service.host, [traineeRegisteredFact(worker)]);
    // Related before facts were kept: by the mistaken hire, not kept here.
    await database.query('INSERT INTO trainee_relations (trainee_id, organisation_id) VALUES ($1, $2)', [worker, employer]);
    const mistaken = hire(worker, employer);
    expect(await ladderStatus(worker, employer)).toBe(200);
    await publishFacts(service.host, [mistaken.voided]);
    expect(await ladderStatus(worker, employer)).toBe(200);

    const announcement = unrelated({ traineeId: worker, organisationId: employer, voidedFacts: [{ kind: 'employment', id: mistaken.id }] });
    await publishFacts(service.host, [announcement]);
    expect(await ladderStatus(worker, employer)).toBe(404);

    // Hired again, for real: related again; the announcement again (the same message, a copy) takes nothing back.
    const again = hire(worker, employer);
    await publishFacts(service.host, [again.hired]);
    expect(await ladderStatus(worker, employer)).toBe(200);
    await publishFacts(service.host, [announcement, { ...announcement, envelope: { ...announcement.envelope, eventId: randomUUID() } }, mistaken.hired]);
    expect(await ladderStatus(worker, employer)).toBe(200);
    expect((await database.query('SELECT error FROM dead_letters')).rows).toEqual([]);
  });
});
