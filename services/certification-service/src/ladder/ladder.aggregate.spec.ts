import { Actor } from '@skills/contracts';
import { EvaluatorKind, formatCertificateNumber, nationalGradeOf, SkillLevel } from '@skills/domain-kernel';
import { aggregateSpec } from '@skills/testing';
import { CertificateRevoked, Certify, CertificationRoute, ladderAggregate, levelOf, LevelCertified, RecordImportedCertificate } from './ladder.aggregate';

const given = aggregateSpec(ladderAggregate);

const employer = { evaluatorId: 'ev-y', name: '株洲中车', kind: 'employer' as const, creditCode: '91430200MA4L00001P', regionCode: '430211' };
const organisation = { evaluatorId: 'ev-s', name: '湖南省焊接协会', kind: 'social_organisation' as const, creditCode: '91110108551385082Q', regionCode: '430000' };
/** A user of the evaluator's staff. */
const staffOf = (evaluatorId: string): Actor => ({ userId: `user-of-${evaluatorId}`, role: 'evaluator_staff', organisationId: evaluatorId, via: 'token' });

let serial = 0;
/** Asked by staff of the evaluator it names, unless `change` says otherwise. */
const certify = (level: SkillLevel, route: CertificationRoute, change: Partial<Certify> = {}): Certify => ({
  by: staffOf((change.evaluator ?? organisation).evaluatorId),
  type: 'Certify',
  certificateNumber: `C-${++serial}`,
  traineeId: 't-1',
  occupationCode: '6-18-02-04',
  regionCode: '430202',
  level,
  route,
  certifiedOn: '2021-06-01',
  evaluator: organisation,
  evaluatorEmploysWorker: false,
  holderAge: 'of_working_age',
  ...(route === 'exceptional' ? { reason: 'competition_award' as const, evidence: '湘人社函〔2021〕12号' } : {}),
  ...(route === 'direct' ? { justification: '五年焊接工作，质量零缺陷' } : {}),
  ...change,
});

/** What every certificate's event records, however it was issued, spelled out here as the spec expects it. */
const certificateData = (command: Certify | RecordImportedCertificate, previousLevel: SkillLevel | null) => ({
  certificateNumber: command.certificateNumber,
  traineeId: command.traineeId,
  occupationCode: command.occupationCode,
  regionCode: command.regionCode,
  level: command.level,
  previousLevel,
  evaluatorId: command.evaluator.evaluatorId,
  evaluatorName: command.evaluator.name,
  evaluatorKind: command.evaluator.kind,
  evaluatorCreditCode: command.evaluator.creditCode,
  evaluatorRegionCode: command.evaluator.regionCode,
  certifiedOn: command.certifiedOn,
});

/** The event a command makes when accepted, given the level it was judged against. */
const certified = (command: Certify, previousLevel: SkillLevel | null): LevelCertified => ({
  type: 'LevelCertified',
  data: {
    ...certificateData(command, previousLevel),
    route: command.route,
    ...(command.route === 'exceptional' ? { reason: command.reason, evidence: command.evidence } : {}),
    ...(command.route === 'direct' ? { justification: command.justification } : {}),
  },
});

/** A worker who already holds `level` (certified on 2020-06-01). */
const holding = (level: SkillLevel, certifiedOn = '2020-06-01') => certified(certify(level, 'assessment', { certifiedOn }), null);

describe('route 1: assessment (职业技能等级认定)', () => {
  it.each(['apprentice', 'junior'] as const)('certifies %s as a first level, by any evaluator', (level) => {
    const command = certify(level, 'assessment');
    given().when(command).then([certified(command, null)]);
  });
  it('climbs exactly one rung', () => {
    const command = certify('senior', 'assessment');
    given(holding('intermediate')).when(command).then([certified(command, 'intermediate')]);
  });
  it('refuses a first level above junior', () => {
    const refusal = given().when(certify('intermediate', 'assessment')).thenRefuses('assessment_first_level_apprentice_or_junior');
    expect(refusal).toMatchObject({ context: { currentLevel: null, requestedLevel: 'intermediate', route: 'assessment' } });
  });
  it('refuses two rungs at once', () => {
    given(holding('junior')).when(certify('senior', 'assessment')).thenRefuses('assessment_one_rung_at_a_time');
  });
  it('reaches senior_technician at most', () => {
    const command = certify('senior_technician', 'assessment');
    given(holding('technician')).when(command).then([certified(command, 'technician')]);
    given(holding('senior_technician')).when(certify('special_technician', 'assessment')).thenRefuses('assessment_above_senior_technician');
  });
});

