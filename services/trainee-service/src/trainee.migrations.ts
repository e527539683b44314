import { sqlMigration } from '@skills/event-sourcing';

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

export const traineeMigrations = [IdentityClaims];
