// The archive and a hire voided (recorded in error): its entries, the hire and any end of it, leave the
// archive, its PDF and the registration void's judgement alike, as if it had never been recorded; a void that
// arrives before them (their letters retried late) leaves them voided when they come, and a message delivered
// again changes nothing.
import { EmploymentEndedV1, EmploymentVoidedV1, PLACEMENT_TOPIC, TraineeHiredV1 } from '@skills/contracts';
import { fact, Fact, publishFacts } from '@skills/testing';
import { randomUUID } from 'node:crypto';
import { archiveVoidsSpecHost, deliveredAgain } from './archive-voids-spec-host';

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

describe('the archive and a voided employment', () => {
  const archive = archiveVoidsSpecHost({ name: '李四', numbersFrom: 7600 });
  const { registered } = archive;
  const publish = (facts: Fact[]) => publishFacts(archive.service().host, facts);
  /** The archive's employment entries: kind, occupation and employment. */
  const employmentsIn = async (traineeId: string) => {
    return ((await archive.entriesOf(traineeId)) as Array<{ kind: string; context: string; occupationCode: string; employmentId: string }>)
      .filter((entry) => entry.context === 'placement')
      .map(({ kind, occupationCode, employmentId }) => ({ kind, occupationCode, employmentId }));
  };
  const { archivePdfText, voidRegistration } = archive;

  it('leaves a voided hire and its end out of the archive and its PDF, another employment standing; the facts delivered again bring nothing back', async () => {
    const worker = await registered();
    const [mistaken, standing] = [employment(worker, ELECTRICIAN), employment(worker, WELDER)];
    const [mistakenHired, mistakenEnded] = [hired(mistaken, 7777), ended(mistaken, '2022-06-30')];
    await publish([mistakenHired, mistakenEnded, hired(standing, 6500)]);
    expect(await employmentsIn(worker)).toEqual([
      { kind: 'hired', occupationCode: ELECTRICIAN, employmentId: mistaken.employmentId },
      { kind: 'hired', occupationCode: WELDER, employmentId: standing.employmentId },
      { kind: 'employment_ended', occupationCode: ELECTRICIAN, employmentId: mistaken.employmentId },
    ]);
    expect(await archivePdfText(worker)).toContain('7777');

    const voidOf = voided(mistaken);
    await publish([voidOf]);
    const left = [{ kind: 'hired', occupationCode: WELDER, employmentId: standing.employmentId }];
    expect(await employmentsIn(worker)).toEqual(left);
    const text = await archivePdfText(worker);
    expect(text).toContain('6500');
    expect(text).not.toContain('7777');
    expect(text).not.toContain('离职');

    // A replay of the hire, its end and the void (new ids), and the void itself again (the inbox's to drop).
    await publish([deliveredAgain(mistakenHired), deliveredAgain(mistakenEnded), deliveredAgain(voidOf), voidOf]);
    expect(await employmentsIn(worker)).toEqual(left);
    // Nothing but the standing hire refers to the worker.
    expect((await voidRegistration(worker)).body).toMatchObject({ rule: 'trainee_referred' });
  });

  it('keeps a hire and its end voided that arrive after their void (their letters retried late)', async () => {
    const worker = await registered();
    const mistaken = employment(worker, ELECTRICIAN);
    await publish([voided(mistaken)]);
    await publish([hired(mistaken, 7777)]);
    await publish([ended(mistaken, '2022-06-30')]);
    expect(await employmentsIn(worker)).toEqual([]);
    expect(await archivePdfText(worker)).not.toContain('7777');
  });

  it('lets a registration whose only employment was voided be voided', async () => {
    const worker = await registered();
    const mistaken = employment(worker, WELDER);
    await publish([hired(mistaken, 6500)]);
    expect((await voidRegistration(worker)).status).toBe(409);
    await publish([voided(mistaken)]);
    expect((await voidRegistration(worker)).status).toBe(200);
  });
});
