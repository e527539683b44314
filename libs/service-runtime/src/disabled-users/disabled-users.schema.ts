import { sqlMigration } from '@skills/postgres';

/**
 * The users identity-service disabled, as this service learnt them from the identity topic
 * (DisabledUsersConsumer). ServiceRuntimeModule adds it to every service: each refuses their tokens.
 */
export const DisabledUsersSchema = sqlMigration(
  'DisabledUsers',
  1700000000300,
  `CREATE TABLE IF NOT EXISTS disabled_users (
     user_id uuid PRIMARY KEY,
     disabled_on date NOT NULL
   )`,
  'DROP TABLE disabled_users',
);

/** Notified after a commit that added a disabled user: every replica of the service reads the table again. */
export const disabledUsersChannel = (schema: string) => `${schema}_disabled_users`;
