// An evaluator's `certificates` import (api.md, Imports; domain.md sections 1, 2, 9) as certification-
// service applies it, on certification-service alone (real Postgres): batches of rows as trainee-service
// submits them, applied by applyImportBatch with CertificatesImportApplier. Certificates of earlier years
// are recorded as they were issued (route `imported`): format, uniqueness and dates are checked, the
// ladder's progression is not judged again, a number of an earlier format is kept and marked, and another
// evaluator's certificates are refused row by row. What is recorded is read back through the HTTP API.
import { CERTIFICATION_TOPIC, ImportRowsAnsweredV1, ImportRowsSubmittedV1, ImportRowSubmitted, TRAINEE_TOPIC } from '@skills/contracts';
import { formatCertificateNumber, fixedClock, nationalGradeOf, SkillLevel } from '@skills/domain-kernel';
import { MessagePublisher, OutboxMessage } from '@skills/event-sourcing';
import { MESSAGE_PUBLISHER } from '@skills/messaging';
import { Transactions } from '@skills/postgres';
import { applyImportBatch, runWithCorrelation, TraineeNames } from '@skills/service-runtime';
import { bearer, fact, http, overlapping, publishFacts, ServiceSpec, startServiceSpec, traineeRegisteredFact, waitFor } from '@skills/testing';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { CertificationModule } from '../../certification.module';
import { certifyBody, evaluator, staffOf, WELDER } from '../../certification-fixtures';
import { EvaluatorRegistered } from '../../evaluators/evaluator.aggregate';
import { CertificateNumbers } from '../certificate-numbers';
import { CertificatesImportApplier, FIRST_CERTIFIED_HERE } from './certificates-import.applier';

// "Today" for this spec: 2021-10-15 in China.
const clock = fixedClock('2021-10-15T02:00:00.000Z');
/** As trainee-service would answer: every holder was born before this day, and is named 张三. */
const HOLDER_NAME = '张三';
/** A certificate's one verification URL, as the ladder's history gives it beside the number. */
const urlOf = (number: string) => expect.stringMatching(new RegExp(`/verify/${number}$`));

type Fields = ImportRowSubmitted['fields'];

