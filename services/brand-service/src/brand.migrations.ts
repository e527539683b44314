import { sqlMigration } from '@skills/postgres';
import { OrganisationReplicaSchema } from '@skills/service-runtime';

/**
 * The facts brand qualification is judged by, from training and placement events: every assessment
 * record (corrections included, ordered by `version`) and every employment. `fact_sequence` orders
 * them as they were applied here; a certification decision records the last one it saw.
 */
export const QualificationFacts = sqlMigration(
  'QualificationFacts',
  1732300000501,
  `CREATE SEQUENCE fact_sequence;
   CREATE TABLE assessment_facts (
     assessment_id uuid PRIMARY KEY,
     enrollment_id uuid NOT NULL,
     trainee_id uuid NOT NULL,
     provider_credit_code text NOT NULL,
     occupation_code text NOT NULL,
     course_kind text NOT NULL,
     assessed_on date NOT NULL,
     passed boolean NOT NULL,
     version integer NOT NULL,
     fact_sequence bigint NOT NULL DEFAULT nextval('fact_sequence')
   );
   CREATE INDEX assessment_facts_by_trainee ON assessment_facts (trainee_id);
   CREATE INDEX assessment_facts_by_provider ON assessment_facts (provider_credit_code, course_kind, assessed_on);
   CREATE INDEX assessment_facts_by_sequence ON assessment_facts (fact_sequence);
   CREATE TABLE employment_facts (
     employment_id uuid PRIMARY KEY,
     trainee_id uuid NOT NULL,
     employer_industry_code text NOT NULL,
     start_date date NOT NULL,
     end_date date,
     fact_sequence bigint NOT NULL DEFAULT nextval('fact_sequence')
   );
   CREATE INDEX employment_facts_by_trainee ON employment_facts (trainee_id);
   CREATE INDEX employment_facts_by_sequence ON employment_facts (fact_sequence)`,
  'DROP TABLE employment_facts; DROP TABLE assessment_facts; DROP SEQUENCE fact_sequence',
);

/**
 * Per brand: what is in its scope, each trainee's step changes, and their sums per measure and day.
 * A figure as of D is a sum over the days up to D (see qualification/trainee-steps.ts).
 */
export const BrandFigures = sqlMigration(
  'BrandFigures',
  1732300000502,
  `CREATE TABLE brand_scopes (
     brand_id uuid PRIMARY KEY,
     industry_code text NOT NULL,
     occupation_codes text[] NOT NULL,
     building_units text[] NOT NULL,
     window_start date NOT NULL,
     window_end date NOT NULL
   );
   CREATE TABLE brand_trainee_steps (
     brand_id uuid NOT NULL,
     trainee_id uuid NOT NULL,
     changes jsonb NOT NULL,
     PRIMARY KEY (brand_id, trainee_id)
   );
   CREATE TABLE brand_step_totals (
     brand_id uuid NOT NULL,
     measure text NOT NULL,
     on_date date NOT NULL,
     delta integer NOT NULL,
     PRIMARY KEY (brand_id, measure, on_date)
   )`,
  'DROP TABLE brand_step_totals; DROP TABLE brand_trainee_steps; DROP TABLE brand_scopes',
);

/** An enrolment's later versions, found by the ethics check's "no newer version of this result" without a scan. */
export const AssessmentVersions = sqlMigration(
  'AssessmentVersions',
  1732300000503,
  'CREATE INDEX assessment_facts_by_enrollment ON assessment_facts (enrollment_id, version)',
  'DROP INDEX assessment_facts_by_enrollment',
);

/**
 * The rule the stored figures were counted by (FiguresUpgrade), one row; none: the first rule, before this
 * table (no row is written here, so that a restore's copy of the row is the only one).
 */
export const BrandFiguresRule = sqlMigration(
  'BrandFiguresRule',
  1732300000504,
  'CREATE TABLE brand_figures_rule (single boolean PRIMARY KEY DEFAULT true CHECK (single), rule integer NOT NULL)',
  'DROP TABLE brand_figures_rule',
);

/**
 * Per brand, the rule its figures were counted by (qualification/brand-figures.ts, FIGURES_RULE): NULL from
 * its registration until its backfill has counted every trainee assessed before it; set by the backfill's
 * last batch and by a rebuild. A decision on figures not counted by the current rule is refused (503), and
 * FiguresUpgrade rebuilds them at start. The brands of before: counted by the rule recorded for all, or the first.
 * `counting_at`: when the backfill last went on (each batch), so that a start beside a backfill running
 * elsewhere leaves it to go on rather than rebuilding the brand under the scopes' lock meanwhile.
 */
