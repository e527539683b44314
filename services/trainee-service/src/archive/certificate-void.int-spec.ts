// The archive and a certificate voided (recorded in error): its entries leave the archive, the page and the
// PDFs alike, as if it had never been recorded; and a number recorded again after its void, whose recordings
// may travel under different workers' keys and arrive in any order, shows its latest recording only.
import { CERTIFICATION_TOPIC, CertificateRevokedV1, CertificateVoidedV1, LevelCertifiedV1 } from '@skills/contracts';
import { fact, Fact, publishFacts } from '@skills/testing';
import { randomUUID } from 'node:crypto';
import { archiveVoidsSpecHost, deliveredAgain } from './archive-voids-spec-host';

const WELDER = '6-18-02-04';
type Level = LevelCertifiedV1['level'];

const certified = (traineeId: string, certificateNumber: string, level: Level, certifiedOn: string, recording?: number): Fact => {
  const payload: LevelCertifiedV1 = {
    certificateNumber,
    traineeId,
    occupationCode: WELDER,
    level,
    previousLevel: null,
    route: 'imported',
    evaluatorId: randomUUID(),
    evaluatorName: '株洲市技能评价中心',
    evaluatorCreditCode: '91430200MA4L000001',
    certifiedOn,
    ...(recording ? { recording } : {}),
  };
  return fact(CERTIFICATION_TOPIC, 'LevelCertified', payload, { key: traineeId });
};
const revoked = (traineeId: string, certificateNumber: string, revokedLevel: Level, recording?: number): Fact => {
  const payload: CertificateRevokedV1 = { certificateNumber, traineeId, occupationCode: WELDER, revokedLevel, levelAfter: null, reason: '材料不实', revokedOn: '2023-09-01', ...(recording ? { recording } : {}) };
  return fact(CERTIFICATION_TOPIC, 'CertificateRevoked', payload, { key: traineeId });
};
const voided = (traineeId: string, certificateNumber: string, voidedLevel: Level, levelAfter: Level | null, recording?: number): Fact => {
  const payload: CertificateVoidedV1 = { certificateNumber, traineeId, occupationCode: WELDER, voidedLevel, levelAfter, evaluatorId: randomUUID(), evaluatorHoldsOthers: false, voidedOn: '2023-08-01', ...(recording ? { recording } : {}) };
  return fact(CERTIFICATION_TOPIC, 'CertificateVoided', payload, { key: traineeId });
};

describe('the archive and a voided certificate', () => {
  const archive = archiveVoidsSpecHost({ name: '王建国', numbersFrom: 7400 });
  const { registered } = archive;
  const publish = (facts: Fact[]) => publishFacts(archive.service().host, facts);
  /** The archive's certificate entries: number, level and kind. */
  const certificatesIn = async (traineeId: string) => {
    return ((await archive.entriesOf(traineeId)) as Array<{ kind: string; certificateNumber?: string; level?: string }>)
      .filter((entry) => entry.certificateNumber)
      .map(({ kind, certificateNumber, level }) => ({ kind, certificateNumber, ...(level ? { level } : {}) }));
  };
  const { download, textOf } = archive;

  it('leaves a voided certificate out of the archive and its PDFs, its LevelCertified delivered again after the void bringing nothing back', async () => {
    const worker = await registered();
    const [junior, intermediate] = ['S000143430200215100001', 'S000143430200215100002'];
    const intermediateCertified = certified(worker, intermediate, 'intermediate', '2022-05-06');
    await publish([certified(worker, junior, 'junior', '2021-04-01'), intermediateCertified]);
    expect(await certificatesIn(worker)).toEqual([
      { kind: 'certified', certificateNumber: junior, level: 'junior' },
      { kind: 'certified', certificateNumber: intermediate, level: 'intermediate' },
    ]);

    const voidOf = voided(worker, intermediate, 'intermediate', 'junior');
    await publish([voidOf]);
    // What is left is the level the void says the worker stands at.
    expect(await certificatesIn(worker)).toEqual([{ kind: 'certified', certificateNumber: junior, level: (voidOf.envelope.payload as CertificateVoidedV1).levelAfter }]);
    expect((await download(`/api/v1/trainees/${worker}/certificates/${intermediate}/pdf?consistent=true`)).status).toBe(404);
    const archivePdf = await download(`/api/v1/trainees/${worker}/archive/pdf?consistent=true`);
    expect(archivePdf.status).toBe(200);
    const text = await textOf(archivePdf.body);
    expect(text).toContain(junior);
    expect(text).not.toContain(intermediate);

    await publish([deliveredAgain(intermediateCertified)]);
    expect(await certificatesIn(worker)).toEqual([{ kind: 'certified', certificateNumber: junior, level: 'junior' }]);
  });

  it("keeps a number's recording 2 for another worker that arrives before recording 1 and its void", async () => {
    const [first, second] = [await registered(), await registered()];
    const shared = 'S000143430200215100003';
    await publish([certified(second, shared, 'senior', '2023-10-01', 2)]);
    await publish([certified(first, shared, 'intermediate', '2022-01-01')]);
    await publish([voided(first, shared, 'intermediate', null)]);
    expect(await certificatesIn(second)).toEqual([{ kind: 'certified', certificateNumber: shared, level: 'senior' }]);
    expect(await certificatesIn(first)).toEqual([]);
  });

  it('shows a number recorded again for the same worker as its recording 2 alone, whatever arrives of recording 1 after it', async () => {
    const worker = await registered();
    const shared = 'S000143430200215100004';
    const first = certified(worker, shared, 'intermediate', '2022-01-01');
    await publish([first, voided(worker, shared, 'intermediate', null), certified(worker, shared, 'senior', '2023-08-15', 2)]);
    expect(await certificatesIn(worker)).toEqual([{ kind: 'certified', certificateNumber: shared, level: 'senior' }]);

    // Recording 1's LevelCertified and a revocation of it, delivered after recording 2 (a replay, a letter retried): nothing changes.
    await publish([deliveredAgain(first), revoked(worker, shared, 'intermediate')]);
    expect(await certificatesIn(worker)).toEqual([{ kind: 'certified', certificateNumber: shared, level: 'senior' }]);
    const certificatePdf = await download(`/api/v1/trainees/${worker}/certificates/${shared}/pdf?consistent=true`);
    expect(certificatePdf.status).toBe(200);
    expect(await textOf(certificatePdf.body)).not.toContain('已撤销');

    // Recording 2's own revocation does.
    await publish([revoked(worker, shared, 'senior', 2)]);
    expect(await certificatesIn(worker)).toEqual([
      { kind: 'certified', certificateNumber: shared, level: 'senior' },
      { kind: 'certificate_revoked', certificateNumber: shared },
    ]);
  });
});
