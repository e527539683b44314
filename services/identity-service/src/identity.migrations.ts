import { IDENTITY_TOPIC } from '@skills/contracts';
import { sqlMigration } from '@skills/postgres';

/** One user per username, claimed in the creation's transaction (case-insensitive: stored lower-case). */
export const UsernameClaims = sqlMigration(
  'UsernameClaims',
  1733100000101,
  `CREATE TABLE username_claims (
     username text PRIMARY KEY,
     user_id uuid NOT NULL UNIQUE
   )`,
  'DROP TABLE username_claims',
);

/**
 * The keys access tokens are signed with. The newest unretired key signs; every unretired key stays in
 * the JWKS, so tokens signed before a rotation verify until they expire.
 */
export const SigningKeys = sqlMigration(
  'SigningKeys',
  1733100000102,
  `CREATE TABLE signing_keys (
     kid text PRIMARY KEY,
     algorithm text NOT NULL,
     private_jwk jsonb NOT NULL,
     public_jwk jsonb NOT NULL,
     created_at timestamptz NOT NULL DEFAULT now(),
     retired_at timestamptz
   )`,
  'DROP TABLE signing_keys',
);

/** Sessions: a refresh token (only its hash is kept) per sign-in, rotated on every use, ended on disable. */
export const RefreshTokens = sqlMigration(
  'RefreshTokens',
  1733100000103,
  `CREATE TABLE refresh_tokens (
     token_hash text PRIMARY KEY,
     user_id uuid NOT NULL,
     expires_at timestamptz NOT NULL,
     revoked_at timestamptz
   );
   CREATE INDEX refresh_tokens_user ON refresh_tokens (user_id)`,
  'DROP TABLE refresh_tokens',
);

/** Failed sign-ins, by username and by address, for the limits (by the username's hash, kept for the window: SignInFailuresHashed). */
export const SignInFailures = sqlMigration(
  'SignInFailures',
  1733100000104,
  `CREATE TABLE sign_in_failures (
     id bigserial PRIMARY KEY,
     subject text NOT NULL,
     failed_at timestamptz NOT NULL DEFAULT now()
   );
   CREATE INDEX sign_in_failures_subject ON sign_in_failures (subject, failed_at)`,
  'DROP TABLE sign_in_failures',
);

/** API keys: a client id and the hash of its secret, acting as the user who created it. */
export const ApiKeys = sqlMigration(
  'ApiKeys',
  1733100000105,
  `CREATE TABLE api_keys (
     client_id text PRIMARY KEY,
     user_id uuid NOT NULL,
     name text NOT NULL,
     secret_hash text NOT NULL,
     created_at timestamptz NOT NULL DEFAULT now(),
     revoked_at timestamptz
   )`,
  'DROP TABLE api_keys',
);

/**
 * TOTP second factors: the shared secret (base32, kept here and never in the event log), when its first
 * code confirmed it, and the last time step a code was accepted for, so that a code is used once.
 */
export const TotpSecrets = sqlMigration(
  'TotpSecrets',
  1733100000106,
  `CREATE TABLE totp_secrets (
     user_id uuid PRIMARY KEY,
     secret text NOT NULL,
     confirmed_at timestamptz,
     last_used_step bigint
   )`,
  'DROP TABLE totp_secrets',
);

/**
 * The organisations of the platform (providers, evaluators, employers) as their services publish them
 * on registration: a public register (domain.md section 9), listed by name.
 */
export const Organisations = sqlMigration(
  'Organisations',
  1733100000107,
  `CREATE TABLE organisations (
     organisation_id uuid PRIMARY KEY,
     kind text NOT NULL,
     name text NOT NULL,
     credit_code text NOT NULL,
     region_code text NOT NULL
   );
   CREATE INDEX organisations_by_name ON organisations (name, organisation_id)`,
  'DROP TABLE organisations',
);

/** Bureaus join the register: they are registered without a credit code. */
export const BureausInOrganisations = sqlMigration(
  'BureausInOrganisations',
  1733100000108,
  'ALTER TABLE organisations ALTER COLUMN credit_code DROP NOT NULL',
  "DELETE FROM organisations WHERE kind = 'bureau'; ALTER TABLE organisations ALTER COLUMN credit_code SET NOT NULL",
);