export const BrandFiguresCounted = sqlMigration(
  'BrandFiguresCounted',
  1765400000501,
  `ALTER TABLE brand_scopes ADD COLUMN figures_rule integer, ADD COLUMN counting_at timestamptz;
   UPDATE brand_scopes SET figures_rule = coalesce((SELECT rule FROM brand_figures_rule), 1)`,
  'ALTER TABLE brand_scopes DROP COLUMN figures_rule, DROP COLUMN counting_at',
);

/**
 * The region statistics counted again from the log, once. `region_statistics` holds the sums of each
 * trainee's shares, and a fact adds its trainee's shares after it less those before it, both by the code
 * running then (statistics/read-models/trainee-shares.ts). The shares' rules changed (the level of two at
 * the same rank is the earliest certificate's, not the latest's; a certificate revoked on or before its
 * issue day is never held, so makes nobody high-skill talent): sums kept from before would stay counted by
 * the old rules, and the differences later facts add, counted by the new, would leave them wrong for good,
 * below 0 too (a standing high-skill count of -1). So the table, its checkpoint and its parked events go:
 * the projections start after the migrations, the runner creates the table again and catches up from the
 * start of the log (on a new database there is no table yet; the checkpoints' and parked events' tables are
 * the event store's, migrated first). Until it has, a plain read says how many facts are not in the figures
 * yet and a `?consistent=true` read waits for them (503 past CATCH_UP_WAIT_MS). Under the projection's lock,
 * so that a batch of a replica still running is not cut in two; but a rolling deploy's older replicas would go
 * on adding by the old rules, into the table counted again too: stop them before the new ones start (or
 * rebuild it from /admin/projections once they are gone). provider_outcomes is kept: a school's outcomes read
 * results and employments, whose rules did not change. A backup holds no read model (nor checkpoint): a
 * restore rebuilds them all, whether this runs before or after its load.
 */
export const RegionStatisticsRecounted = sqlMigration(
  'RegionStatisticsRecounted',
  1765600000000,
  `SELECT pg_advisory_xact_lock(hashtext('projection:' || current_schema() || ':region-statistics'));
   DROP TABLE IF EXISTS region_statistics, region_statistics__rebuild;
   DELETE FROM parked_events WHERE projection = 'region-statistics';
   DELETE FROM projection_checkpoints WHERE projection = 'region-statistics'`,
);

/**
 * One bureau per region (domain.md: a labour bureau is 人社局 of a region): a second registration of the
 * same region would split its officers and brands between two bureaus. The bureaus of before are claimed
 * from the log, the first registered of a region holding it; a second one registered before this stays.
 */
export const BureauClaims = sqlMigration(
  'BureauClaims',
  1766000000501,
  `CREATE TABLE bureau_claims (
     region_code text PRIMARY KEY,
     bureau_id uuid NOT NULL UNIQUE
   );
   INSERT INTO bureau_claims (region_code, bureau_id)
     SELECT DISTINCT ON (data->>'regionCode') data->>'regionCode', (data->>'bureauId')::uuid
     FROM events WHERE event_type = 'BureauRegistered'
     ORDER BY data->>'regionCode', transaction_id, global_position`,
  'DROP TABLE bureau_claims',
);

/**
 * One brand of a name per region: two of one name read as one brand in the region's list. Names are
 * compared trimmed (the API trims them; a brand of before is trimmed of the blanks a name is likely to end in). The brands of before are claimed from the log, the first
 * registered of a (region, name) holding it; a second one registered before this stays as it is.
 */
export const BrandNameClaims = sqlMigration(
  'BrandNameClaims',
  1766100000501,
  `CREATE TABLE brand_name_claims (
     region_code text NOT NULL,
     name text NOT NULL,
     brand_id uuid NOT NULL UNIQUE,
     PRIMARY KEY (region_code, name)
   );
   INSERT INTO brand_name_claims (region_code, name, brand_id)
     SELECT DISTINCT ON (region_code, name) region_code, name, brand_id
     FROM (
       SELECT data->>'regionCode' AS region_code, btrim(data->>'name', E' \\t\\n\\r\\u00a0\\u3000\\ufeff') AS name, (data->>'brandId')::uuid AS brand_id, transaction_id, global_position
       FROM events WHERE event_type = 'BrandRegistered'
     ) registered
     ORDER BY region_code, name, transaction_id, global_position`,
  'DROP TABLE brand_name_claims',
);

/**
 * Hires and enrolments recorded in error, voided (EmploymentVoided, EnrollmentVoided): their facts are deleted
 * from employment_facts and assessment_facts, so that they count nowhere, as of no date; and kept here, so that
 * a fact of theirs arriving after the void (a dead letter retried late) is not recorded again. Each void takes
 * a `fact_sequence`, as a fact does: it changes the figures as a fact does.
 */
