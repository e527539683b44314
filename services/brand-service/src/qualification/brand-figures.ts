import { Injectable } from '@nestjs/common';
import { unappliedLettersCount } from '@skills/messaging';
import { Database, Sql, Transactions } from '@skills/postgres';
import { QualificationFigures } from './policy';
import { AssessmentFact, EmploymentFact, Measure, StepChange, traineeSteps } from './trainee-steps';

export interface BrandScope {
  brandId: string;
  industryCode: string;
  occupationCodes: string[];
  buildingUnits: string[];
  windowStart: string;
  windowEnd: string;
}

interface ScopeRow {
  brand_id: string;
  industry_code: string;
  occupation_codes: string[];
  building_units: string[];
  window_start: string;
  window_end: string;
}

const SCOPES_LOCK = 'brand-scopes';

/** The consumers that keep the facts the figures are counted from (FactConsumers): their inboxes and dead letters. */
export const TRAINING_FACTS_CONSUMER = 'brand.training-facts';
export const EMPLOYMENT_FACTS_CONSUMER = 'brand.employment-facts';
/** A dead letter's trainee as a uuid (found by the steps' key), or null for a payload that names none (no cast fails on it). */
const LETTER_TRAINEE = `(CASE WHEN d.envelope->'payload'->>'traineeId' ~* '^[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}$' THEN (d.envelope->'payload'->>'traineeId')::uuid END)`;
/** How long a backfill may go without a batch and still be taken as going on (a batch takes well under a second). */
const BACKFILL_SILENCE = '30 seconds';
const DATE = (column: string) => `to_char(${column}, 'YYYY-MM-DD')`;

/**
 * The rule the figures are counted by. Raised with every change to how a trainee counts (trainee-steps.ts),
 * so that figures counted by the old rule are counted again once (FiguresUpgrade), not only for the
 * trainees a new fact happens to touch.
 * 2: an enrolment counts by its latest correction, in the window or not.
 *
 * Each brand's scope says by which rule its figures are counted (`brand_scopes.figures_rule`): NULL from
 * its registration until its backfill has counted every trainee assessed before it, and an older rule until
 * FiguresUpgrade has rebuilt it. Until it is this one no decision is taken on them (FiguresNotCounted) and
 * no read calls them complete.
 */
export const FIGURES_RULE = 2;

/**
 * Keeps each brand's step totals up to date with the facts, and reads the figures as of a date.
 * Consumers write in their inbox's transaction (`tx`); what runs on behalf of an HTTP request (the
 * backfill after a registration, a rebuild) writes through `Transactions.run`, so that it joins the
 * request's transaction when it carries an Idempotency-Key.
 */
@Injectable()
export class BrandFigures {
  constructor(
    private readonly database: Database,
    private readonly transactions: Transactions,
  ) {}

