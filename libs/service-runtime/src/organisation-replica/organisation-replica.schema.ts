import { sqlMigration } from '@skills/postgres';

/**
 * The organisations a service knows of from their registration events (OrganisationReplicaConsumer):
 * identity's public register, brand-service's building units by credit code, a course's sponsoring
 * employer. `IF NOT EXISTS`: identity created this very table under its own migration before the
 * replica was shared; there it is already in place and this migration changes nothing.
 */
export const OrganisationReplicaSchema = sqlMigration(
  'OrganisationReplica',
  1733300000001,
  `CREATE TABLE IF NOT EXISTS organisations (
     organisation_id uuid PRIMARY KEY,
     kind text NOT NULL,
     name text NOT NULL,
     credit_code text,
     region_code text NOT NULL
   );
   ALTER TABLE organisations ALTER COLUMN credit_code DROP NOT NULL;
   CREATE INDEX IF NOT EXISTS organisations_by_name ON organisations (name, organisation_id)`,
  'DROP TABLE organisations',
);
