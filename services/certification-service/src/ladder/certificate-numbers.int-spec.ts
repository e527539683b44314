// Certificate numbers (domain.md section 1) as certifications, their dry runs and imports of historical
// certificates take them at the same time, on certification-service alone (real Postgres). Each race is
// forced, not left to timing: a test session holds the lock one side must wait on (a ladder's stream lock),
// and lets it go once the other side has done what the race needs. No interleaving answers a 500: a
// number is taken once, a refused certification uses up no serial, and an evaluator whose serials of a
// year are used up is refused by a rule.
import { ImportRowsSubmittedV1 } from '@skills/contracts';
import { fixedClock, formatCertificateNumber, nationalGradeOf, SkillLevel } from '@skills/domain-kernel';
import { Transactions } from '@skills/postgres';
import { applyImportBatch, runWithCorrelation } from '@skills/service-runtime';
import { http, overlapping, ServiceSpec, startServiceSpec, traineeRegisteredFact, waitFor } from '@skills/testing';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { CertificationModule } from '../certification.module';
import { certifyBody, evaluator, staffOf, WELDER } from '../certification-fixtures';
import { EvaluatorRegistered } from '../evaluators/evaluator.aggregate';
import { CertificatesImportApplier } from './import-certificates/certificates-import.applier';
import { ladderStreamId } from './ladder.aggregate';

// "Today" for this spec: 2021-10-15 in China; certifications are dated 2021-06-01 unless told otherwise.
const clock = fixedClock('2021-10-15T02:00:00.000Z');

/** Some session waits on a lock; with `holder`, on one that session holds; with `notHolder`, on one held by another. */
const WAITING_ON = `SELECT EXISTS (
  SELECT 1 FROM pg_stat_activity waiting
   WHERE waiting.datname = current_database() AND waiting.wait_event_type = 'Lock' AND cardinality(pg_blocking_pids(waiting.pid)) > 0
     AND ($1::int IS NULL OR $1 = ANY (pg_blocking_pids(waiting.pid)))
     AND ($2::int IS NULL OR NOT $2 = ANY (pg_blocking_pids(waiting.pid)))
) AS waiting`;

