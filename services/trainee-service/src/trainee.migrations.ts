import { sqlMigration } from '@skills/postgres';
import { ImportRowKeysAppliedOrder, ImportRowKeysSchema, ImportRowKeysTrainee, TraineeRelationsByCertificates, TraineeRelationsByFacts, TraineeRelationsSchema } from '@skills/service-runtime';
import { ImportJobRowsPersonKey, ImportJobRowsPhoneKey, ImportJobRowsRoomForOutcomes, ImportJobRowsTooManyLookups, ImportJobsFailureRule, ImportJobsListed, ImportJobsProgressSchema, ImportJobsRunOrder, ImportJobsSchema, ImportJobsUploader } from './imports/jobs/import-jobs.schema';

/**
 * One trainee per identity number: a claim row written in the registration's transaction. The
 * number is stored as a keyed hash, so this index holds no personal data of its own.
 */
export const IdentityClaims = sqlMigration(
  'IdentityClaims',
  1732300000001,
  `CREATE TABLE identity_claims (
     identity_hash text PRIMARY KEY,
     trainee_id uuid NOT NULL UNIQUE
   )`,
  'DROP TABLE identity_claims',
);

/**
 * A data key per trainee that seals their name, identity number and phone in the events; deleting
 * the row erases those fields for good. The key itself is sealed with PERSONAL_DATA_KEY.
 */
export const PersonalDataKeys = sqlMigration(
  'PersonalDataKeys',
  1732300000002,
  `CREATE TABLE personal_data_keys (
     trainee_id uuid PRIMARY KEY,
     wrapped_key jsonb NOT NULL,
     created_at timestamptz NOT NULL DEFAULT now()
   )`,
  'DROP TABLE personal_data_keys',
);


/**
 * Every lookup of a person by identity number and name (domain.md section 9: audited and
 * rate-limited): who asked, when, and whom it found. It holds no personal data: neither what was
 * asked nor the answer's masked name.
 */
export const TraineeLookups = sqlMigration(
  'TraineeLookups',
  1733100000001,
  `CREATE TABLE trainee_lookups (
     id bigserial PRIMARY KEY,
     user_id uuid NOT NULL,
     actor jsonb NOT NULL,
     trainee_id uuid,
     looked_up_at timestamptz NOT NULL DEFAULT now()
   );
   CREATE INDEX trainee_lookups_user ON trainee_lookups (user_id, looked_up_at)`,
  'DROP TABLE trainee_lookups',
);

/**
 * The trainee directory kept region, gender and birth date in clear, past erasure: they are sealed
 * with the other personal data now, and the projection no longer writes them.
 */
export const DirectoryWithoutPersonalData = sqlMigration(
  'DirectoryWithoutPersonalData',
  1734500000001,
  `ALTER TABLE IF EXISTS trainee_directory DROP COLUMN IF EXISTS region_code, DROP COLUMN IF EXISTS gender, DROP COLUMN IF EXISTS birth_date`,
);

/**
 * The blind index trainees are searched by (trainees/search-trainees): keyed hashes of the name and of
 * the identity number's last digits, never the values. A GIN index finds the rows holding a token; the
 * organisation index lists a school's trainees from `trainee_relations`. Rows of trainees registered
 * before are filled at start from their sealed records (SearchIndexBackfill), which needs the keys a
 * migration should not hold.
 */
export const TraineeSearchIndex = sqlMigration(
  'TraineeSearchIndex',
  1736100000001,
  `CREATE TABLE trainee_search_index (
     trainee_id uuid PRIMARY KEY,
     registered_position bigint NOT NULL,
     tokens text[] NOT NULL
   );
   CREATE INDEX trainee_search_index_newest ON trainee_search_index (registered_position);
   CREATE INDEX trainee_search_index_tokens ON trainee_search_index USING gin (tokens);
   CREATE INDEX IF NOT EXISTS trainee_relations_by_organisation ON trainee_relations (organisation_id, trainee_id)`,
  'DROP INDEX IF EXISTS trainee_relations_by_organisation; DROP TABLE trainee_search_index',
);