describe('route 2: direct certification (直接认定)', () => {
  const direct = (level: SkillLevel, change: Partial<Certify> = {}) => certify(level, 'direct', { evaluator: employer, evaluatorEmploysWorker: true, ...change });
  it('certifies an unrated worker by their current employer, junior up to senior_technician', () => {
    for (const level of ['junior', 'senior_technician'] as const) {
      const command = direct(level);
      given().when(command).then([certified(command, null)]);
    }
  });
  it('refuses a social organisation', () => {
    given().when(direct('senior', { evaluator: organisation })).thenRefuses('direct_requires_employer_evaluator');
  });
  it('refuses an employer that does not employ the worker on certifiedOn', () => {
    given().when(direct('senior', { evaluatorEmploysWorker: false })).thenRefuses('direct_requires_current_employer');
  });
  it('refuses a worker who already has a level in the occupation', () => {
    given(holding('apprentice')).when(direct('senior')).thenRefuses('direct_only_while_unrated');
  });
  it('is allowed for a worker rated in another occupation only (a ladder is per occupation)', () => {
    const command = direct('senior');
    given().when(command).then([certified(command, null)]);
  });
  it('refuses apprentice and the appointed grades', () => {
    given().when(direct('apprentice')).thenRefuses('direct_target_junior_to_senior_technician');
    given().when(direct('special_technician')).thenRefuses('direct_target_junior_to_senior_technician');
  });
  it('refuses without a written justification', () => {
    given().when(direct('senior', { justification: '  ' })).thenRefuses('direct_requires_justification');
  });
});

describe('route 3: exceptional promotion (破格晋升)', () => {
  it('climbs up to two rungs with a listed reason and evidence', () => {
    const command = certify('technician', 'exceptional', { reason: 'major_technical_breakthrough' });
    given(holding('intermediate')).when(command).then([certified(command, 'intermediate')]);
  });
  it('refuses three rungs', () => {
    given(holding('junior')).when(certify('technician', 'exceptional')).thenRefuses('exceptional_more_than_two_rungs');
  });
  it('never goes above senior_technician', () => {
    given(holding('technician')).when(certify('special_technician', 'exceptional')).thenRefuses('exceptional_above_senior_technician');
  });
  it('refuses without a reason or without evidence', () => {
    given(holding('junior')).when(certify('senior', 'exceptional', { reason: undefined })).thenRefuses('exceptional_requires_reason');
    given(holding('junior')).when(certify('senior', 'exceptional', { evidence: '' })).thenRefuses('exceptional_requires_evidence');
  });
});

describe('route 4: appointment (特级技师 / 首席技师)', () => {
  const appoint = (level: SkillLevel, change: Partial<Certify> = {}) => certify(level, 'appointment', { evaluator: employer, evaluatorEmploysWorker: true, ...change });
  it('appoints special_technician from senior_technician and chief_technician from special_technician', () => {
    const special = appoint('special_technician');
    given(holding('senior_technician')).when(special).then([certified(special, 'senior_technician')]);
    const chief = appoint('chief_technician');
    given(holding('senior_technician'), certified(appoint('special_technician', { certifiedOn: '2020-12-01' }), 'senior_technician'))
      .when(chief)
      .then([certified(chief, 'special_technician')]);
  });
  it('refuses to skip the rung below', () => {
    given(holding('technician')).when(appoint('special_technician')).thenRefuses('appointment_requires_rung_below');
    given(holding('senior_technician')).when(appoint('chief_technician')).thenRefuses('appointment_requires_rung_below');
  });
  it('appoints only to the two appointed grades', () => {
    given(holding('technician')).when(appoint('senior_technician')).thenRefuses('appointment_only_special_or_chief_technician');
  });
  it('refuses a social organisation, or an employer that does not employ the worker', () => {
    given(holding('senior_technician')).when(appoint('special_technician', { evaluator: organisation })).thenRefuses('appointment_requires_employer_evaluator');
    given(holding('senior_technician')).when(appoint('special_technician', { evaluatorEmploysWorker: false })).thenRefuses('appointment_requires_current_employer');
  });
});

