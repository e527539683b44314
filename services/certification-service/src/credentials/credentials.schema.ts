import { sqlMigration } from '@skills/postgres';

/**
 * Verifiable credentials (api.md, Credentials):
 * - `evaluator_signing_keys`: each evaluator's Ed25519 keys, the secret sealed with the master key
 *   (PERSONAL_DATA_KEY) as personal data keys are; a rotated key stays (`retired_at`) so what it signed
 *   still verifies;
 * - `credential_allocations`: per certificate, the random id its holder is known by in the credential
 *   and its entry in the evaluator's status lists, handed out once, so a rebuilt credential is the same;
 * - `status_list_credentials`: each evaluator's signed Bitstring Status Lists, re-signed on revocation.
 * The signed credentials themselves are the `certificate_credentials` projection.
 */
export const CredentialsSchema = sqlMigration(
  'Credentials',
  1764900000001,
  `CREATE TABLE evaluator_signing_keys (
     evaluator_id uuid NOT NULL,
     key_number integer NOT NULL,
     public_key_multibase text NOT NULL,
     sealed_secret jsonb NOT NULL,
     created_at timestamptz NOT NULL DEFAULT now(),
     retired_at timestamptz,
     PRIMARY KEY (evaluator_id, key_number)
   );
   CREATE TABLE credential_allocations (
     certificate_number text PRIMARY KEY,
     evaluator_id uuid NOT NULL,
     subject_id uuid NOT NULL,
     list_number integer NOT NULL,
     list_index integer NOT NULL,
     revoked boolean NOT NULL DEFAULT false,
     UNIQUE (evaluator_id, list_number, list_index)
   );
   CREATE TABLE status_list_credentials (
     evaluator_id uuid NOT NULL,
     list_number integer NOT NULL,
     credential jsonb NOT NULL,
     updated_at timestamptz NOT NULL DEFAULT now(),
     PRIMARY KEY (evaluator_id, list_number)
   )`,
  'DROP TABLE status_list_credentials; DROP TABLE credential_allocations; DROP TABLE evaluator_signing_keys',
);