/**
 * Which key a row's tokens were made with (searchKeyFingerprint: a keyed hash of a fixed text, never
 * the key). SearchIndexBackfill re-indexes at start every row whose fingerprint is not the current
 * key's: made under another IDENTITY_HASH_KEY (which no search finds), or before this column.
 */
export const TraineeSearchIndexKey = sqlMigration(
  'TraineeSearchIndexKey',
  1736200000001,
  `ALTER TABLE trainee_search_index ADD COLUMN key_fingerprint text`,
  'ALTER TABLE trainee_search_index DROP COLUMN key_fingerprint',
);

/**
 * Dead letters of TraineeRegistered parked by the trainee relations consumer are moot: every registration
 * relates its organisation in its own transaction (since before `registeredBy`, the field a relation is
 * read from), and the consumer no longer takes the message, so a retry of one would wait forever for an
 * inbox row nobody writes.
 */
export const MootRelationDeadLetters = sqlMigration(
  'MootRelationDeadLetters',
  1764950000001,
  `DELETE FROM dead_letters WHERE consumer = 'trainee.trainee-relations' AND envelope->>'type' = 'TraineeRegistered'`,
  'SELECT 1',
);

/**
 * The erasures and voids of the log, found without reading it all: the erasure ledger's upkeep reads
 * them at every start of the all-in-one (erasure-ledger-upkeep.ts).
 */
export const EventsErasures = sqlMigration(
  'EventsErasures',
  1765200000001,
  `CREATE INDEX IF NOT EXISTS events_erasures ON events (global_position) WHERE event_type IN ('PersonalDataErased', 'TraineeRegistrationVoided')`,
  'DROP INDEX IF EXISTS events_erasures',
);

// `trainee_relations` is shared with the other services that judge reads of a trainee: its migration
// moved to service-runtime under the same name and timestamp (TraineeRelations1733200000001), so a
// database that already ran it here does not run it again.
/**
 * Who looked up is the token's subject, which an outside OpenID Connect provider need not make a UUID
 * (`auth0|…`, a number): kept as text, as the audit log keeps it (a UUID column refused their every lookup).
 */
export const TraineeLookupsAnyUserId = sqlMigration(
  'TraineeLookupsAnyUserId',
  1765300000004,
  'ALTER TABLE trainee_lookups ALTER COLUMN user_id TYPE text',
  'ALTER TABLE trainee_lookups ALTER COLUMN user_id TYPE uuid USING user_id::uuid',
);

/**
 * Registrations recorded before sealing kept birth date, gender and region in clear in the log; an
 * erasure (or a void) deleted only the key. Those of trainees already erased or voided (no key left)
 * are taken out now, as PersonalDataKeys.destroy does at every erasure since.
 */
export const LegacyClearFieldsErased = sqlMigration(
  'LegacyClearFieldsErased',
  1765300000005,
  `UPDATE events e SET data = e.data - 'birthDate' - 'gender' - 'regionCode'
    WHERE e.event_type = 'TraineeRegistered' AND (e.data ? 'birthDate' OR e.data ? 'gender' OR e.data ? 'regionCode')
      AND NOT EXISTS (SELECT 1 FROM personal_data_keys k WHERE k.trainee_id::text = e.data->>'traineeId')`,
  'SELECT 1',
);

/**
 * An erased minor's 16th birthday, while it is still to come (WorkingAgeAfterErasure): the hiring age rule
 * outlives the erasure, nothing else of the birth date does.
 */
export const WorkingAgeAfterErasureSchema = sqlMigration(
  'WorkingAgeAfterErasure',
  1765400000001,
  'CREATE TABLE working_age_after_erasure (trainee_id uuid PRIMARY KEY, working_age_from date NOT NULL)',
  'DROP TABLE working_age_after_erasure',
);

/**
 * What an import's counted lookup asked, as a keyed hash (never the number nor the name): the same question
 * asked again by the same user (a file uploaded again past an earlier cut) is not counted again.
 */