describe('every route', () => {
  it('refuses a caller who is not staff of the evaluator named, a platform admin too', () => {
    given().when(certify('junior', 'assessment', { by: staffOf(employer.evaluatorId) })).thenForbids('certificates:certify');
    given().when(certify('junior', 'assessment', { by: { userId: 'admin', role: 'platform_admin', organisationId: null, via: 'token' } })).thenForbids('certificates:certify');
    const byItsStaff = certify('junior', 'assessment');
    given().when(byItsStaff).then([certified(byItsStaff, null)]);
  });
  it('refuses a target at or below the current level', () => {
    given(holding('senior')).when(certify('senior', 'assessment')).thenRefuses('target_not_above_current_level');
    given().when(certify('junior', 'assessment', { holderAge: 'not_yet_born' })).thenRefuses('certified_before_birth');
    const erasedHolder = certify('junior', 'assessment', { holderAge: null });
    given().when(erasedHolder).then([certified(erasedHolder, null)]);
    given(holding('senior')).when(certify('junior', 'exceptional')).thenRefuses('target_not_above_current_level');
  });
  it('refuses a certification date after today (by the clock the command is decided with)', () => {
    // SPEC_NOW is 2025-03-03 in UTC+8.
    const refusal = given().when(certify('junior', 'assessment', { certifiedOn: '2025-03-04' })).thenRefuses('date_in_future');
    expect(refusal).toMatchObject({ field: 'certifiedOn' });
    const today = certify('junior', 'assessment', { certifiedOn: '2025-03-03' });
    given().when(today).then([certified(today, null)]);
  });
  it('judges at certifiedOn: a record of an earlier year is checked against the level held then', () => {
    // Holding intermediate since 2020; a 2019 junior certificate entered today is judged as a first level.
    const earlier = certify('junior', 'assessment', { certifiedOn: '2019-05-01' });
    given(holding('intermediate')).when(earlier).then([certified(earlier, null)]);
  });
  it('refuses a backdated certificate that a later valid certificate would no longer be above', () => {
    const laterJunior = holding('junior', '2021-06-01');
    const sameLevel = given(laterJunior).when(certify('junior', 'assessment', { certifiedOn: '2020-06-01' })).thenRefuses('later_certificate_not_above');
    expect(sameLevel).toMatchObject({
      context: { currentLevel: null, requestedLevel: 'junior', laterCertificateNumber: laterJunior.data.certificateNumber, laterLevel: 'junior', laterCertifiedOn: '2021-06-01' },
    });
    const above = certify('senior', 'direct', { evaluator: employer, evaluatorEmploysWorker: true, certifiedOn: '2020-06-01' });
    given(laterJunior).when(above).thenRefuses('later_certificate_not_above');
    // Below the later certificate, the record fits under it.
    const below = certify('apprentice', 'assessment', { certifiedOn: '2020-06-01' });
    given(laterJunior).when(below).then([certified(below, null)]);
    // A later certificate that was revoked holds no level any more, and does not stand in the way.
    const revokedLater: CertificateRevoked = {
      type: 'CertificateRevoked',
      data: { certificateNumber: laterJunior.data.certificateNumber, traineeId: 't-1', occupationCode: '6-18-02-04', revokedLevel: 'junior', levelAfter: null, reason: 'fraud', revokedOn: '2022-01-01' },
    };
    const despiteRevoked = certify('junior', 'assessment', { certifiedOn: '2020-06-01' });
    given(laterJunior, revokedLater).when(despiteRevoked).then([certified(despiteRevoked, null)]);
  });
  it('refuses a certificate backdated under a direct certification made while the worker had no level', () => {
    // 2023-05-01: the employer certifies its unrated worker senior directly; another evaluator then backdates the rungs below it.
    const directly = (certifiedOn: string) => certify('senior', 'direct', { evaluator: employer, evaluatorEmploysWorker: true, certifiedOn });
    const direct = certified(directly('2023-05-01'), null);
    for (const [level, certifiedOn] of [['apprentice', '2021-01-01'], ['junior', '2021-06-01'], ['junior', '2023-04-30']] as const) {
      const refusal = given(direct).when(certify(level, 'assessment', { certifiedOn })).thenRefuses('later_direct_requires_unrated');
      expect(refusal).toMatchObject({
        context: { currentLevel: null, requestedLevel: level, route: 'assessment', laterCertificateNumber: direct.data.certificateNumber, laterLevel: 'senior', laterCertifiedOn: '2023-05-01' },
      });
    }
    // The same history in date order: the direct certification is the one refused.
    given(holding('apprentice', '2021-01-01')).when(directly('2023-05-01')).thenRefuses('direct_only_while_unrated');
    // Above it, the certificate it would no longer be above is named first.
    given(direct).when(certify('technician', 'exceptional', { certifiedOn: '2021-06-01' })).thenRefuses('later_certificate_not_above');
    // From the direct certification's own day on, a certification climbs from it.
    const sameDay = certify('technician', 'assessment', { certifiedOn: '2023-05-01' });
    given(direct).when(sameDay).then([certified(sameDay, 'senior')]);
    // A revoked direct certification holds no level, and is left as it was judged.
    const revokedDirect: CertificateRevoked = {
      type: 'CertificateRevoked',
      data: { certificateNumber: direct.data.certificateNumber, traineeId: 't-1', occupationCode: '6-18-02-04', revokedLevel: 'senior', levelAfter: null, reason: 'error', revokedOn: '2024-01-01' },
    };
    const underRevoked = certify('apprentice', 'assessment', { certifiedOn: '2021-01-01' });
    given(direct, revokedDirect).when(underRevoked).then([certified(underRevoked, null)]);
  });
  it('keeps the rules of a later assessment, exceptional promotion or appointment with a certificate backdated under it', () => {
    // Junior 2019, then senior in 2022 by two rungs: an intermediate of 2020 goes under the promotion, now one rung.
    const promoted = certified(certify('senior', 'exceptional', { certifiedOn: '2022-01-10' }), 'junior');
    const between = certify('intermediate', 'assessment', { certifiedOn: '2020-06-01' });
    given(holding('junior', '2019-06-01'), promoted).when(between).then([certified(between, 'junior')]);
    // A first junior by assessment: an apprentice goes under it, which leaves it one rung above.
    const apprentice = certify('apprentice', 'assessment', { certifiedOn: '2019-01-10' });
    given(holding('junior', '2019-06-01')).when(apprentice).then([certified(apprentice, null)]);
  });
});