  /**
   * Facts about one trainee arrive on two topics at once (a result, a hire). Each fact's transaction
   * takes this first, so the second sees what the first committed and neither recomputes on a stale
   * view; the shared lock on the scopes lets a brand registration, and a rebuild, wait for facts in flight.
   */
  async lockForFact(tx: Sql, traineeId: string): Promise<void> {
    await tx.query('SELECT pg_advisory_xact_lock_shared(hashtext($1))', [SCOPES_LOCK]);
    await tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 11))', [`trainee:${traineeId}`]);
  }

  /**
   * In the brand registration's transaction: facts committed before it are picked up by `backfill`,
   * facts committed after it find the scope (the exclusive lock waits for those in flight).
   */
  async addScope(tx: Sql, scope: BrandScope): Promise<void> {
    await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [SCOPES_LOCK]);
    await tx.query(
      `INSERT INTO brand_scopes (brand_id, industry_code, occupation_codes, building_units, window_start, window_end, counting_at) VALUES ($1, $2, $3, $4, $5, $6, now())`,
      [scope.brandId, scope.industryCode, scope.occupationCodes, scope.buildingUnits, scope.windowStart, scope.windowEnd],
    );
  }

  /**
   * After registration: every trainee already assessed in the brand's courses, a batch of trainees
   * per transaction (a brand registered after years of facts has a hundred thousand of them). Each
   * batch is read in its own transaction, which sees the brand's scope even while the registration
   * is not committed yet (a request under an Idempotency-Key shares one transaction). Each takes the
   * scopes' lock shared, as a fact does, so that a rebuild of the brand (which takes it exclusively)
   * runs between two batches, never beside one. The last one marks the figures counted by FIGURES_RULE:
   * a backfill cut short (a crash, an error) leaves them uncounted, which the next start's FiguresUpgrade
   * rebuilds.
   */
  async backfill(brandId: string, batchSize = 500): Promise<void> {
    for (let after = '00000000-0000-0000-0000-000000000000'; ; ) {
      const last = await this.transactions.run(async (tx) => {
        await tx.query('SELECT pg_advisory_xact_lock_shared(hashtext($1))', [SCOPES_LOCK]);
        const rows = await traineesInScope(tx, brandId, after, batchSize);
        if (rows.length > 0) await this.recomputeMany(tx, brandId, rows.map((row) => row.trainee_id));
        // Each batch says the backfill goes on (`backfillGoesOn`); the last one that it is done.
        if (rows.length < batchSize) await markCounted(tx, brandId);
        else await tx.query('UPDATE brand_scopes SET counting_at = now() WHERE brand_id = $1', [brandId]);
        return rows.length < batchSize ? undefined : rows.at(-1)?.trainee_id;
      });
      if (last === undefined) return;
      after = last;
    }
  }

  /**
   * Recomputes the brand's figures from all the facts, in one transaction, and marks them counted by
   * FIGURES_RULE: readers keep the old figures until it commits, and facts and backfill batches arriving
   * meanwhile wait for it (they take the shared lock).
   */
  async rebuild(brandId: string, batchSize = 1000): Promise<void> {
    await this.transactions.run((tx) => this.rebuildIn(tx, brandId, batchSize));
  }

  /**
   * In a brand correction's transaction: its scope as corrected (building units, occupations, industry,
   * window), and its figures counted again from all the facts under it, as `rebuild` does. Readers keep the
   * old figures until the correction commits; a correction refused afterwards (its name taken) leaves them.
   */
  async rescope(tx: Sql, scope: BrandScope): Promise<void> {
    await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [SCOPES_LOCK]);
    await tx.query(
      'UPDATE brand_scopes SET industry_code = $2, occupation_codes = $3, building_units = $4, window_start = $5, window_end = $6 WHERE brand_id = $1',
      [scope.brandId, scope.industryCode, scope.occupationCodes, scope.buildingUnits, scope.windowStart, scope.windowEnd],
    );
    await this.rebuildIn(tx, scope.brandId);
  }

  private async rebuildIn(tx: Sql, brandId: string, batchSize = 1000): Promise<void> {
    await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [SCOPES_LOCK]);
    await tx.query('DELETE FROM brand_step_totals WHERE brand_id = $1', [brandId]);
    await tx.query('DELETE FROM brand_trainee_steps WHERE brand_id = $1', [brandId]);
    const rows = await traineesInScope(tx, brandId);
    for (let i = 0; i < rows.length; i += batchSize) await this.recomputeMany(tx, brandId, rows.slice(i, i + batchSize).map((row) => row.trainee_id));
    await markCounted(tx, brandId);
  }

  /**
   * Whether the brand's figures are counted by FIGURES_RULE: its backfill finished, and no upgrade of the
   * counting rule is still to rebuild it. Once true it stays so (for this rule): a decision or a read that
   * asks before reading the figures reads figures at least as complete. `sql`: the pool, or a decision's transaction.
   */
  async counted(brandId: string, sql: Sql = this.database): Promise<boolean> {
    const { rows } = await sql.query<{ figures_rule: number | null }>('SELECT figures_rule FROM brand_scopes WHERE brand_id = $1', [brandId]);
    return rows[0]?.figures_rule === FIGURES_RULE;
  }

  /**
   * `counted`, and whether a fact the brand's figures may lack waits here as a dead letter (a result in one
   * of its building units' courses of its occupations or of ethics and law, or a result or an employment of
   * one of its trainees, that could not be applied) and how many, in one round trip. For a decision, in its
   * transaction: no brand is decided on figures that lack a fact; a read says they lack them (freshnessOfFigures).
   */
  async readiness(brandId: string, sql: Sql = this.database): Promise<{ counted: boolean; factsParked: number }> {
    const { rows } = await sql.query<{ figures_rule: number | null; parked: number }>(
      `SELECT figures_rule,
              ${unappliedLettersCount(
                `d.consumer IN ('${TRAINING_FACTS_CONSUMER}', '${EMPLOYMENT_FACTS_CONSUMER}')
                 AND ((d.consumer = '${TRAINING_FACTS_CONSUMER}' AND d.envelope->'payload'->'course'->>'providerCreditCode' = ANY (s.building_units)
                                                           AND (d.envelope->'payload'->'course'->>'occupationCode' = ANY (s.occupation_codes)
                                                                OR d.envelope->'payload'->'course'->>'kind' = 'ethics_and_law'))
                      OR EXISTS (SELECT 1 FROM brand_trainee_steps t WHERE t.brand_id = s.brand_id AND t.trainee_id = ${LETTER_TRAINEE}))`,
              )} AS parked
         FROM brand_scopes s WHERE brand_id = $1`,
      [brandId],
    );
    return { counted: rows[0]?.figures_rule === FIGURES_RULE, factsParked: rows[0]?.parked ?? 0 };
  }

  /**
   * Whether the brand's backfill is going on somewhere (a batch in the last BACKFILL_SILENCE): a start's
   * upgrade leaves it to finish rather than rebuild the brand beside it under the scopes' lock, which would
   * hold up every brand's facts meanwhile. A backfill known to have stopped is forgotten (`backfillStopped`).
   */
  async backfillGoesOn(brandId: string): Promise<boolean> {
    const { rows } = await this.database.query<{ goes_on: boolean }>(
      `SELECT figures_rule IS NULL AND counting_at > now() - $2::interval AS goes_on FROM brand_scopes WHERE brand_id = $1`,
      [brandId, BACKFILL_SILENCE],
    );
    return rows[0]?.goes_on === true;
  }

  /** The brand's backfill stopped here (an error): nothing goes on, its figures may be rebuilt at once. */
  async backfillStopped(brandId: string): Promise<void> {
    await this.database.query('UPDATE brand_scopes SET counting_at = NULL WHERE brand_id = $1 AND figures_rule IS NULL', [brandId]);
  }

  /** A result arrived: the brands whose courses it belongs to count this trainee anew. */
  async afterAssessment(tx: Sql, fact: { traineeId: string; providerCreditCode: string; occupationCode: string; courseKind: string }): Promise<void> {
    if (fact.courseKind !== 'skill') return; // ethics courses are looked up when asked, per brand
    const { rows } = await tx.query<{ brand_id: string }>('SELECT brand_id FROM brand_scopes WHERE $1 = ANY(building_units) AND $2 = ANY(occupation_codes)', [
      fact.providerCreditCode,
      fact.occupationCode,
    ]);
    for (const { brand_id } of rows) await this.recompute(tx, brand_id, fact.traineeId);
  }

  /** An employment began or ended: brands of that industry where the trainee counts as trained. */
  async afterEmployment(tx: Sql, fact: { traineeId: string; employerIndustryCode: string }): Promise<void> {
    const { rows } = await tx.query<{ brand_id: string }>(
      `SELECT s.brand_id FROM brand_scopes s JOIN brand_trainee_steps t ON t.brand_id = s.brand_id AND t.trainee_id = $1 WHERE s.industry_code = $2`,
      [fact.traineeId, fact.employerIndustryCode],
    );
    for (const { brand_id } of rows) await this.recompute(tx, brand_id, fact.traineeId);
  }

  /**
   * Recomputes one trainee's changes for one brand from all their facts and applies the difference
   * to the totals. Idempotent, and serialised per (brand, trainee) so concurrent facts cannot race.
   */
  recompute(tx: Sql, brandId: string, traineeId: string): Promise<void> {
    return this.recomputeMany(tx, brandId, [traineeId]);
  }

  private async recomputeMany(tx: Sql, brandId: string, traineeIds: string[]): Promise<void> {
    const keys = traineeIds.map((traineeId) => `${brandId}:${traineeId}`).sort();
    await tx.query('SELECT pg_advisory_xact_lock(hashtextextended(key, 7)) FROM unnest($1::text[]) AS key', [keys]);
    const { rows: scopes } = await tx.query<ScopeRow>(
      `SELECT brand_id, industry_code, occupation_codes, building_units, ${DATE('window_start')} AS window_start, ${DATE('window_end')} AS window_end FROM brand_scopes WHERE brand_id = $1`,
      [brandId],
    );
    const scope = scopes[0];
    if (!scope) return;
    // One after another: a transaction's client runs one query at a time.
    const assessments = await tx.query<{ trainee_id: string; enrollment_id: string; assessed_on: string; passed: boolean; version: number }>(
        `SELECT trainee_id, enrollment_id, ${DATE('assessed_on')} AS assessed_on, passed, version FROM assessment_facts
         WHERE trainee_id = ANY($1::uuid[]) AND course_kind = 'skill' AND provider_credit_code = ANY($2) AND occupation_code = ANY($3)`,
        [traineeIds, scope.building_units, scope.occupation_codes],
      );
    const employments = await tx.query<{ trainee_id: string; start_date: string; end_date: string | null }>(
        `SELECT trainee_id, ${DATE('start_date')} AS start_date, ${DATE('end_date')} AS end_date FROM employment_facts WHERE trainee_id = ANY($1::uuid[]) AND employer_industry_code = $2`,
        [traineeIds, scope.industry_code],
      );
    const previous = await tx.query<{ trainee_id: string; changes: StepChange[] }>('SELECT trainee_id, changes FROM brand_trainee_steps WHERE brand_id = $1 AND trainee_id = ANY($2::uuid[])', [brandId, traineeIds]);
    const window = { start: scope.window_start, end: scope.window_end };
    const facts = new Map(traineeIds.map((id) => [id, { assessments: [] as AssessmentFact[], employments: [] as EmploymentFact[], previous: [] as StepChange[] }]));
    for (const row of assessments.rows) facts.get(row.trainee_id)?.assessments.push({ enrollmentId: row.enrollment_id, assessedOn: row.assessed_on, passed: row.passed, version: row.version });
    for (const row of employments.rows) facts.get(row.trainee_id)?.employments.push({ startDate: row.start_date, ...(row.end_date ? { endDate: row.end_date } : {}) });
    for (const row of previous.rows) facts.get(row.trainee_id)!.previous = row.changes;

    const difference: StepChange[] = [];
    const kept: Array<{ traineeId: string; changes: StepChange[] }> = [];
    const dropped: string[] = [];
    for (const [traineeId, trainee] of facts) {
      const changes = traineeSteps(window, trainee.assessments, trainee.employments);
      difference.push(...differenceOf(changes, trainee.previous));
      if (changes.length > 0) kept.push({ traineeId, changes });
      else if (trainee.previous.length > 0) dropped.push(traineeId);
    }
    const totals = differenceOf(difference, []);
    if (totals.length > 0) {
      await tx.query(
        `INSERT INTO brand_step_totals (brand_id, measure, on_date, delta)
         SELECT $1, * FROM unnest($2::text[], $3::date[], $4::int[])
         ON CONFLICT (brand_id, measure, on_date) DO UPDATE SET delta = brand_step_totals.delta + excluded.delta`,
        [brandId, totals.map((change) => change.measure), totals.map((change) => change.on), totals.map((change) => change.delta)],
      );
    }
    if (dropped.length > 0) await tx.query('DELETE FROM brand_trainee_steps WHERE brand_id = $1 AND trainee_id = ANY($2::uuid[])', [brandId, dropped]);
    if (kept.length > 0) {
      await tx.query(
        `INSERT INTO brand_trainee_steps (brand_id, trainee_id, changes)
         SELECT $1, * FROM unnest($2::uuid[], $3::jsonb[])
         ON CONFLICT (brand_id, trainee_id) DO UPDATE SET changes = excluded.changes`,
        [brandId, kept.map((row) => row.traineeId), kept.map((row) => JSON.stringify(row.changes))],
      );
    }
  }

  /**
   * The figures as of `asOf`: sums over the days up to it, plus whether an ethics course was assessed in the window.
   * `sql`: the pool, or a decision's transaction (one query at a time on its client).
   */
  async figuresAsOf(brandId: string, asOf: string, sql: Sql = this.database): Promise<QualificationFigures> {
    const totals = await sql.query<{ measure: Measure; total: string }>(
      'SELECT measure, sum(delta)::text AS total FROM brand_step_totals WHERE brand_id = $1 AND on_date <= $2 GROUP BY measure',
      [brandId, asOf],
    );
    // An ethics course's result counts as its enrolment's latest version dated by asOf, as a skill
    // course's does: one in the window that no later version dated by asOf corrects (the first found ends it).
    const ethics = await sql.query(
      `SELECT 1 FROM brand_scopes s
       JOIN assessment_facts f ON f.provider_credit_code = ANY(s.building_units) AND f.course_kind = 'ethics_and_law'
         AND f.assessed_on BETWEEN s.window_start AND least(s.window_end, $2::date)
       WHERE s.brand_id = $1
         AND NOT EXISTS (SELECT 1 FROM assessment_facts newer WHERE newer.enrollment_id = f.enrollment_id AND newer.version > f.version AND newer.assessed_on <= $2::date)
       LIMIT 1`,
      [brandId, asOf],
    );
    const value = (measure: Measure) => Number(totals.rows.find((row) => row.measure === measure)?.total ?? 0);
    return { trained: value('trained'), passed: value('passed'), employedInIndustry: value('employed'), ethicsTrainingHeld: (ethics.rowCount ?? 0) > 0 };
  }

  /**
   * The highest `fact_sequence` among the facts `sql` sees (a void's too: its facts are deleted), recorded with a certification for information.
   * Not a barrier: a number is drawn at insert, not at commit, so a fact with a lower one may still be
   * uncommitted; what a decision waited for is CatchUp's position (`basedOnFacts`).
   */
  async lastFactSequence(sql: Sql = this.database): Promise<number> {
    const { rows } = await sql.query<{ last: string }>(
      `SELECT greatest((SELECT max(fact_sequence) FROM assessment_facts), (SELECT max(fact_sequence) FROM employment_facts),
                       (SELECT max(fact_sequence) FROM voided_enrollments), (SELECT max(fact_sequence) FROM voided_employments), 0)::text AS last`,
    );
    return Number(rows[0].last);
  }
}

