import { RecordedEvent } from '@skills/event-sourcing';
import { databaseForTests } from '@skills/testing';
import { randomUUID } from 'node:crypto';
import { LadderEvent, LevelCertified } from '../ladder.aggregate';
import { certificatesProjection } from './certificates.projection';

const worker = randomUUID();
const evaluator = randomUUID();
/** The holder a number voided for `worker` is recorded for again. */
const rightHolder = randomUUID();

const certified = (certificateNumber: string, traineeId: string, level: LevelCertified['data']['level']): LadderEvent => ({
  type: 'LevelCertified',
  data: {
    certificateNumber,
    traineeId,
    occupationCode: '6-18-02-04',
    regionCode: '430200',
    level,
    previousLevel: null,
    route: 'imported',
    evaluatorId: evaluator,
    evaluatorName: '株洲市焊接协会',
    evaluatorKind: 'social_organisation',
    evaluatorCreditCode: '91430200MA4L000000',
    certifiedOn: '2024-06-01',
  },
});

const revoked = (certificateNumber: string): LadderEvent => ({
  type: 'CertificateRevoked',
  data: { certificateNumber, traineeId: worker, occupationCode: '6-18-02-04', revokedLevel: 'senior', levelAfter: null, reason: 'obtained by fraud', revokedOn: '2024-07-01' },
});

const voided = (certificateNumber: string): LadderEvent => ({
  type: 'CertificateVoided',
  data: { certificateNumber, traineeId: worker, occupationCode: '6-18-02-04', voidedLevel: 'senior', levelAfter: null, evaluatorId: evaluator, evaluatorHoldsOthers: false, reason: '导入时填错了持证人', voidedOn: '2024-07-02' },
});

/** When the event at `index` of the log was recorded. */
const enteredAt = (index: number) => new Date(Date.UTC(2024, 6, 1, 0, 0, index)).toISOString();

/** One recorded before certificates named their evaluator's id. */
const { evaluatorId: _dropped, ...withoutEvaluatorId } = (certified('S000000000000000004', worker, 'apprentice') as LevelCertified).data;

/**
 * A stretch of the log as the runner reads it: certificates, a revocation between them, an event of
 * another aggregate of the service's log, an older certificate, a number twice.
 */
const log: RecordedEvent<LadderEvent>[] = [
  certified('S000000000000000001', worker, 'senior'),
  certified('S000000000000000002', worker, 'intermediate'),
  revoked('S000000000000000001'),
  certified('S000000000000000003', worker, 'junior'),
  { type: 'EvaluatorRegistered', data: { evaluatorId: evaluator } } as unknown as LadderEvent,
  { type: 'LevelCertified', data: withoutEvaluatorId } as LadderEvent,
  // The number again (a replay, or a number recorded twice): the first one stays.
  certified('S000000000000000002', randomUUID(), 'apprentice'),
  // A number voided and recorded again for another holder, the next recording in the log before the void
  // and a revocation of the first (an import whose transaction began before the void committed): the next stands.
  certified('S000000000000000005', worker, 'senior'),
  { type: 'LevelCertified', data: { ...(certified('S000000000000000005', rightHolder, 'junior') as LevelCertified).data, recording: 2 } } as LadderEvent,
  revoked('S000000000000000005'),
  voided('S000000000000000005'),
  // A number voided, then nothing: gone.
  certified('S000000000000000006', worker, 'junior'),
  voided('S000000000000000006'),
].map((event, index) => ({
  ...event,
  eventId: randomUUID(),
  streamId: `ladder-${worker}`,
  streamVersion: index + 1,
  schemaVersion: 1,
  metadata: { correlationId: 'test' },
  // Each event its own second, so each certificate shows the time of its own event.
  recordedAt: enteredAt(index),
  position: { transactionId: '1', globalPosition: String(index + 1) },
})) as unknown as RecordedEvent<LadderEvent>[];

describe('the certificates read model', () => {
  const { sql, tx } = databaseForTests();
  const rows = async (table: string) => (await sql().query(`SELECT *, certified_on::text, revoked_on::text FROM ${table} ORDER BY certificate_number`)).rows;

  it("applies a batch of the log in a few statements exactly as event by event: a revocation between certificates, other events, an older certificate, a number twice, a number's recordings and voids", async () => {
    for (const table of ['one_by_one', 'in_a_batch']) await certificatesProjection.createTable(tx(), table);
    for (const event of log) await certificatesProjection.apply(tx(), 'one_by_one', event);
    await certificatesProjection.applyAll?.(tx(), 'in_a_batch', log);

    expect(await rows('in_a_batch')).toEqual(await rows('one_by_one'));
    const issued = { trainee_id: worker, occupation_code: '6-18-02-04', region_code: '430200', route: 'imported', evaluator_name: '株洲市焊接协会', certified_on: '2024-06-01' };
    const valid = { ...issued, status: 'valid', revoked_on: null, revocation_reason: null, recording: 1 };
    expect(await rows('in_a_batch')).toEqual([
      { ...issued, certificate_number: 'S000000000000000001', level: 'senior', rank: 4, status: 'revoked', revoked_on: '2024-07-01', revocation_reason: 'obtained by fraud', evaluator_id: evaluator, recorded_at: new Date(enteredAt(0)), recording: 1 },
      { ...valid, certificate_number: 'S000000000000000002', level: 'intermediate', rank: 3, evaluator_id: evaluator, recorded_at: new Date(enteredAt(1)) },
      { ...valid, certificate_number: 'S000000000000000003', level: 'junior', rank: 2, evaluator_id: evaluator, recorded_at: new Date(enteredAt(3)) },
      { ...valid, certificate_number: 'S000000000000000004', level: 'apprentice', rank: 1, evaluator_id: null, recorded_at: new Date(enteredAt(5)) },
      { ...valid, certificate_number: 'S000000000000000005', trainee_id: rightHolder, level: 'junior', rank: 2, evaluator_id: evaluator, recorded_at: new Date(enteredAt(8)), recording: 2 },
    ]);
  });
});