describe('certification: certificate numbers taken at the same time', () => {
  let service: ServiceSpec;
  let sql: Client;

  beforeAll(async () => {
    service = await startServiceSpec({ modules: [CertificationModule], service: 'certification', replicaWaitMs: 200, clock });
    sql = new Client({ connectionString: service.database.url, options: '-c search_path=certification' });
    await sql.connect();
  });

  afterAll(async () => {
    await sql?.end();
    await service?.close();
  });

  /** A social organisation registered here, with its staff, and `count` workers registered at trainee-service. */
  const arranged = async (count: number) => {
    const issuer = evaluator('social_organisation');
    const trainees = Array.from({ length: count }, () => randomUUID());
    await service.spec.given(issuer.past, ...trainees.map((trainee) => traineeRegisteredFact(trainee))).when('GET', '/health/live').then(200, []);
    const { evaluatorCode, kind } = (issuer.past.events[0] as EvaluatorRegistered).data;
    /** The evaluator's number of `serial` for `level` in `certifiedOn`'s year. */
    const numberOf = (serial: number, level: SkillLevel = 'junior', certifiedOn = '2021-06-01') =>
      formatCertificateNumber({ evaluatorKind: kind, evaluatorCode, province: '43', site: '430200', year: certifiedOn.slice(2, 4), nationalGrade: nationalGradeOf(level), serial });
    return { evaluatorId: issuer.evaluatorId, staff: await staffOf(issuer.evaluatorId), trainees, numberOf };
  };

  const certify = (staff: Record<string, string>, body: Record<string, unknown>, dryRun = false) =>
    http(service.host.baseUrl, 'POST', `/api/v1/certifications${dryRun ? '?dryRun=true' : ''}`, body, staff);
  const serialOf = async (evaluatorId: string, year = '21') =>
    (await sql.query<{ last_serial: number }>('SELECT last_serial FROM certificate_serials WHERE evaluator_id = $1 AND year = $2', [evaluatorId, year])).rows[0]?.last_serial;
  const holdersOf = async (certificateNumber: string) =>
    (await sql.query<{ trainee_id: string }>('SELECT trainee_id FROM certificate_numbers WHERE certificate_number = $1', [certificateNumber])).rows.map((row) => row.trainee_id);
  const waiting = async (on: { holder?: number; notHolder?: number }) =>
    (await sql.query<{ waiting: boolean }>(WAITING_ON, [on.holder ?? null, on.notHolder ?? null])).rows[0].waiting;

  /** A session holding the stream lock of `traineeId`'s ladder (as every writer of it takes it) until `release()`. */
  const holdLadder = async (traineeId: string) => {
    const holder = new Client({ connectionString: service.database.url });
    await holder.connect();
    await holder.query('BEGIN');
    await holder.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [ladderStreamId(traineeId, WELDER)]);
    const pid = (await holder.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid;
    return {
      pid,
      release: async () => {
        await holder.query('COMMIT');
        await holder.end();
      },
    };
  };

  /** An import batch of the evaluator's `certificates` (one row per certificate), applied as the consumer applies it. */
  let nextBatch = 1;
  const imported = (evaluatorId: string, certificates: Array<{ traineeId: string; certificateNumber: string; level: SkillLevel; certifiedOn: string }>, beforeCommit: () => Promise<void> = async () => undefined) => {
    const batch: ImportRowsSubmittedV1 = {
      jobId: randomUUID(),
      batch: nextBatch++,
      mode: 'apply',
      kind: 'certificates',
      organisationId: evaluatorId,
      courseId: null,
      startedBy: { userId: randomUUID(), role: 'evaluator_staff' },
      rows: certificates.map(({ traineeId, ...cells }, index) => {
        const fields = { ...cells, occupationCode: WELDER };
        return { row: index + 2, naturalKey: `certificate:${cells.certificateNumber}`, key: `certificate:${JSON.stringify(fields)}`, traineeId, fields };
      }),
    };
    return runWithCorrelation(randomUUID(), () =>
      applyImportBatch(service.host.app.get(Transactions), batch, service.host.app.get(CertificatesImportApplier), async () => {
        await beforeCommit();
      }),
    );
  };

  describe('an evaluator whose serials of a year are used up', () => {
    it('is refused by certificate_serials_exhausted (409), its dry run too, and nothing is taken', async () => {
      const { evaluatorId, staff, trainees, numberOf } = await arranged(1);
      await sql.query("INSERT INTO certificate_serials (evaluator_id, year, last_serial) VALUES ($1, '21', 999999)", [evaluatorId]);
      // Every number of the year's juniors on the platform (as issued or imported), so none is left below the last serial.
      await sql.query(
        `INSERT INTO certificate_numbers (certificate_number, trainee_id, occupation_code)
         SELECT $1::text || lpad(serial::text, 6, '0'), $2::uuid, $3 FROM generate_series(1, 999999) serial`,
        [numberOf(1).slice(0, -6), randomUUID(), WELDER],
      );
      const body = certifyBody(trainees[0], evaluatorId, 'junior', 'assessment');
      const dry = await certify(staff, body, true);
      const real = await certify(staff, body);
      expect(real).toMatchObject({ status: 409, body: { rule: 'certificate_serials_exhausted', evaluatorId, year: '2021' } });
      expect({ status: dry.status, body: dry.body }).toEqual({ status: real.status, body: real.body });
      // The problem names the evaluator and the year, never the worker.
      expect(JSON.stringify(real.body)).not.toContain(trainees[0]);
      expect(await serialOf(evaluatorId)).toBe(999999);
      expect((await sql.query("SELECT 1 FROM events WHERE stream_id = $1", [ladderStreamId(trainees[0], WELDER)])).rows).toEqual([]);
      // Another year has serials of its own.
      const earlier = await certify(staff, { ...body, certifiedOn: '2020-06-01' });
      expect(earlier).toMatchObject({ status: 201, body: { certificateNumber: numberOf(1, 'junior', '2020-06-01') } });
    });

    it('by an imported number’s serial (a typo of 999999): its free numbers are given from the top down, the dry run showing the one taken', async () => {
      const { evaluatorId, staff, trainees, numberOf } = await arranged(4);
      const [holder, first, second, other] = trainees;
      // A historical junior of 2021 whose serial was typed as the year's last: the serials of 2021 go past it.
      const typo = numberOf(999999, 'junior', '2021-02-01');
      expect((await imported(evaluatorId, [{ traineeId: holder, certificateNumber: typo, level: 'junior', certifiedOn: '2021-02-01' }])).outcomes).toEqual([{ row: 2, outcome: 'created' }]);
      expect(await serialOf(evaluatorId)).toBe(999999);
      const dry = await certify(staff, certifyBody(first, evaluatorId, 'junior', 'assessment'), true);
      expect(dry).toMatchObject({ status: 200, body: { dryRun: true, certificateNumber: numberOf(999998) } });
      expect(await certify(staff, certifyBody(first, evaluatorId, 'junior', 'assessment'))).toMatchObject({ status: 201, body: { certificateNumber: numberOf(999998) } });
      expect(await certify(staff, certifyBody(second, evaluatorId, 'junior', 'assessment'))).toMatchObject({ status: 201, body: { certificateNumber: numberOf(999997) } });
      // Another grade's numbers of the year are its own: its top one is free.
      expect(await certify(staff, certifyBody(other, evaluatorId, 'apprentice', 'assessment'))).toMatchObject({ status: 201, body: { certificateNumber: numberOf(999999, 'apprentice') } });
      expect(await holdersOf(numberOf(999998))).toEqual([first]);
      expect(await serialOf(evaluatorId)).toBe(1000000);
    });
  });

  describe('a refused certification', () => {
    it('uses up no serial: the next certificate issued takes the one it would have', async () => {
      const { evaluatorId, staff, trainees, numberOf } = await arranged(1);
      const refused = await certify(staff, certifyBody(trainees[0], evaluatorId, 'intermediate', 'assessment'));
      expect(refused).toMatchObject({ status: 409, body: { rule: 'assessment_first_level_apprentice_or_junior' } });
      expect(await serialOf(evaluatorId)).toBeUndefined();
      const issued = await certify(staff, certifyBody(trainees[0], evaluatorId, 'junior', 'assessment'));
      expect(issued).toMatchObject({ status: 201, body: { certificateNumber: numberOf(1) } });
      expect(await serialOf(evaluatorId)).toBe(1);
    });
  });

  describe('a dry run', () => {
    it('answers the number free once it goes on, when a certification of the evaluator took the one it would have had first', async () => {
      const { evaluatorId, staff, trainees, numberOf } = await arranged(2);
      const [checked, certified] = trainees;
      // The dry run's ladder is held: it waits on it (having read the next serial, where it reads it before).
      const ladder = await holdLadder(checked);
      const dry = certify(staff, certifyBody(checked, evaluatorId, 'junior', 'assessment'), true);
      try {
        await waitFor(() => waiting({ holder: ladder.pid }), { description: "the dry run waiting on its ladder's lock" });
        // Meanwhile a certification of the same evaluator, year and grade takes serial 1 and commits.
        expect(await certify(staff, certifyBody(certified, evaluatorId, 'junior', 'assessment'))).toMatchObject({ status: 201, body: { certificateNumber: numberOf(1) } });
      } finally {
        await ladder.release();
      }
      const answer = await dry;
      expect(answer).toMatchObject({ status: 200, body: { dryRun: true, certificateNumber: numberOf(2), level: 'junior', previousLevel: null } });
      // It recorded nothing, and the certification then issues the number it showed.
      expect(await holdersOf(numberOf(2))).toEqual([]);
      expect(await certify(staff, certifyBody(checked, evaluatorId, 'junior', 'assessment'))).toMatchObject({ status: 201, body: { certificateNumber: numberOf(2) } });
    });
  });

  describe('an import of the evaluator’s certificates of the same year', () => {
    it('and a certification while the batch waits on a ladder: the number is taken once, and neither answers a 500', async () => {
      const { evaluatorId, staff, trainees, numberOf } = await arranged(2);
      const [holder, worker] = trainees;
      // The batch brings the evaluator's junior of 2021 with serial 1: the number its next junior of 2021 would get.
      const historical = numberOf(1, 'junior', '2021-02-01');
      const ladder = await holdLadder(holder);
      const batch = imported(evaluatorId, [{ traineeId: holder, certificateNumber: historical, level: 'junior', certifiedOn: '2021-02-01' }]);
      let certification: ReturnType<typeof certify> | undefined;
      let certified = false;
      try {
        await waitFor(() => waiting({ holder: ladder.pid }), { description: "the batch waiting on its holder's ladder" });
        certification = certify(staff, certifyBody(worker, evaluatorId, 'junior', 'assessment'));
        void certification.then(() => (certified = true));
        // The certification ends, or waits on the batch (on a number it claimed) until the batch goes on.
        await waitFor(async () => certified || (await waiting({ notHolder: ladder.pid })), { description: 'the certification to end or to wait on the batch' });
      } finally {
        await ladder.release();
      }
      const [answer, outcome] = [await certification, await batch];
      // The certification came first to the number, and issues it; the batch, then, finds it taken.
      expect(answer).toMatchObject({ status: 201, body: { certificateNumber: historical } });
      expect(outcome.outcomes).toEqual([{ row: 2, outcome: 'refused', field: 'certificateNumber', rule: 'certificate_number_taken', detail: expect.any(String) }]);
      expect(await holdersOf(historical)).toEqual([worker]);
    });

    it('and a certification while the batch is about to commit: the certification waits for it and takes a serial past its numbers', async () => {
      const { evaluatorId, staff, trainees, numberOf } = await arranged(2);
      const [holder, worker] = trainees;
      const historical = numberOf(1, 'junior', '2021-02-01');
      const [outcome, answer] = await overlapping(
        sql,
        (beforeCommit) => imported(evaluatorId, [{ traineeId: holder, certificateNumber: historical, level: 'junior', certifiedOn: '2021-02-01' }], beforeCommit),
        () => certify(staff, certifyBody(worker, evaluatorId, 'junior', 'assessment')),
      );
      expect(outcome.outcomes).toEqual([{ row: 2, outcome: 'created' }]);
      expect(answer).toMatchObject({ status: 201, body: { certificateNumber: numberOf(2) } });
      expect(await holdersOf(historical)).toEqual([holder]);
    });
  });
});