describe('certification: importing historical certificates (kind certificates)', () => {
  let service: ServiceSpec;
  let sql: Client;
  let admin: Record<string, string>;
  let nextSerial = 1;
  /** Every message the host published (its outbox rows are gone once relayed). */
  const published: OutboxMessage[] = [];
  const publishedFor = (type: string, certificateNumber: string) =>
    published.filter((message) => message.envelope.type === type && (message.envelope.payload as { certificateNumber?: string }).certificateNumber === certificateNumber);

  const count = async (table: string) => Number((await sql.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`)).rows[0].n);
  const serials = async () => Number((await sql.query<{ n: string }>('SELECT coalesce(sum(last_serial), 0) AS n FROM certificate_serials')).rows[0].n);
  const written = async () => ({ events: await count('events'), numbers: await count('certificate_numbers'), serials: await serials(), keys: await count('import_row_keys'), answers: await count('import_batch_answers') });
  const ladder = async (traineeId: string, headers = admin) => http(service.host.baseUrl, 'GET', `/api/v1/ladder/trainees/${traineeId}?consistent=true`, undefined, headers);
  const verify = (number: string) => http(service.host.baseUrl, 'GET', `/api/v1/certificates/${number}`);

  /** An evaluator registered here, a holder registered at trainee-service, read once: an empty ladder. */
  const arranged = async (kind: EvaluatorRegistered['data']['kind'] = 'social_organisation') => {
    const issuer = evaluator(kind);
    const traineeId = randomUUID();
    await service.spec.given(issuer.past, traineeRegisteredFact(traineeId)).when('GET', `/api/v1/ladder/trainees/${traineeId}`, undefined, admin).then(200, [], {});
    const registered = issuer.past.events[0] as EvaluatorRegistered;
    return { evaluatorId: issuer.evaluatorId, evaluatorCode: registered.data.evaluatorCode, kind, traineeId };
  };
  type Arranged = Awaited<ReturnType<typeof arranged>>;

  /** A number of the current format, as `by` (or another evaluator code) would have issued it for `level` in `certifiedOn`'s year. */
  const numberOf = (by: Pick<Arranged, 'evaluatorCode' | 'kind'>, level: SkillLevel, certifiedOn: string, serial = nextSerial++) =>
    formatCertificateNumber({ evaluatorKind: by.kind, evaluatorCode: by.evaluatorCode, province: '43', site: '430200', year: certifiedOn.slice(2, 4), nationalGrade: nationalGradeOf(level), serial });

  /** A row as trainee-service submits it: its natural key the number, its key the number and the cells. */
  const row = (at: number, traineeId: string | null, fields: Fields): ImportRowSubmitted => ({
    row: at,
    naturalKey: `certificate:${fields.certificateNumber}`,
    key: `certificate:${JSON.stringify(fields)}`,
    traineeId,
    fields,
  });
  const cells = (certificateNumber: string, level: SkillLevel, certifiedOn: string, change: Fields = {}): Fields => ({ certificateNumber, occupationCode: WELDER, level, certifiedOn, ...change });

  const startedBy = { userId: randomUUID(), role: 'evaluator_staff' };
  let nextBatch = 1;
  const batchOf = (organisationId: string, mode: ImportRowsSubmittedV1['mode'], rows: ImportRowSubmitted[]): ImportRowsSubmittedV1 => ({
    jobId: randomUUID(),
    batch: nextBatch++,
    mode,
    kind: 'certificates',
    organisationId,
    courseId: null,
    startedBy,
    rows,
  });

  /**
   * Applies a batch as the consumer would (in the context of the message), answering what `finish` was
   * given; `finish`, before the commit, awaits `beforeCommit` first.
   */
  const applied = async (batch: ImportRowsSubmittedV1, beforeCommit: () => Promise<void> = async () => undefined): Promise<ImportRowsAnsweredV1> => {
    const finished: ImportRowsAnsweredV1[] = [];
    const applier = service.host.app.get(CertificatesImportApplier);
    const answer = await runWithCorrelation(randomUUID(), () =>
      applyImportBatch(service.host.app.get(Transactions), batch, applier, async (_tx, each) => {
        finished.push(each);
        await beforeCommit();
      }),
    );
    expect(finished).toEqual([answer]);
    return answer;
  };
  const outcomesOf = async (batch: ImportRowsSubmittedV1) => (await applied(batch)).outcomes;
  /** Two batches certainly at once: the first commits only once the second waits on its numbers' claims. */
  const outcomesAtOnce = async (first: ImportRowsSubmittedV1, second: ImportRowsSubmittedV1) =>
    (
      await overlapping(
        sql,
        (beforeCommit) => applied(first, beforeCommit),
        () => applied(second),
      )
    ).map((answer) => answer.outcomes);

  beforeAll(async () => {
    service = await startServiceSpec({ modules: [CertificationModule], service: 'certification', replicaWaitMs: 200, clock });
    sql = new Client({ connectionString: service.database.url, options: '-c search_path=certification' });
    await sql.connect();
    admin = bearer(await service.issuer.token({ role: 'platform_admin' }));
    service.host.app.get(TraineeNames, { strict: false }).register({ matches: async (_trainee, name) => name === HOLDER_NAME });
    const publisher = service.host.app.get<MessagePublisher>(MESSAGE_PUBLISHER, { strict: false });
    const publish = publisher.publish.bind(publisher);
    publisher.publish = async (messages, stopping) => {
      published.push(...messages);
      return publish(messages, stopping);
    };
  });

  afterAll(async () => {
    await sql?.end();
    await service?.close();
  });

  it('judges every row by the rules that will apply it, and writes nothing', async () => {
    const by = await arranged();
    const numbers = [numberOf(by, 'junior', '2018-05-20'), numberOf(by, 'senior', '2020-05-20'), numberOf(by, 'junior', '2021-10-16')];
    const before = await written();
    const outcomes = await outcomesOf(
      batchOf(by.evaluatorId, 'judge', [
        row(2, by.traineeId, cells(numbers[0], 'junior', '2018-05-20')),
        row(3, by.traineeId, cells(numbers[1], 'senior', '2020-05-20')),
        row(4, by.traineeId, cells(numbers[2], 'junior', '2021-10-16')),
        // Judged after row 2 in the same transaction: its number is taken by then.
        { ...row(6, by.traineeId, cells(numbers[0], 'junior', '2018-05-20')), naturalKey: 'certificate:another-upload' },
      ]),
    );
    expect(outcomes).toEqual([
      { row: 2, outcome: 'accepted' },
      { row: 3, outcome: 'accepted' },
      { row: 4, outcome: 'refused', field: 'certifiedOn', rule: 'date_in_future', detail: expect.any(String) },
      { row: 6, outcome: 'refused', field: 'certificateNumber', rule: 'certificate_number_taken', detail: expect.any(String) },
    ]);
    expect(await written()).toEqual(before);
    expect((await sql.query("SELECT 1 FROM outbox WHERE envelope->'payload'->>'certificateNumber' = ANY($1)", [numbers])).rows).toEqual([]);
    expect(numbers.flatMap((number) => publishedFor('LevelCertified', number))).toEqual([]);
    expect((await ladder(by.traineeId)).body).toEqual([]);
  });

  it('records the certificates as issued, readable on the ladder and by public verification; the same rows again are already present', async () => {
    const by = await arranged();
    const junior = numberOf(by, 'junior', '2018-05-20');
    const intermediate = numberOf(by, 'intermediate', '2019-06-10');
    const rows = [row(2, by.traineeId, cells(junior, 'junior', '2018-05-20')), row(3, by.traineeId, cells(intermediate, 'intermediate', '2019-06-10', { occupationEdition: '2015' }))];
    expect(await outcomesOf(batchOf(by.evaluatorId, 'apply', rows))).toEqual([
      { row: 2, outcome: 'created' },
      { row: 3, outcome: 'created' },
    ]);

    expect((await ladder(by.traineeId)).body).toEqual([
      {
        occupationCode: WELDER,
        level: 'intermediate',
        rank: 3,
        certifiedOn: '2019-06-10',
        certificateNumber: intermediate,
        history: [
          { certificateNumber: junior, level: 'junior', route: 'imported', certifiedOn: '2018-05-20', status: 'valid', verificationUrl: urlOf(junior) },
          { certificateNumber: intermediate, level: 'intermediate', route: 'imported', certifiedOn: '2019-06-10', status: 'valid', verificationUrl: urlOf(intermediate) },
        ],
      },
    ]);
    expect(await verify(intermediate)).toMatchObject({ status: 200, body: { number: intermediate, level: 'intermediate', route: 'imported', certifiedOn: '2019-06-10', status: 'valid', occupationCode: WELDER } });
    expect((await verify(intermediate)).body).not.toHaveProperty('legacyNumber');

    // Recorded for the job's evaluator by the platform, for the user who started the job; published like any certificate.
    const { rows: recorded } = await sql.query("SELECT data, metadata FROM events WHERE event_type = 'LevelCertified' AND data->>'certificateNumber' = $1", [intermediate]);
    expect(recorded[0]).toMatchObject({
      data: { route: 'imported', previousLevel: 'junior', occupationEdition: '2015', evaluatorId: by.evaluatorId },
      metadata: { actor: { userId: startedBy.userId, role: 'evaluator_staff', organisationId: by.evaluatorId, via: 'system', component: 'imports' } },
    });
    const certified = await waitFor(() => publishedFor('LevelCertified', intermediate)[0]);
    // The evaluator's region as registered (certification-fixtures), which certification figures count by.
    expect(certified).toMatchObject({ key: by.traineeId, envelope: { payload: { route: 'imported', level: 'intermediate', previousLevel: 'junior', evaluatorId: by.evaluatorId, evaluatorRegionCode: '430200' } } });
    expect(certified.envelope.payload).not.toHaveProperty('legacyNumber');
    // The certificate relates its evaluator to the holder, as any certificate does: its staff read the whole ladder.
    const evaluatorStaff = await staffOf(by.evaluatorId);
    await waitFor(async () => {
      expect((await ladder(by.traineeId, evaluatorStaff)).body).toMatchObject([{ certificateNumber: intermediate, history: [{}, {}] }]);
      return true;
    });

    const before = await written();
    expect(await outcomesOf(batchOf(by.evaluatorId, 'apply', rows))).toEqual([
      { row: 2, outcome: 'already_present' },
      { row: 3, outcome: 'already_present' },
    ]);
    expect(await written()).toEqual(before);
  });

  it("refuses another evaluator's certificates of the current format row by row, and records the evaluator's own", async () => {
    const by = await arranged();
    const other = await arranged();
    const own = numberOf(by, 'junior', '2019-05-20');
    const outcomes = await outcomesOf(
      batchOf(by.evaluatorId, 'apply', [
        row(2, by.traineeId, cells(numberOf(other, 'junior', '2018-05-20'), 'junior', '2018-05-20')),
        row(3, by.traineeId, cells(own, 'junior', '2019-05-20')),
        row(4, other.traineeId, cells(numberOf(other, 'senior', '2020-05-20'), 'senior', '2020-05-20')),
        // The same evaluator code under the other kind's letter is no number of this evaluator either.
        row(5, by.traineeId, cells(numberOf({ ...by, kind: 'employer' }, 'intermediate', '2020-05-20'), 'intermediate', '2020-05-20')),
      ]),
    );
    expect(outcomes).toEqual([
      { row: 2, outcome: 'refused', field: 'certificateNumber', rule: 'certificate_of_another_evaluator', detail: expect.stringContaining('imports only the certificates it issued') },
      { row: 3, outcome: 'created' },
      { row: 4, outcome: 'refused', field: 'certificateNumber', rule: 'certificate_of_another_evaluator', detail: expect.any(String) },
      { row: 5, outcome: 'refused', field: 'certificateNumber', rule: 'certificate_of_another_evaluator', detail: expect.any(String) },
    ]);
    expect((await ladder(by.traineeId)).body).toMatchObject([{ level: 'junior', history: [{ certificateNumber: own }] }]);
    expect((await ladder(other.traineeId)).body).toEqual([]);
  });

  it('refuses an appointed level from an evaluator not of kind employer row by row, by the rule the HTTP 409 names, and records the other rows', async () => {
    const by = await arranged();
    const special = numberOf(by, 'special_technician', '2019-05-20');
    const seniorTechnician = numberOf(by, 'senior_technician', '2018-05-20');
    const outcomes = await outcomesOf(
      batchOf(by.evaluatorId, 'apply', [
        row(2, by.traineeId, cells(seniorTechnician, 'senior_technician', '2018-05-20')),
        row(3, by.traineeId, cells(special, 'special_technician', '2019-05-20')),
        row(4, by.traineeId, cells('HN-2020-000042', 'chief_technician', '2020-05-20')),
      ]),
    );
    expect(outcomes).toEqual([
      { row: 2, outcome: 'created' },
      { row: 3, outcome: 'refused', field: 'level', rule: 'appointment_requires_employer_evaluator', detail: expect.stringContaining('employer-kind evaluator') },
      { row: 4, outcome: 'refused', field: 'level', rule: 'appointment_requires_employer_evaluator', detail: expect.any(String) },
    ]);
    expect((await ladder(by.traineeId)).body).toMatchObject([{ level: 'senior_technician', history: [{ certificateNumber: seniorTechnician }] }]);
    // Refused before the numbers were claimed: they are not on the platform.
    expect((await sql.query('SELECT 1 FROM certificate_numbers WHERE certificate_number = ANY($1)', [[special, 'HN-2020-000042']])).rows).toEqual([]);

    // An employer-kind evaluator's own appointment is recorded, its progression not judged again.
    const employer = await arranged('employer');
    const appointed = numberOf(employer, 'special_technician', '2019-05-20');
    expect(await outcomesOf(batchOf(employer.evaluatorId, 'apply', [row(2, employer.traineeId, cells(appointed, 'special_technician', '2019-05-20'))]))).toEqual([{ row: 2, outcome: 'created' }]);
    expect((await ladder(employer.traineeId)).body).toMatchObject([{ level: 'special_technician', certificateNumber: appointed }]);
  });

  /**
   * Moves the recording of a certificate's event back to `recordedAt`: the database records events at its
   * own now(), where this spec's today is 2021-10-15.
   */
  const recordedAt = (certificateNumber: string, at: string) =>
    sql.query("UPDATE events SET recorded_at = $2 WHERE event_type = 'LevelCertified' AND data->>'certificateNumber' = $1", [certificateNumber, at]);

  it('refuses a certificate dated on or after the day its evaluator began certifying through the API, revoked since, in the dry run as in the run, naming certifiedOn', async () => {
    const by = await arranged();
    const staff = await staffOf(by.evaluatorId);
    const worker = randomUUID();
    await publishFacts(service.host, [traineeRegisteredFact(worker)]);
    // Its first certification here, recorded at 01:00 on 2021-09-01 in China (still 2021-08-31 in UTC), then revoked.
    const first = (await service.spec.when('POST', '/api/v1/certifications', certifyBody(worker, by.evaluatorId, 'junior', 'assessment', { certifiedOn: '2021-08-20' }), staff).then(201)).body.certificateNumber as string;
    await recordedAt(first, '2021-08-31T17:00:00.000Z');
    await service.spec.when('POST', `/api/v1/certificates/${first}/revocation`, { reason: '材料造假', revokedOn: '2021-09-02' }, staff).then(200);
    // A later one does not move the day.
    await service.spec.when('POST', '/api/v1/certifications', certifyBody(worker, by.evaluatorId, 'junior', 'assessment', { certifiedOn: '2021-10-01' }), staff).then(201);

    const dayBefore = numberOf(by, 'junior', '2021-08-31');
    const since = [numberOf(by, 'junior', '2021-09-01'), numberOf(by, 'senior_technician', '2021-10-15')];
    const rows = [
      row(2, by.traineeId, cells(dayBefore, 'junior', '2021-08-31')),
      row(3, by.traineeId, cells(since[0], 'junior', '2021-09-01')),
      // The audit's row: senior_technician of today for a worker with no level, which no route would give.
      row(4, by.traineeId, cells(since[1], 'senior_technician', '2021-10-15')),
    ];
    const refused = (at: number) => ({ row: at, outcome: 'refused', field: 'certifiedOn', rule: 'imported_after_certifying_here', detail: expect.stringContaining('on 2021-09-01') });
    const before = await written();
    expect(await outcomesOf(batchOf(by.evaluatorId, 'judge', rows))).toEqual([{ row: 2, outcome: 'accepted' }, refused(3), refused(4)]);
    expect(await written()).toEqual(before);
    expect(await outcomesOf(batchOf(by.evaluatorId, 'apply', rows))).toEqual([{ row: 2, outcome: 'created' }, refused(3), refused(4)]);
    expect((await ladder(by.traineeId)).body).toMatchObject([{ level: 'junior', certificateNumber: dayBefore, history: [{ certificateNumber: dayBefore, route: 'imported' }] }]);
    // Refused before the numbers were claimed: they are not on the platform.
    expect((await sql.query('SELECT 1 FROM certificate_numbers WHERE certificate_number = ANY($1)', [since])).rows).toEqual([]);
  });

  it('has no cut-over for an evaluator that has only imported: its certificates up to today are recorded', async () => {
    const by = await arranged();
    const earlier = numberOf(by, 'junior', '2021-03-01');
    expect(await outcomesOf(batchOf(by.evaluatorId, 'apply', [row(2, by.traineeId, cells(earlier, 'junior', '2021-03-01'))]))).toEqual([{ row: 2, outcome: 'created' }]);
    // Recorded on 2021-10-01: an imported certificate is no certification through the platform.
    await recordedAt(earlier, '2021-10-01T02:00:00.000Z');
    const today = numberOf(by, 'senior_technician', '2021-10-15');
    const rows = [row(2, by.traineeId, cells(today, 'senior_technician', '2021-10-15'))];
    expect(await outcomesOf(batchOf(by.evaluatorId, 'judge', rows))).toEqual([{ row: 2, outcome: 'accepted' }]);
    expect(await outcomesOf(batchOf(by.evaluatorId, 'apply', rows))).toEqual([{ row: 2, outcome: 'created' }]);
  });

  it('finds the day an evaluator began certifying here by its partial index, not by reading the log', async () => {
    await sql.query('BEGIN');
    try {
      await sql.query('SET LOCAL enable_seqscan = off');
      const { rows } = await sql.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${FIRST_CERTIFIED_HERE}`, [randomUUID()]);
      expect(rows.map((line) => line['QUERY PLAN']).join('\n')).toContain('events_certified_here_by_evaluator');
    } finally {
      await sql.query('ROLLBACK');
    }
  });

  it('keeps a number of an earlier format as given (in capitals), marked legacy, verifiable and revocable by its evaluator', async () => {
    const by = await arranged();
    const legacy = 'ZZJD-2012-004417';
    expect(await outcomesOf(batchOf(by.evaluatorId, 'apply', [row(2, by.traineeId, cells(' zzjd-2012-004417 ', 'senior', '2012-07-01'))]))).toEqual([{ row: 2, outcome: 'created' }]);

    expect(await verify(legacy)).toMatchObject({ status: 200, body: { number: legacy, legacyNumber: true, level: 'senior', route: 'imported', certifiedOn: '2012-07-01', status: 'valid' } });
    expect(await verify(legacy.toLowerCase())).toMatchObject({ status: 200, body: { number: legacy } });
    expect(await http(service.host.baseUrl, 'POST', '/api/v1/certificates/verification', { number: legacy.toLowerCase(), holderName: HOLDER_NAME })).toMatchObject({ status: 200, body: { number: legacy, legacyNumber: true } });
    // Garbage is still no number: 400 naming the rule; an unknown number of an earlier format is 404.
    for (const garbage of ['ZZ_2012', 'ZZ12', 'NONSENSE', 'S00A143430200215000000', '1'.repeat(41)]) {
      expect({ garbage, answer: await verify(garbage) }).toMatchObject({ garbage, answer: { status: 400, body: { errors: [{ field: 'number', rule: 'isCertificateNumber' }] } } });
    }
    expect(await verify('ZZJD-2012-999999')).toMatchObject({ status: 404 });
    expect((await waitFor(() => publishedFor('LevelCertified', legacy)[0])).envelope.payload).toMatchObject({ route: 'imported', legacyNumber: true });

    const revoked = await http(service.host.baseUrl, 'POST', `/api/v1/certificates/${legacy.toLowerCase()}/revocation`, { reason: '档案核查不符', revokedOn: '2021-09-01' }, await staffOf(by.evaluatorId));
    expect(revoked).toMatchObject({ status: 200, body: { certificateNumber: legacy, status: 'revoked', levelAfter: null } });
    expect(await verify(legacy)).toMatchObject({ status: 200, body: { status: 'revoked', revokedOn: '2021-09-01' } });
  });

  it('refuses a number already on the platform: issued here, imported before, or twice in one batch', async () => {
    const by = await arranged();
    const issued = await service.spec.when('POST', '/api/v1/certifications', certifyBody(by.traineeId, by.evaluatorId, 'junior', 'assessment'), await staffOf(by.evaluatorId)).then(201);
    const issuedNumber = issued.body.certificateNumber as string;
    const another = await arranged();
    const othersIssued = (await service.spec.when('POST', '/api/v1/certifications', certifyBody(another.traineeId, another.evaluatorId, 'junior', 'assessment'), await staffOf(another.evaluatorId)).then(201)).body
      .certificateNumber as string;
    const twice = 'HN-2016-000881';
    const firstRefused = 'HN-2017-000123';
    const outcomes = await outcomesOf(
      batchOf(by.evaluatorId, 'apply', [
        row(2, another.traineeId, cells(issuedNumber, 'junior', '2021-06-01')),
        row(3, by.traineeId, cells(twice, 'apprentice', '2016-03-01')),
        // The same number for another person (trainee-service refuses it within a file; a batch holds it too).
        { ...row(4, another.traineeId, cells(twice, 'junior', '2016-03-01')), naturalKey: 'certificate:other-upload' },
        // Another evaluator's number, on the platform already: what is wrong with the row is whose it is.
        row(5, by.traineeId, cells(othersIssued, 'junior', '2021-06-01')),
        // A number whose first row is refused by its own cells (a date after today) is free for the next one.
        row(6, by.traineeId, cells(firstRefused, 'junior', '2021-12-01')),
        { ...row(7, another.traineeId, cells(firstRefused, 'senior', '2017-03-01')), naturalKey: 'certificate:third-upload' },
      ]),
    );
    expect(outcomes).toEqual([
      { row: 2, outcome: 'refused', field: 'certificateNumber', rule: 'certificate_number_taken', detail: expect.any(String) },
      { row: 3, outcome: 'created' },
      { row: 4, outcome: 'refused', field: 'certificateNumber', rule: 'certificate_number_taken', detail: expect.any(String) },
      { row: 5, outcome: 'refused', field: 'certificateNumber', rule: 'certificate_of_another_evaluator', detail: expect.any(String) },
      { row: 6, outcome: 'refused', field: 'certifiedOn', rule: 'date_in_future', detail: expect.any(String) },
      { row: 7, outcome: 'created' },
    ]);
    expect((await ladder(another.traineeId)).body).toMatchObject([{ history: [{ certificateNumber: firstRefused, route: 'imported' }, { certificateNumber: othersIssued, route: 'assessment' }] }]);
  });

  it('takes two jobs of the same file at once: one creates, the other finds every row already present, not its numbers taken', async () => {
    const by = await arranged();
    const rows = [row(2, by.traineeId, cells(numberOf(by, 'junior', '2018-05-20'), 'junior', '2018-05-20')), row(3, by.traineeId, cells(numberOf(by, 'senior', '2020-05-20'), 'senior', '2020-05-20'))];
    const answers = await outcomesAtOnce(batchOf(by.evaluatorId, 'apply', rows), batchOf(by.evaluatorId, 'apply', rows));
    expect(answers.map((outcomes) => outcomes.map((outcome) => outcome.outcome).join())).toEqual(['created,created', 'already_present,already_present']);
    expect((await ladder(by.traineeId)).body).toMatchObject([{ history: [{ level: 'junior' }, { level: 'senior' }] }]);
  });

  it('takes a changed file while the first still runs as one after the other: its changed row is refused as already recorded, not its number taken', async () => {
    const by = await arranged();
    const number = numberOf(by, 'junior', '2018-05-20');
    const before = await written();
    const answers = await outcomesAtOnce(
      batchOf(by.evaluatorId, 'apply', [row(2, by.traineeId, cells(number, 'junior', '2018-05-20'))]),
      batchOf(by.evaluatorId, 'apply', [row(2, by.traineeId, cells(number, 'junior', '2018-05-21'))]),
    );
    expect(answers.map(([outcome]) => (outcome.outcome === 'refused' ? outcome.rule : outcome.outcome))).toEqual(['created', 'certificate_already_recorded']);
    expect((await ladder(by.traineeId)).body).toMatchObject([{ certifiedOn: '2018-05-20', history: [{ certificateNumber: number }] }]);
    // The second wrote nothing: one number, one event, one row key.
    expect(await written()).toMatchObject({ events: before.events + 1, numbers: before.numbers + 1, keys: before.keys + 1 });
  });

  it("moves the evaluator's serial of the year past an imported number, so its next certificate never takes it", async () => {
    const by = await arranged();
    // The number the evaluator's first junior of 2021 would get, and a later serial of the same year, both issued before.
    const [first, fifth] = [numberOf(by, 'junior', '2021-02-01', 1), numberOf(by, 'junior', '2021-03-01', 5)];
    expect(await outcomesOf(batchOf(by.evaluatorId, 'apply', [row(2, by.traineeId, cells(first, 'junior', '2021-02-01')), row(3, by.traineeId, cells(fifth, 'junior', '2021-03-01'))]))).toEqual([
      { row: 2, outcome: 'created' },
      { row: 3, outcome: 'created' },
    ]);
    const another = randomUUID();
    await publishFacts(service.host, [traineeRegisteredFact(another)]);
    const issued = await service.spec.when('POST', '/api/v1/certifications', certifyBody(another, by.evaluatorId, 'junior', 'assessment'), await staffOf(by.evaluatorId)).then(201);
    expect(issued.body.certificateNumber).toBe(numberOf(by, 'junior', '2021-06-01', 6));
  });

  it('refuses a changed row of a certificate already imported: a recorded certificate is not rewritten', async () => {
    const by = await arranged();
    const number = numberOf(by, 'junior', '2019-05-20');
    expect(await outcomesOf(batchOf(by.evaluatorId, 'apply', [row(2, by.traineeId, cells(number, 'junior', '2019-05-20'))]))).toEqual([{ row: 2, outcome: 'created' }]);
    expect(await outcomesOf(batchOf(by.evaluatorId, 'apply', [row(2, by.traineeId, cells(number, 'junior', '2019-05-21'))]))).toEqual([
      { row: 2, outcome: 'refused', field: 'certificateNumber', rule: 'certificate_already_recorded', detail: expect.any(String) },
    ]);
    expect((await ladder(by.traineeId)).body).toMatchObject([{ certifiedOn: '2019-05-20', history: [{ certificateNumber: number }] }]);
    // Other cells that say the same certificate (the edition column added, with its default): present, not refused.
    expect(await outcomesOf(batchOf(by.evaluatorId, 'apply', [row(2, by.traineeId, cells(number, 'junior', '2019-05-20', { occupationEdition: '2022' }))]))).toEqual([
      { row: 2, outcome: 'already_present' },
    ]);
    // Of another person, it is another certificate: refused.
    const another = randomUUID();
    await publishFacts(service.host, [traineeRegisteredFact(another)]);
    expect(await outcomesOf(batchOf(by.evaluatorId, 'apply', [row(2, another, cells(number, 'junior', '2019-05-20', { occupationEdition: '2022' }))]))).toMatchObject([
      { row: 2, outcome: 'refused', field: 'certificateNumber' },
    ]);
  });

  it("records a voided certificate's row again, or its corrected row (another date, another holder), under its number as the number's next recording", async () => {
    const by = await arranged();
    const staff = await staffOf(by.evaluatorId);
    const number = numberOf(by, 'senior', '2019-05-20');
    const voidIt = async () => expect((await http(service.host.baseUrl, 'POST', `/api/v1/certificates/${number}/void`, { reason: '导入时填错了' }, staff)).status).toBe(200);
    const firstRow = row(2, by.traineeId, cells(number, 'senior', '2019-05-20'));
    expect(await outcomesOf(batchOf(by.evaluatorId, 'apply', [firstRow]))).toEqual([{ row: 2, outcome: 'created' }]);
    // Voided (by a slip), the very same row is recorded again, not answered present: the void forgot its keys.
    await voidIt();
    expect(await outcomesOf(batchOf(by.evaluatorId, 'apply', [firstRow]))).toEqual([{ row: 2, outcome: 'created' }]);
    // Entered with the wrong date. As for a certificate imported before the rows were kept (whose keys a
    // void cannot find), the corrected row of its natural key is recorded, not refused as already
    // recorded: the number is off the platform.
    await sql.query('DELETE FROM imported_certificate_rows WHERE certificate_number = $1', [number]);
    await voidIt();
    expect(await outcomesOf(batchOf(by.evaluatorId, 'apply', [row(2, by.traineeId, cells(number, 'senior', '2019-06-20'))]))).toEqual([{ row: 2, outcome: 'created' }]);
    expect((await ladder(by.traineeId)).body).toMatchObject([{ certifiedOn: '2019-06-20', history: [{ certificateNumber: number }] }]);
    // And for the wrong person: the corrected row records it for the right one.
    await voidIt();
    const rightHolder = randomUUID();
    await publishFacts(service.host, [traineeRegisteredFact(rightHolder)]);
    expect(await outcomesOf(batchOf(by.evaluatorId, 'apply', [row(2, rightHolder, cells(number, 'senior', '2019-06-20'))]))).toEqual([{ row: 2, outcome: 'created' }]);
    expect((await ladder(by.traineeId)).body).toEqual([]);
    expect((await ladder(rightHolder)).body).toMatchObject([{ level: 'senior', certificateNumber: number }]);
    expect((await verify(number)).body).toMatchObject({ number, level: 'senior', certifiedOn: '2019-06-20', status: 'valid' });
    const { rows: recordings } = await sql.query("SELECT data->>'traineeId' AS holder, data->'recording' AS recording FROM events WHERE event_type = 'LevelCertified' AND data->>'certificateNumber' = $1 ORDER BY global_position", [number]);
    expect(recordings).toEqual([
      { holder: by.traineeId, recording: null },
      { holder: by.traineeId, recording: 2 },
      { holder: by.traineeId, recording: 3 },
      { holder: rightHolder, recording: 4 },
    ]);
    const certified = await waitFor(() => publishedFor('LevelCertified', number).find((message) => (message.envelope.payload as { recording?: number }).recording === 4));
    expect(certified).toMatchObject({ key: rightHolder });
    // Each recording its own credential entry: the voided ones' stay revoked, the last one's is not.
    await waitFor(async () => (await sql.query('SELECT 1 FROM credential_allocations WHERE certificate_number = $1 AND recording = 4', [number])).rowCount === 1);
    expect((await sql.query('SELECT recording, revoked FROM credential_allocations WHERE certificate_number = $1 ORDER BY recording', [number])).rows).toEqual([
      { recording: 1, revoked: true },
      { recording: 2, revoked: true },
      { recording: 3, revoked: true },
      { recording: 4, revoked: false },
    ]);
  });

  it("gives a number claimed while its void commits the recording after the voided one, not the voided one's", async () => {
    const by = await arranged();
    const number = numberOf(by, 'senior', '2019-05-20');
    expect(await outcomesOf(batchOf(by.evaluatorId, 'apply', [row(2, by.traineeId, cells(number, 'senior', '2019-05-20'))]))).toEqual([{ row: 2, outcome: 'created' }]);
    const rightHolder = randomUUID();
    await publishFacts(service.host, [traineeRegisteredFact(rightHolder)]);
    // The void's freeing of the number, held open until the other holder's import waits on it.
    const transactions = service.host.app.get(Transactions);
    const numbers = service.host.app.get(CertificateNumbers);
    const [, outcomes] = await overlapping(
      sql,
      (beforeCommit) =>
        transactions.run(async (tx) => {
          await numbers.free(tx, number);
          await beforeCommit();
        }),
      () => outcomesOf(batchOf(by.evaluatorId, 'apply', [row(2, rightHolder, cells(number, 'senior', '2019-05-20'))])),
    );
    expect(outcomes).toEqual([{ row: 2, outcome: 'created' }]);
    const { rows } = await sql.query("SELECT data->'recording' AS recording FROM events WHERE event_type = 'LevelCertified' AND data->>'certificateNumber' = $1 AND data->>'traineeId' = $2", [number, rightHolder]);
    expect(rows).toEqual([{ recording: 2 }]);
  });

  it("never hands a voided number out again to a certification here, even past the year's last serial", async () => {
    const by = await arranged();
    const staff = await staffOf(by.evaluatorId);
    // The year's serials all used (an imported number's took them), and the highest free number voided.
    const highest = numberOf(by, 'junior', '2021-03-01', 999_999);
    expect(await outcomesOf(batchOf(by.evaluatorId, 'apply', [row(2, by.traineeId, cells(highest, 'junior', '2021-03-01'))]))).toEqual([{ row: 2, outcome: 'created' }]);
    expect((await http(service.host.baseUrl, 'POST', `/api/v1/certificates/${highest}/void`, { reason: '序号填错' }, staff)).status).toBe(200);
    const another = randomUUID();
    await publishFacts(service.host, [traineeRegisteredFact(another)]);
    const issued = await http(service.host.baseUrl, 'POST', '/api/v1/certifications', { traineeId: another, occupationCode: WELDER, level: 'junior', route: 'assessment', evaluatorId: by.evaluatorId, certifiedOn: '2021-06-01' }, staff);
    expect(issued.status).toBe(201);
    expect(issued.body.certificateNumber).toBe(`${highest.slice(0, -6)}999998`);
  });

  it('refuses, as the API answers 503, the row of a holder one of whose facts waits here as a dead letter, never as an unknown trainee', async () => {
    const by = await arranged();
    const neverArrived = randomUUID();
    for (const traineeId of [by.traineeId, neverArrived]) {
      await sql.query(`INSERT INTO dead_letters (consumer, topic, message_id, envelope, error) VALUES ('certification.known-trainees', $1, gen_random_uuid(), $2, 'probe')`, [TRAINEE_TOPIC, { type: 'TraineeCorrected', aggregateId: traineeId }]);
    }
    expect(
      await outcomesOf(batchOf(by.evaluatorId, 'apply', [row(2, by.traineeId, cells(numberOf(by, 'junior', '2017-05-20'), 'junior', '2017-05-20')), row(3, neverArrived, cells(numberOf(by, 'senior', '2017-06-20'), 'senior', '2017-06-20'))])),
    ).toEqual([
      expect.objectContaining({ row: 2, outcome: 'refused', field: 'idNumber', rule: 'facts_not_caught_up' }),
      expect.objectContaining({ row: 3, outcome: 'refused', field: 'idNumber', rule: 'facts_not_caught_up' }),
    ]);
    await sql.query("DELETE FROM dead_letters WHERE error = 'probe'");
  });

  it('refuses a date after today, and cells the API refuses, naming the field and rule the API names', async () => {
    const by = await arranged();
    const number = () => numberOf(by, 'junior', '2019-05-20');
    const future = numberOf(by, 'junior', '2021-10-16');
    const outcomes = await outcomesOf(
      batchOf(by.evaluatorId, 'apply', [
        row(2, by.traineeId, cells(future, 'junior', '2021-10-16')),
        row(3, by.traineeId, cells(number(), 'junior', '2019-05-20', { level: 'master' })),
        row(4, by.traineeId, cells(number(), 'junior', '2019-05-20', { occupationCode: '6-18-2-4' })),
        row(5, by.traineeId, cells(number(), 'junior', '2019-02-30')),
        row(6, by.traineeId, cells(number(), 'junior', '2019-05-20', { occupationEdition: '1999' })),
        row(7, null, cells(number(), 'junior', '2019-05-20')),
        row(8, randomUUID(), cells(number(), 'junior', '2019-05-20')),
        row(9, by.traineeId, cells('NO.12 34', 'junior', '2019-05-20')),
        row(10, by.traineeId, cells(numberOf(by, 'senior', '2019-05-20'), 'junior', '2019-05-20')),
      ]),
    );
    expect(outcomes.map(({ row: at, outcome, field, rule }) => ({ row: at, outcome, field, rule }))).toEqual([
      { row: 2, outcome: 'refused', field: 'certifiedOn', rule: 'date_in_future' },
      { row: 3, outcome: 'refused', field: 'level', rule: 'isIn' },
      { row: 4, outcome: 'refused', field: 'occupationCode', rule: 'isOccupationCode' },
      { row: 5, outcome: 'refused', field: 'certifiedOn', rule: 'isBusinessDate' },
      { row: 6, outcome: 'refused', field: 'occupationEdition', rule: 'isIn' },
      { row: 7, outcome: 'refused', field: 'traineeId', rule: 'isUuid' },
      { row: 8, outcome: 'refused', field: 'trainee', rule: 'not_found' },
      { row: 9, outcome: 'refused', field: 'certificateNumber', rule: 'isCertificateNumber' },
      { row: 10, outcome: 'refused', field: 'certificateNumber', rule: 'certificate_number_does_not_match' },
    ]);
    expect((await ladder(by.traineeId)).body).toEqual([]);
    // Claimed before the ladder refused it, and given back: the number is not on the platform.
    expect((await sql.query('SELECT 1 FROM certificate_numbers WHERE certificate_number = $1', [future])).rows).toEqual([]);
  });

  it('judges no progression: a certificate three rungs above the current level is recorded, and one below leaves the level', async () => {
    const by = await arranged();
    const current = await service.spec.when('POST', '/api/v1/certifications', certifyBody(by.traineeId, by.evaluatorId, 'junior', 'assessment', { certifiedOn: '2020-06-01' }), await staffOf(by.evaluatorId)).then(201);
    const technician = numberOf(by, 'technician', '2021-03-01');
    const apprentice = numberOf(by, 'apprentice', '2021-05-01');
    expect(
      await outcomesOf(batchOf(by.evaluatorId, 'apply', [row(2, by.traineeId, cells(technician, 'technician', '2021-03-01')), row(3, by.traineeId, cells(apprentice, 'apprentice', '2021-05-01'))])),
    ).toEqual([
      { row: 2, outcome: 'created' },
      { row: 3, outcome: 'created' },
    ]);
    expect((await ladder(by.traineeId)).body).toEqual([
      {
        occupationCode: WELDER,
        level: 'technician',
        rank: 5,
        certifiedOn: '2021-03-01',
        certificateNumber: technician,
        history: [
          { certificateNumber: current.body.certificateNumber, level: 'junior', route: 'assessment', certifiedOn: '2020-06-01', status: 'valid', verificationUrl: urlOf(current.body.certificateNumber) },
          { certificateNumber: technician, level: 'technician', route: 'imported', certifiedOn: '2021-03-01', status: 'valid', verificationUrl: urlOf(technician) },
          { certificateNumber: apprentice, level: 'apprentice', route: 'imported', certifiedOn: '2021-05-01', status: 'valid', verificationUrl: urlOf(apprentice) },
        ],
      },
    ]);
    // The ladder's rules then build on it like on any certificate: the next assessment is senior_technician.
    await service.spec
      .when('POST', '/api/v1/certifications', certifyBody(by.traineeId, by.evaluatorId, 'senior', 'assessment', { certifiedOn: '2021-09-01' }), await staffOf(by.evaluatorId))
      .then(409, [], { rule: 'target_not_above_current_level', currentLevel: 'technician' });
  });

  it('refuses every row of a job whose organisation is no evaluator', async () => {
    const by = await arranged();
    const notAnEvaluator = randomUUID();
    expect(await outcomesOf(batchOf(notAnEvaluator, 'apply', [row(2, by.traineeId, cells('HN-2010-000001', 'junior', '2010-05-20'))]))).toEqual([
      { row: 2, outcome: 'refused', field: 'evaluator', rule: 'not_found', detail: expect.any(String) },
    ]);
  });

  it("applies a batch trainee-service submits on its topic, and answers it once on certification's", async () => {
    const by = await arranged();
    const number = numberOf(by, 'junior', '2019-05-20');
    const batch = batchOf(by.evaluatorId, 'apply', [row(2, by.traineeId, cells(number, 'junior', '2019-05-20'))]);
    const submitted = fact(TRAINEE_TOPIC, 'ImportRowsSubmitted', batch, { key: batch.jobId });
    await publishFacts(service.host, [submitted]);
    // Delivered again: answered from what was kept, never applied twice.
    await publishFacts(service.host, [{ ...submitted, envelope: { ...submitted.envelope, eventId: randomUUID() } }]);
    const { rows: answers } = await sql.query('SELECT outcomes FROM import_batch_answers WHERE job_id = $1', [batch.jobId]);
    expect(answers).toEqual([{ outcomes: [{ row: 2, outcome: 'created' }] }]);
    const answered = () => published.filter((message) => message.envelope.type === 'ImportRowsAnswered' && (message.envelope.payload as ImportRowsAnsweredV1).jobId === batch.jobId);
    await waitFor(() => answered().length > 0);
    expect(answered()).toMatchObject([{ topic: CERTIFICATION_TOPIC, key: batch.jobId, envelope: { payload: { jobId: batch.jobId, batch: batch.batch, mode: 'apply', outcomes: [{ row: 2, outcome: 'created' }] } } }]);
    expect(await verify(number)).toMatchObject({ status: 200, body: { route: 'imported' } });
  });
});