export const TraineeLookupsQuestion = sqlMigration(
  'TraineeLookupsQuestion',
  1765400000002,
  `ALTER TABLE trainee_lookups ADD COLUMN question text;
   CREATE INDEX trainee_lookups_question ON trainee_lookups (user_id, question) WHERE question IS NOT NULL`,
  'DROP INDEX trainee_lookups_question; ALTER TABLE trainee_lookups DROP COLUMN question',
);

/** The questions kept are found by whom they found (an erasure, a void) and by their age (forgotten after 30 days), without a scan. */
export const TraineeLookupsQuestionsForgotten = sqlMigration(
  'TraineeLookupsQuestionsForgotten',
  1765400000003,
  `CREATE INDEX trainee_lookups_question_of ON trainee_lookups (trainee_id) WHERE question IS NOT NULL;
   CREATE INDEX trainee_lookups_question_at ON trainee_lookups (looked_up_at) WHERE question IS NOT NULL`,
  'DROP INDEX trainee_lookups_question_of; DROP INDEX trainee_lookups_question_at',
);

/**
 * The organisation each lookup was made for (the caller's; null for a user of none), so that its users'
 * lookups are counted together against ORGANISATION_LOOKUPS_PER_HOUR in one indexed query. Lookups of the
 * last hour are filled in from their actor, so the ceiling holds from the first hour after the migration.
 */
export const TraineeLookupsOrganisation = sqlMigration(
  'TraineeLookupsOrganisation',
  1765400000004,
  `ALTER TABLE trainee_lookups ADD COLUMN organisation_id text;
   UPDATE trainee_lookups SET organisation_id = actor->>'organisationId' WHERE looked_up_at > now() - interval '1 hour';
   CREATE INDEX trainee_lookups_organisation ON trainee_lookups (organisation_id, looked_up_at) WHERE organisation_id IS NOT NULL`,
  'DROP INDEX trainee_lookups_organisation; ALTER TABLE trainee_lookups DROP COLUMN organisation_id',
);

/**
 * Registrations keep the trainee's categories in clear (some tell of health or hardship): those of trainees
 * already erased or voided (no key left) are taken out of the log and the directory now, as
 * PersonalDataKeys.destroy and the directory do at every erasure since.
 */
export const LegacyCategoriesErased = sqlMigration(
  'LegacyCategoriesErased',
  1765500000001,
  `UPDATE events e SET data = jsonb_set(e.data, '{categories}', '[]')
    WHERE e.event_type = 'TraineeRegistered' AND e.data->'categories' <> '[]'
      AND NOT EXISTS (SELECT 1 FROM personal_data_keys k WHERE k.trainee_id::text = e.data->>'traineeId');
   DO $$ BEGIN
     IF to_regclass('trainee_directory') IS NOT NULL THEN
       UPDATE trainee_directory d SET categories = '{}'
        WHERE d.categories <> '{}' AND NOT EXISTS (SELECT 1 FROM personal_data_keys k WHERE k.trainee_id = d.trainee_id);
     END IF;
   END $$`,
  'SELECT 1',
);

/**
 * The trainees' own users identity-service created (TraineeUserCreated, TraineeUsersConsumer), ids only: a
 * trainee holds an active user while one of them is not among `disabled_users` (UserDisabled, kept by the
 * runtime for every service). Users created before it are announced once by identity's TraineeUsersAnnounced, but for those disabled since.
 */
export const TraineeUsers = sqlMigration(
  'TraineeUsers',
  1766700000101,
  `CREATE TABLE trainee_users (
     user_id uuid PRIMARY KEY,
     trainee_id uuid NOT NULL
   );
   CREATE INDEX trainee_users_trainee ON trainee_users (trainee_id)`,
  'DROP TABLE trainee_users',
);