/**
 * The platform's audit log (domain.md section 9): every user's accepted command and every read of a
 * trainee's full personal data, as the services publish them on the audit topic. Ids and action names
 * only, never personal data. Read newest first, for the platform or for one organisation.
 */
export const AuditEntries = sqlMigration(
  'AuditEntries',
  1733100000120,
  `CREATE TABLE audit_entries (
     entry_id uuid PRIMARY KEY,
     kind text NOT NULL,
     at timestamptz NOT NULL,
     actor jsonb NOT NULL,
     actor_user_id text,
     action text NOT NULL,
     service text NOT NULL,
     resource text,
     organisation_id text,
     correlation_id text NOT NULL
   );
   CREATE INDEX audit_entries_by_time ON audit_entries (at, entry_id);
   CREATE INDEX audit_entries_by_organisation ON audit_entries (organisation_id, at, entry_id);
   CREATE INDEX audit_entries_by_actor ON audit_entries (actor_user_id, at, entry_id)`,
  'DROP TABLE audit_entries',
);

/**
 * Trainees' activation codes as trainee-service publishes them: only the code's hash, never the code.
 * A code creates one user (`used_at`, `user_id` set in that user's creation); an erasure removes the
 * trainee's unused codes.
 */
export const ActivationCodes = sqlMigration(
  'ActivationCodes',
  1733100000130,
  `CREATE TABLE activation_codes (
     code_hash text PRIMARY KEY,
     trainee_id uuid NOT NULL,
     expires_at timestamptz NOT NULL,
     used_at timestamptz,
     user_id uuid
   );
   CREATE INDEX activation_codes_by_trainee ON activation_codes (trainee_id)`,
  'DROP TABLE activation_codes',
);

/** One user per trainee (traineeUserClaim in users.ts). */
export const TraineeUserClaims = sqlMigration(
  'TraineeUserClaims',
  1733100000140,
  `CREATE TABLE trainee_user_claims (
     trainee_id uuid PRIMARY KEY,
     user_id uuid NOT NULL UNIQUE
   )`,
  'DROP TABLE trainee_user_claims',
);

/**
 * Failed sign-ins by the username's hash, not its text, kept only while they count (SignInLimits): the
 * rows of the window are hashed the same way (the username after `user:` was already in lower case),
 * the older ones forgotten.
 */
export const SignInFailuresHashed = sqlMigration(
  'SignInFailuresHashed',
  1733100000150,
  `DELETE FROM sign_in_failures WHERE failed_at < now() - interval '15 minutes';
   UPDATE sign_in_failures SET subject = 'user:' || encode(sha256(convert_to(substr(subject, 6), 'UTF8')), 'hex') WHERE subject LIKE 'user:%';
   CREATE INDEX sign_in_failures_failed_at ON sign_in_failures (failed_at)`,
  'DROP INDEX sign_in_failures_failed_at',
);

/**
 * The addresses each user signed in from (SignInLimits): a username's failures from elsewhere do not lock
 * its user out at one of them. Kept 30 days from the last sign-in there, and gone with the user's
 * sessions (disabling, erasure).
 */
export const SignInAddresses = sqlMigration(
  'SignInAddresses',
  1765300000002,
  `CREATE TABLE sign_in_addresses (
     user_id uuid NOT NULL,
     address text NOT NULL,
     signed_in_at timestamptz NOT NULL,
     PRIMARY KEY (user_id, address)
   );
   CREATE INDEX sign_in_addresses_signed_in_at ON sign_in_addresses (signed_in_at)`,
  'DROP TABLE sign_in_addresses',
);

/**
 * Sessions: every refresh token of one sign-in shares its `session_id` and its end (`session_ends_at`,
 * REFRESH_TOKEN_HOURS after the sign-in, however often it is renewed), and `credential`, a fingerprint of
 * the password it was opened with: a renewal after the password changed is refused, even one that began
 * before the change ended the sessions. Tokens of before have none: their session ends when they expire.
 */
