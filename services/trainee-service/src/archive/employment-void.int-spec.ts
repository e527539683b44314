// The archive and a hire voided (recorded in error): its entries, the hire and any end of it, leave the
// archive, its PDF and the registration void's judgement alike, as if it had never been recorded; a void that
// arrives before them (their letters retried late) leaves them voided when they come, and a message delivered
// again changes nothing.
import { EmploymentEndedV1, EmploymentVoidedV1, PLACEMENT_TOPIC, TraineeHiredV1 } from '@skills/contracts';
import { bearer, fact, Fact, http, publishFacts, ServiceSpec, startServiceSpec, testIdentityNumber } from '@skills/testing';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { TraineeModule } from '../trainee.module';

const WELDER = '6-18-02-04';
const ELECTRICIAN = '6-31-01-03';

/** One employment of the trainee, as each of its messages names it. */
const employment = (traineeId: string, occupationCode: string) => ({
  employmentId: randomUUID(),
  placementId: randomUUID(),
  traineeId,
  employerId: randomUUID(),
  employerCreditCode: '91430200MA4L000002',
  employerIndustryCode: 'C',
  industryCode: 'C',
  occupationCode,
  startDate: '2022-03-01',
});
type Employment = ReturnType<typeof employment>;

// An employment's messages are keyed by its trainee (placement-events.ts).
const hired = ({ placementId, ...job }: Employment, monthlyWage: number): Fact => {
  const payload: TraineeHiredV1 = { ...job, placementId, regionCode: '430202', monthlyWage };
  return fact(PLACEMENT_TOPIC, 'TraineeHired', payload, { key: job.traineeId });
};
const ended = ({ placementId: _placement, ...job }: Employment, endDate: string): Fact => {
  const payload: EmploymentEndedV1 = { ...job, endDate, reason: '合同期满' };
  return fact(PLACEMENT_TOPIC, 'EmploymentEnded', payload, { key: job.traineeId });
};
const voided = (job: Employment): Fact => {
  const payload: EmploymentVoidedV1 = { ...job, regionCode: '430202', voidedOn: '2022-09-01' };
  return fact(PLACEMENT_TOPIC, 'EmploymentVoided', payload, { key: job.traineeId });
};
/** The same message under a new id, as a replay from another source brings it (the inbox would drop the same id). */
const deliveredAgain = (message: Fact): Fact => ({ ...message, envelope: { ...message.envelope, eventId: randomUUID() } });

describe('the archive and a voided employment', () => {
  let service: ServiceSpec;
  let admin: Record<string, string>;
  let serial = 0;

  beforeAll(async () => {
    service = await startServiceSpec({ modules: [TraineeModule], service: 'trainee' });
    admin = bearer(await service.issuer.token({ role: 'platform_admin' }));
  });

  afterAll(() => service?.close());

  const registered = async (): Promise<string> => {
    const answer = await http(service.host.baseUrl, 'POST', '/api/v1/trainees', { name: '李四', idNumber: testIdentityNumber(7600 + ++serial), phone: '13800000000' }, admin);
    expect(answer.status).toBe(201);
    return answer.body.id;
  };
  /** The archive's employment entries: kind, occupation and employment. */
  const employmentsIn = async (traineeId: string) => {
    const answer = await http(service.host.baseUrl, 'GET', `/api/v1/trainees/${traineeId}/archive?consistent=true`, undefined, admin);
    expect(answer.status).toBe(200);
    // Complete: no fact parked, here nor in the projection that made the entries.
    expect(answer.body.freshness).toEqual({ completeUpTo: expect.any(String), pendingFacts: 0 });
    return (answer.body.entries as Array<{ kind: string; context: string; occupationCode: string; employmentId: string }>)
      .filter((entry) => entry.context === 'placement')
      .map(({ kind, occupationCode, employmentId }) => ({ kind, occupationCode, employmentId }));
  };
  const archivePdfText = async (traineeId: string) => {
    const response = await fetch(`${service.host.baseUrl}/api/v1/trainees/${traineeId}/archive/pdf?consistent=true`, { headers: admin });
    expect(response.status).toBe(200);
    const file = join(mkdtempSync(join(tmpdir(), 'trainee-pdf-')), 'archive.pdf');
    writeFileSync(file, Buffer.from(await response.arrayBuffer()));
    return (await promisify(execFile)('pdftotext', [file, '-'])).stdout;
  };
  const voidRegistration = (traineeId: string) => http(service.host.baseUrl, 'POST', `/api/v1/trainees/${traineeId}/void`, { reason: 'mistyped identity number' }, admin);

  it('leaves a voided hire and its end out of the archive and its PDF, another employment standing; the facts delivered again bring nothing back', async () => {
    const worker = await registered();
    const [mistaken, standing] = [employment(worker, ELECTRICIAN), employment(worker, WELDER)];
    const [mistakenHired, mistakenEnded] = [hired(mistaken, 7777), ended(mistaken, '2022-06-30')];
    await publishFacts(service.host, [mistakenHired, mistakenEnded, hired(standing, 6500)]);
    expect(await employmentsIn(worker)).toEqual([
      { kind: 'hired', occupationCode: ELECTRICIAN, employmentId: mistaken.employmentId },
      { kind: 'hired', occupationCode: WELDER, employmentId: standing.employmentId },
      { kind: 'employment_ended', occupationCode: ELECTRICIAN, employmentId: mistaken.employmentId },
    ]);
    expect(await archivePdfText(worker)).toContain('7777');

    const voidOf = voided(mistaken);
    await publishFacts(service.host, [voidOf]);
    const left = [{ kind: 'hired', occupationCode: WELDER, employmentId: standing.employmentId }];
    expect(await employmentsIn(worker)).toEqual(left);
    const text = await archivePdfText(worker);
    expect(text).toContain('6500');
    expect(text).not.toContain('7777');
    expect(text).not.toContain('离职');

    // A replay of the hire, its end and the void (new ids), and the void itself again (the inbox's to drop).
    await publishFacts(service.host, [deliveredAgain(mistakenHired), deliveredAgain(mistakenEnded), deliveredAgain(voidOf), voidOf]);
    expect(await employmentsIn(worker)).toEqual(left);
    // Nothing but the standing hire refers to the worker.
    expect((await voidRegistration(worker)).body).toMatchObject({ rule: 'trainee_referred' });
  });

  it('keeps a hire and its end voided that arrive after their void (their letters retried late)', async () => {
    const worker = await registered();
    const mistaken = employment(worker, ELECTRICIAN);
    await publishFacts(service.host, [voided(mistaken)]);
    await publishFacts(service.host, [hired(mistaken, 7777)]);
    await publishFacts(service.host, [ended(mistaken, '2022-06-30')]);
    expect(await employmentsIn(worker)).toEqual([]);
    expect(await archivePdfText(worker)).not.toContain('7777');
  });

  it('lets a registration whose only employment was voided be voided', async () => {
    const worker = await registered();
    const mistaken = employment(worker, WELDER);
    await publishFacts(service.host, [hired(mistaken, 6500)]);
    expect((await voidRegistration(worker)).status).toBe(409);
    await publishFacts(service.host, [voided(mistaken)]);
    expect((await voidRegistration(worker)).status).toBe(200);
  });
});
