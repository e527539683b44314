// A hire is judged on its start date (issue 14): the level held that day, whether the placement was still
// open, the employments at the same employer that overlap it, and the trainee's age that day. Over HTTP
// on placement-service alone, with the clock fixed; certificates come as facts of certification's topic.
import { CERTIFICATION_TOPIC, CertificateRevokedV1, LevelCertifiedV1 } from '@skills/contracts';
import { ageOnDate, fixedClock } from '@skills/domain-kernel';
import { AgeAnswer, NOT_REGISTERED, TraineeAges } from '@skills/service-runtime';
import { ApiSpec, bearer, fact, http, ServiceSpec, startServiceSpec, testIssuer, traineeRegisteredFact } from '@skills/testing';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { placementStream, postedPlacement } from '../../placement-fixtures';
import { EmploymentPeriods } from '../../placement.migrations';
import { PlacementModule } from '../../placement.module';
import { PlacementPosted } from '../placement.aggregate';

const clock = fixedClock('2021-10-15T02:00:00.000Z');
const WELDER = '6-18-02-04';

const staffOf = async (employerId: string) => bearer(await (await testIssuer()).token({ role: 'employer_staff', organisationId: employerId }));
const hire = async (placement: PlacementPosted, traineeId: string, startDate: string) =>
  ['POST', `/api/v1/placements/${placement.data.placementId}/hires`, { traineeId, startDate, monthlyWage: 8000 }, await staffOf(placement.data.employerId)] as const;

// Keyed by trainee, as certification publishes them (ladderIntegrationEvents): the key is the envelope's aggregateId.
const certified = (traineeId: string, level: LevelCertifiedV1['level'], certifiedOn: string) => {
  const payload: LevelCertifiedV1 = {
    certificateNumber: `Z${randomUUID()}`,
    traineeId,
    occupationCode: WELDER,
    level,
    previousLevel: null,
    route: 'assessment',
    evaluatorId: randomUUID(),
    evaluatorName: '协会',
    evaluatorCreditCode: '51430200MJJ000001X',
    certifiedOn,
  };
  return fact(CERTIFICATION_TOPIC, 'LevelCertified', payload, { key: traineeId });
};
const revoked = (certificate: ReturnType<typeof certified>, revokedOn: string, levelAfter: LevelCertifiedV1['level'] | null) => {
  const { certificateNumber, traineeId, level } = certificate.envelope.payload as LevelCertifiedV1;
  const payload: CertificateRevokedV1 = { certificateNumber, traineeId, occupationCode: WELDER, revokedLevel: level, levelAfter, reason: '材料造假', revokedOn };
  return fact(CERTIFICATION_TOPIC, 'CertificateRevoked', payload, { key: traineeId });
};