export const RefreshTokenSessions = sqlMigration(
  'RefreshTokenSessions',
  1765300000003,
  `ALTER TABLE refresh_tokens ADD COLUMN session_id uuid, ADD COLUMN session_ends_at timestamptz, ADD COLUMN credential text`,
  'ALTER TABLE refresh_tokens DROP COLUMN session_id, DROP COLUMN session_ends_at, DROP COLUMN credential',
);

/** A session's tokens found together: a used one presented again ends them all, and ended sessions are deleted (RefreshTokens). */
export const RefreshTokensBySession = sqlMigration(
  'RefreshTokensBySession',
  1765300000004,
  'CREATE INDEX refresh_tokens_session ON refresh_tokens (session_id)',
  'DROP INDEX refresh_tokens_session',
);

/**
 * When a session's sign-in was (`signed_in_at`): its access tokens carry it (auth_time) however often it is
 * renewed. Nullable: during a rolling deploy, replicas of before insert tokens without it (a NOT NULL would
 * fail their sign-ins and renewals), and RefreshTokens reads a missing one as SIGNED_IN_AT_OF_BEFORE says.
 */
export const RefreshTokenSignIns = sqlMigration('RefreshTokenSignIns', 1765300000005, 'ALTER TABLE refresh_tokens ADD COLUMN signed_in_at timestamptz', 'ALTER TABLE refresh_tokens DROP COLUMN signed_in_at');

/**
 * The trainees that trainee users disabled before a disable released its trainee still hold: released, so
 * a fresh activation code opens the person's own account (one a clerk redeemed and an admin disabled
 * blocked the person for good). An erased user keeps its trainee: an erased trainee gets no new account.
 */
export const DisabledTraineeUsersReleased = sqlMigration(
  'DisabledTraineeUsersReleased',
  1765300000006,
  `DELETE FROM trainee_user_claims claim
    WHERE EXISTS (SELECT 1 FROM events WHERE stream_id = 'user-' || claim.user_id AND event_type = 'UserDisabled')
      AND NOT EXISTS (SELECT 1 FROM events WHERE stream_id = 'user-' || claim.user_id AND event_type = 'UserErased')`,
  'SELECT 1',
);

/**
 * Who issued each activation code, their token's sign-in and count of session ends, and when (ActivationCodeIssued v2): a code issued in
 * a session that had been ended is refused when redeemed. Null for codes of before (none judged).
 */
export const ActivationCodeIssuers = sqlMigration(
  'ActivationCodeIssuers',
  1765300000007,
  `ALTER TABLE activation_codes ADD COLUMN issued_by uuid, ADD COLUMN issuer_signed_in_at timestamptz, ADD COLUMN issuer_sessions_ended integer, ADD COLUMN issued_at timestamptz`,
  'ALTER TABLE activation_codes DROP COLUMN issued_by, DROP COLUMN issuer_signed_in_at, DROP COLUMN issuer_sessions_ended, DROP COLUMN issued_at',
);

/**
 * The users who signed in from an address lately, counted by address (SignInLimits: a shared address's limit
 * grows with them), an index lookup under the address's lock rather than a scan of every user's addresses.
 */
export const SignInAddressesByAddress = sqlMigration(
  'SignInAddressesByAddress',
  1766400000501,
  'CREATE INDEX sign_in_addresses_by_address ON sign_in_addresses (address, signed_in_at) INCLUDE (user_id)',
  'DROP INDEX sign_in_addresses_by_address',
);

/**
 * The trainees' active users created before identity published TraineeUserCreated (traineeUserCreatedMessages)
 * announced once, so trainee-service issues them no activation code that redemption would refuse: one
 * message per UserCreated naming a trainee, in the log's order, with the envelope the code builds for that
 * event (under the event's id, which no message of before used: a UserCreated published nothing). A user
 * disabled since is not announced: a disabled user holds no trainee (none is enabled again), and builds
 * before 2 December 2026 published no UserDisabled, so trainee-service, which masks an announced user with
 * its disabled_users, would hold the trainee for good. A message already in the outbox is kept as it is.
 * Schema version 1, not the current one: this builds the v1 payload, which a later version's consumers
 * upcast. The down keeps them: the code writes the same rows, none told apart as this migration's.
 */
