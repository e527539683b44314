// A void is refused while something may refer to the trainee: an enrolment, certificate or employment the
// archive could not record, parked as a dead letter of its consumer (trainee.archive), refers to them as
// surely as one recorded; a certificate, an employment or an enrolment voided refers to nothing.
// trainee-service alone; the letters parked as the consumer parks them.
import { CERTIFICATION_TOPIC, PLACEMENT_TOPIC, TRAINING_TOPIC } from '@skills/contracts';
import { fixedClock } from '@skills/domain-kernel';
import { bearer, parkDeadLetter, ServiceSpec, startServiceSpec, stream, testIdentityNumber } from '@skills/testing';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { ARCHIVE_CONSUMER } from '../../archive/archive.consumer';
import { ArchiveCertificateVoid, ArchiveEmploymentVoid, ArchiveEnrollmentVoid, ArchiveEntry } from '../../archive/archive-entry';
import { TraineeModule } from '../../trainee.module';

describe('trainees: a void waits for the archive’s dead letters about the trainee', () => {
  let service: ServiceSpec;
  let sql: Client;

  beforeAll(async () => {
    service = await startServiceSpec({ modules: [TraineeModule], service: 'trainee', clock: fixedClock('2021-06-15T02:00:00.000Z'), token: { role: 'school_staff', organisationId: randomUUID() } });
    sql = new Client({ connectionString: service.database.url, options: '-c search_path=trainee' });
    await sql.connect();
  });

  afterAll(async () => {
    await sql?.end();
    await service?.close();
  });

  let person = 4300;
  const register = async (): Promise<string> => (await service.spec.when('POST', '/api/v1/trainees', { name: '张三', idNumber: testIdentityNumber(person++), phone: '13800000000' }).then(201)).body.id;
  /** A message the archive's consumer could not apply, as it parks one; its event id. */
  const park = (topic: string, type: string, aggregateId: string, payload: Record<string, unknown>): Promise<string> => parkDeadLetter(sql, ARCHIVE_CONSUMER, topic, { type, aggregateId, payload });
  const voidOf = (traineeId: string) => service.spec.when('POST', `/api/v1/trainees/${traineeId}/void`, { reason: 'mistyped identity number' });

  // Training's messages are keyed by their course, certification's and placement's by the trainee or the employment.
  const parked = {
    'an enrolment': (traineeId: string) => park(TRAINING_TOPIC, 'TraineeEnrolled', randomUUID(), { traineeId, enrollmentId: randomUUID() }),
    'a certificate': (traineeId: string) => park(CERTIFICATION_TOPIC, 'LevelCertified', traineeId, { traineeId, certificateNumber: 'S000000000000001' }),
    'an employment (its trainee id in capitals)': (traineeId: string) => park(PLACEMENT_TOPIC, 'TraineeHired', randomUUID(), { traineeId: traineeId.toUpperCase(), employmentId: randomUUID() }),
  };

  it.each(Object.keys(parked) as (keyof typeof parked)[])('refuses to void while %s of the trainee waits as a dead letter (503 with Retry-After, nothing recorded)', async (what) => {
    const traineeId = await register();
    await parked[what](traineeId);
    const { body } = await voidOf(traineeId).then(503, [], { rule: 'facts_not_caught_up', retryAfter: 60 });
    expect(body.detail).toContain('dead letter');
    await service.spec.when('GET', `/api/v1/trainees/${traineeId}`).then(200);
  });

  it('answers as the fact does once the letter is applied: a referral (409)', async () => {
    const traineeId = await register();
    const letter = await parked['an enrolment'](traineeId);
    await voidOf(traineeId).then(503, []);
    // The retry applied it: its message in the consumer's inbox, its archive entry recorded.
    await sql.query('INSERT INTO inbox (consumer, message_id) VALUES ($1, $2)', [ARCHIVE_CONSUMER, letter]);
    const enrolled = { traineeId, key: letter, kind: 'enrolled', at: '2021-06-01', context: 'training', sourceEventId: letter, details: {} };
    await service.spec
      .given(stream(`archive-${traineeId}`, { type: 'ArchiveEntryRecorded', data: enrolled }))
      .when('POST', `/api/v1/trainees/${traineeId}/void`, { reason: 'mistyped identity number' })
      .then(409, [], { rule: 'trainee_referred' });
  });

  it('answers 503, not 404, to a school not related to the trainee while the enrolment that would relate it waits as a dead letter of the relations’ consumer', async () => {
    const traineeId = await register();
    const school = randomUUID();
    const eventId = await parkDeadLetter(sql, 'trainee.trainee-relations', TRAINING_TOPIC, { type: 'TraineeEnrolled', aggregateId: randomUUID(), payload: { traineeId, enrollmentId: randomUUID(), course: { providerId: school } } });
    const staff = bearer(await service.issuer.token({ role: 'school_staff', organisationId: school }));
    await service.spec.when('POST', `/api/v1/trainees/${traineeId}/void`, { reason: 'mistyped identity number' }, staff).then(503, [], { rule: 'facts_not_caught_up' });
    // Once applied (as a retry leaves it: the message in the inbox, the relation recorded), the school is
    // answered as the facts say: it may read the trainee, but only the registrant voids a registration.
    await sql.query(`INSERT INTO inbox (consumer, message_id) VALUES ('trainee.trainee-relations', $1)`, [eventId]);
    await sql.query('INSERT INTO trainee_relations (trainee_id, organisation_id) VALUES ($1, $2)', [traineeId, school]);
    await service.spec.when('POST', `/api/v1/trainees/${traineeId}/void`, { reason: 'mistyped identity number' }, staff).then(403, [], { rule: 'permission_denied' });
  });

  it('is not held back by a letter about another trainee, nor by one that names no trainee', async () => {
    const traineeId = await register();
    await parked['an enrolment'](randomUUID());
    await park(TRAINING_TOPIC, 'ProviderRegistered', randomUUID(), { providerId: randomUUID() });
    await voidOf(traineeId).then(200, [{ type: 'TraineeRegistrationVoided', data: { traineeId } }]);
  });
  describe('an archive of certificates voided refers to nothing', () => {
    const certified = (traineeId: string, certificateNumber: string, recording?: number): ArchiveEntry => {
      const sourceEventId = randomUUID();
      return { traineeId, key: sourceEventId, sourceEventId, context: 'certification', kind: 'certified', at: '2021-05-01', ...(recording ? { recording } : {}), details: { certificateNumber, occupationCode: '6-18-02-04', level: 'junior' } };
    };
    const revoked = (traineeId: string, certificateNumber: string): ArchiveEntry => ({ ...certified(traineeId, certificateNumber), kind: 'certificate_revoked', details: { certificateNumber, reason: 'mistaken' } });
    const voided = (traineeId: string, certificateNumber: string, recording = 1): ArchiveCertificateVoid => ({ traineeId, sourceEventId: randomUUID(), certificateNumber, recording, voidedOn: '2021-06-01' });
    const entry = (data: ArchiveEntry) => ({ type: 'ArchiveEntryRecorded', data });
    const voidOfCertificate = (data: ArchiveCertificateVoid) => ({ type: 'ArchiveCertificateVoided', data });
    const voidGiven = (traineeId: string, ...events: Array<{ type: string; data: unknown }>) =>
      service.spec.given(stream(`archive-${traineeId}`, ...events)).when('POST', `/api/v1/trainees/${traineeId}/void`, { reason: 'mistyped identity number' });

    it('voids a registration whose certificates, issued and revoked, were all voided', async () => {
      const traineeId = await register();
      const [issued, revokedThenVoided] = ['S000143430200215100011', 'S000143430200215100012'];
      await voidGiven(traineeId, entry(certified(traineeId, issued)), entry(certified(traineeId, revokedThenVoided)), entry(revoked(traineeId, revokedThenVoided)), voidOfCertificate(voided(traineeId, issued)), voidOfCertificate(voided(traineeId, revokedThenVoided))).then(200, [
        { type: 'TraineeRegistrationVoided', data: { traineeId } },
      ]);
    });

    it('refuses while a certificate not voided stands, or another recording of a voided number', async () => {
      const traineeId = await register();
      const [voidedNumber, standing] = ['S000143430200215100013', 'S000143430200215100014'];
      await voidGiven(traineeId, entry(certified(traineeId, voidedNumber)), entry(certified(traineeId, standing)), voidOfCertificate(voided(traineeId, voidedNumber))).then(409, [], { rule: 'trainee_referred' });

      const recordedAgain = await register();
      await voidGiven(recordedAgain, entry(certified(recordedAgain, voidedNumber)), voidOfCertificate(voided(recordedAgain, voidedNumber)), entry(certified(recordedAgain, voidedNumber, 2))).then(409, [], { rule: 'trainee_referred' });

      // A void of the second recording does not cancel the first.
      const otherRecording = await register();
      await voidGiven(otherRecording, entry(certified(otherRecording, standing)), voidOfCertificate(voided(otherRecording, standing, 2))).then(409, [], { rule: 'trainee_referred' });
    });
  });

  describe('an archive of employments and enrolments voided refers to nothing', () => {
    const placementEntry = (traineeId: string, kind: 'hired' | 'employment_ended', employmentId: string): ArchiveEntry => {
      const sourceEventId = randomUUID();
      return { traineeId, key: sourceEventId, sourceEventId, context: 'placement', kind, at: '2021-05-01', details: { employmentId, employerId: randomUUID(), occupationCode: '6-18-02-04' } };
    };
    const trainingEntry = (traineeId: string, kind: 'enrolled' | 'withdrew' | 'assessed', enrollmentId: string): ArchiveEntry => {
      const sourceEventId = randomUUID();
      const key = kind === 'assessed' ? `assessed:${enrollmentId}` : sourceEventId;
      return { traineeId, key, sourceEventId, context: 'training', kind, at: '2021-05-01', details: { enrollmentId, courseId: randomUUID(), courseTitle: '焊工培训班' } };
    };
    const entry = (data: ArchiveEntry) => ({ type: 'ArchiveEntryRecorded', data });
    const employmentVoid = (traineeId: string, employmentId: string) => ({ type: 'ArchiveEmploymentVoided', data: { traineeId, sourceEventId: randomUUID(), employmentId, voidedOn: '2021-06-01' } satisfies ArchiveEmploymentVoid });
    const enrollmentVoid = (traineeId: string, enrollmentId: string) => ({ type: 'ArchiveEnrollmentVoided', data: { traineeId, sourceEventId: randomUUID(), enrollmentId, voidedOn: '2021-06-01' } satisfies ArchiveEnrollmentVoid });
    const voidGiven = (traineeId: string, ...events: Array<{ type: string; data: unknown }>) =>
      service.spec.given(stream(`archive-${traineeId}`, ...events)).when('POST', `/api/v1/trainees/${traineeId}/void`, { reason: 'mistyped identity number' });

    it('voids a registration whose employments (hired, ended) and enrolments (with a withdrawal and a result) were all voided, a void recorded before its facts too', async () => {
      const traineeId = await register();
      const [ended, hired, withdrawn, assessed] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
      await voidGiven(
        traineeId,
        entry(placementEntry(traineeId, 'hired', ended)),
        entry(placementEntry(traineeId, 'employment_ended', ended)),
        employmentVoid(traineeId, ended),
        // A void learnt before its hire (the hire's letter retried late).
        employmentVoid(traineeId, hired),
        entry(placementEntry(traineeId, 'hired', hired)),
        entry(trainingEntry(traineeId, 'enrolled', withdrawn)),
        entry(trainingEntry(traineeId, 'withdrew', withdrawn)),
        enrollmentVoid(traineeId, withdrawn),
        entry(trainingEntry(traineeId, 'enrolled', assessed)),
        entry(trainingEntry(traineeId, 'assessed', assessed)),
        enrollmentVoid(traineeId, assessed),
      ).then(200, [{ type: 'TraineeRegistrationVoided', data: { traineeId } }]);
    });

    it('voids a registration whose archive holds only voided certificates, employments and enrolments', async () => {
      const traineeId = await register();
      const [employmentId, enrollmentId, certificateNumber] = [randomUUID(), randomUUID(), 'S000143430200215100015'];
      const certifiedSource = randomUUID();
      const certified: ArchiveEntry = { traineeId, key: certifiedSource, sourceEventId: certifiedSource, context: 'certification', kind: 'certified', at: '2021-05-01', details: { certificateNumber, occupationCode: '6-18-02-04', level: 'junior' } };
      const certificateVoid: ArchiveCertificateVoid = { traineeId, sourceEventId: randomUUID(), certificateNumber, recording: 1, voidedOn: '2021-06-01' };
      await voidGiven(
        traineeId,
        entry(trainingEntry(traineeId, 'enrolled', enrollmentId)),
        entry(certified),
        entry(placementEntry(traineeId, 'hired', employmentId)),
        { type: 'ArchiveCertificateVoided', data: certificateVoid },
        employmentVoid(traineeId, employmentId),
        enrollmentVoid(traineeId, enrollmentId),
      ).then(200, [{ type: 'TraineeRegistrationVoided', data: { traineeId } }]);
    });

    it('refuses while an employment or an enrolment not voided stands beside a voided one', async () => {
      const [voidedJob, standingJob] = [randomUUID(), randomUUID()];
      const employed = await register();
      await voidGiven(employed, entry(placementEntry(employed, 'hired', voidedJob)), employmentVoid(employed, voidedJob), entry(placementEntry(employed, 'hired', standingJob))).then(409, [], { rule: 'trainee_referred' });

      // An end alone, of an employment not voided (its hire parked, or recorded before an import): it refers to the trainee.
      const endOnly = await register();
      await voidGiven(endOnly, entry(placementEntry(endOnly, 'employment_ended', standingJob)), employmentVoid(endOnly, voidedJob)).then(409, [], { rule: 'trainee_referred' });

      const [voidedEnrolment, standingEnrolment] = [randomUUID(), randomUUID()];
      const enrolled = await register();
      await voidGiven(enrolled, entry(trainingEntry(enrolled, 'enrolled', voidedEnrolment)), enrollmentVoid(enrolled, voidedEnrolment), entry(trainingEntry(enrolled, 'enrolled', standingEnrolment)), entry(trainingEntry(enrolled, 'assessed', standingEnrolment))).then(409, [], {
        rule: 'trainee_referred',
      });

      // A void of an employment does not cancel an enrolment of the same id, nor the other way round.
      const crossed = await register();
      const sameId = randomUUID();
      await voidGiven(crossed, entry(trainingEntry(crossed, 'enrolled', sameId)), employmentVoid(crossed, sameId)).then(409, [], { rule: 'trainee_referred' });
      const crossedBack = await register();
      await voidGiven(crossedBack, entry(placementEntry(crossedBack, 'hired', sameId)), enrollmentVoid(crossedBack, sameId)).then(409, [], { rule: 'trainee_referred' });
    });
  });
});