describe('revocation', () => {
  const junior = holding('junior', '2019-06-01');
  const intermediate = certified(certify('intermediate', 'assessment', { certifiedOn: '2020-06-01' }), 'junior');
  const revoked = (of: LevelCertified, levelAfter: SkillLevel | null): CertificateRevoked => ({
    type: 'CertificateRevoked',
    data: { certificateNumber: of.data.certificateNumber, traineeId: 't-1', occupationCode: '6-18-02-04', revokedLevel: of.data.level, levelAfter, reason: 'fraud', revokedOn: '2021-07-01' },
  });
  /** Asked by staff of the issuing evaluator. */
  const revoke = (of: LevelCertified) => ({ type: 'RevokeCertificate' as const, certificateNumber: of.data.certificateNumber, reason: 'fraud', revokedOn: '2021-07-01', by: staffOf(of.data.evaluatorId) });

  it('falls back to the highest remaining valid certificate', () => {
    given(junior, intermediate).when(revoke(intermediate)).then([revoked(intermediate, 'junior')]);
  });
  it('leaves the level where it is when a lower certificate is revoked', () => {
    given(junior, intermediate).when(revoke(junior)).then([revoked(junior, 'intermediate')]);
  });
  it('leaves no level when the only certificate is revoked, and the worker may be certified again on any date', () => {
    given(junior).when(revoke(junior)).then([revoked(junior, null)]);
    // Revoked on 2021-07-01: the day before, the worker still held junior, but a certification decided now
    // stands on the certificates that stand now (an error corrected: the right junior recorded on its own day).
    const corrected = certify('junior', 'assessment', { certifiedOn: '2021-06-30' });
    given(junior, revoked(junior, null)).when(corrected).then([certified(corrected, null)]);
    const again = certify('junior', 'assessment', { certifiedOn: '2021-07-01' });
    given(junior, revoked(junior, null)).when(again).then([certified(again, null)]);
  });
  it('refuses to revoke twice', () => {
    given(junior, revoked(junior, null)).when(revoke(junior)).thenRefuses('certificate_already_revoked');
  });
  it('dates the revocation today unless told otherwise, and never after today', () => {
    // SPEC_NOW is 2025-03-03 in UTC+8.
    given(junior).when({ ...revoke(junior), revokedOn: undefined }).then([{ ...revoked(junior, null), data: { ...revoked(junior, null).data, revokedOn: '2025-03-03' } }]);
    const refusal = given(junior).when({ ...revoke(junior), revokedOn: '2025-03-04' }).thenRefuses('date_in_future');
    expect(refusal).toMatchObject({ field: 'revokedOn' });
  });
  it('refuses staff of another evaluator: an evaluator cannot revoke another evaluator’s certificate', () => {
    const byEmployer = certified(certify('intermediate', 'assessment', { evaluator: employer, certifiedOn: '2020-06-01' }), 'junior');
    given(junior, byEmployer).when({ ...revoke(junior), by: staffOf(employer.evaluatorId) }).thenForbids('certificates:revoke');
    given(junior, byEmployer).when({ ...revoke(byEmployer), by: staffOf(organisation.evaluatorId) }).thenForbids('certificates:revoke');
    // Each evaluator revokes its own certificate on the same ladder.
    given(junior, byEmployer).when(revoke(byEmployer)).then([revoked(byEmployer, 'junior')]);
  });
  it('refuses a platform admin, who is no evaluator’s staff', () => {
    given(junior).when({ ...revoke(junior), by: { userId: 'admin', role: 'platform_admin', organisationId: null, via: 'token' } }).thenForbids('certificates:revoke');
  });
  describe('judges a certification decided after a revocation without the revoked certificate, whatever its date', () => {
    // Junior certified 2020-01-10, revoked 2022-01-01.
    const juniorOf2020 = holding('junior', '2020-01-10');
    const revokedIn2022 = { ...revoked(juniorOf2020, null), data: { ...revoked(juniorOf2020, null).data, revokedOn: '2022-01-01' } };
    it('climbs from no level before the revocation as after it: an assessment starts at apprentice or junior', () => {
      given(juniorOf2020, revokedIn2022).when(certify('intermediate', 'assessment', { certifiedOn: '2021-06-01' })).thenRefuses('assessment_first_level_apprentice_or_junior');
      given(juniorOf2020, revokedIn2022).when(certify('intermediate', 'assessment', { certifiedOn: '2022-01-01' })).thenRefuses('assessment_first_level_apprentice_or_junior');
      const before = certify('junior', 'assessment', { certifiedOn: '2021-06-01' });
      given(juniorOf2020, revokedIn2022).when(before).then([certified(before, null)]);
      const again = certify('junior', 'assessment', { certifiedOn: '2022-02-01' });
      given(juniorOf2020, revokedIn2022).when(again).then([certified(again, null)]);
    });
    it('allows direct certification on a day the revoked certificate still counted: the worker held no level that stands', () => {
      const direct = certify('senior', 'direct', { evaluator: employer, evaluatorEmploysWorker: true, certifiedOn: '2021-12-31' });
      given(juniorOf2020, revokedIn2022).when(direct).then([certified(direct, null)]);
    });
    it('gives an appointment no rung below from it, before the revocation as after', () => {
      const seniorTechnician = holding('senior_technician', '2020-01-10');
      const revokedSeniorTechnician = { ...revoked(seniorTechnician, null), data: { ...revoked(seniorTechnician, null).data, revokedOn: '2022-01-01' } };
      const appoint = (certifiedOn: string) => certify('special_technician', 'appointment', { evaluator: employer, evaluatorEmploysWorker: true, certifiedOn });
      given(seniorTechnician, revokedSeniorTechnician).when(appoint('2021-06-01')).thenRefuses('appointment_requires_rung_below');
      given(seniorTechnician, revokedSeniorTechnician).when(appoint('2022-02-01')).thenRefuses('appointment_requires_rung_below');
    });
    it('keeps a later certificate’s route rule on the certificates that stand, whatever the order they are recorded in', () => {
      const revokedOn = (of: LevelCertified, levelAfter: SkillLevel | null, on: string) => ({ ...revoked(of, levelAfter), data: { ...revoked(of, levelAfter).data, revokedOn: on } });
      // A junior revoked since; a direct certification dated while it still counted, accepted (no level stands).
      const juniorOf2021 = holding('junior', '2021-01-01');
      const direct = certify('intermediate', 'direct', { evaluator: employer, evaluatorEmploysWorker: true, certifiedOn: '2022-06-01' });
      given(juniorOf2021, revokedOn(juniorOf2021, null, '2023-01-01')).when(direct).then([certified(direct, null)]);
      // A junior recorded under it would have it made while the worker held a level that stands.
      given(juniorOf2021, revokedOn(juniorOf2021, null, '2023-01-01'), certified(direct, null))
        .when(certify('junior', 'assessment', { certifiedOn: '2022-03-01' }))
        .thenRefuses('later_direct_requires_unrated');
      // Fraudulent intermediate and senior revoked; an intermediate assessed from the junior that stands…
      const juniorOf2019 = holding('junior', '2019-01-01');
      const fraudulent = [holding('intermediate', '2020-01-01'), holding('senior', '2020-06-01')];
      const ladder = [juniorOf2019, ...fraudulent, revokedOn(fraudulent[0], 'junior', '2023-01-01'), revokedOn(fraudulent[1], 'junior', '2023-01-01')];
      const intermediate = certify('intermediate', 'assessment', { certifiedOn: '2022-06-01' });
      given(...ladder).when(intermediate).then([certified(intermediate, 'junior')]);
      // …is not left below a senior recorded under it.
      given(...ladder, certified(intermediate, 'junior'))
        .when(certify('senior', 'exceptional', { certifiedOn: '2022-03-01' }))
        .thenRefuses('later_certificate_not_above');
    });
    it('judges a backdated promotion on the valid certificates below the revoked one (the audit’s fraudulent senior)', () => {
      // Apprentice 2022, junior 2023, intermediate 2024, senior 2025-01-10 revoked 2025-03-03 for fraud.
      const ladder = [holding('apprentice', '2022-01-10'), holding('junior', '2023-01-10'), holding('intermediate', '2024-01-10')];
      const senior = holding('senior', '2025-01-10');
      const revokedSenior = { ...revoked(senior, 'intermediate'), data: { ...revoked(senior, 'intermediate').data, revokedOn: '2025-03-03' } };
      // A technician dated the day before the revocation climbs two rungs from the intermediate that stands.
      given(...ladder, senior, revokedSenior).when(certify('technician', 'assessment', { certifiedOn: '2025-03-02' })).thenRefuses('assessment_one_rung_at_a_time');
      // The senior again, properly assessed and dated on its day, is one rung above it.
      const seniorAgain = certify('senior', 'assessment', { certifiedOn: '2025-01-10' });
      given(...ladder, senior, revokedSenior).when(seniorAgain).then([certified(seniorAgain, 'intermediate')]);
    });
  });
  // A certificate not on the ladder is no refusal any more: the number's index names the ladder (404 before).
});