export const TraineeUsersAnnounced = sqlMigration(
  'TraineeUsersAnnounced',
  1766700000102,
  `INSERT INTO outbox (message_id, topic, message_key, envelope)
   SELECT e.event_id, '${IDENTITY_TOPIC}', e.data->>'userId',
          jsonb_build_object(
            'eventId', e.event_id,
            'type', 'TraineeUserCreated',
            'schemaVersion', 1,
            'aggregateId', e.data->'userId',
            'aggregateVersion', e.stream_version,
            'occurredAt', e.data->'createdOn',
            'recordedAt', to_char(e.recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
            'payload', jsonb_build_object('traineeId', e.data->'traineeId', 'userId', e.data->'userId', 'createdOn', e.data->'createdOn')
          )
          -- The ids the event's metadata holds, as integrationMessage copies them: one without a cause (an HTTP command) has no causationId.
          || coalesce((SELECT jsonb_object_agg(m.key, m.value) FROM jsonb_each(e.metadata) m WHERE m.key IN ('correlationId', 'causationId')), '{}')
     FROM events e
    WHERE e.event_type = 'UserCreated' AND coalesce(e.data->>'traineeId', '') <> ''
      AND NOT EXISTS (SELECT 1 FROM events d WHERE d.stream_id = e.stream_id AND d.event_type = 'UserDisabled')
    ORDER BY e.transaction_id, e.global_position
   ON CONFLICT (message_id) DO NOTHING`,
  'SELECT 1',
);

/**
 * The directory of users keeps whether each must still change a password someone else set
 * (`password_change_required`, answered as `passwordChangeRequired` in the list of users): filled in place
 * from the log, under the projection's lock, with what the projection reads (user-directory.projection.ts):
 * the temporaryPassword of the user's last password (UserCreated or PasswordChanged), false where the event
 * has none (users of before temporary passwords). In place, not dropped and filled again: administrators
 * keep their lists meanwhile. A row an older replica still running beside the new one inserts answers false,
 * and its password changes are not followed (README, Upgrading: stop the older replicas first). A fresh
 * database has no directory yet: the projection creates it.
 */
export const UserDirectoryPasswordChangeRequired = sqlMigration(
  'UserDirectoryPasswordChangeRequired',
  1766800000101,
  `SELECT pg_advisory_xact_lock(hashtext('projection:' || current_schema() || ':user-directory'));
   DO $$
   BEGIN
     IF to_regclass('user_directory') IS NOT NULL THEN
       ALTER TABLE user_directory ADD COLUMN IF NOT EXISTS password_change_required boolean NOT NULL DEFAULT false;
       UPDATE user_directory d SET password_change_required = true
         FROM (SELECT DISTINCT ON (stream_id) stream_id, data->>'temporaryPassword' = 'true' AS required
                 FROM events WHERE event_type IN ('UserCreated', 'PasswordChanged')
                 ORDER BY stream_id, stream_version DESC) last
        WHERE last.stream_id = 'user-' || d.user_id AND last.required;
     END IF;
   END $$`,
  'ALTER TABLE IF EXISTS user_directory DROP COLUMN IF EXISTS password_change_required',
);

export const identityMigrations = [
  UsernameClaims,
  SigningKeys,
  RefreshTokens,
  SignInFailures,
  ApiKeys,
  TotpSecrets,
  Organisations,
  BureausInOrganisations,
  AuditEntries,
  ActivationCodes,
  TraineeUserClaims,
  SignInFailuresHashed,
  SignInAddresses,
  RefreshTokenSessions,
  RefreshTokensBySession,
  RefreshTokenSignIns,
  DisabledTraineeUsersReleased,
  ActivationCodeIssuers,
  SignInAddressesByAddress,
  TraineeUsersAnnounced,
  UserDirectoryPasswordChangeRequired,
];