describe('a hire is judged on its start date', () => {
  let service: ServiceSpec;
  let spec: ApiSpec;
  let sql: Client;
  /** Birth dates trainee-service would hold, for the answerer standing in for it (it tells only an age word). */
  const births = new Map<string, string>();
  const asked: { traineeId: string; date: string }[] = [];
  /** Trainees trainee-service holds no registration of (voided), whom the replica still holds. */
  const notRegistered = new Set<string>();

  beforeAll(async () => {
    service = await startServiceSpec({ modules: [PlacementModule], service: 'placement', replicaWaitMs: 200, clock });
    spec = service.spec;
    sql = new Client({ connectionString: service.database.url, options: '-c search_path=placement' });
    await sql.connect();
    // A host of placement alone has no trainee-service to ask: this answers as trainee-service's answerer
    // does (ageOnDate of the sealed birth date), and nothing for a trainee it does not know.
    service.host.app.get(TraineeAges, { strict: false }).register({
      ageOn: async (traineeId: string, date: string): Promise<AgeAnswer> => {
        asked.push({ traineeId, date });
        if (notRegistered.has(traineeId)) return NOT_REGISTERED;
        const birthDate = births.get(traineeId);
        return birthDate ? ageOnDate(birthDate, date) : undefined;
      },
    });
  });

  afterAll(async () => {
    await sql?.end();
    await service?.close();
  });

  describe('the minimum level is judged on the start date by the certificates that stand now', () => {
    it('counts no certificate revoked since, even for a start date before its revocation (judged on the certificates that stand now)', async () => {
      // As certification's ladder judges a decision taken now: a certificate revoked for fraud gives no level
      // to a hire decided after the revocation, whatever its start date (the wage insight still counts it for the days before).
      const trainee = randomUUID();
      const junior = certified(trainee, 'junior', '2020-01-01');
      const intermediate = certified(trainee, 'intermediate', '2021-01-01');
      const [needsIntermediate, needsJunior] = [postedPlacement({ minLevel: 'intermediate' }), postedPlacement({ minLevel: 'junior' })];
      await spec
        .given(placementStream(needsIntermediate), placementStream(needsJunior), traineeRegisteredFact(trainee), junior, intermediate, revoked(intermediate, '2021-09-01', 'junior'))
        .when(...(await hire(needsIntermediate, trainee, '2021-07-01')))
        .then(409, [], { rule: 'level_too_low', traineeLevel: 'junior', minLevel: 'intermediate' });
      await spec.when(...(await hire(needsIntermediate, trainee, '2021-09-01'))).then(409, [], { rule: 'level_too_low', traineeLevel: 'junior', minLevel: 'intermediate' });
      // The certificate that stands still counts on that start date.
      await spec.when(...(await hire(needsJunior, trainee, '2021-07-01'))).then(201, [{ type: 'TraineeHired', data: { startDate: '2021-07-01' } }]);
    });

    it('does not bring back a certificate revoked while its certification waited as a dead letter, once the letter is retried', async () => {
      const trainee = randomUUID();
      const certificate = certified(trainee, 'intermediate', '2021-01-01');
      const placement = postedPlacement({ minLevel: 'intermediate' });
      const admin = bearer(await service.issuer.token({ role: 'platform_admin' }));
      // The LevelCertified was parked (its consumer failed on it 3 times): a dead letter, not in the inbox.
      const { rows } = await sql.query<{ id: string }>(
        `INSERT INTO dead_letters (consumer, topic, message_id, envelope, error) VALUES ('placement.trainee-certificates', $1, $2, $3, 'a failure since fixed') RETURNING id::text AS id`,
        [CERTIFICATION_TOPIC, certificate.envelope.eventId, certificate.envelope],
      );
      // Its revocation comes next (the partition moved on) and finds no certificate here.
      await spec
        .given(placementStream(placement), traineeRegisteredFact(trainee), revoked(certificate, '2021-09-01', null))
        .when(...(await hire(placement, trainee, '2021-10-01')))
        .then(503, [], { rule: 'facts_not_caught_up' });
      // The operator retries the letter: the certificate is written revoked.
      expect(await http(service.host.baseUrl, 'POST', `/admin/dead-letters/placement/${rows[0].id}/retry`, undefined, admin)).toMatchObject({ status: 200, body: { outcome: 'applied' } });
      const replica = await sql.query(`SELECT level, to_char(revoked_on, 'YYYY-MM-DD') AS "revokedOn" FROM trainee_certificates WHERE trainee_id = $1`, [trainee]);
      expect(replica.rows).toEqual([{ level: 'intermediate', revokedOn: '2021-09-01' }]);
      await spec.when(...(await hire(placement, trainee, '2021-10-01'))).then(409, [], { rule: 'level_too_low', traineeLevel: null, minLevel: 'intermediate' });
    });

    it('keeps a certificate revoked when its revocation is applied before it (a replay)', async () => {
      const trainee = randomUUID();
      const certificate = certified(trainee, 'intermediate', '2021-01-01');
      const placement = postedPlacement({ minLevel: 'intermediate' });
      await spec
        .given(placementStream(placement), traineeRegisteredFact(trainee), revoked(certificate, '2021-09-01', null))
        .when(...(await hire(placement, trainee, '2021-10-01')))
        .then(409, [], { rule: 'level_too_low', traineeLevel: null });
      await spec.given(certificate).when(...(await hire(placement, trainee, '2021-10-01'))).then(409, [], { rule: 'level_too_low', traineeLevel: null });
      const replica = await sql.query(`SELECT to_char(revoked_on, 'YYYY-MM-DD') AS "revokedOn" FROM trainee_certificates WHERE trainee_id = $1`, [trainee]);
      expect(replica.rows).toEqual([{ revokedOn: '2021-09-01' }]);
    });

    it('does not count a certificate dated after the start date', async () => {
      const trainee = randomUUID();
      const placement = postedPlacement({ minLevel: 'intermediate' });
      await spec
        .given(placementStream(placement), traineeRegisteredFact(trainee), certified(trainee, 'junior', '2020-01-01'), certified(trainee, 'intermediate', '2021-08-01'))
        .when(...(await hire(placement, trainee, '2021-07-31')))
        .then(409, [], { rule: 'level_too_low', traineeLevel: 'junior' });
      await spec.when(...(await hire(placement, trainee, '2021-08-01'))).then(201, [{ type: 'TraineeHired' }]);
    });

    it('judges no minimum level while one of the trainee’s certification facts waits here as a dead letter (503, nothing recorded), and does once it is applied', async () => {
      const trainee = randomUUID();
      const [needsLevel, plain] = [postedPlacement({ minLevel: 'junior' }), postedPlacement()];
      // A revocation placement could not apply (a schema it does not know yet, say): the level here may be wrong.
      const { rows } = await sql.query<{ id: string }>(
        `INSERT INTO dead_letters (consumer, topic, message_id, envelope, error) VALUES ('placement.trainee-certificates', $1, gen_random_uuid(), $2, 'probe') RETURNING message_id::text AS id`,
        [CERTIFICATION_TOPIC, { type: 'CertificateRevoked', aggregateId: trainee }],
      );
      await spec
        .given(placementStream(needsLevel), placementStream(plain), traineeRegisteredFact(trainee), certified(trainee, 'junior', '2020-01-01'))
        .when(...(await hire(needsLevel, trainee, '2021-07-01')))
        .then(503, [], { rule: 'facts_not_caught_up' });
      // A placement that needs no level does not stand on those facts.
      await spec.when(...(await hire(plain, trainee, '2021-07-01'))).then(201, [{ type: 'TraineeHired' }]);
      // Applied by a later retry (the inbox says so): judged again.
      await sql.query(`INSERT INTO inbox (consumer, message_id) VALUES ('placement.trainee-certificates', $1)`, [rows[0].id]);
      await spec.when(...(await hire(needsLevel, trainee, '2021-07-02'))).then(201, [{ type: 'TraineeHired' }]);
    });

    it('takes the highest level standing that day, whatever order the certificates came in', async () => {
      const trainee = randomUUID();
      const placement = postedPlacement({ minLevel: 'senior' });
      await spec
        .given(placementStream(placement), traineeRegisteredFact(trainee), certified(trainee, 'senior', '2021-03-01'), certified(trainee, 'junior', '2020-01-01'))
        .when(...(await hire(placement, trainee, '2021-02-28')))
        .then(409, [], { rule: 'level_too_low', traineeLevel: 'junior' });
      await spec.when(...(await hire(placement, trainee, '2021-03-01'))).then(201, [{ type: 'TraineeHired' }]);
    });
  });

  describe('the placement is closed for hires starting on or after its closing day', () => {
    it('accepts a backdated hire into a placement closed later', async () => {
      const placement = postedPlacement();
      const trainee = randomUUID();
      const closed = { type: 'PlacementClosed', data: { placementId: placement.data.placementId, closedOn: '2021-09-01' } };
      await spec
        .given(placementStream(placement, closed), traineeRegisteredFact(trainee))
        .when(...(await hire(placement, trainee, '2021-08-31')))
        .then(201, [{ type: 'TraineeHired', data: { startDate: '2021-08-31' } }]);
      const late = randomUUID();
      await spec.given(traineeRegisteredFact(late)).when(...(await hire(placement, late, '2021-09-01'))).then(409, [], { rule: 'placement_closed', closedOn: '2021-09-01' });
    });
  });

  describe('one employment at a time per trainee and employer, by dates', () => {
    const end = async (employerId: string, employmentId: string, endDate: string) =>
      spec.when('POST', `/api/v1/employments/${employmentId}/end`, { endDate, reason: '合同期满' }, await staffOf(employerId)).then(200, [{ type: 'EmploymentEnded' }]);

    it('refuses a hire that overlaps an employment ended since, and accepts one from its end date on', async () => {
      const employerId = randomUUID();
      const [first, second, third] = [postedPlacement({ employerId }), postedPlacement({ employerId }), postedPlacement({ employerId })];
      const trainee = randomUUID();
      const { body: earlier } = await spec
        .given(placementStream(first), placementStream(second), placementStream(third), traineeRegisteredFact(trainee))
        .when(...(await hire(first, trainee, '2021-01-04')))
        .then(201, [{ type: 'TraineeHired' }]);
      await end(employerId, earlier.employmentId, '2021-06-30');
      // Ended since, but employed on 2021-03-01: the two would overlap.
      await spec
        .when(...(await hire(second, trainee, '2021-03-01')))
        .then(409, [], { rule: 'already_employed_by_employer', traineeId: trainee, existingId: earlier.employmentId, existingStartDate: '2021-01-04', existingEndDate: '2021-06-30' });
      // Open-ended from a day before the first one started: it overlaps it as well.
      await spec.when(...(await hire(second, trainee, '2020-12-01'))).then(409, [], { rule: 'already_employed_by_employer', existingId: earlier.employmentId });
      // The first was active until (not on) its end date.
      const { body: later } = await spec.when(...(await hire(second, trainee, '2021-06-30'))).then(201, [{ type: 'TraineeHired' }]);
      // Now one is open: any start overlaps it.
      await spec.when(...(await hire(third, trainee, '2021-09-01'))).then(409, [], { rule: 'already_employed_by_employer', existingId: later.employmentId, existingEndDate: null });
    });

    it('lets another employer hire the same trainee over the same days', async () => {
      const trainee = randomUUID();
      const [here, elsewhere] = [postedPlacement(), postedPlacement()];
      await spec.given(placementStream(here), placementStream(elsewhere), traineeRegisteredFact(trainee)).when(...(await hire(here, trainee, '2021-03-01'))).then(201, [{ type: 'TraineeHired' }]);
      await spec.when(...(await hire(elsewhere, trainee, '2021-03-01'))).then(201, [{ type: 'TraineeHired' }]);
    });

    it('fills the periods of a deployment that ran before them from its own log', async () => {
      const employerId = randomUUID();
      const [first, second] = [postedPlacement({ employerId }), postedPlacement({ employerId })];
      const [ended, open] = [randomUUID(), randomUUID()];
      const { body: endedHire } = await spec
        .given(placementStream(first), placementStream(second), traineeRegisteredFact(ended), traineeRegisteredFact(open))
        .when(...(await hire(first, ended, '2021-02-01')))
        .then(201, [{ type: 'TraineeHired' }]);
      await end(employerId, endedHire.employmentId, '2021-05-01');
      const { body: openHire } = await spec.when(...(await hire(second, open, '2021-03-01'))).then(201, [{ type: 'TraineeHired' }]);
      const periods = async () =>
        (
          await sql.query(
            `SELECT employment_id::text AS "employmentId", trainee_id::text AS "traineeId", employer_id::text AS "employerId",
                    to_char(start_date, 'YYYY-MM-DD') AS "startDate", to_char(end_date, 'YYYY-MM-DD') AS "endDate"
             FROM employment_periods WHERE employer_id = $1 ORDER BY start_date`,
            [employerId],
          )
        ).rows;
      const expected = [
        { employmentId: endedHire.employmentId, traineeId: ended, employerId, startDate: '2021-02-01', endDate: '2021-05-01' },
        { employmentId: openHire.employmentId, traineeId: open, employerId, startDate: '2021-03-01', endDate: null },
      ];
      expect(await periods()).toEqual(expected);
      // As the migration runs on a schema whose hires and ends are only in the log.
      await sql.query('DROP TABLE employment_periods');
      await new EmploymentPeriods().up({ query: (text: string) => sql.query(text) } as never);
      expect(await periods()).toEqual(expected);
    });
  });

  it('refuses as unknown a trainee trainee-service holds no registration of (voided a moment ago), the replica not told yet', async () => {
    const voided = randomUUID();
    notRegistered.add(voided);
    const placement = postedPlacement();
    await spec
      .given(placementStream(placement), traineeRegisteredFact(voided, { registeredOn: '2021-08-01' }))
      .when(...(await hire(placement, voided, '2021-09-01')))
      .then(404, [], { entity: 'trainee', id: voided });
  });

  describe('under 16 on a start date before the registration', () => {
    it('asks trainee-service how old the trainee was that day, and refuses under 16 and before birth', async () => {
      // Registered at 16 (so the replica names no 16th birthday), hired from a day when they were 15.
      const trainee = randomUUID();
      births.set(trainee, '2005-08-01');
      const placement = postedPlacement({ openings: 3 });
      await spec
        .given(placementStream(placement), traineeRegisteredFact(trainee, { registeredOn: '2021-10-01', workingAgeFrom: null }))
        .when(...(await hire(placement, trainee, '2021-07-31')))
        .then(409, [], { rule: 'under_minimum_age', startDate: '2021-07-31' });
      await spec.when(...(await hire(placement, trainee, '2005-07-31'))).then(409, [], { rule: 'under_minimum_age', startDate: '2005-07-31' });
      await spec.when(...(await hire(placement, trainee, '2021-08-01'))).then(201, [{ type: 'TraineeHired', data: { startDate: '2021-08-01' } }]);
      expect(asked.filter((question) => question.traineeId === trainee).map((question) => question.date)).toEqual(['2021-07-31', '2005-07-31', '2021-08-01']);
    });

    it('asks at every hire (whether trainee-service still holds the registration), and refuses nothing when nothing is known of the age', async () => {
      const [known, erased] = [randomUUID(), randomUUID()];
      births.set(known, '2005-08-01');
      const [one, other] = [postedPlacement(), postedPlacement()];
      await spec
        .given(placementStream(one), placementStream(other), traineeRegisteredFact(known, { registeredOn: '2021-08-01' }), traineeRegisteredFact(erased, { registeredOn: '2021-10-01' }))
        .when(...(await hire(one, known, '2021-08-01')))
        .then(201, [{ type: 'TraineeHired' }]);
      expect(asked).toContainEqual({ traineeId: known, date: '2021-08-01' });
      // trainee-service knows nothing of this one's age (erased): nothing is refused.
      await spec.when(...(await hire(other, erased, '2021-07-01'))).then(201, [{ type: 'TraineeHired' }]);
      expect(asked).toContainEqual({ traineeId: erased, date: '2021-07-01' });
    });
  });
});