/**
 * The facts that relate organisations to trainees, as this service's own log holds them, for the relations
 * made before facts were kept (TraineeRelationsByFacts left them `facts_kept` false, kept for good on a void):
 * each registration's organisation (registeredBy), and each enrolment's provider and hire's employer, from
 * the archive's entries (their details have named them from the first). A pair so accounted for is marked
 * facts_kept, so that the void of the enrolment or hire that alone related it takes it back: a provider or
 * employer that recorded a person only by mistake before this version reads them no longer. Not a pair of a
 * trainee registered before registeredBy was kept (the registrant unknown: it may be that very organisation),
 * nor an evaluator's (related by certificates, TraineeRelationsByCertificates). Facts only of pairs related
 * already: a fact kept here before its relation, the relation's own message would find it and relate nobody.
 * One whose message the relations had applied but the archive had not (its dead letter) is not seen: that
 * pair's relation rests on it unseen, and goes with the void of its other facts; an operator retrying the
 * letter relates it again.
 */
export const TraineeRelatingFactsFromTheLog = sqlMigration(
  'TraineeRelatingFactsFromTheLog',
  1766800000101,
  `WITH logged AS (
     SELECT (data->>'traineeId')::uuid AS trainee_id, data->>'registeredBy' AS organisation_id, 'registration' AS kind, data->>'traineeId' AS fact_id
       FROM events WHERE event_type = 'TraineeRegistered' AND data->>'registeredBy' IS NOT NULL
     UNION
     SELECT (data->>'traineeId')::uuid, data->'details'->>'providerId', 'enrollment', data->'details'->>'enrollmentId'
       FROM events WHERE event_type = 'ArchiveEntryRecorded' AND data->>'kind' IN ('enrolled', 'withdrew', 'assessed')
     UNION
     SELECT (data->>'traineeId')::uuid, data->'details'->>'employerId', 'employment', data->'details'->>'employmentId'
       FROM events WHERE event_type = 'ArchiveEntryRecorded' AND data->>'kind' IN ('hired', 'employment_ended')
   ), related AS (
     SELECT logged.trainee_id, logged.organisation_id, logged.kind, logged.fact_id
       FROM logged JOIN trainee_relations relation USING (trainee_id, organisation_id)
      WHERE NOT relation.facts_kept AND logged.fact_id IS NOT NULL
   ), kept AS (
     INSERT INTO trainee_relating_facts (trainee_id, organisation_id, kind, fact_id)
     SELECT * FROM related ON CONFLICT DO NOTHING
   )
   UPDATE trainee_relations relation SET facts_kept = true
     FROM (SELECT DISTINCT trainee_id, organisation_id FROM related) pair
    WHERE relation.trainee_id = pair.trainee_id AND relation.organisation_id = pair.organisation_id
      AND EXISTS (SELECT 1 FROM events registered
                   WHERE registered.event_type = 'TraineeRegistered' AND registered.data->>'traineeId' = relation.trainee_id::text
                     AND registered.data ? 'registeredBy')`,
  // The facts stay (a void since may have relied on them); the pairs are as TraineeRelationsByFacts left them.
  'SELECT 1',
);

export const traineeMigrations = [IdentityClaims, PersonalDataKeys, TraineeLookups, TraineeRelationsSchema, DirectoryWithoutPersonalData, TraineeSearchIndex, TraineeSearchIndexKey, ImportRowKeysSchema, ImportJobsSchema, ImportJobsProgressSchema, MootRelationDeadLetters, ImportJobRowsRoomForOutcomes, ImportJobsRunOrder, ImportJobRowsPersonKey, ImportRowKeysTrainee, ImportJobsFailureRule, EventsErasures, ImportRowKeysAppliedOrder, TraineeLookupsAnyUserId, LegacyClearFieldsErased, WorkingAgeAfterErasureSchema, TraineeLookupsQuestion, TraineeLookupsQuestionsForgotten, TraineeLookupsOrganisation, LegacyCategoriesErased, ImportJobsListed, ImportJobRowsTooManyLookups, TraineeRelationsByCertificates, TraineeRelationsByFacts, TraineeUsers, ImportJobRowsPhoneKey, TraineeRelatingFactsFromTheLog, ImportJobsUploader];