describe('imported certificates (route imported): recorded as they were issued', () => {
  const evaluator = { ...organisation, evaluatorCode: '00A1' };
  const employerEvaluator = { ...employer, evaluatorCode: '00A3' };
  let importSerial = 0;
  /** A number of the current format this evaluator issued (or another, by `change`), for `level` in `certifiedOn`'s year. */
  const numberOf = (level: SkillLevel, certifiedOn: string, change: { evaluatorCode?: string; evaluatorKind?: EvaluatorKind; year?: string; nationalGrade?: number } = {}) =>
    formatCertificateNumber({
      evaluatorKind: evaluator.kind,
      evaluatorCode: evaluator.evaluatorCode,
      province: '43',
      site: '430200',
      year: certifiedOn.slice(2, 4),
      nationalGrade: nationalGradeOf(level),
      serial: ++importSerial,
      ...change,
    });
  const recordImported = (level: SkillLevel, certifiedOn = '2019-05-20', change: Partial<RecordImportedCertificate> = {}): RecordImportedCertificate => ({
    type: 'RecordImportedCertificate',
    certificateNumber: numberOf(level, certifiedOn),
    traineeId: 't-1',
    occupationCode: '6-18-02-04',
    occupationEdition: '2022',
    regionCode: '430200',
    level,
    certifiedOn,
    evaluator,
    by: { ...staffOf(evaluator.evaluatorId), via: 'system', component: 'imports' },
    ...change,
  });
  /** A certificate the employer-kind evaluator issued: its own staff, its own number. */
  const importedFromEmployer = (level: SkillLevel, certifiedOn: string): RecordImportedCertificate =>
    recordImported(level, certifiedOn, {
      certificateNumber: numberOf(level, certifiedOn, { evaluatorKind: 'employer', evaluatorCode: employerEvaluator.evaluatorCode }),
      evaluator: employerEvaluator,
      by: { ...staffOf(employerEvaluator.evaluatorId), via: 'system', component: 'imports' },
    });
  /** The event an accepted import makes, given the level held on its date. */
  const imported = (command: RecordImportedCertificate, previousLevel: SkillLevel | null, legacyNumber = false): LevelCertified => ({
    type: 'LevelCertified',
    data: {
      ...certificateData(command, previousLevel),
      route: 'imported',
      ...(legacyNumber ? { legacyNumber: true as const } : {}),
      occupationEdition: command.occupationEdition,
    },
  });

  it('records a certificate of the evaluator itself, with the level held on its date', () => {
    const first = recordImported('junior');
    given().when(first).then([imported(first, null)]);
    const later = recordImported('intermediate', '2021-04-01');
    given(holding('junior', '2020-06-01')).when(later).then([imported(later, 'junior')]);
  });

  it('judges no progression: three rungs above the current level, an appointed level as a first one', () => {
    const technician = recordImported('technician', '2021-04-01');
    const { state } = given(holding('junior', '2020-06-01')).when(technician).then([imported(technician, 'junior')]);
    expect(levelOf(state)).toBe('technician');
    const chief = importedFromEmployer('chief_technician', '2018-09-01');
    given().when(chief).then([imported(chief, null)]);
  });

  it('refuses an appointed level from an evaluator not of kind employer, by the rule an appointment over HTTP is refused by', () => {
    for (const level of ['special_technician', 'chief_technician'] as const) {
      const refusal = given(holding('senior_technician', '2017-06-01')).when(recordImported(level, '2019-05-20')).thenRefuses('appointment_requires_employer_evaluator');
      expect(refusal).toMatchObject({ rule: 'appointment_requires_employer_evaluator', context: { field: 'level', requestedLevel: level, evaluatorKind: 'social_organisation' } });
    }
    // The same levels from an employer-kind evaluator are recorded; the levels it does not appoint, from either kind.
    const special = importedFromEmployer('special_technician', '2019-05-20');
    given(holding('senior_technician', '2017-06-01')).when(special).then([imported(special, 'senior_technician')]);
    const senior = recordImported('senior_technician', '2019-05-20');
    given().when(senior).then([imported(senior, null)]);
  });

  it('keeps one below the current level in the history without lowering the level', () => {
    const apprentice = recordImported('apprentice', '2018-03-01');
    const { state } = given(holding('senior', '2020-06-01')).when(apprentice).then([imported(apprentice, null)]);
    expect(state.certificates.map((held) => held.level)).toEqual(['senior', 'apprentice']);
    expect(levelOf(state)).toBe('senior');
    // An import dated after the current certificate, below it, does not lower the level either.
    const laterJunior = recordImported('junior', '2022-06-01');
    const { state: after } = given(holding('senior', '2020-06-01')).when(laterJunior).then([imported(laterJunior, 'senior')]);
    expect(levelOf(after)).toBe('senior');
  });

  it('keeps a number of an earlier format as given, marked legacyNumber, whoever issued it', () => {
    for (const certificateNumber of ['ZZ2015-000123', '1343000000300123', 'S000143430200215000001X']) {
      const legacy = recordImported('senior', '2015-11-20', { certificateNumber });
      given().when(legacy).then([imported(legacy, null, true)]);
    }
  });

  it("refuses a number of the current format another evaluator issued, naming the field", () => {
    const otherCode = recordImported('junior', '2019-05-20', { certificateNumber: numberOf('junior', '2019-05-20', { evaluatorCode: '00B2' }) });
    expect(given().when(otherCode).thenRefuses('certificate_of_another_evaluator')).toMatchObject({ field: 'certificateNumber' });
    // The same code under the other kind's letter (Y, an employer) is another evaluator's too.
    const otherKind = recordImported('junior', '2019-05-20', { certificateNumber: numberOf('junior', '2019-05-20', { evaluatorKind: 'employer' }) });
    given().when(otherKind).thenRefuses('certificate_of_another_evaluator');
  });

  it("refuses a number of the current format whose year or national grade is not the certificate's", () => {
    const year = recordImported('junior', '2019-05-20', { certificateNumber: numberOf('junior', '2019-05-20', { year: '18' }) });
    expect(given().when(year).thenRefuses('certificate_number_does_not_match')).toMatchObject({ field: 'certificateNumber', context: { numberYear: '18' } });
    const grade = recordImported('senior', '2019-05-20', { certificateNumber: numberOf('junior', '2019-05-20') });
    given().when(grade).thenRefuses('certificate_number_does_not_match');
  });

  it('refuses a number in the current shape that does not read as one, and one of no format at all', () => {
    const zeroSerial = recordImported('junior', '2019-05-20', { certificateNumber: 'S00A143430200195000000' });
    expect(given().when(zeroSerial).thenRefuses('isCertificateNumber')).toMatchObject({ field: 'certificateNumber' });
    given().when(recordImported('junior', '2019-05-20', { certificateNumber: 'NO 12' })).thenRefuses('isCertificateNumber');
  });

  it('refuses a date after today', () => {
    // SPEC_NOW is 2025-03-03 in UTC+8.
    expect(given().when(recordImported('junior', '2025-03-04')).thenRefuses('date_in_future')).toMatchObject({ field: 'certifiedOn' });
  });

  it("refuses anyone but the evaluator's own staff", () => {
    given().when(recordImported('junior', '2019-05-20', { by: staffOf(employer.evaluatorId) })).thenForbids('certificates:certify');
  });

  it('is revoked like any certificate, by its evaluator: the level falls back to the highest remaining', () => {
    const technician = recordImported('technician', '2021-04-01');
    const recorded = imported(technician, 'junior');
    const revoke = { type: 'RevokeCertificate' as const, certificateNumber: technician.certificateNumber, reason: 'fraud', revokedOn: '2022-01-01', by: staffOf(evaluator.evaluatorId) };
    given(holding('junior', '2020-06-01'), recorded)
      .when(revoke)
      .then([
        {
          type: 'CertificateRevoked',
          data: { certificateNumber: technician.certificateNumber, traineeId: 't-1', occupationCode: '6-18-02-04', revokedLevel: 'technician', levelAfter: 'junior', reason: 'fraud', revokedOn: '2022-01-01' },
        },
      ]);
  });

  it('stands in the way of a backdated certification only where it raised the level on its date', () => {
    // Senior imported for 2019, junior imported for 2022 (below the senior): a technician of 2020 climbs
    // from the senior, and the junior of 2022, which raised nothing, does not stand in its way.
    const senior = imported(recordImported('senior', '2019-05-01'), null);
    const juniorBelow = imported(recordImported('junior', '2022-05-01'), 'senior');
    const technician = certify('technician', 'assessment', { certifiedOn: '2020-06-01' });
    given(senior, juniorBelow).when(technician).then([certified(technician, 'senior')]);
    // Recorded the other way round: the junior raised the level when it came, the senior then went under it.
    given(imported(recordImported('junior', '2022-05-01'), null), senior).when(technician).then([certified(technician, 'senior')]);
    // An imported certificate that did raise the level stays above what goes under it.
    const raisingSenior = imported(recordImported('senior', '2022-05-01'), 'junior');
    const intermediate = certify('intermediate', 'assessment', { certifiedOn: '2020-06-01' });
    given(holding('junior', '2019-06-01'), raisingSenior).when(intermediate).then([certified(intermediate, 'junior')]);
    given(holding('junior', '2019-06-01'), raisingSenior).when(certify('senior', 'exceptional', { certifiedOn: '2020-06-01' })).thenRefuses('later_certificate_not_above');
  });

  it('leaves a certificate under a direct certification that an imported one already stands under', () => {
    // The direct senior of 2023 was certified with no level; a junior of 2019 imported since stands under it.
    const direct = certified(certify('senior', 'direct', { evaluator: employer, evaluatorEmploysWorker: true, certifiedOn: '2023-05-01' }), null);
    const intermediate = certify('intermediate', 'assessment', { certifiedOn: '2020-06-01' });
    given(direct, imported(recordImported('junior', '2019-05-20'), null)).when(intermediate).then([certified(intermediate, 'junior')]);
    given(direct).when(certify('junior', 'assessment', { certifiedOn: '2020-06-01' })).thenRefuses('later_direct_requires_unrated');
  });

  it('is built on by later certifications like any certificate', () => {
    const technician = imported(recordImported('technician', '2021-04-01'), null);
    const next = certify('senior_technician', 'assessment', { certifiedOn: '2022-06-01' });
    given(technician).when(next).then([certified(next, 'technician')]);
    given(technician).when(certify('senior', 'assessment', { certifiedOn: '2022-06-01' })).thenRefuses('target_not_above_current_level');
  });

  describe('imported certificates: none dated on or after the day the evaluator began certifying on the platform', () => {
    // Its first certification through the platform (any route but imported) was recorded on 2023-06-01 (UTC+8).
    const since2023 = { ...organisation, evaluatorCode: '00A2', certifyingHereSince: '2023-06-01' };
    /** A certificate `issuer` issued, under its own number, imported by its staff. */
    const importedBy = (issuer: RecordImportedCertificate['evaluator'], level: SkillLevel, certifiedOn: string): RecordImportedCertificate =>
      recordImported(level, certifiedOn, {
        certificateNumber: numberOf(level, certifiedOn, { evaluatorKind: issuer.kind, evaluatorCode: issuer.evaluatorCode }),
        evaluator: issuer,
        by: { ...staffOf(issuer.evaluatorId), via: 'system', component: 'imports' },
      });
    /** The event an accepted import makes (the evaluator's day is no part of it). */
    const recorded = (command: RecordImportedCertificate, previousLevel: SkillLevel | null) => imported(command, previousLevel);

    it('records a certificate dated the day before, as issued', () => {
      const dayBefore = importedBy(since2023, 'junior', '2023-05-31');
      given().when(dayBefore).then([recorded(dayBefore, null)]);
    });

    it('refuses one dated that day or after, whatever the ladder holds, naming certifiedOn and the day', () => {
      for (const [level, certifiedOn] of [['junior', '2023-06-01'], ['intermediate', '2024-02-01']] as const) {
        const refusal = given().when(importedBy(since2023, level, certifiedOn)).thenRefuses('imported_after_certifying_here');
        expect(refusal).toMatchObject({ field: 'certifiedOn', context: { certifiedOn, certifyingHereSince: '2023-06-01' } });
        expect(refusal.message).toContain('POST /api/v1/certifications');
      }
      given(holding('junior', '2020-06-01')).when(importedBy(since2023, 'senior', '2023-06-01')).thenRefuses('imported_after_certifying_here');
    });

    it('refuses the audit’s senior_technician of today for a worker with no level, and an employer’s chief_technician of today', () => {
      // Both began certifying here today (SPEC_NOW: 2025-03-03 in UTC+8); yesterday’s are still theirs to import.
      const sinceToday = { ...since2023, certifyingHereSince: '2025-03-03' };
      const employerSinceToday = { ...employer, evaluatorCode: '00A4', certifyingHereSince: '2025-03-03' };
      given().when(importedBy(sinceToday, 'senior_technician', '2025-03-03')).thenRefuses('imported_after_certifying_here');
      given().when(importedBy(employerSinceToday, 'chief_technician', '2025-03-03')).thenRefuses('imported_after_certifying_here');
      const yesterday = importedBy(sinceToday, 'senior_technician', '2025-03-02');
      given().when(yesterday).then([recorded(yesterday, null)]);
    });

    it('refuses a date after today as such, not by the cut-over', () => {
      given().when(importedBy(since2023, 'junior', '2025-03-04')).thenRefuses('date_in_future');
    });

    it('has no cut-over for an evaluator that has never certified through the platform: one of today is recorded', () => {
      const neverHere = { ...organisation, evaluatorCode: '00A2' };
      const today = importedBy(neverHere, 'senior_technician', '2025-03-03');
      given().when(today).then([recorded(today, null)]);
    });
  });
});