export const VoidedFacts = sqlMigration(
  'VoidedFacts',
  1766500000501,
  `CREATE TABLE voided_employments (
     employment_id uuid PRIMARY KEY,
     trainee_id uuid NOT NULL,
     fact_sequence bigint NOT NULL DEFAULT nextval('fact_sequence')
   );
   CREATE TABLE voided_enrollments (
     enrollment_id uuid PRIMARY KEY,
     trainee_id uuid NOT NULL,
     fact_sequence bigint NOT NULL DEFAULT nextval('fact_sequence')
   )`,
  'DROP TABLE voided_enrollments; DROP TABLE voided_employments',
);

/**
 * Some categories tell of health or hardship: an erasure's categories fact took the person out of the
 * breakdowns, but the log kept their registration's categories. Now erasures (and voided registrations)
 * empty them (forgetErasedCategories); this does it once for the erasures recorded before. An erasure
 * recorded before it was marked `erased` is the last categories fact of its stream, none, after one with
 * some (a registration is recorded with the same categories however often it is delivered): it is marked,
 * as the figures already read it. The region statistics now keep which categories each trainee is counted
 * in (categories-counted.ts), and their sums by the old rule were counted from the log as it was: the table,
 * its checkpoint and its parked events go, and the runner counts it again from the start of the log, as
 * RegionStatisticsRecounted did (the same caveat: stop replicas of the old version before the new start).
 * Registrations voided before this version were not told of here: their categories stay, as their figures.
 */
export const ErasedCategoriesForgotten = sqlMigration(
  'ErasedCategoriesForgotten',
  1766700000501,
  `SELECT pg_advisory_xact_lock(hashtext('projection:' || current_schema() || ':region-statistics'));
   UPDATE events e SET data = jsonb_set(e.data, '{fact,erased}', 'true')
     FROM (SELECT DISTINCT ON (stream_id) stream_id, stream_version FROM events
            WHERE event_type = 'StatisticsFactRecorded' AND data #>> '{fact,kind}' = 'categories'
            ORDER BY stream_id, stream_version DESC) last
    WHERE e.stream_id = last.stream_id AND e.stream_version = last.stream_version
      AND e.data #> '{fact,categories}' = '[]' AND e.data #> '{fact,erased}' IS NULL
      AND EXISTS (SELECT 1 FROM events r
                   WHERE r.stream_id = e.stream_id AND r.stream_version < e.stream_version AND r.event_type = 'StatisticsFactRecorded'
                     AND r.data #>> '{fact,kind}' = 'categories' AND r.data #> '{fact,categories}' <> '[]');
   UPDATE events e SET data = jsonb_set(e.data, '{fact,categories}', '[]')
    WHERE e.event_type = 'StatisticsFactRecorded' AND e.data #>> '{fact,kind}' = 'categories' AND e.data #> '{fact,categories}' <> '[]'
      AND EXISTS (SELECT 1 FROM events m
                   WHERE m.stream_id = e.stream_id AND m.event_type = 'StatisticsFactRecorded'
                     AND m.data #>> '{fact,kind}' = 'categories' AND m.data #> '{fact,erased}' = 'true');
   DROP TABLE IF EXISTS region_statistics, region_statistics__rebuild;
   DELETE FROM parked_events WHERE projection = 'region-statistics';
   DELETE FROM projection_checkpoints WHERE projection = 'region-statistics'`,
  'SELECT 1',
);

/**
 * The statistics' results by course (StatisticsFactRecorded of kind `assessment`): a course's correction
 * (CourseCorrected) finds the trainees with a result of the course through it, not by reading the whole log.
 */
export const StatisticsAssessmentsByCourse = sqlMigration(
  'StatisticsAssessmentsByCourse',
  1766900000501,
  `CREATE INDEX statistics_assessments_by_course ON events ((data #>> '{fact,courseId}'))
    WHERE event_type = 'StatisticsFactRecorded' AND data #>> '{fact,kind}' = 'assessment'`,
  'DROP INDEX statistics_assessments_by_course',
);

export const brandMigrations = [
  QualificationFacts,
  BrandFigures,
  AssessmentVersions,
  BrandFiguresRule,
  OrganisationReplicaSchema,
  BrandFiguresCounted,
  RegionStatisticsRecounted,
  BureauClaims,
  BrandNameClaims,
  VoidedFacts,
  ErasedCategoriesForgotten,
  StatisticsAssessmentsByCourse,
];
