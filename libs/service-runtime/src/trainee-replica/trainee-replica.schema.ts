import { sqlMigration } from '@skills/postgres';

/**
 * `known_trainees` as TraineeReplica reads it. Services that kept a narrower table of their own before
 * the replica was shared get the missing columns (null for trainees recorded before).
 */
export const TraineeReplicaSchema = sqlMigration(
  'TraineeReplicaSchema',
  1733000000000,
  `CREATE TABLE IF NOT EXISTS known_trainees (trainee_id uuid PRIMARY KEY);
   ALTER TABLE known_trainees
     ADD COLUMN IF NOT EXISTS region_code text,
     ADD COLUMN IF NOT EXISTS name_masked text,
     ADD COLUMN IF NOT EXISTS registered_on date;
   ALTER TABLE known_trainees ALTER COLUMN region_code DROP NOT NULL, ALTER COLUMN registered_on DROP NOT NULL;`,
);

/**
 * The 16th birthday of a trainee registered as a minor (TraineeRegisteredV3.workingAgeFrom), for the
 * hire age rule; dropped, with the region and the masked name, on PersonalDataErased.
 */
export const TraineeReplicaWorkingAge = sqlMigration(
  'TraineeReplicaWorkingAge',
  1734500000000,
  `ALTER TABLE known_trainees ADD COLUMN IF NOT EXISTS working_age_from date`,
);

/**
 * The trainees whose personal data was erased (`voided` false) or whose registration was voided (true), by
 * id alone: a registration that reaches the replica after them (a dead letter retried, a redelivery from
 * before) brings back neither the masked name nor the 16th birthday of an erased trainee, nor a voided one.
 */
export const TraineeReplicaForgotten = sqlMigration(
  'TraineeReplicaForgotten',
  1765500000000,
  `CREATE TABLE IF NOT EXISTS forgotten_trainees (trainee_id uuid PRIMARY KEY, voided boolean NOT NULL)`,
);
