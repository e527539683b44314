// The statistics and a certificate's number recorded more than once: a voided certificate counts nowhere (not
// issued, no level, no high-skill talent), and a number's recordings, whose facts may travel under different
// workers' keys, arrive in any order without one undoing the other. On a real Postgres, fed by the in-process
// bus, read as the region statistics answer.
import { CERTIFICATION_TOPIC, CertificateRevokedV1, LevelCertifiedV1 } from '@skills/contracts';
import { Database } from '@skills/postgres';
import { bearer, createTestDatabase, fact, Fact, http, publishFacts, startTestHost, TestDatabase, TestHost, testIssuer } from '@skills/testing';
import { randomUUID } from 'node:crypto';
import { BrandModule } from '../../brand.module';
import { TraineeFacts } from '../figures/trainee-figures';
import { certified, organisations, revoked, voided, WELDER } from '../statistics-scenario';
import { StatisticsFact, statisticsStreamId } from './statistics-fact';

const org = organisations();

/** The certificate's number recorded again (its `recording`), for `traineeId`, at `level` on `certifiedOn`. */
function recordedAgain(certificate: Fact & { certificateNumber: string }, traineeId: string, recording: number, level: LevelCertifiedV1['level'], certifiedOn: string): Fact {
  const payload: LevelCertifiedV1 = { ...(certificate.envelope.payload as LevelCertifiedV1), traineeId, recording, level, certifiedOn };
  return fact(CERTIFICATION_TOPIC, 'LevelCertified', payload, { key: traineeId, occurredAt: certifiedOn });
}

/** The same message under a new id, as a replay from another source brings it (the inbox would drop the same id). */
const deliveredAgain = (message: Fact): Fact => ({ ...message, envelope: { ...message.envelope, eventId: randomUUID() } });

function revokedRecording(traineeId: string, certificate: { certificateNumber: string }, revokedOn: string, recording: number): Fact {
  const revocation = revoked(traineeId, certificate, WELDER, revokedOn);
  const payload: CertificateRevokedV1 = { ...(revocation.envelope.payload as CertificateRevokedV1), recording };
  return fact(CERTIFICATION_TOPIC, 'CertificateRevoked', payload, { key: traineeId, occurredAt: revokedOn });
}

