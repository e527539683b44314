// The upgrade that keeps which recording of its number a certificate is (placement.migrations.ts,
// CertificateRecordings). The certificates and early revocations an old build kept stay, each the first
// recording of its number: a void or a revocation that names no recording (the first) finds them, and a
// later recording of the number replaces them. In place: they answer hires and the wage insight, and no
// replay would bring them back.
import { CERTIFICATION_TOPIC, CertificateRevokedV1, CertificateVoidedV1, LevelCertifiedV1 } from '@skills/contracts';
import { createTestDatabase, fact, publishFacts, startTestHost, TestDatabase, TestHost } from '@skills/testing';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { CertificateRecordings } from '../placement.migrations';
import { PlacementModule } from '../placement.module';

const WELDER = '6-18-02-04';
const certified = (traineeId: string, certificateNumber: string, recording?: number) => {
  const payload: LevelCertifiedV1 = {
    certificateNumber,
    traineeId,
    occupationCode: WELDER,
    level: 'senior',
    previousLevel: null,
    route: 'imported',
    evaluatorId: randomUUID(),
    evaluatorName: '协会',
    evaluatorCreditCode: '51430200MJJ000001X',
    certifiedOn: '2021-01-01',
    ...(recording ? { recording } : {}),
  };
  return fact(CERTIFICATION_TOPIC, 'LevelCertified', payload, { key: traineeId });
};

describe('the upgrade that keeps the recording of a certificate', () => {
  const [worker, other] = [randomUUID(), randomUUID()];
  const [kept, replaced, revokedEarly] = ['S0000000000000000091', 'S0000000000000000092', 'S0000000000000000093'];
  let database: TestDatabase;
  let sql: Client;
  let host: TestHost | undefined;
  const certificates = async () =>
    (await sql.query('SELECT certificate_number AS number, trainee_id::text AS trainee, recording, to_char(revoked_on, \'YYYY-MM-DD\') AS "revokedOn" FROM placement.trainee_certificates ORDER BY certificate_number')).rows;

  beforeAll(async () => {
    database = await createTestDatabase();
    sql = new Client({ connectionString: database.url });
    await sql.connect();
    host = await startTestHost({ modules: [PlacementModule], transport: 'in-process', databaseUrl: database.url });
    await publishFacts(host, [certified(worker, kept), certified(worker, replaced)]);
    await host.close();
    host = undefined;

    // As the build before this migration left it: no recordings, no voids, and a revocation remembered before its certificate.
    await sql.query('DELETE FROM placement.migrations WHERE name = $1', [new CertificateRecordings().name]);
    await sql.query('DROP TABLE placement.voided_certificates; ALTER TABLE placement.trainee_certificates DROP COLUMN recording; ALTER TABLE placement.early_revocations DROP COLUMN recording');
    await sql.query("INSERT INTO placement.early_revocations (certificate_number, revoked_on) VALUES ($1, '2022-03-01')", [revokedEarly]);
  });

  afterAll(async () => {
    await host?.close();
    await sql?.end();
    await database?.drop();
  });

  it('keeps the certificates and early revocations of before as first recordings, which the messages of after find', async () => {
    host = await startTestHost({ modules: [PlacementModule], transport: 'in-process', databaseUrl: database.url });
    expect(await certificates()).toEqual([
      { number: kept, trainee: worker, recording: 1, revokedOn: null },
      { number: replaced, trainee: worker, recording: 1, revokedOn: null },
    ]);

    const voided: CertificateVoidedV1 = { certificateNumber: kept, traineeId: worker, occupationCode: WELDER, voidedLevel: 'senior', levelAfter: null, evaluatorId: randomUUID(), evaluatorHoldsOthers: false, voidedOn: '2022-02-01' };
    const revocation: CertificateRevokedV1 = { certificateNumber: replaced, traineeId: worker, occupationCode: WELDER, revokedLevel: 'senior', levelAfter: null, reason: '材料造假', revokedOn: '2022-03-01' };
    await publishFacts(host, [fact(CERTIFICATION_TOPIC, 'CertificateVoided', voided, { key: worker }), fact(CERTIFICATION_TOPIC, 'CertificateRevoked', revocation, { key: worker }), certified(worker, revokedEarly)]);
    expect(await certificates()).toEqual([
      { number: replaced, trainee: worker, recording: 1, revokedOn: '2022-03-01' },
      { number: revokedEarly, trainee: worker, recording: 1, revokedOn: '2022-03-01' },
    ]);

    await publishFacts(host, [certified(other, replaced, 2)]);
    expect((await certificates())[0]).toEqual({ number: replaced, trainee: other, recording: 2, revokedOn: null });
  });
});
