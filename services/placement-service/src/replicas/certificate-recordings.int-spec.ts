// placement's certificates replica (replica.consumers.ts) and a number recorded more than once: a voided
// certificate leaves it, and the recordings of a number for two workers, whose facts travel under different
// keys, arrive in any order without one undoing the other. On a real Postgres, fed by the in-process bus.
import { CERTIFICATION_TOPIC, CertificateRevokedV1, CertificateVoidedV1, LevelCertifiedV1 } from '@skills/contracts';
import { Database } from '@skills/postgres';
import { createTestDatabase, fact, publishFacts, startTestHost, TestDatabase, TestHost } from '@skills/testing';
import { randomUUID } from 'node:crypto';
import { PlacementModule } from '../placement.module';
import { TraineeLevels } from './trainee-levels';

const WELDER = '6-18-02-04';
type Level = LevelCertifiedV1['level'];

const certified = (traineeId: string, certificateNumber: string, level: Level, certifiedOn: string, recording?: number) => {
  const payload: LevelCertifiedV1 = {
    certificateNumber,
    traineeId,
    occupationCode: WELDER,
    level,
    previousLevel: null,
    route: 'imported',
    evaluatorId: randomUUID(),
    evaluatorName: '协会',
    evaluatorCreditCode: '51430200MJJ000001X',
    certifiedOn,
    ...(recording ? { recording } : {}),
  };
  return fact(CERTIFICATION_TOPIC, 'LevelCertified', payload, { key: traineeId });
};
const revoked = (traineeId: string, certificateNumber: string, revokedLevel: Level, levelAfter: Level | null, recording?: number) => {
  const payload: CertificateRevokedV1 = { certificateNumber, traineeId, occupationCode: WELDER, revokedLevel, levelAfter, reason: '材料造假', revokedOn: '2022-03-01', ...(recording ? { recording } : {}) };
  return fact(CERTIFICATION_TOPIC, 'CertificateRevoked', payload, { key: traineeId });
};
const voided = (traineeId: string, certificateNumber: string, voidedLevel: Level, levelAfter: Level | null, recording?: number) => {
  const payload: CertificateVoidedV1 = { certificateNumber, traineeId, occupationCode: WELDER, voidedLevel, levelAfter, evaluatorId: randomUUID(), evaluatorHoldsOthers: false, voidedOn: '2022-02-01', ...(recording ? { recording } : {}) };
  return fact(CERTIFICATION_TOPIC, 'CertificateVoided', payload, { key: traineeId });
};
const number = () => `S${randomUUID().replace(/-/g, '').slice(0, 20)}`;

describe('the certificates replica and a number recorded again after a void', () => {
  let database: TestDatabase;
  let host: TestHost;

  beforeAll(async () => {
    database = await createTestDatabase();
    host = await startTestHost({ modules: [PlacementModule], transport: 'in-process', databaseUrl: database.url });
  });

  afterAll(async () => {
    await host?.close();
    await database?.drop();
  });

  const rowsOf = async (certificateNumber: string) =>
    (
      await host.app
        .get(Database, { strict: false })
        .query(`SELECT trainee_id AS "traineeId", level, recording, to_char(revoked_on, 'YYYY-MM-DD') AS "revokedOn" FROM trainee_certificates WHERE certificate_number = $1`, [certificateNumber])
    ).rows;
  const levelOf = async (traineeId: string) => (await host.app.get(TraineeLevels).forDecisionOn(traineeId, WELDER, '2022-06-01')).level;

  it('forgets a voided certificate: its row goes and the worker stands at levelAfter, its LevelCertified retried after the void bringing nothing back', async () => {
    const [worker, junior, intermediate] = [randomUUID(), number(), number()];
    await publishFacts(host, [certified(worker, junior, 'junior', '2020-01-01'), certified(worker, intermediate, 'intermediate', '2021-01-01')]);
    expect(await levelOf(worker)).toBe('intermediate');

    const voidOf = voided(worker, intermediate, 'intermediate', 'junior');
    await publishFacts(host, [voidOf]);
    expect(await rowsOf(intermediate)).toEqual([]);
    expect(await levelOf(worker)).toBe((voidOf.envelope.payload as CertificateVoidedV1).levelAfter);

    // Its LevelCertified again (a dead letter retried, a replay): the void stands.
    await publishFacts(host, [certified(worker, intermediate, 'intermediate', '2021-01-01')]);
    expect(await rowsOf(intermediate)).toEqual([]);
    expect(await levelOf(worker)).toBe('junior');
  });

  it("keeps a number's recording 2 for another worker, whether it arrives before recording 1's void or before recording 1 itself", async () => {
    const [first, second] = [randomUUID(), randomUUID()];
    // Recording 1, then recording 2 for another worker before recording 1's void (the first worker's partition lags).
    const before = number();
    await publishFacts(host, [certified(first, before, 'senior', '2021-01-01')]);
    await publishFacts(host, [certified(second, before, 'intermediate', '2022-01-01', 2)]);
    expect(await rowsOf(before)).toEqual([{ traineeId: second, level: 'intermediate', recording: 2, revokedOn: null }]);
    await publishFacts(host, [voided(first, before, 'senior', null)]);
    expect(await rowsOf(before)).toEqual([{ traineeId: second, level: 'intermediate', recording: 2, revokedOn: null }]);
    expect([await levelOf(first), await levelOf(second)]).toEqual([null, 'intermediate']);

    // Recording 2 first, then a late recording 1 and its void.
    const [third, fourth, late] = [randomUUID(), randomUUID(), number()];
    await publishFacts(host, [certified(fourth, late, 'junior', '2022-01-01', 2)]);
    await publishFacts(host, [certified(third, late, 'senior', '2021-01-01')]);
    expect(await rowsOf(late)).toEqual([{ traineeId: fourth, level: 'junior', recording: 2, revokedOn: null }]);
    expect([await levelOf(third), await levelOf(fourth)]).toEqual([null, 'junior']);
    await publishFacts(host, [voided(third, late, 'senior', null)]);
    expect(await rowsOf(late)).toEqual([{ traineeId: fourth, level: 'junior', recording: 2, revokedOn: null }]);
  });

  it('lets a revocation of recording 1 arriving after recording 2 change nothing, and revokes recording 2 by its own', async () => {
    const [first, second, shared] = [randomUUID(), randomUUID(), number()];
    await publishFacts(host, [certified(first, shared, 'senior', '2021-01-01')]);
    await publishFacts(host, [certified(second, shared, 'intermediate', '2022-01-01', 2)]);
    await publishFacts(host, [revoked(first, shared, 'senior', null)]);
    expect(await rowsOf(shared)).toEqual([{ traineeId: second, level: 'intermediate', recording: 2, revokedOn: null }]);
    expect(await levelOf(second)).toBe('intermediate');

    await publishFacts(host, [revoked(second, shared, 'intermediate', null, 2)]);
    expect(await rowsOf(shared)).toEqual([{ traineeId: second, level: 'intermediate', recording: 2, revokedOn: '2022-03-01' }]);
    expect(await levelOf(second)).toBeNull();
  });
});