describe('the statistics and a number recorded again after a void', () => {
  let database: TestDatabase;
  let host: TestHost;
  let admin: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    host = await startTestHost({ modules: [BrandModule], transport: 'in-process', databaseUrl: database.url });
    admin = await (await testIssuer()).token({ role: 'platform_admin' });
  });

  afterAll(async () => {
    await host?.close();
    await database?.drop();
  });

  /** The evaluator's district in a year (each test its own year: the sums are everyone's). */
  const figures = async (year: string) => {
    const answer = await http(host.baseUrl, 'GET', `/api/v1/statistics/regions/${org.evaluatorZhuzhou.regionCode}?period=${year}&consistent=true`, undefined, bearer(admin));
    expect(answer.status).toBe(200);
    const { certificatesIssued, certificatesByLevel, revocations, newHighSkillTalents, highSkillTalents } = answer.body;
    return { certificatesIssued, certificatesByLevel, revocations, newHighSkillTalents, highSkillTalents };
  };
  const factsOf = async (traineeId: string) => {
    const { rows } = await host.app.get(Database, { strict: false }).query<{ fact: StatisticsFact }>(`SELECT data -> 'fact' AS fact FROM events WHERE stream_id = $1 ORDER BY stream_version`, [statisticsStreamId(traineeId)]);
    return new TraineeFacts(rows.map(({ fact }) => fact));
  };
  const standing = async (traineeId: string) =>
    (await factsOf(traineeId)).certificates.map(({ certificateNumber, recording, level, revokedOn }) => ({ certificateNumber, recording: recording ?? 1, level, revokedOn }));

  it('counts a voided certificate nowhere, and the worker stands at levelAfter', async () => {
    const worker = randomUUID();
    const intermediate = certified(worker, org.evaluatorZhuzhou, WELDER, 'intermediate', '2021-03-01');
    const senior = certified(worker, org.evaluatorZhuzhou, WELDER, 'senior', '2021-05-01');
    await publishFacts(host, [intermediate, senior]);
    expect(await figures('2021')).toMatchObject({ certificatesIssued: 2, newHighSkillTalents: 1, highSkillTalents: 1 });

    await publishFacts(host, [voided(worker, senior, WELDER, '2021-09-01', 'intermediate')]);
    expect(await figures('2021')).toEqual({ certificatesIssued: 1, certificatesByLevel: expect.objectContaining({ intermediate: 1, senior: 0 }), revocations: 0, newHighSkillTalents: 0, highSkillTalents: 0 });
    expect((await factsOf(worker)).currentIn(WELDER, '2021-12-31')?.level).toBe('intermediate');

    // Its LevelCertified delivered again after the void (a replay): the void stands.
    await publishFacts(host, [deliveredAgain(senior)]);
    expect(await figures('2021')).toMatchObject({ certificatesIssued: 1, highSkillTalents: 0 });
  });

  it("keeps a number's recording 2 for another worker that arrives before recording 1's void, a late recording 1 counting only until its void", async () => {
    const [first, second] = [randomUUID(), randomUUID()];
    const original = certified(first, org.evaluatorZhuzhou, WELDER, 'senior', '2022-01-10');
    await publishFacts(host, [recordedAgain(original, second, 2, 'intermediate', '2022-06-01')]);
    await publishFacts(host, [original]);
    await publishFacts(host, [voided(first, original, WELDER, '2022-06-01', null)]);
    expect(await figures('2022')).toEqual({ certificatesIssued: 1, certificatesByLevel: expect.objectContaining({ intermediate: 1, senior: 0 }), revocations: 0, newHighSkillTalents: 0, highSkillTalents: 0 });
    expect(await standing(second)).toEqual([{ certificateNumber: original.certificateNumber, recording: 2, level: 'intermediate', revokedOn: null }]);
    expect(await standing(first)).toEqual([]);
  });

  it('counts a number recorded again for the same worker once, as recording 2, whatever arrives of recording 1 after it', async () => {
    const worker = randomUUID();
    const original = certified(worker, org.evaluatorZhuzhou, WELDER, 'senior', '2024-01-10');
    await publishFacts(host, [original, voided(worker, original, WELDER, '2024-02-01', null), recordedAgain(original, worker, 2, 'intermediate', '2024-03-01')]);
    expect(await standing(worker)).toEqual([{ certificateNumber: original.certificateNumber, recording: 2, level: 'intermediate', revokedOn: null }]);
    // Recording 1's LevelCertified and its revocation, parked and retried after recording 2: they change nothing.
    await publishFacts(host, [deliveredAgain(original), revoked(worker, original, WELDER, '2024-04-01')]);
    expect(await standing(worker)).toEqual([{ certificateNumber: original.certificateNumber, recording: 2, level: 'intermediate', revokedOn: null }]);
    expect(await figures('2024')).toEqual({ certificatesIssued: 1, certificatesByLevel: expect.objectContaining({ intermediate: 1, senior: 0 }), revocations: 0, newHighSkillTalents: 0, highSkillTalents: 0 });
  });

  it('lets a revocation of recording 1 arriving after recording 2 change nothing of recording 2, and revokes recording 2 by its own', async () => {
    const [first, second] = [randomUUID(), randomUUID()];
    const original = certified(first, org.evaluatorZhuzhou, WELDER, 'senior', '2023-01-10');
    await publishFacts(host, [original]);
    await publishFacts(host, [recordedAgain(original, second, 2, 'senior', '2023-06-01')]);
    await publishFacts(host, [revoked(first, original, WELDER, '2023-07-01')]);
    expect(await standing(second)).toEqual([{ certificateNumber: original.certificateNumber, recording: 2, level: 'senior', revokedOn: null }]);

    await publishFacts(host, [revokedRecording(second, original, '2023-08-01', 2)]);
    expect(await standing(second)).toEqual([{ certificateNumber: original.certificateNumber, recording: 2, level: 'senior', revokedOn: '2023-08-01' }]);
  });
});
