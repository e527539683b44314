import { sqlMigration } from '@skills/postgres';

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
 * The organisations related to a trainee (domain.md section 9): the one that registered them, and every
 * provider that enrolled, evaluator that certified and employer that hired them, as their facts arrive.
 * Staff of these organisations may read the trainee in full and their archive.
 */
export const TraineeRelations = sqlMigration(
  'TraineeRelations',
  1733200000001,
  `CREATE TABLE trainee_relations (
     trainee_id uuid NOT NULL,
     organisation_id text NOT NULL,
     PRIMARY KEY (trainee_id, organisation_id)
   )`,
  'DROP TABLE trainee_relations',
);

export const traineeMigrations = [IdentityClaims, PersonalDataKeys, TraineeLookups, TraineeRelations];