/** The brand's figures are counted by FIGURES_RULE, as of the commit of `tx`. */
async function markCounted(tx: Sql, brandId: string): Promise<void> {
  await tx.query('UPDATE brand_scopes SET figures_rule = $2 WHERE brand_id = $1', [brandId, FIGURES_RULE]);
}

/** The trainees with a result in one of the brand's courses, in id order (after `after`, at most `limit`). */
async function traineesInScope(sql: Sql, brandId: string, after = '00000000-0000-0000-0000-000000000000', limit: number | null = null) {
  const { rows } = await sql.query<{ trainee_id: string }>(
    `SELECT DISTINCT f.trainee_id FROM assessment_facts f JOIN brand_scopes s ON s.brand_id = $1
     WHERE f.course_kind = 'skill' AND f.provider_credit_code = ANY(s.building_units) AND f.occupation_code = ANY(s.occupation_codes) AND f.trainee_id > $2
     ORDER BY f.trainee_id LIMIT $3`,
    [brandId, after, limit],
  );
  return rows;
}

/** new − old, per (measure, day), without the zeros. */
function differenceOf(next: StepChange[], previous: StepChange[]): StepChange[] {
  const sums = new Map<string, StepChange>();
  const add = (change: StepChange, sign: number) => {
    const key = `${change.measure}|${change.on}`;
    const current = sums.get(key) ?? { measure: change.measure, on: change.on, delta: 0 };
    sums.set(key, { ...current, delta: current.delta + sign * change.delta });
  };
  next.forEach((change) => add(change, 1));
  previous.forEach((change) => add(change, -1));
  return [...sums.values()].filter((change) => change.delta !== 0);
}
